"""Command line: python -m course_project.services up|down|status|reset|logs|doctor [SERVER ...]"""
import argparse
import sys
import time

from course_project import services
from course_project.services.config import servers
from course_project.services.native.base import home


def status_table(results, backend: str | None = None) -> str:
    """One row per server; the version comes last so that its length never shifts other columns."""
    rows = [("server", "address") + (("backend",) if backend else ()) + ("state", "version")]
    for r in results:
        rows.append((r.server.name, r.server.address) + ((backend,) if backend else ())
                    + ("up" if r.ok else "DOWN", r.version or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    problems = [f"  {r.server.name}: {r.problem}. Fix: {r.fix}" for r in results if not r.ok]
    return "\n".join(lines + (["", "Problems:"] + problems if problems else []))


def show_logs(names):
    if services.backend() == "compose":
        from course_project.services import compose

        compose.logs(names)
        return
    for name in names or servers():
        for log in sorted((home() / name).glob("*.log")):
            print(f"==> {log} <==")
            print("\n".join(log.read_text(errors="replace").splitlines()[-30:]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="./course services", description=__doc__)
    parser.add_argument("command", choices=["up", "start", "down", "stop", "status", "reset", "logs", "doctor"])
    parser.add_argument("servers", nargs="*", help=f"any of: {', '.join(servers())} (default: all)")
    parser.add_argument("--yes", action="store_true", help="reset: really delete the data")
    args = parser.parse_args(argv)
    try:
        if args.command in ("up", "start"):
            t0 = time.monotonic()
            chosen = services.up(*args.servers)
            print(f"{len(chosen)} server(s) up in {time.monotonic() - t0:.1f} s ({services.backend()})")
        elif args.command in ("down", "stop"):
            services.down(*args.servers)
            print("stopped: " + ", ".join(args.servers or servers()))
        elif args.command == "status":
            results = services.status()
            print(status_table(results, services.backend()))
            return 0 if all(r.ok for r in results) else 3
        elif args.command == "reset":
            if not args.yes:
                print("reset deletes the servers' data. Run again with --yes to do it.", file=sys.stderr)
                return 2
            services.reset(*args.servers)
            print("wiped: " + ", ".join(args.servers or servers()) + "; `./course services up` recreates them")
        elif args.command == "logs":
            show_logs(args.servers)
        elif args.command == "doctor":
            from course_project.services.doctor import examine, report

            findings = examine()
            print(report(findings))
            return 0 if all(f.ok for f in findings) else 1
    except services.ServiceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
