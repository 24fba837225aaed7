"""Printing through a real print queue: ``vendor-desk print … --printer`` and ``vendor-desk
printers`` against CUPS with a cups-pdf queue (the PDF the queue wrote is read back: pages,
paper, text with pypdf, barcodes with zxing-cpp).

The tests that need the print service skip, saying why, where it cannot run: no CUPS commands,
the scheduler not answering, or no cups-pdf queue. ``.ci/run`` installs and starts all three and
exports ``CUPS_PDF_OUT`` (where cups-pdf writes) and ``VD_PRINT_QUEUE`` (the queue; with it
set the tests never skip: CI's queue must work).
"""

from __future__ import annotations

import io
import os
import pwd
import re
import shutil
import subprocess
import time
from pathlib import Path

import pypdf
import pytest

from tests.documents.conftest import barcodes, pdf_text, render_page, synced
from tests.sync.conftest import Env
from vendor_desk import print_system
from vendor_desk.app import main
from vendor_desk.cache.queries import order_ids
from vendor_desk.documents import Paper
from vendor_desk.domain.confirm_codes import confirm_code

__all__ = ["synced"]  # the module-scoped fixture of tests/documents


def _pdf_queue() -> tuple[str | None, str]:
    """The cups-pdf queue's name, or None and why there is none to print to."""
    if os.environ.get("VD_PRINT_QUEUE"):  # set up by .ci/run: it must work, no skipping
        return os.environ["VD_PRINT_QUEUE"], ""
    if shutil.which("lpstat") is None or shutil.which("lp") is None:
        return None, "CUPS is not installed (no lpstat / lp)"
    if not print_system.available():
        return None, "the CUPS scheduler is not answering (lpstat -r)"
    devices = subprocess.run(
        ["lpstat", "-v"], capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"}
    ).stdout
    queues = re.findall(r"device for (\S+): cups-pdf:", devices)
    if not queues:
        return None, "no PDF queue (lpadmin -p NAME -v cups-pdf:/ …) is set up"
    return queues[0], ""


QUEUE, WHY_NOT = _pdf_queue()
needs_queue = pytest.mark.skipif(QUEUE is None, reason=f"print service: {WHY_NOT}")


def _pdf_out() -> Path:
    """Where cups-pdf writes this user's jobs: CUPS_PDF_OUT, else cups-pdf.conf's "Out"."""
    if os.environ.get("CUPS_PDF_OUT"):
        return Path(os.environ["CUPS_PDF_OUT"])
    home = pwd.getpwuid(os.getuid()).pw_dir
    out = "${HOME}/PDF"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text(errors="replace").splitlines():
            if re.match(r"\s*Out\s", line):
                out = line.split(None, 1)[1].strip()
    return Path(out.replace("${HOME}", home))


def _queue_output(job: str, timeout: float = 90.0) -> bytes:
    """The PDF cups-pdf wrote for a job ("<title>-job_<n>.pdf"), once complete."""
    number = job.rsplit("-", 1)[1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if print_system.job_done(job):
            found = sorted(_pdf_out().glob(f"*job_{number}.pdf"))
            if found:
                data = found[-1].read_bytes()
                if data.rstrip().endswith(b"%%EOF"):
                    return data
        time.sleep(0.3)
    raise AssertionError(f"no PDF for job {job} in {_pdf_out()} after {timeout} s")


def _ids(env: Env, count: int) -> list[int]:
    with env.cache.session() as session:
        return sorted(order_ids(session, env.account_id))[:count]


def _sizes(pdf: bytes) -> set[tuple[float, float]]:
    return {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in pypdf.PdfReader(io.BytesIO(pdf)).pages
    }


@needs_queue
def test_a_batch_of_slips_comes_out_of_the_queue(
    synced: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """12 packing slips on 4×6 in labels through the queue: one page per slip as the app laid
    them out, each with its order's number, ship-to and both barcodes, readable again."""
    assert QUEUE is not None
    ids = _ids(synced, 12)
    data = ["--data-dir", str(synced.data_dir)]
    out = tmp_path / "same.pdf"
    assert (
        main(["print", "slip", *map(str, ids), "--out", str(out), "--paper", "label4x6", *data])
        == 0
    )
    capsys.readouterr()
    code = main(["print", "slip", *map(str, ids), "--printer", QUEUE, "--paper", "label4x6", *data])
    said = capsys.readouterr()
    assert code == 0, said.err
    job = said.out.strip()
    assert job.startswith(f"{QUEUE}-"), said
    assert f"sent 12 orders to {QUEUE} as job {job}" in said.err

    printed = _queue_output(job)
    made = out.read_bytes()
    assert len(pypdf.PdfReader(io.BytesIO(printed)).pages) == len(
        pypdf.PdfReader(io.BytesIO(made)).pages
    )
    assert _sizes(printed) == {(288, 432)}  # 4×6 in, as sent
    pages = pdf_text(printed)
    firsts = [i for i, page in enumerate(pages) if "SHIP TO" in page]
    assert len(firsts) == len(ids)
    # (the text of ASCII only: cups-pdf's Ghostscript drops the other letters' text mapping —
    # they are printed, but pypdf cannot read them back)
    assert [re.findall(r"#\d+|SHIP\d+", page) for page in pages] == [
        re.findall(r"#\d+|SHIP\d+", page) for page in pdf_text(made)
    ]
    for number, start, end in zip(ids, firsts, [*firsts[1:], len(pages)], strict=True):
        assert f"#{number}" in pages[start]
        found: set[str] = set()
        for index in range(start, end):  # the confirm code may be on the slip's next label
            found |= barcodes(render_page(printed, index, 4.0)).get("Code128", set())
        assert found == {str(number), confirm_code(str(number))}


@needs_queue
def test_the_label_size_and_the_queue_paper(
    synced: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    """--paper label100x150 comes out 100 × 150 mm; without --paper a pick list takes the
    queue's own default paper."""
    assert QUEUE is not None
    ids = _ids(synced, 3)
    data = ["--data-dir", str(synced.data_dir)]
    assert (
        main(
            ["print", "slip", *map(str, ids), "--printer", QUEUE, "--paper", "label100x150", *data]
        )
        == 0
    )
    label = _queue_output(capsys.readouterr().out.strip())
    assert _sizes(label) == {(283, 425)}

    assert (
        main(["print", "picklist", *map(str, ids), "--printer", QUEUE, "--copies", "2", *data]) == 0
    )
    pick = _queue_output(capsys.readouterr().out.strip())
    default = print_system.paper_for_media(print_system.default_media(QUEUE)) or Paper.A4
    assert _sizes(pick) == {tuple(round(v) for v in default.size)}
    text = " ".join(pdf_text(pick))
    assert "PICK LIST" in text
    assert {f"SHIP{number}" for number in ids} >= set(re.findall(r"SHIP\d+", text)) != set()


@needs_queue
def test_printers_lists_the_queue_and_an_unknown_queue_is_refused(
    synced: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    assert QUEUE is not None
    assert main(["printers", "--json"]) == 0
    import json

    listed = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert QUEUE in listed
    assert listed[QUEUE]["default_media"] == print_system.default_media(QUEUE)
    assert main(["printers"]) == 0
    table = capsys.readouterr().out
    assert QUEUE in table and listed[QUEUE]["default_media"] in table

    ids = _ids(synced, 1)
    code = main(
        [
            "print",
            "slip",
            str(ids[0]),
            "--printer",
            "No-Such-Queue",
            "--data-dir",
            str(synced.data_dir),
        ]
    )
    said = capsys.readouterr()
    assert code == 2
    assert "No print queue named 'No-Such-Queue'" in said.err and QUEUE in said.err
    assert said.out == ""


def test_without_cups_the_commands_say_so(
    synced: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A computer without CUPS's commands (PATH without them): exit code 3 and a sentence
    saying the print system is missing; writing a PDF file still works."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert not print_system.available()
    assert main(["printers"]) == 3
    assert "No print system found" in capsys.readouterr().err
    ids = _ids(synced, 1)
    data = ["--data-dir", str(synced.data_dir)]
    assert main(["print", "slip", str(ids[0]), "--printer", "Zebra", *data]) == 3
    assert "No print system found: CUPS's 'lpstat' is not installed" in capsys.readouterr().err
    assert main(["print", "slip", str(ids[0]), "--out", str(tmp_path / "s.pdf"), *data]) == 0
    with pytest.raises(print_system.PrintError, match="No print system found"):
        print_system.submit("Zebra", b"%PDF-1.4", title="t")


def test_command_line_refusals(
    synced: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [str(i) for i in _ids(synced, 1)]
    data = ["--data-dir", str(synced.data_dir)]
    with pytest.raises(SystemExit) as exited:  # neither --out nor --printer
        main(["print", "slip", *ids, *data])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["print", "slip", *ids, "--printer", "Q", "--copies", "0", *data])
    assert exited.value.code == 2
    assert "not a number of copies" in capsys.readouterr().err
    assert (
        main(["print", "slip", *ids, "--out", str(tmp_path / "x.pdf"), "--copies", "2", *data]) == 2
    )
    assert "--copies goes with --printer" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("media", "paper"),
    [
        ("A4", Paper.A4),
        ("Letter", Paper.LETTER),
        ("na_letter_8.5x11in", Paper.LETTER),
        ("w288h432", Paper.LABEL_4X6),
        ("Custom.4x6in", Paper.LABEL_4X6),
        ("oe_4x6-label_4x6in", Paper.LABEL_4X6),
        ("w283h425", Paper.LABEL_100X150),
        ("Custom.100x150mm", Paper.LABEL_100X150),
        ("Legal", None),
        ("w144h72", None),
    ],
)
def test_a_queue_paper_reads_as_ours(media: str, paper: Paper | None) -> None:
    assert print_system.paper_for_media(media) is paper
    if paper is not None:
        assert print_system.paper_for_media(print_system.media_for(paper)) is paper
