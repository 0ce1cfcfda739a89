"""The notifications service: tells the right people what needs them (issue #17)."""
