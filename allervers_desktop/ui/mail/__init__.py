"""E-mail in the window: the Messages menu, the preview before sending, the outbox, set-up."""
