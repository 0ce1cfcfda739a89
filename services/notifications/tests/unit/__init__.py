"""Unit tests: rules and handlers without servers."""
