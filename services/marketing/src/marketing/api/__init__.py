"""HTTP routes, one module per resource: parse, authorise, call, shape the response."""
