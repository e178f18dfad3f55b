from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("migrations_lab", "0003_fill_isbn")]
    operations = [
        migrations.AddIndex(model_name="book", index=models.Index(fields=["title"], name="book_title_idx")),
    ]
