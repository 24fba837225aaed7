"""A faithful WCFM marketplace simulator on loopback (demo mode, tests, benchmarks). No Qt.

Entry point for Python callers: :class:`vendor_desk.sandbox.server.Simulator`.
This package imports nothing else of Vendor Desk's.
"""
