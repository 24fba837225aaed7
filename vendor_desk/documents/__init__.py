"""PDF documents (reportlab). No Qt."""
