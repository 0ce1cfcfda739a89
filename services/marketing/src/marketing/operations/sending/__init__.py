"""Email sending (M-4): queueing a campaign's audience, the SMTP sender, tracking links."""
