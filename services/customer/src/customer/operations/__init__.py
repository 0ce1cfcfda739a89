"""Use cases: load, apply the domain rule, store state and events, audit."""
