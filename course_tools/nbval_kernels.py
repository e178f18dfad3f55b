"""pytest plugin (pytest.ini: -p course_tools.nbval_kernels): a notebook whose kernelspec names one of the
course's own kernels runs on that kernel, not on the course environment's (--nbval-current-env).

Where that kernel cannot exist here, every cell of the notebook is reported SKIPPED with the reason,
never passed.
"""

import pytest

from course_tools import django6_kernel

KERNELS = {django6_kernel.NAME: django6_kernel.unavailable}


def _use_kernel(notebook_file, name: str):
    """Replace nbval's kernel choice for this one notebook, keeping the rest of its set-up."""
    from nbval.kernel import RunningKernel

    def setup():
        notebook_file.kernel = RunningKernel(
            name,
            cwd=str(notebook_file.fspath.dirname),
            startup_timeout=notebook_file.config.option.nbval_kernel_startup_timeout,
        )
        notebook_file.setup_sanitize_files()

    notebook_file.setup = setup


def pytest_collection_modifyitems(config, items):
    from nbval.plugin import IPyNbFile

    reasons = {}
    for item in items:
        notebook_file = item.parent
        if not isinstance(notebook_file, IPyNbFile):
            continue
        name = notebook_file.nb.metadata.get("kernelspec", {}).get("name")
        if name not in KERNELS:
            continue
        if notebook_file not in reasons:
            reasons[notebook_file] = KERNELS[name]()
            if not reasons[notebook_file]:
                _use_kernel(notebook_file, name)
        if reasons[notebook_file]:
            item.add_marker(pytest.mark.skip(reason=reasons[notebook_file]))
