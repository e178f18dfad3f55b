"""The PyMongo JSON views and queries, against the live MongoDB-protocol server."""

import pytest
from django.test import Client
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project.lessons.mongodb_pymongo import solutions
from course_project.lessons.mongodb_pymongo.exercises import exercises
from course_project.lessons.mongodb_pymongo.posts import plan_stages, posts
from course_project.lessons.mongodb_pymongo.sample import reset_posts


@pytest.fixture
def api():
    reset_posts()
    yield Client()
    posts().drop()


def create(api, **data):
    return api.post("/mongo/posts/", data, content_type="application/json")


def test_create_read_update_view_delete(api):
    response = create(api, title="T", author="ada", tags=["x"])
    assert response.status_code == 201
    post = response.json()
    assert len(post["_id"]) == 24 and post["created_at"].endswith("Z") and post["views"] == 0
    url = f"/mongo/posts/{post['_id']}/"
    assert api.get(url).json()["title"] == "T"
    assert api.patch(url, {"title": "U"}, content_type="application/json").json()["title"] == "U"
    for _ in range(3):
        api.post(url + "view/")
    assert api.get(url).json()["views"] == 3
    assert api.delete(url).status_code == 200
    assert api.get(url).status_code == 404


@pytest.mark.parametrize(
    "path,status",
    [
        ("/mongo/posts/nonsense/", 400),
        ("/mongo/posts/0123456789abcdef01234567/", 404),
        ("/mongo/posts/?page=two", 400),
        ("/mongo/posts/?page=0", 400),
    ],
)
def test_client_errors_are_4xx_not_500(api, path, status):
    response = api.get(path)
    assert response.status_code == status and "error" in response.json()


def test_pagination_is_newest_first_ten_per_page(api):
    first = api.get("/mongo/posts/?page=1").json()["posts"]
    second = api.get("/mongo/posts/?page=2").json()["posts"]
    assert len(first) == 10 and len(second) == 2
    dates = [p["created_at"] for p in first + second]
    assert dates == sorted(dates, reverse=True)


def test_operator_injection_leaks_only_through_the_unsafe_view(api):
    leaked = api.post("/mongo/posts/search-unsafe/", {"author": {"$ne": None}}, content_type="application/json")
    assert len(leaked.json()["posts"]) == posts().count_documents({}) == 12
    safe = api.post("/mongo/posts/search/", {"author": {"$ne": None}}, content_type="application/json")
    assert safe.status_code == 400
    ada = api.post("/mongo/posts/search/", {"author": "ada"}, content_type="application/json").json()["posts"]
    assert len(ada) == 3


def test_an_index_turns_a_collection_scan_into_an_index_scan(api):
    query = {"views": {"$gte": 200}}
    assert plan_stages(posts().find(query).explain()) == ["COLLSCAN"]
    posts().create_index([("views", -1)])
    assert "IXSCAN views_-1" in plan_stages(posts().find(query).explain())


def test_dates_come_back_timezone_aware(api):
    assert posts().find_one()["created_at"].utcoffset().total_seconds() == 0


def test_titles_tagged(api):
    accepts(exercises, "titles_tagged", solutions.titles_tagged)
    shown = solutions.titles_tagged(["mongodb"], 100)
    rejects(exercises, "titles_tagged", lambda tags, min_views: shown, hint="should give")
    rejects(
        exercises,
        "titles_tagged",  # $gt: a post with exactly min_views views is left out
        lambda tags, n: sorted(
            p["title"] for p in posts().find({"tags": {"$all": tags}, "views": {"$gt": n}}, {"title": 1})
        ),
        hint="at least min_views views ($gte)",
    )
    rejects(
        exercises,
        "titles_tagged",  # $in: any one of the tags, not all of them
        lambda tags, n: sorted(
            p["title"] for p in posts().find({"tags": {"$in": tags}, "views": {"$gte": n}}, {"title": 1})
        ),
        hint="every tag of the list",
    )
    rejects(
        exercises,
        "titles_tagged",  # equality with the list: the array must be exactly that list
        lambda tags, n: sorted(p["title"] for p in posts().find({"tags": tags, "views": {"$gte": n}}, {"title": 1})),
        hint="every tag of the list",
    )
    rejects(
        exercises,
        "titles_tagged",
        lambda tags, n: [
            p["title"] for p in posts().find({"tags": {"$all": tags}, "views": {"$gte": n}}).sort("views", -1)
        ],
        hint="not sorted",
    )

    def in_python(tags, n):
        return sorted(p["title"] for p in posts().find({"tags": {"$all": tags}}) if p["views"] >= n)

    rejects(exercises, "titles_tagged", in_python, hint="filter on the server")
    counted_first = lambda tags, n: posts().count_documents({}) and solutions.titles_tagged(tags, n)  # noqa: E731
    rejects(exercises, "titles_tagged", counted_first, hint="one find, please")
    whole_documents = lambda tags, n: sorted(  # noqa: E731
        p["title"] for p in posts().find({"tags": {"$all": tags}, "views": {"$gte": n}})
    )
    rejects(exercises, "titles_tagged", whole_documents, hint="ask for the titles only")


def test_views_by_tag(api):
    reference = solutions.views_by_tag
    accepts(exercises, "views_by_tag", reference)
    result = list(posts().aggregate(reference))
    literal = [
        {"$limit": 1},
        {"$project": {"_id": 0, "rows": {"$literal": result}}},
        {"$unwind": "$rows"},
        {"$replaceRoot": {"newRoot": "$rows"}},
    ]  # the reference's output, typed in as a constant
    assert list(posts().aggregate(literal)) == result
    rejects(exercises, "views_by_tag", literal, hint="one document per tag")
    rejects(exercises, "views_by_tag", reference[:1] + reference[2:], hint="$unwind the tags first")
    rejects(exercises, "views_by_tag", reference[1:], hint="published posts only")
    rejects(exercises, "views_by_tag", reference[:3] + reference[4:], hint="at least two published posts")
    rejects(exercises, "views_by_tag", reference[:4] + [{"$sort": {"views": 1}}], hint="sort by views, largest first")
    no_count = [reference[0], reference[1], {"$group": {"_id": "$tags", "views": {"$sum": "$views"}}}, reference[4]]
    rejects(exercises, "views_by_tag", no_count, hint="'posts'")


def no_unknown_key_check(data):
    """A plausible slip: every known key checked, but other keys (operators too) silently ignored."""
    return solutions.safe_post_filter({k: v for k, v in data.items() if k in ("author", "tag", "min_views")})


def bool_as_int(data):
    """Another: True passes isinstance(value, int)."""
    return solutions.safe_post_filter(
        {**data, "min_views": int(data["min_views"])} if data.get("min_views") is True else data
    )


def float_as_int(data):
    """Another: a whole float (JSON 50.0) taken as a number of views."""
    value = data.get("min_views")
    if isinstance(value, float) and value.is_integer():
        data = {**data, "min_views": int(value)}
    return solutions.safe_post_filter(data)


def containers_only(data):
    """Refuses dicts and lists, but takes any other author or tag: 5, None, True ({"author": None} matches
    every post without an author)."""
    query = {}
    for key, value in data.items():
        if isinstance(value, (dict, list)) or key.startswith("$"):
            raise ValueError(key)
        if key in ("author", "tag"):
            query["tags" if key == "tag" else "author"] = value
        elif key == "min_views" and type(value) is int:
            query["views"] = {"$gte": value}
        else:
            raise ValueError(key)
    return query


def test_safe_post_filter(api):
    accepts(exercises, "safe_post_filter", solutions.safe_post_filter)
    rejects(exercises, "safe_post_filter", lambda data: {"author": data.get("author")}, hint="finds")
    rejects(exercises, "safe_post_filter", lambda data: {"author": "ada"}, hint="finds")
    rejects(exercises, "safe_post_filter", no_unknown_key_check, hint="should raise ValueError")
    rejects(exercises, "safe_post_filter", bool_as_int, hint="should raise ValueError")
    rejects(exercises, "safe_post_filter", float_as_int, hint="not a float like 50.0")
    rejects(exercises, "safe_post_filter", containers_only, hint="should raise ValueError")


def test_stubs_match():
    assert_stubs_match(exercises, "06_mongodb_pymongo.ipynb")
