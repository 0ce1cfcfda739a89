"""Use cases of the marketing service: load through the store, apply the domain rules,
save with the events they cause; and the I/O edges that are not storage (sending mail,
publishing campaign figures)."""
