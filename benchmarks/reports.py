"""Reports at national scale: each dashboard figure beside its raw SQL floor.

Builds a synthetic national dataset in a database of its own (``suksa_bench_reports``
on the PostgreSQL server of ``DATABASE_URL``, or ``var/bench/reports.sqlite3``):
200,000 people, 20,000 sessions, 1,000,000 enrolments, 50,000 promoters, 200,000
village meetings (``SUKSA_BENCH_SCALE=0.1`` for a tenth). ToTs (5 % of sessions)
train a pool of 10,000 future trainers; 60 % of the other sessions are led by one of
them. Rows go in with COPY on PostgreSQL (executemany on SQLite). Then each selector
of the dashboard is timed beside the single hand-written SQL aggregate that computes
the same number, for a one-year dashboard and for all time, and the whole report
(every figure) is timed.

The figures read from the facts are cached under the data version
(``reports.figures``): each selector is timed computing (the cache bypassed), and
the whole page both computed and as managers get it: read from the cache, the first
view after a write included (the write commits, the task recomputes the common
views, then the page is opened; the task's time is printed too). Cold start (the
first view ever) is excluded.

Goal on PostgreSQL, 2 cores: whole dashboard ≤ 500 ms, each figure ≤ 1.5× its floor;
the all-time Reports page (after a write) ≤ 1.5× one raw national distinct count of
people trained (``trained_total``'s raw SQL), one year's ≤ 300 ms.
"""

import datetime
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALE = float(os.environ.get("SUKSA_BENCH_SCALE", "1"))
PEOPLE = int(200_000 * SCALE)
SESSIONS = int(20_000 * SCALE)
PER_SESSION = 50  # 1,000,000 enrolments at scale 1
PROMOTERS = int(50_000 * SCALE)
MEETINGS = int(200_000 * SCALE)
VILLAGES = int(8_000 * max(SCALE, 0.1))
CERTIFICATES_SHARE = 0.3
YEARS = range(2015, 2027)
# SUKSA_BENCH_DATABASE: another name, for two runs side by side on one server.
BENCH_DATABASE = os.environ.get("SUKSA_BENCH_DATABASE", "suksa_bench_reports")
NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
REUSE = "--reuse" in sys.argv
TOT_SHARE = 0.05  # 1,000 ToT sessions
TRAINER_POOL = int(PEOPLE * 0.05)  # the 10,000 people ToTs train


# Database ------------------------------------------------------------------------


def _own_database_url() -> str:
    """The bench's own database: never the configured one. ``--reuse`` keeps the
    dataset of the last run (to compare indexes or queries without rebuilding)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        server = url.rsplit("/", 1)[0]
        if REUSE:
            return f"{server}/{BENCH_DATABASE}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        return f"{server}/{BENCH_DATABASE}"
    path = ROOT / "var" / "bench" / "reports.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not REUSE:
        path.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _defaults(model) -> dict:
    """Column → stored value of a new instance (what a Django save would write)."""
    from django.db import connection

    instance = model()
    values = {}
    for field in model._meta.local_concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values[field.column] = NOW
        else:
            value = getattr(instance, field.attname)
            values[field.column] = field.get_db_prep_save(value, connection)
    return values


def insert(model, columns: list[str], rows) -> int:
    """Insert rows of ``columns`` (other columns take the model's defaults)."""
    from django.db import connection

    table = model._meta.db_table
    tail_columns = [c for c in _defaults(model) if c not in columns]
    defaults = _defaults(model)
    tail = tuple(defaults[c] for c in tail_columns)
    names = ", ".join(f'"{c}"' for c in [*columns, *tail_columns])
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row((*row, *tail))
                    count += 1
        else:
            marks = ", ".join(["%s"] * (len(columns) + len(tail_columns)))
            batch = []
            for row in rows:
                batch.append((*row, *tail))
                if len(batch) == 10_000:
                    cursor.executemany(
                        f'INSERT INTO "{table}" ({names}) VALUES ({marks})', batch
                    )
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks})', batch
                )
                count += len(batch)
    return count


def _reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


# Dataset -------------------------------------------------------------------------


def build() -> dict:
    from certificates.models import Certificate
    from people.models import Organisation, Person
    from places.models import District, Village
    from trainings.models import Course, Enrolment, Session

    rng = random.Random(2026)
    districts = list(District.objects.values_list("pk", flat=True))
    insert(
        Village,
        ["id", "district_id", "name_lo", "name_en"],
        (
            (n, rng.choice(districts), f"ບ້ານ {n}", f"Village {n}")
            for n in range(1, VILLAGES + 1)
        ),
    )
    village_district = dict(Village.objects.values_list("pk", "district_id"))
    villages = list(village_district)
    kinds = Organisation.Kind.values
    insert(
        Organisation,
        ["id", "name", "kind"],
        ((n, f"Organisation {n}", kinds[n % len(kinds)]) for n in range(1, 61)),
    )
    genders = ["woman"] * 45 + ["man"] * 45 + ["other"] * 2 + ["not_recorded"] * 8
    insert(
        Person,
        ["id", "full_name", "name_key", "gender", "organisation_id", "district_id"],
        (
            (
                n,
                f"ບຸກຄົນ {n}",
                f"person{n}",
                rng.choice(genders),
                rng.randint(1, 60) if rng.random() < 0.7 else None,
                rng.choice(districts),
            )
            for n in range(1, PEOPLE + 1)
        ),
    )
    course_kinds = (
        ["tot"] * 4
        + ["short_course"] * 26
        + ["orientation"] * 8
        + ["long_programme"] * 2
    )
    insert(
        Course,
        ["id", "title_lo", "title_en", "kind"],
        (
            (n, f"ຫຼັກສູດ {n}", f"Course {n}", kind)
            for n, kind in enumerate(course_kinds, start=1)
        ),
    )
    tot_courses = [n for n, kind in enumerate(course_kinds, start=1) if kind == "tot"]
    other_courses = [n for n in range(1, len(course_kinds) + 1) if n not in tot_courses]
    sessions = []
    for n in range(1, SESSIONS + 1):
        start = datetime.date(rng.choice(YEARS), 1, 1) + datetime.timedelta(
            days=rng.randint(0, 364)
        )
        tot = rng.random() < TOT_SHARE
        course = rng.choice(tot_courses if tot else other_courses)
        sessions.append(
            (
                n,
                course,
                start,
                start + datetime.timedelta(days=rng.randint(0, 4)),
                rng.choice(districts),
                tot,
            )
        )
    sessions.sort(key=lambda s: s[2])
    insert(
        Session,
        ["id", "course_id", "code", "starts_on", "ends_on", "district_id", "status"],
        ((n, c, f"B-{n}", s, e, d, "completed") for n, c, s, e, d, _t in sessions),
    )
    enrolments, led_by, graduates, certificates = [], [], [], []
    statuses = ["completed"] * 85 + ["not_completed"] * 10 + ["withdrawn"] * 5
    enrolment_id = 0
    for n, _course, _start, _end, _district, tot in sessions:
        # Most sessions that are not ToTs are led by an earlier ToT's graduate.
        if not tot and graduates and rng.random() < 0.6:
            led_by.append((n, rng.choice(graduates)))
        else:
            led_by.append((n, rng.randint(1, PEOPLE)))
        # ToT participants come from a pool of future trainers (officials, staff);
        # everyone else attends the courses those trainers lead.
        pool = (
            range(1, TRAINER_POOL + 1) if tot else range(TRAINER_POOL + 1, PEOPLE + 1)
        )
        for person in rng.sample(pool, PER_SESSION):
            enrolment_id += 1
            role = "participant" if rng.random() < 0.96 else "trainer"
            status = rng.choice(statuses) if role == "participant" else "enrolled"
            enrolments.append((enrolment_id, n, person, role, status))
            if status == "completed" and role == "participant":
                if tot and len(graduates) < 200_000:
                    graduates.append(person)
                if rng.random() < CERTIFICATES_SHARE:
                    certificates.append(enrolment_id)
    insert(Enrolment, ["id", "session_id", "person_id", "role", "status"], enrolments)
    insert(
        Session.led_by.through,
        ["id", "session_id", "person_id"],
        ((i, s, p) for i, (s, p) in enumerate(led_by, start=1)),
    )
    insert(
        Certificate,
        [
            "id",
            "enrolment_id",
            "number",
            "code",
            "status",
            "issued_at",
            "issued_on",
            "revoked_at",
            "holder_name",
        ],
        (
            (
                i,
                e,
                f"B-{i}",
                uuid.uuid4().hex,
                "revoked" if i % 50 == 0 else "valid",
                issued,
                issued.date(),
                NOW if i % 50 == 0 else None,
                f"ບຸກຄົນ {e}",
            )
            for i, e in enumerate(certificates, start=1)
            for issued in [NOW - datetime.timedelta(days=rng.randint(0, 3650))]
        ),
    )
    counts = {
        "people": PEOPLE,
        "sessions": SESSIONS,
        "enrolments": len(enrolments),
        "certificates": len(certificates),
    }
    counts.update(_build_promoters(rng, districts, villages, village_district))
    _reset_sequences(
        [Village, Organisation, Person, Course, Session, Enrolment, Certificate]
    )
    return counts


def _counts() -> dict:
    from promoters.models import Promoter, VillageMeeting
    from trainings.models import Enrolment, Session

    return {
        "sessions": Session.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "promoters": Promoter.objects.count(),
        "meetings": VillageMeeting.objects.count(),
    }


def _build_promoters(rng, districts, villages, village_district) -> dict:
    from promoters.models import (
        CentreVisit,
        DistrictOffice,
        InformationCentre,
        Promoter,
        VillageMeeting,
    )

    office_of = {}
    insert(
        DistrictOffice,
        ["id", "district_id", "name", "opened_on"],
        (
            (n, d, f"Office {n}", datetime.date(2015, 1, 1))
            for n, d in enumerate(districts, start=1)
        ),
    )
    office_of = dict(DistrictOffice.objects.values_list("district_id", "pk"))
    promoter_village = {}
    rows = []
    for n in range(1, PROMOTERS + 1):
        village = rng.choice(villages)
        promoter_village[n] = village
        rows.append(
            (
                n,
                n,
                "village_chief",
                office_of[village_district[village]],
                village,
                "active" if rng.random() < 0.9 else "inactive",
                datetime.date(2015, 1, 1),
            )
        )
    insert(
        Promoter,
        ["id", "person_id", "role", "office_id", "village_id", "status", "started_on"],
        rows,
    )
    meetings, leaders = [], []
    for n in range(1, MEETINGS + 1):
        promoter = rng.randint(1, PROMOTERS)
        turnout = [
            rng.randint(0, 40),
            rng.randint(0, 40),
            rng.randint(0, 1),
            rng.randint(0, 3),
        ]
        registered = [rng.randint(0, value // 3) for value in turnout]
        day = datetime.date(rng.choice(YEARS), 1, 1) + datetime.timedelta(
            days=rng.randint(0, 364)
        )
        meetings.append(
            (
                n,
                day,
                promoter_village[promoter],
                uuid.uuid4().hex,
                *turnout,
                *registered,
            )
        )
        leaders.append((n, n, promoter))
    insert(
        VillageMeeting,
        [
            "id",
            "date",
            "village_id",
            "client_uuid",
            "turnout_women",
            "turnout_men",
            "turnout_other",
            "turnout_not_recorded",
            "registrations_women",
            "registrations_men",
            "registrations_other",
            "registrations_not_recorded",
        ],
        meetings,
    )
    insert(
        VillageMeeting.led_by.through,
        ["id", "villagemeeting_id", "promoter_id"],
        leaders,
    )
    insert(
        InformationCentre,
        ["id", "name", "host_organisation", "host_kind", "district_id"],
        (
            (n, f"Centre {n}", "Office", "government_office", rng.choice(districts))
            for n in range(1, 5)
        ),
    )
    visits = int(20_000 * SCALE)
    insert(
        CentreVisit,
        [
            "id",
            "centre_id",
            "date",
            "visitors_women",
            "visitors_men",
            "visitors_other",
            "visitors_not_recorded",
        ],
        (
            (
                n,
                rng.randint(1, 4),
                datetime.date(rng.choice(YEARS), 1, 1)
                + datetime.timedelta(days=rng.randint(0, 364)),
                rng.randint(0, 5),
                rng.randint(0, 5),
                0,
                rng.randint(0, 1),
            )
            for n in range(1, visits + 1)
        ),
    )
    _reset_sequences(
        [DistrictOffice, Promoter, VillageMeeting, InformationCentre, CentreVisit]
    )
    return {"promoters": PROMOTERS, "meetings": MEETINGS, "centre visits": visits}


# Floors: one hand-written aggregate per figure ------------------------------------


def _tables() -> dict:
    from certificates.models import Certificate
    from materials.models import Download
    from people.models import Person
    from places.models import District, Village
    from promoters.models import CentreVisit, DistrictOffice, Promoter, VillageMeeting
    from trainings.models import Course, Enrolment, Session

    return {
        "enrolment": Enrolment._meta.db_table,
        "session": Session._meta.db_table,
        "course": Course._meta.db_table,
        "person": Person._meta.db_table,
        "district": District._meta.db_table,
        "village": Village._meta.db_table,
        "led_by": Session.led_by.through._meta.db_table,
        "certificate": Certificate._meta.db_table,
        "meeting": VillageMeeting._meta.db_table,
        "promoter": Promoter._meta.db_table,
        "office": DistrictOffice._meta.db_table,
        "visit": CentreVisit._meta.db_table,
        "download": Download._meta.db_table,
    }


def _period(column: str, start, end) -> tuple[str, list]:
    if start is None:
        return "", []
    return f" AND {column} BETWEEN %s AND %s", [start, end]


def _moments(column: str, start, end) -> tuple[str, list]:
    """The period's local days as a range of moments (as the selectors say it)."""
    if start is None:
        return "", []
    from django.utils import timezone

    def midnight(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    return f" AND {column} >= %s AND {column} < %s", [
        midnight(start),
        midnight(end + datetime.timedelta(days=1)),
    ]


def floors(start, end) -> dict:
    """Raw SQL computing each figure, by name (same numbers as the selectors)."""
    t = _tables()
    period, params = _period("s.ends_on", start, end)
    trained = (
        f"FROM {t['enrolment']} e JOIN {t['session']} s ON s.id = e.session_id "
        f"JOIN {t['person']} p ON p.id = e.person_id "
        f"WHERE e.role = 'participant' AND e.status = 'completed'{period}"
    )
    distinct = "COUNT(DISTINCT e.person_id)"
    groups = {
        "province": (
            "d.province_id",
            f" JOIN {t['district']} d ON d.id = s.district_id",
        ),
        "district": ("s.district_id", ""),
        "course": ("s.course_id", ""),
        "course_kind": ("c.kind", f" JOIN {t['course']} c ON c.id = s.course_id"),
        "organisation_kind": (
            "o.kind",
            " LEFT JOIN people_organisation o ON o.id = p.organisation_id",
        ),
        "year": (
            "EXTRACT(YEAR FROM s.ends_on)" if _pg() else "strftime('%%Y', s.ends_on)",
            "",
        ),
        "quarter": (
            "DATE_TRUNC('quarter', s.ends_on)"
            if _pg()
            else "strftime('%%Y', s.ends_on) || ((CAST(strftime('%%m', s.ends_on) "
            "AS INTEGER) + 2) / 3)",
            "",
        ),
        "month": (
            "DATE_TRUNC('month', s.ends_on)"
            if _pg()
            else "strftime('%%Y-%%m', s.ends_on)",
            "",
        ),
    }
    result = {
        "trained_total": (
            f"SELECT p.gender, {distinct} {trained} GROUP BY p.gender",
            params,
        )
    }
    for name, (expression, join) in groups.items():
        body = trained.replace("WHERE", join + " WHERE", 1)
        result[f"trained_by_{name}"] = (
            f"SELECT {expression}, p.gender, {distinct} {body} "
            f"GROUP BY {expression}, p.gender",
            params,
        )
    tot = (
        f"{trained} AND s.course_id IN "
        f"(SELECT id FROM {t['course']} WHERE kind = 'tot')"
    )
    result["tot_summary"] = (
        _tot_floor(t, tot),
        params,
    )
    cert_period, cert_params = _period("c.issued_on", start, end)
    rev_period, rev_params = _moments("c.revoked_at", start, end)
    result["certificate_summary"] = (
        f"SELECT p.gender, COUNT(*) FILTER (WHERE TRUE{cert_period}), "
        f"COUNT(*) FILTER (WHERE c.revoked_at IS NOT NULL{rev_period}) "
        f"FROM {t['certificate']} c JOIN {t['enrolment']} e ON e.id = c.enrolment_id "
        f"JOIN {t['person']} p ON p.id = e.person_id "
        f"WHERE TRUE{cert_period} OR (c.revoked_at IS NOT NULL{rev_period}) "
        "GROUP BY p.gender",
        (cert_params + rev_params) * 2,
    )
    meeting_period, meeting_params = _period("m.date", start, end)
    sums = ", ".join(
        f"SUM(m.{kind}_{g})"
        for kind in ("turnout", "registrations")
        for g in ("women", "men", "other", "not_recorded")
    )
    result["outreach_total"] = (
        f"SELECT COUNT(*), {sums} FROM {t['meeting']} m WHERE TRUE{meeting_period}",
        meeting_params,
    )
    result["outreach_by_district"] = (
        f"SELECT v.district_id, COUNT(*), {sums} FROM {t['meeting']} m "
        f"JOIN {t['village']} v ON v.id = m.village_id WHERE TRUE{meeting_period} "
        "GROUP BY v.district_id",
        meeting_params,
    )
    # Per district with an office: villages known, villages with an active promoter
    # (of an office in a district with one), and active promoters by office.
    offices = f"SELECT district_id FROM {t['office']}"
    result["coverage"] = (
        f"WITH active AS MATERIALIZED (SELECT pr.village_id, o.district_id "
        f"FROM {t['promoter']} pr JOIN {t['office']} o ON o.id = pr.office_id "
        f"WHERE pr.status = 'active' AND o.district_id IN ({offices})) "
        f"SELECT k.district_id, k.known, c.covered, p.promoters FROM "
        f"(SELECT district_id, COUNT(*) AS known FROM {t['village']} "
        f"WHERE district_id IN ({offices}) GROUP BY district_id) k "
        f"LEFT JOIN (SELECT v.district_id, COUNT(DISTINCT a.village_id) AS covered "
        f"FROM active a JOIN {t['village']} v ON v.id = a.village_id "
        f"GROUP BY v.district_id) c ON c.district_id = k.district_id "
        f"LEFT JOIN (SELECT district_id, COUNT(*) AS promoters FROM active "
        f"GROUP BY district_id) p ON p.district_id = k.district_id",
        [],
    )
    visit_period, visit_params = _period("date", start, end)
    result["centre_visits_total"] = (
        f"SELECT COUNT(*), SUM(visitors_women), SUM(visitors_men), SUM(visitors_other),"
        f" SUM(visitors_not_recorded) FROM {t['visit']} WHERE TRUE{visit_period}",
        visit_params,
    )
    download_period, download_params = _moments("dl.at", start, end)
    # Downloads by month, material (its title and language) and district, as the
    # selector gives them.
    month = (
        "DATE_TRUNC('month', dl.at AT TIME ZONE 'Asia/Vientiane')"
        if _pg()
        else "strftime('%%Y-%%m', dl.at)"
    )
    result["downloads"] = (
        f"SELECT {month}, dl.page_id, pg.title, lo.language_code, dl.district_id, "
        f"d.name_lo, d.name_en, COUNT(*) FROM {t['download']} dl "
        "JOIN wagtailcore_page pg ON pg.id = dl.page_id "
        "JOIN wagtailcore_locale lo ON lo.id = pg.locale_id "
        f"LEFT JOIN {t['district']} d ON d.id = dl.district_id "
        f"WHERE TRUE{download_period} "
        f"GROUP BY {month}, dl.page_id, pg.title, lo.language_code, dl.district_id, "
        "d.name_lo, d.name_en",
        download_params,
    )
    return result


def _tot_floor(t, tot) -> str:
    done = "c.role = 'participant' AND c.status = 'completed'"
    return f"""
        WITH RECURSIVE start AS (SELECT e.person_id, e.session_id {tot}),
        tot_graduates AS (
            SELECT c.person_id FROM {t["enrolment"]} c
            JOIN {t["session"]} s2 ON s2.id = c.session_id
            JOIN {t["course"]} c2 ON c2.id = s2.course_id
            WHERE {done} AND c2.kind = 'tot'
        ),
        handovers AS MATERIALIZED (
            SELECT l.person_id AS leader_id, c.person_id AS trainer_id
            FROM {t["led_by"]} l
            JOIN {t["enrolment"]} c ON c.session_id = l.session_id
            WHERE {done}
            AND c.session_id NOT IN (SELECT session_id FROM start)
            AND c.person_id IN (SELECT person_id FROM tot_graduates)
        ),
        leaders (person_id) AS (
            SELECT person_id FROM start
            UNION
            SELECT h.trainer_id FROM handovers h
            JOIN leaders ld ON ld.person_id = h.leader_id
        )
        SELECT (SELECT COUNT(DISTINCT session_id) FROM start),
               (SELECT COUNT(DISTINCT person_id) FROM start),
               (SELECT COUNT(DISTINCT c.person_id) FROM {t["led_by"]} l
                JOIN {t["enrolment"]} c ON c.session_id = l.session_id
                WHERE {done}
                AND l.person_id IN (SELECT person_id FROM leaders)
                AND c.session_id NOT IN (SELECT session_id FROM start)
                AND c.person_id NOT IN (SELECT person_id FROM start))
    """


def facts_floors(start, end) -> dict:
    """The same figures as single raw aggregates over the tables the selectors read
    (the reports' facts): how much the selectors add to the database's own work."""
    from reports.models import CertificateFact, TrainedFact

    fact = TrainedFact._meta.db_table
    led_by = _tables()["led_by"]
    period, params = _period("ends_on", start, end)
    year = "EXTRACT(YEAR FROM ends_on)" if _pg() else "strftime('%%Y', ends_on)"
    month = "DATE_TRUNC('month', ends_on)" if _pg() else "strftime('%%Y-%%m', ends_on)"
    quarter = (
        "DATE_TRUNC('quarter', ends_on)"
        if _pg()
        else "strftime('%%Y', ends_on) || ((CAST(strftime('%%m', ends_on) "
        "AS INTEGER) + 2) / 3)"
    )
    groups = {
        "province": "province_id",
        "district": "district_id",
        "course": "course_id",
        "course_kind": "course_kind",
        "organisation_kind": "organisation_kind",
        "year": year,
        "quarter": quarter,
        "month": month,
    }
    where = f"FROM {fact} WHERE TRUE{period}"
    result = {
        "trained_total": (
            f"SELECT gender, COUNT(DISTINCT person_id) {where} GROUP BY gender",
            params,
        )
    }
    for name, expression in groups.items():
        result[f"trained_by_{name}"] = (
            f"SELECT {expression}, gender, COUNT(DISTINCT person_id) {where} "
            f"GROUP BY {expression}, gender",
            params,
        )
    result["tot_summary"] = (
        f"""
        WITH RECURSIVE start AS MATERIALIZED (
            SELECT person_id, session_id, gender {where} AND course_kind = 'tot'
        ),
        leaders (person_id) AS (
            SELECT person_id FROM start
            UNION
            SELECT f.person_id FROM leaders ld
            JOIN {led_by} l ON l.person_id = ld.person_id
            JOIN {fact} f ON f.session_id = l.session_id
            WHERE f.tot_graduate
            AND f.session_id NOT IN (SELECT session_id FROM start)
        )
        SELECT (SELECT COUNT(DISTINCT session_id) FROM start),
               (SELECT COUNT(DISTINCT person_id) FROM start),
               (SELECT COUNT(DISTINCT f.person_id) FROM {fact} f
                WHERE f.session_id IN (
                    SELECT l.session_id FROM {led_by} l
                    WHERE l.person_id IN (SELECT person_id FROM leaders)
                    AND l.session_id NOT IN (SELECT session_id FROM start))
                AND f.person_id NOT IN (SELECT person_id FROM start))
        """,
        params,
    )
    issued, issued_params = _period("issued_on", start, end)
    revoked, revoked_params = _moments("revoked_at", start, end)
    result["certificate_summary"] = (
        f"SELECT gender, COUNT(*) FILTER (WHERE TRUE{issued}), "
        f"COUNT(*) FILTER (WHERE revoked_at IS NOT NULL{revoked}) "
        f"FROM {CertificateFact._meta.db_table} "
        f"WHERE TRUE{issued} OR (revoked_at IS NOT NULL{revoked}) GROUP BY gender",
        issued_params + revoked_params + issued_params + revoked_params,
    )
    return result


def _pg() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


# Timing --------------------------------------------------------------------------


def best_of(function, runs: int = 5) -> float:
    function()  # warm the caches, as a dashboard that is used is
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def figures(filters) -> dict:
    from reports import selectors

    named = {
        "trained_total": lambda: selectors.trained_total(filters),
        **{
            f"trained_by_{by}": (lambda by=by: selectors.trained_by(filters, by=by))
            for by in selectors.BREAKDOWNS
        },
        "tot_summary": lambda: selectors.tot_summary(filters),
        "certificate_summary": lambda: selectors.certificate_summary(filters),
        "outreach_total": lambda: selectors.outreach_total(filters),
        "outreach_by_district": lambda: selectors.outreach_by_district(filters),
        "coverage": lambda: selectors.coverage(filters),
        "centre_visits_total": lambda: selectors.centre_visits_total(filters),
        "downloads": lambda: selectors.downloads(filters),
    }
    return named


def run_raw(sql: str, params) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


def measure(label: str, start, end) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.figures import uncached
    from reports.filters import ReportFilters
    from reports.report import report_build

    filters = ReportFilters(date_from=start, date_to=end)
    raw, on_facts = floors(start, end), facts_floors(start, end)
    raw_count = None
    print(f"\n{label}")
    print(
        f"  {'figure (computed)':<28}{'selector':>11}{'raw SQL':>11}{'ratio':>8}"
        f"{'raw SQL on the facts':>24}{'ratio':>8}"
    )
    with uncached():
        for name, function in figures(filters).items():
            ours = best_of(function)
            line = f"  {name:<28}{ours * 1000:>9.1f}ms"
            for floors_of in (raw, on_facts):
                if name not in floors_of:
                    continue
                sql, params = floors_of[name]
                floor = best_of(lambda sql=sql, params=params: run_raw(sql, params))
                if floors_of is raw and name == "trained_total":
                    raw_count = floor
                width = 9 if floors_of is raw else 22
                line += f"{floor * 1000:>{width}.1f}ms{ours / floor:>7.2f}×"
            print(line)
    pages = {}
    for name, build_report in (
        (
            "home dashboard panel",
            lambda: report_build(filters, breakdowns=["course_kind"], totals_only=True),
        ),
        ("whole Reports page", lambda: report_build(filters)),
    ):
        with uncached():
            computed = best_of(build_report, runs=1)
            with CaptureQueriesContext(connection) as queries:
                build_report()
        print(
            f"  {name + ', computed':<40}{computed * 1000:>9.1f}ms   "
            f"({len(queries)} queries)"
        )
        cached = best_of(build_report)
        with CaptureQueriesContext(connection) as queries:
            build_report()
        print(
            f"  {name + ', cached':<40}{cached * 1000:>9.1f}ms   "
            f"({len(queries)} queries; {cached / raw_count:.2f}× the raw count)"
        )
        pages[name] = cached
    after_write, warming = _page_after_writes(lambda: report_build(filters))
    print(
        f"  {'whole Reports page after a write':<40}{after_write * 1000:>9.1f}ms   "
        f"({after_write / raw_count:.2f}× the raw count of "
        f"{raw_count * 1000:.1f} ms; the task recomputed the common views in "
        f"{warming:.1f} s after the commit)"
    )
    return {
        "page": max(after_write, pages["whole Reports page"]),
        "raw_count": raw_count,
    }


def _page_after_writes(build_report, writes: int = 1) -> tuple[float, float]:
    """(the first view after a write, the warming task), medians over ``writes``
    (one by default: at national scale the task takes a while):
    a real write to the facts (one person's rows recomputed, committed); after the
    commit the task recomputes the common views (in-process here, on a worker in
    production); then the page is opened."""
    from reports.facts import facts_refresh
    from reports.models import TrainedFact

    person = TrainedFact.objects.values_list("person_id", flat=True).first()
    views, warmings = [], []
    for _ in range(writes):
        started = time.perf_counter()
        facts_refresh(people=[person])  # commits; the task runs after the commit
        warmings.append(time.perf_counter() - started)
        started = time.perf_counter()
        build_report()
        views.append(time.perf_counter() - started)
    return statistics.median(views), statistics.median(warmings)


def _measure_upkeep() -> None:
    """What a write pays to keep the facts: recomputing one person's rows (a ToT
    graduate with several trainings, the most a person has)."""
    from django.db.models import Count

    from reports.facts import facts_refresh
    from reports.models import TrainedFact

    busiest = (
        TrainedFact.objects.values("person_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        return
    person = busiest["person_id"]
    from unittest import mock

    from reports import tasks

    # The write alone: the warming task it sends after the commit is timed with
    # the pages.
    with mock.patch.object(tasks.figures_warm, "delay"):
        took = best_of(lambda: facts_refresh(people=[person]))
    print(
        f"Keeping the facts: one person's {busiest['n']} rows recomputed in "
        f"{took * 1000:.1f} ms (done on every write that changes them)"
    )


def main() -> None:
    from django.db import connection

    started = time.perf_counter()
    counts = _counts() if REUSE else build()
    rebuilt = ""
    if not REUSE:
        # The rows went in with COPY, past the signals that keep the reports' facts;
        # rebuild them all, as the nightly task does, and say how long it takes.
        from reports.facts import facts_rebuild

        rebuild_started = time.perf_counter()
        facts = facts_rebuild()
        rebuilt = (
            f"; {facts:,} trained facts rebuilt in "
            f"{time.perf_counter() - rebuild_started:.1f} s"
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As autovacuum would: statistics, and the visibility map index-only
            # scans need.
            cursor.execute("VACUUM ANALYZE")
    print(
        f"Reports benchmark on {connection.vendor}: "
        + ", ".join(f"{value:,} {name}" for name, value in counts.items())
        + f" (built in {time.perf_counter() - started:.0f} s{rebuilt})"
    )
    _measure_upkeep()
    year = measure(
        "One year (2025), as the home dashboard",
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
    )
    all_time = measure("All time, as the Reports page without filters", None, None)
    print(
        "\nGoal (issue 20): the all-time Reports page "
        f"{all_time['page'] / all_time['raw_count']:.2f}× one raw national distinct "
        f"count (goal ≤ 1.5×); one year's page {year['page'] * 1000:.0f} ms, "
        f"{year['page'] / year['raw_count']:.2f}× the year's raw count "
        "(goal ≤ 300 ms)"
    )


def run_separately() -> None:
    """Run in its own process, on its own database (from run.py)."""
    subprocess.run([sys.executable, __file__], cwd=ROOT, check=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = _own_database_url()
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    # As with a worker: the task recomputes the common views after each write
    # (in-process here).
    os.environ.setdefault("SUKSA_REPORTS_WARM_AFTER_WRITE", "true")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_places", verbosity=0, stdout=open(os.devnull, "w"))
    main()
