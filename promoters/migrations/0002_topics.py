"""The topics promoters and information centres talk about most; more can be added
in the admin."""

from django.db import migrations

TOPICS = [
    ("registration", "ການລົງທະບຽນປະກັນສັງຄົມ", "Registering with social security"),
    ("voluntary-scheme", "ປະກັນສັງຄົມແບບສະໝັກໃຈ", "Voluntary social security"),
    ("health-insurance", "ປະກັນສຸຂະພາບ", "Health insurance"),
    ("maternity", "ເງິນອຸດໜູນການເກີດລູກ", "Maternity benefits"),
    ("pension", "ເງິນບຳນານ", "Old-age pension"),
    ("employment-injury", "ການບາດເຈັບຈາກການເຮັດວຽກ", "Employment injury"),
    ("osh", "ຄວາມປອດໄພ ແລະ ສຸຂະອະນາໄມໃນການເຮັດວຽກ", "Occupational safety and health"),
    ("labour-rights", "ສິດຂອງຜູ້ອອກແຮງງານ", "Labour rights"),
    ("domestic-workers", "ຜູ້ອອກແຮງງານໃນຄົວເຮືອນ", "Domestic workers"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("promoters", "Topic")
    for code, name_lo, name_en in TOPICS:
        Topic.objects.get_or_create(
            code=code, defaults={"name_lo": name_lo, "name_en": name_en}
        )


class Migration(migrations.Migration):
    dependencies = [("promoters", "0001_initial")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
