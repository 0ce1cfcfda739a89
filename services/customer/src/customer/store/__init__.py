"""Persistence of the customer service: the only code that knows collections and indexes."""
