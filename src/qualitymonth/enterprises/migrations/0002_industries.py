"""Load GB/T 4754-2017 (20 sections, 97 divisions) from enterprises/data/industries.csv."""

from django.db import migrations


def load(apps, schema_editor):
    from qualitymonth.enterprises.reference import load_industries

    load_industries(apps.get_model("enterprises", "Industry"))


def unload(apps, schema_editor):
    from qualitymonth.enterprises.reference import unload_industries

    unload_industries(apps.get_model("enterprises", "Industry"))


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0001_registry"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
