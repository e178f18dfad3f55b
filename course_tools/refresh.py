"""Re-execute course notebooks and store their outputs, the same way every time.

    ./course refresh                 # every notebook, in order
    ./course refresh 01 notebooks/02_postgresql.ipynb

Outputs come from a real run against the live servers. Only cell tags are kept in the
cell metadata, so diffs show content, not timestamps. A notebook runs on the kernel its metadata names
when that is one of the course's own (17 on "django6"); where that kernel cannot exist, it is skipped.
"""

import time
from pathlib import Path

from course_project.env import PROJECT_ROOT

NOTEBOOKS = PROJECT_ROOT / "notebooks"


def find(selectors) -> list:
    every = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if not selectors:
        return every
    chosen = []
    for sel in selectors:
        path = Path(sel)
        matches = [path.resolve()] if path.suffix == ".ipynb" else [p for p in every if p.name.startswith(sel)]
        if not matches:
            raise SystemExit(f"no notebook matches {sel!r}")
        chosen += matches
    return chosen


def kernel_name(nb) -> str:
    from course_tools.nbval_kernels import KERNELS

    name = nb.metadata.get("kernelspec", {}).get("name")
    return name if name in KERNELS else "python3"


def refresh(path: Path, timeout: int = 600) -> float:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.get("tags")
        cell.metadata = {"tags": tags} if tags else {}
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    start = time.monotonic()
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name(nb),
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return time.monotonic() - start


def add_arguments(parser):
    parser.add_argument(
        "notebooks", nargs="*", metavar="NOTEBOOK", help="numbers (01) or paths; default: all, in order"
    )


def run(args) -> int:
    from course_tools.course_map import record_run_time, update_readme
    from course_tools.install import ready

    chosen = find(args.notebooks)
    ready()
    import nbformat  # installed by ready() on a fresh checkout

    from course_tools.nbval_kernels import KERNELS

    for path in chosen:
        unavailable = KERNELS.get(kernel_name(nbformat.read(path, as_version=4)), str)()
        if unavailable:
            print(f"{path.name}: skipped: {unavailable}")
            continue
        print(f"{path.name}: ", end="", flush=True)
        seconds = refresh(path)
        record_run_time(path.name, seconds)
        print(f"executed in {seconds:.1f} s")
    update_readme(PROJECT_ROOT / "README.md")
    return 0
