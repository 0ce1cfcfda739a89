"""The service chassis: what every CRM service is built on."""
