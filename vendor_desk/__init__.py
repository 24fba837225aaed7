"""Vendor Desk: the desktop order desk for vendors of a WooCommerce + WCFM marketplace."""

__version__ = "0.1.0"
APP_NAME = "Vendor Desk"
