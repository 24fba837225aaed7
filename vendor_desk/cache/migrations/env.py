"""Alembic environment: runs on the connection :func:`vendor_desk.cache.db.open_cache` hands over.

Vendor Desk never runs the ``alembic`` command against user data; migrations are applied in code
at start-up (see ``vendor_desk/cache/db.py``).
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from the alembic CLI
    raise RuntimeError("Vendor Desk applies its migrations itself (vendor_desk.cache.open_cache)")

context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
