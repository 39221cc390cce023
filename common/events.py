"""Announcements a lower app makes for the apps above it to act on.

The facts behind every report (``reports.facts``) are copied from enrolments,
certificates, sessions, courses, people, organisations and districts, written by
apps that sit below ``reports`` and may not import it. So each service that writes
one of those says so here, after its write and inside its transaction, and
``reports.signals`` receives it: no write keeps the facts true by accident of a
model signal, and a test (tests/reports/test_facts_events.py) refuses a bulk write
of those models outside their services.
"""

from collections.abc import Iterable

from django.dispatch import Signal

# Sent with ``people`` (ids) whose facts may have changed, ``sessions`` (ids) whose
# enrolled people's facts may have changed, and for the large fan-outs one of
# ``course``, ``organisation`` or ``district`` (an id) whose copied field changed.
training_facts_changed = Signal()


def training_facts_announce(
    *,
    people: Iterable[int] = (),
    sessions: Iterable[int] = (),
    course: int | None = None,
    organisation: int | None = None,
    district: int | None = None,
) -> None:
    """Say that these people's (or everyone in these sessions', or everyone
    trained in this course, of this organisation, in this district) training facts
    changed. Call it after the write, in the writer's transaction."""
    people = sorted({int(pk) for pk in people if pk is not None})
    sessions = sorted({int(pk) for pk in sessions if pk is not None})
    if not (people or sessions or course or organisation or district):
        return
    training_facts_changed.send(
        sender=None,
        people=people,
        sessions=sessions,
        course=course,
        organisation=organisation,
        district=district,
    )


def fields_changed(stored: dict | None, instance, fields: Iterable[str]) -> bool:
    """Whether ``instance`` differs from its ``stored`` values (a ``values()`` row
    read before the write; None when it was new) in any of these fields."""
    if stored is None:
        return False
    return any(
        stored[name] != getattr(instance, name)
        for name in (instance._meta.get_field(field).attname for field in fields)
    )
