"""Use cases: load what a rule needs, apply the domain, store state and events together."""
