"""Local SQLite cache. No Qt."""
