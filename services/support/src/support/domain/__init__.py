"""Support rules in plain Python: no I/O, no framework; operations return the events they cause."""
