"""Modal forms to create and edit records."""
