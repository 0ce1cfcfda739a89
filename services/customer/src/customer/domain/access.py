"""Record-level visibility: which customers a caller may see, on top of permissions.

The rule itself is part of the access contract (:func:`crm_contracts.access.customer_scope`),
because every service that keeps a copy of customers applies it as this service does.
"""

from __future__ import annotations

from crm_contracts.access import RecordScope, customer_scope

Visibility = RecordScope
visibility_for = customer_scope

__all__ = ["Visibility", "visibility_for"]
