"""Pure domain model: orders, items, money, statuses. Imports nothing else of ours."""
