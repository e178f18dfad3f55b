from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("migrations_lab", "0001_initial")]
    operations = [
        migrations.AddField(
            model_name="book", name="isbn", field=models.CharField(blank=True, default="", max_length=20)
        ),
    ]
