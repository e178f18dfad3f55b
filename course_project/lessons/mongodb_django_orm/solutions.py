"""Reference answers for notebook 08."""
from course_project.lessons.mongodb_django_orm.models import Author, Entry


def authors_in(country):
    return Author.objects.filter(address__country=country).order_by("name").values_list("name", flat=True)


def liked_headlines(min_likes):
    return sorted(Entry.objects.filter(comments__likes__gte=min_likes).values_list("headline", flat=True))
