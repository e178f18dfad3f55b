from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("migrations_lab", "0004_book_title_idx")]
    operations = [migrations.RenameField(model_name="book", old_name="author", new_name="writer")]
