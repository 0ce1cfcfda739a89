"""Marketing rules in plain Python: no I/O, no framework; operations return their events."""
