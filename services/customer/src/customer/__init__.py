"""The customer service: member profiles, contacts, timeline, tiers, network, privacy."""
