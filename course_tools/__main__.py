import os
import sys

# `./course --instance NAME ...` is COURSE_INSTANCE=NAME: it must be set before .env is read.
argv = sys.argv[1:]
for i, arg in enumerate(argv):
    if arg == "--instance" and i + 1 < len(argv):
        os.environ["COURSE_INSTANCE"] = argv[i + 1]
        del argv[i : i + 2]
        break
    if arg.startswith("--instance="):
        os.environ["COURSE_INSTANCE"] = arg.split("=", 1)[1]
        del argv[i]
        break

from course_tools.cli import main  # noqa: E402

sys.exit(main(argv))
