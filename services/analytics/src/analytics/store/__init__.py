"""The analytics store: the only code that knows collection names, indexes and queries."""
