"""Collections, indexes and queries of the notifications database."""
