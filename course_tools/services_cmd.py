"""Start, stop, check, reset or diagnose the course's servers (compose or native).

    ./course services up|down|status|reset|logs|doctor [SERVER ...]

The backend is compose when a Docker engine answers, otherwise native; COURSE_SERVICES=compose|native
in .env forces one. `reset --yes` is the only command that deletes data.
"""

import sys
import time

# Server names may also follow an option (`reset --yes postgres`): argparse leaves those over, and run() takes them.
PASSTHROUGH = True
ACTIONS = ["up", "start", "down", "stop", "status", "reset", "logs", "doctor"]


def add_arguments(parser):
    from course_project.services import servers

    parser.add_argument("action", choices=ACTIONS, metavar="ACTION", help=" | ".join(ACTIONS))
    parser.add_argument("servers", nargs="*", metavar="SERVER", help=f"any of: {', '.join(servers())} (default: all)")
    parser.add_argument("--yes", action="store_true", help="reset: really delete the data")


def up_all(names=(), quiet=False):
    from course_project import services

    start = time.monotonic()
    try:
        chosen = services.up(*names, quiet=quiet)
    except services.ServiceError as error:
        raise SystemExit(f"error: {error}") from None
    print(f"{len(chosen)} server(s) up in {time.monotonic() - start:.1f} s ({services.backend()})", flush=True)


def show_logs(names):
    from course_project import services
    from course_project.services.native.base import home

    if services.backend() == "compose":
        from course_project.services import compose

        compose.logs(names)
        return
    for server in services.config.select(names):
        for log in sorted((home() / server.name).glob("*.log")):
            print(f"==> {log} <==")
            print("\n".join(log.read_text(errors="replace").splitlines()[-30:]))


def run(args) -> int:
    from course_project import services
    from course_project.services.probes import status_table

    names = [*args.servers, *args.extra]  # an unknown word is refused by services.config.select
    try:
        if args.action in ("up", "start"):
            up_all(names)
        elif args.action in ("down", "stop"):
            services.down(*names)
            print("stopped: " + ", ".join(names or services.servers()))
        elif args.action == "status":
            results = services.status()
            print(status_table(results, services.backend()))
            return 0 if all(r.ok for r in results) else 3
        elif args.action == "reset":
            if not args.yes:
                print("reset deletes the servers' data. Run again with --yes to do it.", file=sys.stderr)
                return 2
            services.reset(*names)
            print("wiped: " + ", ".join(names or services.servers()) + "; `./course services up` recreates them")
        elif args.action == "logs":
            show_logs(names)
        else:
            from course_project.services.doctor import examine, report

            findings = examine()
            print(report(findings))
            return 0 if all(f.ok for f in findings) else 1
    except services.ServiceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
