"""The four tabs of the main window, one module each, with their table models."""
