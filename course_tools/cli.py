"""./course: the course's one command line.

Each command is a module of course_tools with `add_arguments(parser)` and `run(args)`, the way
Django's management commands are built; `./course help` and `./course COMMAND --help` come from
this parser. Commands marked `passthrough` hand every other argument on (to pytest, Jupyter, manage.py).
"""

import argparse
import importlib
import sys

COMMANDS = {  # name: (module, one-line help)
    "lab": ("lab", "set up, start every server, open JupyterLab on the course"),
    "test": ("testing", "set up, start every server, run the whole test suite (other arguments go to pytest)"),
    "setup": ("install", "install what is missing: system packages, the Python environment, .env"),
    "services": ("services_cmd", "start, stop, check, reset or diagnose the servers"),
    "preflight": ("preflight", "what this machine still needs, and how to fix each item"),
    "workshop": ("workshop", "instructors: reset every database; check one notebook"),
    "hub": ("hub", "instructors: a workshop hub (JupyterHub) where each learner has their own servers"),
    "refresh": ("refresh", "maintainers: re-execute notebooks and store their outputs"),
    "site": ("site", "render every notebook (stored outputs) into a static site"),
    "bench": ("bench", "measure connection costs and bulk loading side by side"),
    "manage": ("manage", "Django's manage.py (other arguments go to it)"),
    "lock": ("lock", "maintainers: recompile the locks (requirements-*.lock) after changing a pin"),
    "lint": ("lint", "maintainers: ruff's lint and format checks (--fix applies the safe fixes)"),
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="./course",
        description="Database Integration in Django: the course's "
        "command line. Start with `./course lab`; CI runs `./course test`.",
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(f"course_tools.{module_name}")
        command = sub.add_parser(
            name, help=help_text, description=module.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        module.add_arguments(command)
        command.set_defaults(run=module.run, passthrough=getattr(module, "PASSTHROUGH", False))
    helper = sub.add_parser("help", help="this list, or one command's help")
    helper.add_argument("topic", nargs="?", choices=list(COMMANDS), help="a command")
    return top


def main(argv=None) -> int:
    from course_tools.install import ensure_env

    ensure_env()
    top = parser()
    args, extra = top.parse_known_args(sys.argv[1:] if argv is None else argv)
    if args.command in (None, "help"):
        topic = getattr(args, "topic", None)
        (top.parse_args([topic, "--help"]) if topic else top.print_help())
        return 0
    if extra and not args.passthrough:
        top.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    try:
        return args.run(args) or 0
    except KeyboardInterrupt:
        return 130
