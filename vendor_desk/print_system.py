"""The operating system's print system, without Qt: CUPS (Linux, macOS) through its own commands.

Documents are PDF; CUPS takes PDF as it is, so a job is the PDF the app rendered (about 20 KB
a packing slip), handed to ``lp`` on its standard input with the paper (``media``), the copies,
the tray (``InputSlot``), two-sided printing (``sides``) and any other driver or job option
(``-o name=value``: the driver's own, such as ``MediaType`` or ``Resolution``, and CUPS's job
options, such as ``job-priority``) — nothing is rasterised here. The queues are read with ``lpstat``
(names, the default, descriptions) and ``lpoptions -l`` (the driver's paper sizes and their
default); ``cancel`` withdraws a job. The commands are run with the C locale so that their
output reads the same on every computer. Where there is no CUPS (Windows), :func:`available` is
False and the window prints through Qt instead (docs/printing.md).

    if print_system.available():
        job = print_system.submit("Zebra", pdf, title="Packing slips",
                                  options=PrintOptions(media=media_for(Paper.LABEL_4X6)))
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

from vendor_desk.documents.model import Paper
from vendor_desk.i18n import _

#: How long a CUPS command may take before the print system counts as not answering (s).
TIMEOUT = 30.0
#: The driver options naming the paper, in the order they are looked for (PPD, IPP).
_MEDIA_OPTIONS = ("PageSize", "media", "PageRegion")
#: Two-sided printing as CUPS names it (the IPP ``sides`` values).
SIDES = ("one-sided", "two-sided-long-edge", "two-sided-short-edge")
#: An option's name: the driver's keywords ("InputSlot", "HPOption_Tray3") and CUPS's job
#: options ("job-priority") — letters, digits, "_", ".", "+", "-"; no spaces, quotes or "=".
_OPTION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")
#: What ``lp -o`` would read as the end of a value, a quote or a collection (its syntax is
#: ``name=value name2='value 2'``): escaped with a backslash.
_OPTION_SPECIAL = re.compile(r"""([\s'"\\{}])""")


class PrintError(Exception):
    """The print system refused or failed; ``str()`` is a plain sentence for the vendor."""


@dataclass(frozen=True)
class PrintQueue:
    """A print queue of the system."""

    name: str
    #: The system's (or the user's, lpoptions) default queue.
    default: bool
    #: The queue's default paper as CUPS names it ("A4", "Letter", "w288h432", "Custom.4x6in");
    #: "" when the driver does not say.
    default_media: str
    #: What the administrator wrote about it (lpadmin -D), "" when nothing.
    description: str


@dataclass(frozen=True)
class PrintOptions:
    """What a job asks of the queue."""

    copies: int = 1
    #: The paper (:func:`media_for`); None: the queue's default.
    media: str | None = None
    #: The tray (the driver's InputSlot value, e.g. "Tray2"); None: the queue's default.
    tray: str | None = None
    #: Two-sided printing, one of :data:`SIDES`; None: the queue's default.
    sides: str | None = None
    #: More options as ``(name, value)``, passed as they are: the driver's own (PPD options
    #: such as ``("MediaType", "Glossy")``) and CUPS's job options (``("job-priority", "70")``).
    #: Those that would contradict what the fields above ask for (the paper, the copies, the
    #: tray, the sides, the PDF's format) are dropped in favour of the fields, and so are
    #: those with an empty value (:func:`lp_options`).
    extra: tuple[tuple[str, str], ...] = ()


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["LC_ALL"] = "C"
    env["LANG"] = "C"
    env.pop("LANGUAGE", None)
    return env


def _run(
    command: list[str], *, data: bytes | None = None, timeout: float = TIMEOUT
) -> subprocess.CompletedProcess[bytes]:
    """Run one CUPS command; PrintError when it is missing or does not answer in time."""
    if sys.platform == "win32" or shutil.which(command[0]) is None:
        raise PrintError(
            _(
                "No print system found: CUPS's '{command}' is not installed on this computer."
            ).format(command=command[0])
        )
    try:
        return subprocess.run(
            command,
            input=data,
            capture_output=True,
            env=_environment(),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PrintError(
            _("The print system did not answer within {seconds} seconds.").format(
                seconds=int(timeout)
            )
        ) from None
    except OSError as error:
        raise PrintError(
            _("Cannot run '{command}': {error}").format(
                command=command[0], error=error.strerror or error
            )
        ) from None


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    """What a failed command said (its last line of error output, without "lp: ")."""
    lines = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()
    text = lines[-1].strip() if lines else f"exit status {result.returncode}"
    return re.sub(r"^(lp|lpstat|lpoptions|cancel):\s*", "", text)


def available() -> bool:
    """A CUPS scheduler answers (``lpstat -r``); False where there is none (Windows)."""
    try:
        result = _run(["lpstat", "-r"], timeout=10)
    except PrintError:
        return False
    return result.returncode == 0 and b"not running" not in result.stdout


def _not_answering(result: subprocess.CompletedProcess[bytes]) -> PrintError:
    return PrintError(
        _("The print system (CUPS) is not answering: {reason}").format(reason=_said(result))
    )


def queues() -> list[PrintQueue]:
    """The system's print queues (printers and classes), the default one marked; [] when
    there are none. PrintError when CUPS is not there or not answering."""
    if not available():
        _run(["lpstat", "-r"])  # raises when CUPS is missing
        raise PrintError(_("The print system (CUPS) is not running on this computer."))
    names = _run(["lpstat", "-e"])
    if names.returncode != 0:
        raise _not_answering(names)
    found = [n for n in names.stdout.decode("utf-8", "replace").split() if n]
    if not found:
        return []
    default = _default_queue()
    descriptions = _descriptions()
    return [
        PrintQueue(
            name=name,
            default=name == default,
            default_media=default_media(name),
            description=descriptions.get(name, ""),
        )
        for name in found
    ]


def _default_queue() -> str:
    result = _run(["lpstat", "-d"])
    match = re.search(rb"system default destination:\s*(\S+)", result.stdout)
    return match.group(1).decode("utf-8", "replace") if match else ""


def _descriptions() -> dict[str, str]:
    """Each queue's description (``lpstat -l -p``)."""
    result = _run(["lpstat", "-l", "-p"])
    descriptions: dict[str, str] = {}
    current = ""
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        head = re.match(r"printer (\S+) ", line)
        if head:
            current = head.group(1)
            continue
        described = re.match(r"\s+Description:\s*(.*)$", line)
        if described and current:
            descriptions[current] = described.group(1).strip()
    return descriptions


def _driver_options(queue: str) -> dict[str, tuple[str, list[str]]]:
    """The queue's driver options (``lpoptions -p QUEUE -l``): name -> (default, choices)."""
    result = _run(["lpoptions", "-p", queue, "-l"])
    if result.returncode != 0:
        raise PrintError(
            _("No print queue named '{queue}': {reason}").format(queue=queue, reason=_said(result))
        )
    options: dict[str, tuple[str, list[str]]] = {}
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        key, sep, values = line.partition(":")
        if not sep:
            continue
        name = key.split("/", 1)[0].strip()
        choices = values.split()
        default = next((c[1:] for c in choices if c.startswith("*")), "")
        options[name] = (default, [c.removeprefix("*") for c in choices])
    return options


def default_media(queue: str) -> str:
    """The queue's default paper as its driver names it ("" when it does not say)."""
    options = _driver_options(queue)
    for name in _MEDIA_OPTIONS:
        if name in options and options[name][0]:
            return options[name][0]
    return ""


def papers(queue: str) -> list[str]:
    """The paper sizes the queue's driver offers (its PageSize or media choices)."""
    options = _driver_options(queue)
    for name in _MEDIA_OPTIONS:
        if name in options:
            return options[name][1]
    return []


def trays(queue: str) -> list[str]:
    """The trays (InputSlot choices) the queue's driver offers; [] when it has none."""
    return _driver_options(queue).get("InputSlot", ("", []))[1]


def media_for(paper: Paper) -> str:
    """CUPS's name for a paper: "A4", "Letter", "Custom.4x6in", "Custom.100x150mm"."""
    if paper is Paper.A4:
        return "A4"
    if paper is Paper.LETTER:
        return "Letter"
    if paper is Paper.LABEL_4X6:
        return "Custom.4x6in"
    return "Custom.100x150mm"


_UNIT_POINTS = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "pt": 1.0}


def _media_points(media: str) -> tuple[float, float] | None:
    """A media name's size in points when the name carries it: "w288h432" (PPD),
    "Custom.4x6in", "oe_4x6-label_4x6in" / "om_100x150mm_100x150mm" (IPP's self-describing
    names); None otherwise ("A4", "Letter" are known by name)."""
    found = re.fullmatch(r"w(\d+(?:\.\d+)?)h(\d+(?:\.\d+)?)", media)
    if found:
        return float(found.group(1)), float(found.group(2))
    found = re.search(r"(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(in|mm|cm|pt)$", media)
    if found:
        unit = _UNIT_POINTS[found.group(3)]
        return float(found.group(1)) * unit, float(found.group(2)) * unit
    return None


def paper_for_media(media: str) -> Paper | None:
    """The paper a queue's media stands for ("A4", "na_letter_8.5x11in", "w288h432",
    "Custom.100x150mm" …); None when it is none of the app's papers."""
    name = media.strip()
    lowered = name.lower()
    if lowered in ("a4", "iso_a4_210x297mm") or lowered.startswith("a4."):
        return Paper.A4
    if lowered in ("letter", "na_letter_8.5x11in", "us-letter") or lowered.startswith("letter."):
        return Paper.LETTER
    points = _media_points(name)
    if points is None:
        return None
    short, long = sorted(points)
    for paper in Paper:
        width, height = paper.size
        if abs(short - width) < 2.3 and abs(long - height) < 3.4:  # within 0.8 / 1.2 mm
            return paper
    return None


def _overridden(options: PrintOptions) -> frozenset[str]:
    """The option names (lower case) the fields of ``options`` decide: an extra option of that
    name would contradict them. The copies (``lp -n``) and the format (PDF) are always the
    app's; the paper, the tray and the sides when asked for."""
    names = {"copies", "document-format"}
    if options.media:
        names |= {name.lower() for name in _MEDIA_OPTIONS}
    if options.tray:
        names |= {"inputslot", "media-source"}
    if options.sides:
        names |= {"sides", "duplex"}
    return frozenset(names)


def lp_options(options: PrintOptions) -> list[tuple[str, str]]:
    """The ``-o name=value`` options a job goes with, in order: the paper, the tray, the sides,
    then the extra options — without those the fields decide (:func:`_overridden`) and those
    with an empty value (nothing asked: the queue's default).

    PrintError when an option is not one CUPS can read: an empty name, a name with spaces,
    quotes or "=", a value with control characters (a line break), or sides not in
    :data:`SIDES`."""
    if options.sides is not None and options.sides not in SIDES:
        raise PrintError(
            _("'{sides}' is not a setting for printing on one or both sides.").format(
                sides=options.sides
            )
        )
    chosen = [
        (name, value)
        for name, value in (
            ("media", options.media),
            ("InputSlot", options.tray),
            ("sides", options.sides),
        )
        if value
    ]
    overridden = _overridden(options)
    chosen += [(n, v) for n, v in options.extra if v and n.lower() not in overridden]
    for name, value in chosen:
        if not _OPTION_NAME.fullmatch(name):
            raise PrintError(_("'{name}' is not the name of a print option.").format(name=name))
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise PrintError(
                _("The value of the print option '{name}' is not valid.").format(name=name)
            )
    return chosen


def _lp_option(name: str, value: str) -> str:
    """One ``-o`` argument, ``name=value``, its value's spaces, quotes and backslashes escaped
    so that ``lp`` reads it as one value (``job-billing=Shop\\ A``)."""
    escaped = _OPTION_SPECIAL.sub(lambda found: "\\" + found.group(1), value)
    return f"{name}={escaped}"


def submit(queue: str, pdf: bytes, *, title: str, options: PrintOptions = PrintOptions()) -> str:
    """Send a PDF as it is to a queue (``lp``) with the options asked for (:func:`lp_options`);
    returns the job's id ("Zebra-42").

    PrintError when the queue is unknown, refuses jobs, an option is not valid, or the print
    system is not there."""
    if options.copies < 1:
        raise PrintError(_("The number of copies must be at least 1."))
    command = ["lp", "-d", queue, "-n", str(options.copies), "-t", title]
    for name, value in lp_options(options):
        command += ["-o", _lp_option(name, value)]
    command += ["-o", "document-format=application/pdf", "--", "-"]
    result = _run(command, data=pdf)
    said = result.stdout.decode("utf-8", "replace")
    match = re.search(r"request id is (\S+)", said)
    if result.returncode != 0 or match is None:
        reason = _said(result)
        if "does not exist" in reason or "not found" in reason.lower():
            raise PrintError(_("No print queue named '{queue}'.").format(queue=queue))
        raise PrintError(
            _("The print queue '{queue}' refused the job: {reason}").format(
                queue=queue, reason=reason
            )
        )
    return match.group(1)


def _jobs(which: str) -> set[str]:
    result = _run(["lpstat", "-W", which, "-o"])
    if result.returncode != 0:
        return set()
    return {
        line.split()[0] for line in result.stdout.decode("utf-8", "replace").splitlines() if line
    }


def job_done(job_id: str) -> bool | None:
    """Whether the queue has finished the job: True done, False still waiting or printing,
    None unknown (CUPS forgot it, or cancelled)."""
    if job_id in _jobs("not-completed"):
        return False
    if job_id in _jobs("completed"):
        return True
    return None


def cancel(job_id: str) -> None:
    """Withdraw a job from its queue (``cancel``); PrintError when the print system refuses."""
    result = _run(["cancel", job_id])
    if result.returncode != 0:
        raise PrintError(
            _("Cannot cancel print job {job}: {reason}").format(job=job_id, reason=_said(result))
        )
