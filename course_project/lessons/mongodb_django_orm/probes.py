"""Questions notebook 08 asks the server it runs on."""

from django.db import connections


def nested_projection_works() -> bool:
    """Whether a nested inclusion such as {"address": {"city": 1}} includes the field (MongoDB) or is read as the
    literal value 1 (SecantusDB)."""
    authors = connections["mongodb"].database["mongo_orm_author"]
    probe = authors.aggregate(
        [
            {"$match": {"address.city": {"$exists": True}}},
            {"$limit": 1},
            {"$project": {"_id": 0, "address": {"city": 1}}},
        ]
    )
    return next(probe)["address"]["city"] != 1
