from django.db import migrations

from certification.referential import AREAS, COMPETENCES


def load_referential(apps, schema_editor):
    Area = apps.get_model("certification", "Area")
    Competence = apps.get_model("certification", "Competence")
    areas = {code: Area.objects.update_or_create(code=code, defaults={"title": title})[0]
             for code, title in AREAS}
    for index, (code, name) in enumerate(COMPETENCES):
        Competence.objects.update_or_create(
            code=code, defaults={"name": name, "area": areas[code.split(".")[0]], "index": index}
        )


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [migrations.RunPython(load_referential, migrations.RunPython.noop)]
