"""The marketplace client (WCFM over HTTP). No Qt."""
