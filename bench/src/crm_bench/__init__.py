"""Load, fault and fuzz tooling for the CRM platform."""
