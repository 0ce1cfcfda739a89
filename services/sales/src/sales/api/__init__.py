"""HTTP routes of the sales service: parse, authorise, call an operation, shape the answer."""
