"""Completion reasons as codes (issue 16, item 4).

The sentences completing a session stored (in English or in Lao, whoever completed
it) become codes where they are recognised; any other text stays as the note.
"""

from django.db import migrations, models

BATCH = 500


def reasons_from_notes(apps, schema_editor):
    from trainings.completion import reasons_from_text

    Enrolment = apps.get_model("trainings", "Enrolment")
    changed = []
    for enrolment in (
        Enrolment.objects.exclude(completion_note="")
        .only("pk", "completion_note", "completion_reasons")
        .iterator(chunk_size=BATCH)
    ):
        reasons = reasons_from_text(enrolment.completion_note)
        if reasons is None:
            continue  # not a completion sentence: it stays a note
        enrolment.completion_reasons = reasons
        enrolment.completion_note = ""
        changed.append(enrolment)
        if len(changed) >= BATCH:
            Enrolment.objects.bulk_update(
                changed, ["completion_reasons", "completion_note"]
            )
            changed = []
    Enrolment.objects.bulk_update(changed, ["completion_reasons", "completion_note"])


def notes_from_reasons(apps, schema_editor):
    """Going back: the reasons become an English sentence again."""
    from django.utils import translation

    from trainings.completion import reasons_text

    Enrolment = apps.get_model("trainings", "Enrolment")
    with translation.override("en"):
        for enrolment in Enrolment.objects.exclude(completion_reasons=[]).iterator():
            text = reasons_text(enrolment.completion_reasons)
            if enrolment.completion_note:
                text = f"{text}; {enrolment.completion_note}"
            enrolment.completion_note = text[:300]
            enrolment.save(update_fields=["completion_note"])


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0003_session_capacity_bounded"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="completion_reasons",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                verbose_name="completion reasons",
            ),
        ),
        migrations.RunPython(reasons_from_notes, notes_from_reasons),
    ]
