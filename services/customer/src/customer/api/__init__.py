"""HTTP routes: parse, authorise, call an operation, shape the response."""
