"""Command line and wiring: the composition root of Vendor Desk.

Exit codes (design.md §7): 0 ok, 2 usage, 3 marketplace unreachable, 4 authentication refused,
1 anything else — with a one-line plain-language message on stderr.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections.abc import Sequence
from pathlib import Path

from vendor_desk import APP_NAME, __version__, cli_commands, cli_earnings, i18n
from vendor_desk.i18n import _

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_AUTH = 4


def build_parser() -> argparse.ArgumentParser:
    from vendor_desk.sandbox import cli as sandbox_cli

    parser = argparse.ArgumentParser(
        prog="vendor-desk",
        description=_("{app}: your marketplace orders on the desktop.").format(app=APP_NAME),
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--data-dir", help=_("keep the cache and settings in this folder"))
    parser.add_argument(
        "--lang",
        choices=(i18n.SYSTEM, *i18n.LANGUAGES),
        help=_(
            "the language of the window, the messages and the documents' defaults "
            "(default: the system's)"
        ),
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_("open the app on the built-in marketplace simulator with demo data (no account)"),
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_(
            "check this installation without a window (temporary data, built-in simulator) and exit"
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    sandbox_parser = commands.add_parser(
        "sandbox",
        help=_("run the built-in WCFM marketplace simulator on loopback"),
        description=_("Run the built-in WCFM marketplace simulator on loopback."),
    )
    sandbox_cli.configure_parser(sandbox_parser)
    cli_commands.configure(commands)
    cli_earnings.configure(commands)
    return parser


def language_option(argv: Sequence[str]) -> str | None:
    """``--lang X`` / ``--lang=X`` from the arguments, before they are parsed (the parser's own
    help speaks it)."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    # a frozen build started as the document renderer's child process runs it and exits here
    multiprocessing.freeze_support()
    arguments = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(language_option(arguments))
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.self_test:
        from vendor_desk import selftest

        return selftest.run()
    if args.command == "sandbox":
        from vendor_desk.sandbox import cli as sandbox_cli

        return sandbox_cli.run(args)
    if args.command == cli_earnings.COMMAND:
        return cli_earnings.run(args)
    if args.command in (
        "sync",
        "orders",
        "order",
        "scan",
        "account",
        "printers",
        *cli_commands.ACTION_COMMANDS,
    ):
        return cli_commands.run(args)
    return run_window(args)


def run_window(args: argparse.Namespace) -> int:
    """Open the desktop window (``--demo``: on the in-process simulator)."""
    try:
        from vendor_desk.ui.application import run_gui
    except ImportError as error:  # e.g. Qt's system libraries missing
        print(
            "vendor-desk: " + _("the window cannot open: {error}").format(error=error),
            file=sys.stderr,
        )
        return EXIT_ERROR
    from vendor_desk.cache import default_data_dir

    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    return run_gui(data_dir, demo=args.demo, language=args.lang)


if __name__ == "__main__":
    raise SystemExit(main())
