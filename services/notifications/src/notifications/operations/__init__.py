"""Use cases: delivering alerts, the inbox, the live feed."""
