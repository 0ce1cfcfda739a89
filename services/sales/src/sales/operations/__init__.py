"""Use cases: load aggregates, apply domain rules, save state and events together."""
