"""Reference answers for notebook 07."""

from mongoengine.queryset.visitor import Q

from course_project.lessons.mongodb_mongoengine.documents import BlogPost


def popular_slugs(min_views, min_comments):
    enough_comments = Q(**{f"comments__{min_comments - 1}__exists": True})
    return sorted(BlogPost.objects(Q(views__gte=min_views) | enough_comments).values_list("slug"))


def like_comment(slug, author):
    BlogPost.objects(slug=slug, comments__author=author).update_one(inc__comments__S__likes=1)
