"""HTTP routes of the support service, one module per resource."""
