"""Mail out of the service: to people (their items, the daily digest) and to customers
(reminders, overdue notices, order status, ticket acknowledgements)."""
