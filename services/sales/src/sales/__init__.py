"""The sales service: leads, scoring, routing, pipeline, orders, quotes, tasks, forecasts."""
