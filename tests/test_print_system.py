"""The options a print job goes to a CUPS queue with (print_system.lp_options): the app's own
paper, copies, tray and sides win over the same options among the extra ones, and options CUPS
could not read are refused with a sentence before anything is sent. (Jobs reaching a real queue
with them: tests/ui/test_print_options.py.)"""

from __future__ import annotations

import pytest

from vendor_desk import print_system
from vendor_desk.print_system import PrintError, PrintOptions


def test_the_fields_come_first_and_win_over_the_same_options_in_extra() -> None:
    options = PrintOptions(
        copies=2,
        media="Custom.4x6in",
        tray="Tray2",
        sides="two-sided-long-edge",
        extra=(
            ("PageSize", "A4"),
            ("media", "Letter"),
            ("PageRegion", "A4"),
            ("Copies", "3"),
            ("copies", "3"),
            ("InputSlot", "Tray1"),
            ("media-source", "tray-1"),
            ("Duplex", "None"),
            ("sides", "one-sided"),
            ("document-format", "text/plain"),
            ("MediaType", "Glossy"),
            ("job-billing", ""),
            ("job-priority", "70"),
        ),
    )
    assert print_system.lp_options(options) == [
        ("media", "Custom.4x6in"),
        ("InputSlot", "Tray2"),
        ("sides", "two-sided-long-edge"),
        ("MediaType", "Glossy"),
        ("job-priority", "70"),
    ]


def test_without_the_fields_the_extra_options_decide() -> None:
    """No paper, tray or sides asked for: the driver's own PageSize, InputSlot and Duplex go
    as they are; the copies and the format stay the app's (``lp -n``, PDF)."""
    options = PrintOptions(
        extra=(
            ("PageSize", "A4"),
            ("InputSlot", "Manual"),
            ("Duplex", "DuplexNoTumble"),
            ("copies", "4"),
            ("document-format", "text/plain"),
        )
    )
    assert print_system.lp_options(options) == [
        ("PageSize", "A4"),
        ("InputSlot", "Manual"),
        ("Duplex", "DuplexNoTumble"),
    ]
    assert print_system.lp_options(PrintOptions()) == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (PrintOptions(extra=(("", "x"),)), "'' is not the name of a print option"),
        (PrintOptions(extra=(("Input Slot", "x"),)), "'Input Slot' is not the name"),
        (PrintOptions(extra=(("a=b", "x"),)), "'a=b' is not the name"),
        (PrintOptions(extra=(("'q'", "x"),)), "''q'' is not the name"),
        (PrintOptions(extra=(("job-billing", "a\nb"),)), "print option 'job-billing' is not"),
        (PrintOptions(tray="Tray\t2"), "print option 'InputSlot' is not valid"),
        (PrintOptions(sides="both"), "'both' is not a setting for printing on one or both"),
    ],
)
def test_options_cups_could_not_read_are_refused_before_sending(
    options: PrintOptions, message: str
) -> None:
    with pytest.raises(PrintError, match=message):
        print_system.lp_options(options)
    with pytest.raises(PrintError, match=message):  # nothing reaches lp (no queue needed)
        print_system.submit("No-Such-Queue", b"%PDF-1.4", title="t", options=options)
