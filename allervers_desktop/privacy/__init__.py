"""Personal data (RGPD): retention rules, purge, one person's export and erasure, their log."""
