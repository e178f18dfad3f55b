"""The hub's spawner: a learner's JupyterLab and their database servers start at the same time.

JupyterLab does not need the servers to start, only the notebooks do; so a login waits for the slower of
the two, not for both in turn. The hub reports the learner ready only when both are (their first cell's
bootstrap then finds every server answering).
"""

import asyncio

from jupyterhub.spawner import LocalProcessSpawner
from tornado import web

from course_tools.hub import learners


class CourseSpawner(LocalProcessSpawner):
    async def start(self):
        try:
            person = await asyncio.to_thread(learners.ensure_learner, self.user.name)
        except learners.LearnerError as error:
            raise failed(error) from None
        self.environment.update(person.environment())
        servers = asyncio.ensure_future(asyncio.to_thread(learners.start_servers, person))
        try:
            url = await super().start()
        except BaseException:
            await asyncio.gather(servers, return_exceptions=True)  # then the post_stop_hook stops them
            raise
        try:
            await servers
        except learners.LearnerError as error:
            await super().stop()
            raise failed(error) from None
        return url


def failed(error) -> web.HTTPError:
    return web.HTTPError(500, log_message=str(error), reason=str(error)[:200])
