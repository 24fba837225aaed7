"""Sync and outbox. No Qt."""
