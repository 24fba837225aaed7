"""``vendor-desk earnings``: the period's figures from the cache, as text or JSON, and the
exports for the accounts (CSV, spreadsheet, the receipts book as CSV or PDF). Offline.

    vendor-desk earnings                       # this month
    vendor-desk earnings --period 2026-11 --xlsx novembre.xlsx
    vendor-desk earnings --from 2026-01-01 --to 2026-03-31 --csv q1.csv
    vendor-desk earnings --period 2026-11 --receipts recettes-2026-11.pdf

docs/earnings.md.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from vendor_desk.cli_commands import (
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    _common,
    _pick_account,
    _system_locale,
    run_with_cache,
)
from vendor_desk.domain.earnings import FIGURES, EarningsSummary, Period, receipts
from vendor_desk.i18n import _, ngettext, pgettext

COMMAND = "earnings"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            _("not a date (YYYY-MM-DD): {text}").format(text=text)
        ) from error


def _month(text: str) -> Period:
    try:
        return Period.month(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            _("not a month (YYYY-MM): {text}").format(text=text)
        ) from error


def configure(commands: Any) -> None:
    """Add ``earnings`` to the main parser's sub-commands."""
    parser = commands.add_parser(
        COMMAND,
        help=_("your sales and earnings over a period, and exports for your accounts"),
        description=_(
            "Your sales and earnings over a period, from the cache (run 'vendor-desk sync' "
            "first for the latest): gross sales, earnings, what the marketplace kept, "
            "shipping, tax, refunds, paid out, requested and waiting. The period is this month "
            "unless --period or --from/--to says otherwise; its days are your computer's."
        ),
    )
    _common(parser)
    parser.add_argument("--period", type=_month, metavar="YYYY-MM", help=_("a calendar month"))
    parser.add_argument("--from", dest="start", type=_day, metavar="DATE", help=_("first day"))
    parser.add_argument("--to", dest="end", type=_day, metavar="DATE", help=_("last day"))
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help=_("print the figures as JSON"))
    output.add_argument(
        "--csv", type=Path, metavar="FILE", help=_("write one line per order to a CSV file")
    )
    output.add_argument(
        "--xlsx", type=Path, metavar="FILE", help=_("write one line per order to a spreadsheet")
    )
    output.add_argument(
        "--receipts",
        type=Path,
        metavar="FILE",
        help=_("write the receipts book (livre des recettes) to FILE.csv or FILE.pdf"),
    )


def period_of(args: argparse.Namespace, today: date) -> Period:
    """The period the arguments ask for (this month by default)."""
    if args.period is not None and (args.start is not None or args.end is not None):
        raise CommandError(_("Give either --period or --from/--to, not both."), EXIT_USAGE)
    if args.period is not None:
        period: Period = args.period
        return period
    if args.start is None and args.end is None:
        return Period.this_month(today)
    if args.start is None or args.end is None:
        raise CommandError(_("--from and --to go together."), EXIT_USAGE)
    if args.end < args.start:
        raise CommandError(
            _("The period ends ({end}) before it starts ({start}).").format(
                end=args.end.isoformat(), start=args.start.isoformat()
            ),
            EXIT_USAGE,
        )
    return Period.between(args.start, args.end)


def figures_json(summary: EarningsSummary) -> dict[str, Any]:
    """The summary's figures as JSON-ready data (amounts as decimal strings)."""
    return {
        "period": {"from": summary.period.start.isoformat(), "to": summary.period.end.isoformat()},
        "currency": summary.currency,
        "orders": len(summary.lines),
        **{name: summary.figure(name).plain() for name in FIGURES},
        "buckets": [
            {
                "start": bucket.start.isoformat(),
                "paid_out": bucket.paid_out.plain(),
                "waiting": bucket.waiting.plain(),
                "orders": len(bucket.order_ids),
            }
            for bucket in summary.buckets
        ],
        "best_sellers": [
            {"name": p.name, "sku": p.sku, "units": p.units, "total": p.total.plain()}
            for p in summary.best_sellers
        ],
    }


def figures_text(summary: EarningsSummary, locale: str) -> str:
    """The figures as lines of text, amounts the locale's way."""
    from vendor_desk.documents.formatting import format_date, format_money

    titles = {
        "gross_sales": _("Gross sales"),
        "earnings": _("Your earnings"),
        "kept_by_marketplace": _("Kept by the marketplace"),
        "shipping": _("Shipping"),
        "tax": _("Tax"),
        "refunds": pgettext("earnings", "Refunds"),
        "paid_out": _("Paid out"),
        "requested": _("Payout requested"),
        "waiting": _("Waiting for payout"),
        "completed_gross": _("Completed orders: sales"),
        "completed_earnings": _("Completed orders: earnings"),
    }
    width = max(len(title) for title in titles.values())
    count = len(summary.lines)
    lines = [
        ngettext(
            "{start} to {end}: {count} order", "{start} to {end}: {count} orders", count
        ).format(
            start=format_date(datetime.combine(summary.period.start, time()), locale),
            end=format_date(datetime.combine(summary.period.end, time()), locale),
            count=count,
        )
    ]
    for name in FIGURES:
        amount = format_money(summary.figure(name), locale)
        lines.append(f"  {titles[name]:<{width}}  {amount:>14}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run ``vendor-desk earnings``; returns the exit code (messages already printed)."""
    return run_with_cache(args, _earnings)


def _earnings(args: argparse.Namespace, cache: Any) -> int:
    from vendor_desk import documents
    from vendor_desk.sync import earnings

    account = _pick_account(cache, getattr(args, "account", None))
    today = datetime.now().astimezone().date()
    summary = earnings.load_summary(cache, account.id, period_of(args, today))
    target: Path | None = args.csv or args.xlsx or args.receipts
    try:
        if args.csv:
            earnings.export_csv(summary, args.csv)
        elif args.xlsx:
            earnings.export_xlsx(summary, args.xlsx)
        elif args.receipts:
            suffix = args.receipts.suffix.lower()
            if suffix == ".csv":
                earnings.receipts_book_csv(summary, args.receipts)
            elif suffix == ".pdf":
                from vendor_desk.documents.receipts_book import render_receipts_book

                with cache.session() as session:
                    settings = documents.load_settings(session, account.id).with_locale(
                        _system_locale()
                    )
                pdf = render_receipts_book(summary, settings)
                args.receipts.write_bytes(pdf)
            else:
                raise CommandError(
                    _("The receipts book is written as .csv or .pdf, not {name}.").format(
                        name=args.receipts.name
                    ),
                    EXIT_USAGE,
                )
    except OSError as error:
        raise CommandError(
            _("Cannot write {path}: {reason}").format(path=target, reason=error.strerror or error)
        ) from error
    if args.json:
        print(json.dumps(figures_json(summary), indent=2, ensure_ascii=False))
    elif target is not None:
        # the receipts book lists the sales paid in the period, the exports those placed
        count = len(receipts(summary)) if args.receipts else summary.order_count
        print(
            _("{path}: {count} orders from {start} to {end}").format(
                path=target,
                count=count,
                start=summary.period.start.isoformat(),
                end=summary.period.end.isoformat(),
            )
        )
    else:
        print(figures_text(summary, _system_locale()))
    return EXIT_OK
