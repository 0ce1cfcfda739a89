"""Use cases of analytics: feeding the read models (projection), reading them (reporting),
and e-mailing scheduled reports (delivery), with the rendering and mail they need."""
