"""JupyterHub's configuration for the workshop hub; `./course hub up` starts it with these settings
in the environment (COURSE_HUB_*): the log-in, one OS user and course instance per learner, the
idle culler and the instructor's progress page. Everything listens on loopback unless --ip says so.
"""

import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the course checkout

from course_project.env import PROJECT_ROOT, env  # noqa: E402
from course_tools.hub import api, learners  # noqa: E402
from course_tools.hub.spawner import CourseSpawner  # noqa: E402

c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)
state = Path(os.environ["COURSE_HUB_DIR"])
ip, port = os.environ["COURSE_HUB_IP"], int(os.environ["COURSE_HUB_PORT"])
hub_api_port, proxy_api_port, progress_port = port + 1, port + 2, port + 3
venv_bin = PROJECT_ROOT / ".venv" / "bin"  # the hub's services run from this checkout's environment

# --- where it listens, and its own state ---
c.JupyterHub.bind_url = f"http://{ip}:{port}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{hub_api_port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [os.environ["COURSE_HUB_PROXY"]]
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner (and, by the hook, their databases)

# --- log-in ---
c.Authenticator.username_pattern = f"^{learners.NAME_PATTERN}$"
admin = env("COURSE_HUB_ADMIN", default="instructor")
c.Authenticator.admin_users = {admin}
if os.environ["COURSE_HUB_AUTH"] == "pam":
    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.allowed_users = set()
    c.Authenticator.allow_existing_users = True
    c.LocalAuthenticator.allowed_groups = {learners.GROUP}  # and the admin, whatever their groups
else:
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = env("COURSE_HUB_PASSWORD")
    c.SharedPasswordAuthenticator.admin_password = env("COURSE_HUB_ADMIN_PASSWORD")
    c.Authenticator.allow_all = True

# --- each learner: their OS user, their copy of the course, their instance ---
c.JupyterHub.spawner_class = CourseSpawner  # JupyterLab and their servers start at once
c.Spawner.cmd = [str(Path(os.environ["COURSE_HUB_LEARNER_ENV"]) / "bin" / "jupyterhub-singleuser")]
c.Spawner.ip = "127.0.0.1"
c.Spawner.notebook_dir = "~/course"
c.Spawner.default_url = "/lab/tree/notebooks/00_start_here.ipynb"
c.Spawner.env_keep = []  # nothing of the instructor's environment (their .env) reaches a learner
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 300  # a first login that is not prepared creates five servers


async def post_stop_hook(spawner):
    await asyncio.to_thread(learners.stop_servers, spawner.user.name)


c.Spawner.post_stop_hook = post_stop_hook

# --- services: the idle culler, the progress page (admins only), the instructor's commands ---
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [str(venv_bin / "jupyterhub-idle-culler"), f"--timeout={os.environ['COURSE_HUB_IDLE']}"],
        "environment": {"COURSE_HUB_DIR": str(state)},
    },  # the mark by which a later hub finds what this one left
    {
        "name": "progress",
        "url": f"http://127.0.0.1:{progress_port}",
        "display": True,
        "oauth_no_confirm": True,
        "command": [sys.executable, "-m", "course_tools.hub.progress"],
        "cwd": str(PROJECT_ROOT),
        "environment": {"COURSE_HUB_DIR": str(state), "PYTHONPATH": str(PROJECT_ROOT)},
    },
    api.service(f"http://127.0.0.1:{hub_api_port}/hub/api"),
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    },
    {"name": api.SERVICE, "services": [api.SERVICE], "scopes": api.SCOPES},
]
# Only admins may open the progress page: its scope, access:services!service=progress, is in the admin
# role and not in the learners' (`user`: self only).
