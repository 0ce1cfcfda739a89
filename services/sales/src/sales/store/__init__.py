"""Persistence of the sales service: the only code that knows collections and indexes."""
