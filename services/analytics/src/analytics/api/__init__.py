"""HTTP routes of the analytics service: reports, dashboards, report schedules."""
