"""Rules without I/O: the alert table, preferences, who receives what."""
