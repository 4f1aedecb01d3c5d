"""The ``kol-desk`` command: starts the GUI, or runs a scripting subcommand.

Subcommands share the services the GUI uses and import nothing of Qt. Exit codes are in
``kol_desk.commands.common``.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence

from kol_desk import __version__
from kol_desk.commands.common import EXIT_BAD_INPUT, EXIT_BROKEN_PIPE, add_db_argument
from kol_desk.errors import KnownError

Command = Callable[[argparse.Namespace], int]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, with the options of ``command`` only: configuring a
    subcommand imports its module (see ``kol_desk.commands``)."""
    from kol_desk.commands import COMMANDS

    parser = argparse.ArgumentParser(
        prog="kol-desk",
        description="KOL Desk: creators, campaigns, budget and reports for influencer marketing.",
    )
    parser.add_argument("--version", action="version", version=f"KOL Desk {__version__}")
    add_db_argument(parser)
    parser.add_argument("--demo", action="store_true", help="open the demo workspace")
    parser.add_argument("--lang", choices=["en", "zh_CN"], help="user interface language")
    # Packaged builds check themselves with it (kol_desk.ui.smoke); not for users.
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for entry in COMMANDS:
        chosen = entry.name == command
        # an unchosen command's -h is left for the second pass, where it is chosen
        child = sub.add_parser(entry.name, help=entry.help, description=entry.help,
                               add_help=chosen)
        if chosen:
            module = entry.load()
            add_db_argument(child)
            # Also accepted after the command; a separate dest so it never hides an earlier --lang.
            child.add_argument("--lang", dest="lang_after", choices=["en", "zh_CN"],
                               help="language of what the command writes (default: your preferred one)")
            module.configure(child)
            child.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    # First pass: which subcommand (if any); the second parses its own options.
    probe, _ = build_parser().parse_known_args(words)
    args = build_parser(probe.command).parse_args(words)
    run: Command | None = getattr(args, "run", None)
    try:
        if run is None:
            return _run_gui(args)
        _command_language(args)
        return run(args)
    except KnownError as exc:
        print(f"kol-desk: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`kol-desk creators | head`): stop quietly, as Unix tools
        # do. Output still buffered would fail again at exit, so it goes to /dev/null.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _command_language(args: argparse.Namespace) -> None:
    """A command writes workbooks in the language asked for, else the one the window uses."""
    from kol_desk.i18n import set_language, system_language
    from kol_desk.preferences import Preferences

    asked = getattr(args, "lang_export", None) or getattr(args, "lang_after", None) or args.lang
    set_language(asked or Preferences().get("language") or system_language())


def _run_gui(args: argparse.Namespace) -> int:
    # Importing the GUI and the database layer makes ~100k objects that live as long as
    # the app (modules, classes, mapped tables); the collector's passes over them while
    # they are made cost ~0.1 s of start-up, and later full passes would walk them again.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        from kol_desk.app import run_gui
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
    return run_gui(args)
