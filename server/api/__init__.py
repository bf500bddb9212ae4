"""HTTP endpoints by resource: parse, call an action or a query, answer JSON."""
