"""E-mail: templates, messages with attachments, outbox, SMTP and drafts."""
