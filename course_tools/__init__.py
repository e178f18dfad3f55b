"""The course's own tools: the command line and what it runs (set-up, lab, tests, refresh, site,
workshop, pre-flight, benchmark, course map). For learners, instructors and maintainers at a
terminal; no lesson imports this package."""
