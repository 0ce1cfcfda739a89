"""HTTP routes of the inbox, the live stream and the preferences."""
