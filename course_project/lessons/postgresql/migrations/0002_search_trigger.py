"""Keep Article.search_vector current in the database itself: a trigger recomputes it on every
INSERT and every UPDATE OF title or content, whoever writes the row (the ORM, raw SQL, another program)."""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(NEW.content, '')), 'B')"
)

CREATE = f"""
CREATE FUNCTION postgres_lab_article_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := {VECTOR};
    RETURN NEW;
END $$;
CREATE TRIGGER article_search_vector BEFORE INSERT OR UPDATE OF title, content
    ON postgres_lab_article FOR EACH ROW EXECUTE FUNCTION postgres_lab_article_vector();
"""
DROP = """
DROP TRIGGER IF EXISTS article_search_vector ON postgres_lab_article;
DROP FUNCTION IF EXISTS postgres_lab_article_vector();
"""


class Migration(migrations.Migration):
    dependencies = [("postgres_lab", "0001_articles")]
    operations = [migrations.RunSQL(CREATE, DROP)]
