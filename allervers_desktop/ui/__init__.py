"""The Qt window: tabs, forms and dialogs over the services (the only package importing Qt)."""
