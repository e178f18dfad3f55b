"""The syllabus's JSON views over PyMongo, with its bugs fixed.

- a malformed id is a 400 and a missing document a 404 (the syllabus crashed with a 500);
- a non-numeric or negative page is a 400 with a clear message;
- ObjectIds are serialized (DjangoJSONEncoder already handles datetimes);
- times are timezone-aware (django.utils.timezone.now(), not the deprecated datetime.utcnow());
- the search view never passes request data to find() unchecked (see search_unsafe).
"""

import functools
import json

from bson import ObjectId
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from course_project.lessons.mongodb_pymongo.posts import PER_PAGE, BadRequest, object_id, page_number, posts


class MongoJSONEncoder(DjangoJSONEncoder):
    def default(self, value):
        if isinstance(value, ObjectId):
            return str(value)
        return super().default(value)


def respond(data, status=200):
    return JsonResponse(data, status=status, encoder=MongoJSONEncoder, safe=False)


def handles_bad_requests(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as error:
            return respond({"error": str(error)}, status=400)

    return wrapper


def body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except json.JSONDecodeError:
        raise BadRequest("the request body must be JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("the request body must be a JSON object")
    return data


@csrf_exempt
@require_http_methods(["GET", "POST"])
@handles_bad_requests
def post_list(request):
    if request.method == "POST":
        data = body(request)
        if not isinstance(data.get("title"), str) or not data["title"].strip():
            raise BadRequest("title is required")
        post = {
            "title": data["title"],
            "content": str(data.get("content", "")),
            "author": str(data.get("author", "anonymous")),
            "tags": [str(t) for t in data.get("tags", [])],
            "views": 0,
            "created_at": timezone.now(),
        }
        post["_id"] = posts().insert_one(post).inserted_id
        return respond(post, status=201)
    page = page_number(request.GET.get("page", 1))
    found = list(posts().find().sort([("created_at", -1), ("_id", -1)]).skip((page - 1) * PER_PAGE).limit(PER_PAGE))
    return respond({"page": page, "posts": found})


def not_found():
    return respond({"error": "not found"}, status=404)


@csrf_exempt
@require_http_methods(["GET", "PATCH", "DELETE"])
@handles_bad_requests
def post_detail(request, post_id):
    query = {"_id": object_id(post_id)}  # a malformed id is a 400 here, not a crash
    if request.method == "PATCH":
        changes = {k: str(v) for k, v in body(request).items() if k in ("title", "content")}
        if not changes:
            raise BadRequest("send a title or a content to change")
        if posts().update_one(query, {"$set": {**changes, "updated_at": timezone.now()}}).matched_count == 0:
            return not_found()
    elif request.method == "DELETE":
        if posts().delete_one(query).deleted_count == 0:
            return not_found()
        return respond({"deleted": query["_id"]})
    post = posts().find_one(query)
    return respond(post) if post is not None else not_found()


@csrf_exempt
@require_http_methods(["POST"])
@handles_bad_requests
def post_view(request, post_id):
    """Count a view atomically ($inc on the server: no read-modify-write race)."""
    if posts().update_one({"_id": object_id(post_id)}, {"$inc": {"views": 1}}).matched_count == 0:
        return not_found()
    return respond({"status": "counted"})


@csrf_exempt
@require_http_methods(["POST"])
@handles_bad_requests
def search_unsafe(request):
    """DON'T: the request's JSON becomes the query, operators and all."""
    return respond({"posts": [p["title"] for p in posts().find(body(request)).sort("title")]})


@csrf_exempt
@require_http_methods(["POST"])
@handles_bad_requests
def search(request):
    """DO: pick the fields you allow and insist on plain values."""
    author = body(request).get("author")
    if not isinstance(author, str):
        raise BadRequest("author must be a string")
    return respond({"posts": [p["title"] for p in posts().find({"author": author}).sort("title")]})
