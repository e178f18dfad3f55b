"""Reference answers for notebook 07."""
from mongoengine.queryset.visitor import Q

from course_project.lessons.mongodb_mongoengine.documents import BlogPost, Comment


def popular_slugs(min_views, min_comments):
    enough_comments = Q(**{f"comments__{min_comments - 1}__exists": True})
    return sorted(BlogPost.objects(Q(views__gte=min_views) | enough_comments).values_list("slug"))


def add_comment(slug, author, content):
    BlogPost.objects(slug=slug).update_one(push__comments=Comment(author=author, content=content))
