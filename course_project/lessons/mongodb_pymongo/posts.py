"""The posts collection of notebook 06, and the plain PyMongo operations the views use."""

from bson import ObjectId
from bson.errors import InvalidId

from course_project.runtime.mongo import database

COLLECTION = "pymongo_posts"
PER_PAGE = 10


def posts():
    return database()[COLLECTION]


class BadRequest(ValueError):
    """The client sent something we cannot use: becomes a 400, never a 500."""


def object_id(value: str) -> ObjectId:
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):
        raise BadRequest(f"{value!r} is not a valid id (24 hexadecimal characters)") from None


def page_number(value) -> int:
    try:
        page = int(value)
    except (TypeError, ValueError):
        raise BadRequest("page must be a positive whole number") from None
    if page < 1:
        raise BadRequest("page must be a positive whole number")
    return page


def plan_stages(explain: dict) -> list:
    """The winning plan as a list of stages, e.g. ['FETCH', 'IXSCAN n_1']."""
    stages, node = [], explain["queryPlanner"]["winningPlan"]
    node = node.get("queryPlan", node)  # newer servers may wrap the plan
    while node:
        stages.append(node["stage"] + (f" {node['indexName']}" if "indexName" in node else ""))
        node = node.get("inputStage")
    return stages
