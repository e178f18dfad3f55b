"""Reference answers for notebook 07."""
from mongoengine.queryset.visitor import Q

from course_project.lessons.mongodb_mongoengine.documents import BlogPost, Comment


def popular_slugs():
    return sorted(BlogPost.objects(Q(views__gte=100) | Q(comments__9__exists=True)).values_list("slug"))


def add_comment(slug, author, content):
    BlogPost.objects(slug=slug).update_one(push__comments=Comment(author=author, content=content))
