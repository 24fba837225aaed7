"""The application's style sheet: calm, native-looking, readable on light and dark palettes."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication


def is_dark(app: QApplication | None = None) -> bool:
    palette = (app or QApplication.instance()).palette()  # type: ignore[union-attr]
    return bool(palette.color(QPalette.ColorRole.Window).lightness() < 128)


def style_sheet(dark: bool = False) -> str:
    """Qt style sheet for the hints, banners, cards and side bar."""
    card = "#2b2f36" if dark else "#ffffff"
    border = "#3d434c" if dark else "#dde1e6"
    muted = "#9aa3ad" if dark else "#6b7480"
    side = "#23272e" if dark else "#f3f5f8"
    return f"""
QFrame#detailSection {{ background: {card}; border: 1px solid {border}; border-radius: 8px; }}
QWidget#detailContent {{ background: {side}; }}
QLabel#sectionTitle {{ font-weight: 600; color: {muted}; text-transform: uppercase;
    letter-spacing: 0.5px; font-size: 11px; border: none; }}
QLabel#detailTitle {{ font-size: 17px; font-weight: 600; }}
QLabel#statusText {{ font-weight: 600; }}
QLabel#asOf, QLabel#muted, QLabel#fieldName {{ color: {muted}; border: none; }}
QLabel#noteMetaPrivate {{ color: {muted}; font-size: 11px; }}
QLabel#noteMetaCustomer {{ color: #1c7ed6; font-size: 11px; font-weight: 600; }}
QLabel#noteText {{ padding-left: 6px; border-left: 2px solid {border}; margin-bottom: 6px; }}
QLabel#customerNote {{ background: {"#3b3520" if dark else "#fff8db"};
    border: 1px solid {"#6b5a1e" if dark else "#f2d675"}; border-radius: 6px; padding: 6px; }}
QLabel#hint_info, QLabel#hint_ok, QLabel#hint_warning, QLabel#hint_error {{
    border-radius: 6px; padding: 8px 10px; }}
QFrame#hint_warning {{ border-radius: 6px; }}
QLabel#hint_info {{ background: {"#1d3349" if dark else "#e7f1fd"};
    border: 1px solid {"#2d5a86" if dark else "#a5c8f0"}; }}
QLabel#hint_ok {{ background: {"#1f3a27" if dark else "#e9f7ec"};
    border: 1px solid {"#2f6b3f" if dark else "#9fd6ad"}; }}
QLabel#hint_warning, QFrame#hint_warning {{ background: {"#40331a" if dark else "#fff4e0"};
    border: 1px solid {"#7a5a1c" if dark else "#f5c77e"}; }}
QLabel#hint_error {{ background: {"#4a2326" if dark else "#fdecec"};
    border: 1px solid {"#8c3a40" if dark else "#f2a7a7"}; }}
QFrame#offlineBanner {{ background: {"#4a3a14" if dark else "#fff3cd"};
    border-bottom: 1px solid {"#7a5a1c" if dark else "#e6c96b"}; }}
QFrame#offlineBanner QLabel {{ color: {"#f5e3b0" if dark else "#5c4700"}; }}
QListView#filterList {{ background: {side}; border: none; padding-top: 6px; }}
QListView#filterList::item {{ padding: 7px 8px; border-radius: 6px; margin: 1px 6px; }}
QListView#filterList::item:selected {{ background: {"#34495e" if dark else "#dbe7f7"};
    color: palette(text); }}
QLabel#sideTitle {{ color: {muted}; font-weight: 600; font-size: 11px;
    padding: 10px 14px 2px 14px; }}
QLabel#placeholder {{ color: {muted}; font-size: 14px; }}
QLabel#packIdle {{ color: {muted}; font-size: 26px; }}
QScrollArea#packShipTo, QScrollArea#packShipTo > QWidget#qt_scrollarea_viewport {{
    background: transparent; }}
QLabel#accountLabel {{ color: {muted}; padding: 0 8px; }}
QToolButton#unreadButton {{ background: #e03131; color: white; border-radius: 9px;
    padding: 1px 8px; font-weight: 600; }}
"""
