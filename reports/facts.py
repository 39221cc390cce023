"""Keeping the reports' facts (``TrainedFact``, ``CertificateFact``) equal to the
data they are derived from.

A person's rows depend only on their own enrolments and certificates, those
sessions and courses, their gender and their organisation's kind. So every change
is handled by recomputing the rows of the people it touches (``facts_refresh``):
two statements per table, inside the caller's transaction, so a report never sees
a half-made change. The services that write those data announce it
(``common.events.training_facts_announce``, received by ``reports.signals``), only
when a field the facts copy changed; a change that reaches many people (a course's
kind, an organisation's kind, a district's province) is refreshed by a task after
the commit (``facts_refresh_later``).

Every write to the facts also calls ``facts_version_bump`` (in the same
transaction): the reports' cached figures (``reports.figures``) are kept under that
version, so none is read after the data it was computed from changed, and after
the commit a task recomputes the common views (``reports.tasks.figures_warm``).
"""

import datetime
import functools
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from certificates.models import Certificate
from people.models import Organisation, Person
from places.models import District
from trainings.models import Course, Enrolment, Session

from .models import CertificateFact, FactsVersion, TrainedFact

CHUNK = 500


@functools.cache
def _trained_condition() -> str:
    """The SQL of ``Enrolment.objects.trained()``'s condition, as the ORM compiles
    it, on the table's own name: the facts count who the selectors count. Its
    values are the model's choices (words), written in as literals so the
    statements keep their placeholders for the people."""
    query = Enrolment.objects.trained().query
    sql, params = query.where.as_sql(
        query.get_compiler(connection=connection), connection
    )
    if not all(re.fullmatch(r"\w+", str(value)) for value in params):
        raise ValueError(f"Not a plain word among {params!r}")
    return sql % tuple(f"'{value}'" for value in params)


def _completed(alias: str) -> str:
    table = connection.ops.quote_name(Enrolment._meta.db_table)
    return _trained_condition().replace(f"{table}.", f"{alias}.")


# The joins from an enrolment ``e`` to what both tables copy: its session ``s``,
# district ``d`` (none abroad), course ``c``, person ``p`` and organisation ``o``.
_JOINS = f"""
    JOIN {Session._meta.db_table} s ON s.id = e.session_id
    LEFT JOIN {District._meta.db_table} d ON d.id = s.district_id
    JOIN {Course._meta.db_table} c ON c.id = s.course_id
    JOIN {Person._meta.db_table} p ON p.id = e.person_id
    LEFT JOIN {Organisation._meta.db_table} o ON o.id = p.organisation_id
"""


def _trained_select(where: str, *, few: bool) -> str:
    """Completed participants, flattened. For a few people, whether each is a ToT
    graduate is looked up person by person; for everyone, the graduates are read
    once (a hashed set)."""
    tot_graduates = f"""
        SELECT g.person_id FROM {Enrolment._meta.db_table} g
        JOIN {Session._meta.db_table} gs ON gs.id = g.session_id
        JOIN {Course._meta.db_table} gc ON gc.id = gs.course_id
        WHERE {_completed("g")} AND gc.kind = '{Course.Kind.TOT}'
    """
    if few:
        tot_graduate = f"EXISTS ({tot_graduates} AND g.person_id = e.person_id)"
    else:
        tot_graduate = f"e.person_id IN ({tot_graduates})"
    return f"""
        SELECT e.id, e.person_id, e.session_id, p.gender, s.ends_on, s.district_id,
               d.province_id, s.course_id, c.kind, o.kind, {tot_graduate}
        FROM {Enrolment._meta.db_table} e {_JOINS}
        WHERE {_completed("e")}{where}
    """


def _certificate_select(where: str, *, few: bool) -> str:
    return f"""
        SELECT cf.id, e.person_id, e.session_id, p.gender, s.district_id,
               d.province_id, s.course_id, c.kind, o.kind, cf.issued_on,
               cf.revoked_at
        FROM {Certificate._meta.db_table} cf
        JOIN {Enrolment._meta.db_table} e ON e.id = cf.enrolment_id {_JOINS}
        WHERE 1 = 1{where}
    """


@dataclass(frozen=True)
class _Table:
    model: type[models.Model]
    columns: tuple[str, ...]
    select: object

    def insert(self, where: str = "", params: Iterable = ()) -> int:
        sql = (
            f"INSERT INTO {self.model._meta.db_table} ({', '.join(self.columns)}) "
            + self.select(where, few=bool(where))
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return max(cursor.rowcount, 0)

    def fresh(self) -> set[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(self.select("", few=False))
            return {_normal(row) for row in cursor.fetchall()}

    def stored(self) -> set[tuple]:
        fields = [column.removesuffix("_id") for column in self.columns]
        return {_normal(row) for row in self.model.objects.values_list(*fields)}


TABLES = (
    _Table(
        TrainedFact,
        (
            "enrolment_id",
            "person_id",
            "session_id",
            "gender",
            "ends_on",
            "district_id",
            "province_id",
            "course_id",
            "course_kind",
            "organisation_kind",
            "tot_graduate",
        ),
        _trained_select,
    ),
    _Table(
        CertificateFact,
        (
            "certificate_id",
            "person_id",
            "session_id",
            "gender",
            "district_id",
            "province_id",
            "course_id",
            "course_kind",
            "organisation_kind",
            "issued_on",
            "revoked_at",
        ),
        _certificate_select,
    ),
)


@transaction.atomic
def facts_refresh(*, people: Iterable[int]) -> None:
    """Recompute the rows of these people (ids) from their enrolments and
    certificates."""
    ids = sorted({int(pk) for pk in people if pk is not None})
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        for table in TABLES:
            deleted, _by_model = table.model.objects.filter(
                person_id__in=chunk
            ).delete()
            written += deleted + table.insert(f" AND e.person_id IN ({marks})", chunk)
    if written:
        # People without any fact before or after (a new person edited) change
        # no figure: the cached figures stay.
        facts_version_bump()


def facts_people_of(
    *,
    sessions: Iterable[int] = (),
    course: int | None = None,
    organisation: int | None = None,
    district: int | None = None,
) -> set[int]:
    """The people whose facts copy something of these sessions, this course, this
    organisation or this district (ids): those with a fact there and, for sessions
    and a course, everyone enrolled (the same people, unless the facts are stale)."""
    enrolled: dict = {}
    if sessions:
        enrolled = {"session_id__in": sessions}
        facts = {"session_id__in": sessions}
    elif course:
        enrolled = {"session__course_id": course}
        facts = {"course_id": course}
    elif organisation:
        facts = {"person__organisation_id": organisation}
    elif district:
        facts = {"district_id": district}
    else:
        return set()
    people = set()
    if enrolled:
        enrolments = Enrolment.objects.filter(**enrolled)
        people |= set(enrolments.values_list("person_id", flat=True))
    for model in (TrainedFact, CertificateFact):
        rows = model.objects.filter(**facts)
        people |= set(rows.values_list("person_id", flat=True))
    return people


def facts_changed(
    *,
    people: Iterable[int] = (),
    sessions: Iterable[int] = (),
    course: int | None = None,
    organisation: int | None = None,
    district: int | None = None,
) -> None:
    """What ``training_facts_changed`` asks: the people's and the sessions' rows
    now, in the writer's transaction; a course's, an organisation's or a
    district's after the commit, in a task. The data gets a new version either
    way: a score or a name may have changed without a fact."""
    people = set(people)
    if sessions:
        people |= facts_people_of(sessions=sessions)
    if people:
        facts_refresh(people=people)
    scope = {
        name: value
        for name, value in (
            ("course", course),
            ("organisation", organisation),
            ("district", district),
        )
        if value
    }
    if scope:
        facts_refresh_later(**scope)
    facts_version_bump()


def facts_refresh_later(**scope) -> None:
    """After the commit, a task refreshes the rows of everyone ``scope`` reaches
    (``facts_refresh_of``): a course's or a district's graduates can be thousands,
    too many to rewrite inside an admin's request."""
    transaction.on_commit(functools.partial(_refresh_send, scope))


def _refresh_send(scope: dict) -> None:
    # Sent by name (registered by ReportsConfig.ready), as the warming is.
    current_app.tasks["suksa.reports.facts_refresh_of"].delay(**scope)


@transaction.atomic
def facts_refresh_of(**scope) -> int:
    """Recompute the rows of everyone ``scope`` (``course``, ``organisation`` or
    ``district``: an id) reaches; the data gets a new version when it is done, so
    no figure cached in between outlives the refresh. Returns how many people."""
    people = facts_people_of(**scope)
    facts_refresh(people=people)
    facts_version_bump()
    return len(people)


@transaction.atomic
def facts_rebuild() -> int:
    """Recompute every row; returns how many people-trained rows there are."""
    for table in TABLES:
        table.model.objects.all().delete()
        table.insert()
    facts_version_bump(FACTS)
    facts_version_bump(OUTREACH)  # the nightly safety net: everything recomputed
    return TrainedFact.objects.count()


# The data version -----------------------------------------------------------------


# The rows of ``FactsVersion``: the facts (and what the figures read with them: who
# led a session, a session's status), and the village meetings ToT graduates led.
FACTS, OUTREACH = 1, 2


def facts_version_bump(part: int = FACTS) -> None:
    """Give the reports' data a new version, in the caller's transaction: the one
    function every write to the facts (``part`` FACTS) or to the meetings and the
    network (OUTREACH) calls. It holds the version row's lock until the commit, so
    two writers' versions never cross. Once per transaction and part: a later call
    does nothing while the first one's change is still pending in it (not rolled
    back to a savepoint before it) and no figure was cached since. After the
    commit, a task recomputes the common views under the new version."""
    pending = getattr(connection, "reports_bumps", {}).get(part)
    if pending is not None and any(
        callback is pending for _sids, callback, *_rest in _on_commit()
    ):
        return
    key = uuid.uuid4().hex
    now = timezone.now()
    if not FactsVersion.objects.filter(pk=part).update(key=key, changed_at=now):
        FactsVersion.objects.update_or_create(
            pk=part, defaults={"key": key, "changed_at": now}
        )
    # One warming per transaction: the callback of its last bump.
    callback = functools.partial(_warm_after_commit, key)
    connection.reports_version = key
    connection.reports_bumps = {
        **getattr(connection, "reports_bumps", {}),
        part: callback,
    }
    transaction.on_commit(callback)


def figures_cached_in_transaction() -> None:
    """A figure was cached inside a transaction: its next write must give the data
    a new version again (``reports.figures`` calls this)."""
    if connection.in_atomic_block:
        connection.reports_bumps = {}


def _on_commit() -> list:
    return connection.run_on_commit if connection.in_atomic_block else []


def facts_versions(parts=(FACTS,)) -> str | None:
    """The current version of these parts (as this transaction sees it); None
    before any write (nothing is cached then)."""
    keys = dict(FactsVersion.objects.filter(pk__in=parts).values_list("pk", "key"))
    if len(keys) < len(parts):
        return None
    return "-".join(keys[part] for part in parts)


def facts_version() -> str | None:
    """The facts' current version."""
    return facts_versions((FACTS,))


def _warm_after_commit(key: str) -> None:
    if getattr(connection, "reports_version", None) != key:
        return  # a later write in the same transaction warms
    if not settings.SUKSA_REPORTS_WARM_AFTER_WRITE:
        return  # tasks run in-process: figures are computed when first viewed
    # Sent by name (registered by ReportsConfig.ready): the task reads the facts.
    current_app.tasks["suksa.reports.figures_warm"].delay(key)


def facts_differences() -> list[tuple]:
    """Rows that differ between the tables and a fresh computation (none when they
    are true): (table, "missing" or "stale", row)."""
    differences = []
    for table in TABLES:
        fresh, stored = table.fresh(), table.stored()
        name = table.model._meta.model_name
        differences += [(name, "missing", row) for row in fresh - stored]
        differences += [(name, "stale", row) for row in stored - fresh]
    return sorted(differences, key=str)


def _normal(row) -> tuple:
    """Comparable across databases and paths (SQLite gives raw dates and moments as
    text, flags as 0/1; the ORM gives objects)."""
    return tuple(_value(value) for value in row)


def _value(value):
    if isinstance(value, bool):
        return int(value)
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, datetime.datetime):
        # SQLite keeps aware moments as naive UTC; compare them in UTC.
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC).isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
