"""``vendor-desk earnings`` on a cache synced from the recorded shop (issue 17 §2)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdf
from openpyxl import load_workbook

from tests.cli.conftest import run
from vendor_desk.cache.db import DB_FILENAME
from vendor_desk.cli_commands import EXIT_ERROR, EXIT_USAGE

#: The recorded shop's orders were placed in November 2026.
MONTH = "2026-11"


def test_json_figures(data: str, capsys: Any) -> None:
    code, out, err = run(data, capsys, "earnings", "--period", MONTH, "--json")
    assert code == 0, err
    figures = json.loads(out)
    assert figures["period"] == {"from": "2026-11-01", "to": "2026-11-30"}
    assert figures["orders"] > 0
    earned = Decimal(figures["earnings"])
    parts = sum(Decimal(figures[name]) for name in ("paid_out", "requested", "waiting"))
    assert earned == parts > 0
    assert len(figures["buckets"]) == 30


def test_text_csv_xlsx_and_receipts(data: str, capsys: Any, tmp_path: Path) -> None:
    code, out, _err = run(data, capsys, "earnings", "--from", "2026-11-01", "--to", "2026-11-30")
    assert code == 0 and "Your earnings" in out and "Waiting for payout" in out
    _c, out, _e = run(data, capsys, "earnings", "--period", MONTH, "--json")
    figures = json.loads(out)

    target = tmp_path / "nov.csv"
    code, out, err = run(data, capsys, "earnings", "--period", MONTH, "--csv", str(target))
    assert code == 0, err
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == figures["orders"]
    earned = sum((Decimal(row["Your earning"]) for row in rows), Decimal(0))
    assert earned == Decimal(figures["earnings"])

    book = tmp_path / "nov.xlsx"
    assert run(data, capsys, "earnings", "--period", MONTH, "--xlsx", str(book))[0] == 0
    sheet = load_workbook(book)["Orders"]
    assert sheet.max_row == figures["orders"] + 1

    receipts = tmp_path / "recettes.pdf"
    assert run(data, capsys, "earnings", "--period", MONTH, "--receipts", str(receipts))[0] == 0
    text = pypdf.PdfReader(receipts).pages[0].extract_text()
    assert "RECEIPTS BOOK" in text
    receipts_csv = tmp_path / "recettes.csv"
    code, out, _err = run(
        data, capsys, "earnings", "--period", MONTH, "--receipts", str(receipts_csv)
    )
    assert code == 0
    assert receipts_csv.read_text(encoding="utf-8-sig").startswith("Date,Reference,Customer")
    with receipts_csv.open(encoding="utf-8-sig", newline="") as handle:
        paid = list(csv.DictReader(handle))
    assert f": {len(paid)} orders from" in out  # the receipts written, not the orders placed


def test_bad_input_is_refused_clearly(data: str, capsys: Any, tmp_path: Path) -> None:
    code, _out, err = run(data, capsys, "earnings", "--period", MONTH, "--from", "2026-11-01")
    assert code == 2 and "either --period or --from/--to" in err
    code, _out, err = run(data, capsys, "earnings", "--from", "2026-11-30", "--to", "2026-11-01")
    assert code == 2 and "ends" in err
    code, _out, err = run(
        data, capsys, "earnings", "--period", MONTH, "--receipts", str(tmp_path / "x.txt")
    )
    assert code == 2 and ".csv or .pdf" in err
    code, _out, err = run(
        data, capsys, "earnings", "--period", MONTH, "--csv", str(tmp_path / "no" / "x.csv")
    )
    assert code == 1 and "Cannot write" in err


def test_a_damaged_cache_is_said_in_one_line(tmp_path: Path, capsys: Any) -> None:
    (tmp_path / DB_FILENAME).write_bytes(b"not a database" * 100)
    code, out, err = run(str(tmp_path), capsys, "earnings", "--period", MONTH)
    assert code == EXIT_ERROR
    assert out == ""
    assert err.startswith("vendor-desk: The order cache ") and "not a database" in err
    assert len(err.splitlines()) == 1


def test_without_an_account_earnings_says_how_to_add_one(tmp_path: Path, capsys: Any) -> None:
    code, _out, err = run(str(tmp_path), capsys, "earnings", "--period", MONTH)
    assert code == EXIT_USAGE
    assert err == "vendor-desk: No account yet: add one with 'vendor-desk account add URL USER'.\n"
