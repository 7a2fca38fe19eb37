"""Business services: every read and write the window and the command line perform."""
