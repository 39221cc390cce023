"""Promoters, village meetings and centre visits as spreadsheets, out and back in.

An export is a list the user may see, one row per record, with bilingual headers;
the same file, changed or with rows added, imports again. An import is checked row
by row through promoters.services inside one transaction: the preview runs it and
rolls it back, the confirmation runs it and keeps it, and one error anywhere saves
nothing.
"""

import hashlib
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.policy import people_visible
from access.policy import sees_phone_numbers as user_sees_phone_numbers
from audit.history import history_actor
from common.phones import is_masked, phone_masked
from common.sheets import (
    Column,
    ErrorsShownMixin,
    RowError,
    RowProblem,
    SheetRefused,
    cell_amount,
    cell_choice,
    cell_count,
    cell_date,
    cell_gender,
    fold,
    headers_match,
    row_values,
    rows_to_csv,
    rows_to_xlsx,
    sheet_read,
    unknown_column,
)
from people.models import Organisation, Person
from people.services import person_find_or_create
from places.models import Village
from places.selectors import villages_by_name

from .models import GENDER_FIELDS, CentreVisit, Promoter, Topic, VillageMeeting
from .selectors import (
    centre_visits_changeable_by,
    centres_visible_to,
    meetings_changeable_by,
    offices_visible_to,
    promoters_changeable_by,
    promoters_visible_to,
    user_changes_all_promoters,
)
from .services import (
    centre_visit_record,
    centre_visit_update,
    meeting_record,
    meeting_update,
    promoter_create,
    promoter_update,
)

# A meeting row without a client ID gets one derived from the file and the row, so
# importing the same file twice stores each meeting once.
IMPORT_NAMESPACE = uuid.UUID("0b6f5a52-7d0e-4b8e-9a52-2f1d0c6d7c10")
LIST_SEPARATOR = ";"


def _gender_columns(prefix: str, english: str, lao: str) -> list[Column]:
    words = {
        "women": ("women", "ຍິງ"),
        "men": ("men", "ຊາຍ"),
        "other": ("other", "ອື່ນໆ"),
        "not_recorded": ("not recorded", "ບໍ່ໄດ້ບັນທຶກ"),
    }
    return [
        Column(
            f"{prefix}_{gender}",
            f"{english}: {words[gender][0]}",
            f"{lao}: {words[gender][1]}",
        )
        for gender in GENDER_FIELDS
    ]


COLUMNS = {
    "promoters": [
        Column("id", "ID", "ລະຫັດ"),
        Column("full_name", "Full name", "ຊື່ ແລະ ນາມສະກຸນ"),
        Column("gender", "Gender", "ເພດ"),
        Column("phone", "Phone", "ເບີໂທ"),
        Column("role", "Role", "ບົດບາດ"),
        Column("office", "District office", "ຫ້ອງການປະກັນສັງຄົມເມືອງ"),
        Column("village", "Village", "ບ້ານ"),
        Column("status", "Status", "ສະຖານະ"),
        Column("started_on", "Started on", "ເລີ່ມວັນທີ"),
        Column("ended_on", "Ended on", "ສິ້ນສຸດວັນທີ"),
    ],
    "meetings": [
        Column("id", "ID", "ລະຫັດ"),
        Column("date", "Date", "ວັນທີ"),
        Column("district", "District", "ເມືອງ"),
        Column("village", "Village", "ບ້ານ"),
        Column("led_by", "Led by", "ນຳພາໂດຍ"),
        Column("partners", "Partners", "ຄູ່ຮ່ວມງານ"),
        *_gender_columns("turnout", "Turnout", "ຜູ້ເຂົ້າຮ່ວມ"),
        *_gender_columns("registrations", "Registrations", "ການລົງທະບຽນ"),
        Column("topics", "Topics", "ຫົວຂໍ້"),
        Column("notes", "Notes", "ໝາຍເຫດ"),
        Column("client_uuid", "Client ID", "ລະຫັດເຄື່ອງ"),
        # Optional when importing: a row without them is a dissemination meeting.
        Column("kind", "Kind of activity", "ປະເພດກິດຈະກຳ"),
        Column("contributions_lak", "Contributions (LAK)", "ເງິນສົມທົບທີ່ເກັບໄດ້ (ກີບ)"),
        Column("contributions_people", "People who paid", "ຈຳນວນຄົນທີ່ຈ່າຍ"),
    ],
    "visits": [
        Column("id", "ID", "ລະຫັດ"),
        Column("centre", "Information centre", "ສູນຂໍ້ມູນຂ່າວສານ"),
        Column("date", "Date", "ວັນທີ"),
        *_gender_columns("visitors", "Visitors", "ຜູ້ມາຢ້ຽມຢາມ"),
        Column("topics", "Topics", "ຫົວຂໍ້"),
        Column("notes", "Notes", "ໝາຍເຫດ"),
    ],
}
KINDS = tuple(COLUMNS)
TITLES = {"promoters": "Promoters", "meetings": "Village meetings", "visits": "Visits"}


def _joined(items) -> str:
    return f"{LIST_SEPARATOR} ".join(str(item) for item in items)


# Export -------------------------------------------------------------------------------


def _promoter_row(promoter: Promoter, *, show_phone: bool) -> list:
    person = promoter.person
    return [
        promoter.pk,
        person.full_name,
        person.get_gender_display(),
        person.phone if show_phone else phone_masked(person.phone),
        promoter.get_role_display(),
        promoter.office.name,
        promoter.village.name,
        promoter.get_status_display(),
        promoter.started_on,
        promoter.ended_on or "",
    ]


def _meeting_row(meeting: VillageMeeting) -> list:
    return [
        meeting.pk,
        meeting.date,
        meeting.village.district.name,
        meeting.village.name,
        _joined(p.person.full_name for p in meeting.led_by.all()),
        _joined(meeting.partners.all()),
        *[getattr(meeting, f"turnout_{g}") for g in GENDER_FIELDS],
        *[getattr(meeting, f"registrations_{g}") for g in GENDER_FIELDS],
        _joined(topic.name for topic in meeting.topics.all()),
        meeting.notes,
        meeting.client_uuid,
        meeting.get_kind_display(),
        meeting.contributions_lak,
        meeting.contributions_people,
    ]


def _visit_row(visit: CentreVisit) -> list:
    return [
        visit.pk,
        visit.centre.name,
        visit.date,
        *[getattr(visit, f"visitors_{g}") for g in GENDER_FIELDS],
        _joined(topic.name for topic in visit.topics.all()),
        visit.notes,
    ]


def export_rows(*, kind: str, queryset, user) -> list[list]:
    """Header and one row per record; related data fetched in a fixed number of
    queries whatever the number of rows."""
    header = [column.header for column in COLUMNS[kind]]
    if kind == "promoters":
        show = user_sees_phone_numbers(user)
        records = queryset.select_related("person", "office", "village")
        return [header, *(_promoter_row(p, show_phone=show) for p in records)]
    if kind == "meetings":
        records = queryset.select_related("village__district").prefetch_related(
            "led_by__person", "partners", "topics"
        )
        return [header, *(_meeting_row(m) for m in records)]
    records = queryset.select_related("centre").prefetch_related("topics")
    return [header, *(_visit_row(v) for v in records)]


def export_file(*, kind: str, queryset, user, file_format: str) -> bytes:
    rows = export_rows(kind=kind, queryset=queryset, user=user)
    if file_format == "csv":
        return rows_to_csv(rows)
    return rows_to_xlsx(rows, title=TITLES[kind])


# Import -------------------------------------------------------------------------------


@dataclass
class ImportReport(ErrorsShownMixin):
    kind: str
    errors: list[RowError] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[tuple[int, str, str]] = field(
        default_factory=list
    )  # row, label, outcome


class _Rollback(Exception):
    pass


def _header_keys(kind: str, header: list) -> tuple[dict[int, str], list[RowError]]:
    keys, unknown = headers_match(header, COLUMNS[kind])
    return keys, [unknown_column(header[i], source="export") for i in unknown]


class _Lookups:
    """Names in the sheet → records, each table read once per sheet."""

    def __init__(self, user):
        self.user = user
        self.offices = {fold(o.name): o for o in offices_visible_to(user)}
        self.topics = {}
        for topic in Topic.objects.all():
            for name in (topic.code, topic.name_lo, topic.name_en):
                self.topics[fold(name)] = topic
        self.organisations = {fold(o.name): o for o in Organisation.objects.all()}
        self.centres = {fold(c.name): c for c in centres_visible_to(user)}
        self._villages: dict[int, dict[str, Village]] = {}
        self._promoters = None

    def villages(self, district_id: int) -> dict[str, Village]:
        if district_id not in self._villages:
            found = villages_by_name(Village.objects.filter(district_id=district_id))
            self._villages[district_id] = {
                name: village for (_district, name), village in found.items()
            }
        return self._villages[district_id]

    def promoters(self) -> dict[str, list[Promoter]]:
        if self._promoters is None:
            self._promoters = {}
            for promoter in promoters_visible_to(self.user).filter(
                status=Promoter.Status.ACTIVE
            ):
                for name in (promoter.person.full_name, promoter.person.latin_name):
                    if name:
                        self._promoters.setdefault(fold(name), []).append(promoter)
        return self._promoters

    def village(self, *, district_id: int, text: str, column: str) -> Village:
        village = self.villages(district_id).get(fold(text))
        if village is None:
            raise RowProblem(
                column,
                _(
                    "There is no village “%(value)s” in this district. Check the "
                    "spelling, or add the village under Places first."
                )
                % {"value": text},
            )
        return village

    def many(self, table: dict, text: str, column: str, what: str) -> list:
        found = []
        for name in filter(None, (part.strip() for part in text.split(";"))):
            item = table.get(fold(name))
            if item is None:
                raise RowProblem(
                    column,
                    _("Unknown %(what)s: “%(value)s”.") % {"what": what, "value": name},
                )
            found.append(item)
        return found


def _problem_from(error: ValidationError, kind: str) -> RowProblem:
    """A service's field errors → the sheet column they concern."""
    headers = {column.key: column.header for column in COLUMNS[kind]}
    aliases = {"person": "full_name", "led_by": "led_by", "centre": "centre"}
    if hasattr(error, "error_dict"):
        field_name, errors = next(iter(error.error_dict.items()))
        key = aliases.get(field_name, field_name)
        message = " ".join(e.message % (e.params or {}) for e in errors)
        return RowProblem(headers.get(key, ""), message)
    return RowProblem("", " ".join(error.messages))


def _existing(queryset, text: str, column: str):
    if not text:
        return None
    record = queryset.filter(pk=text).first() if text.isdigit() else None
    if record is None:
        raise RowProblem(
            column,
            _(
                "No record with ID %(value)s that you may change. Leave the ID empty "
                "to add a new one."
            )
            % {"value": text},
        )
    return record


def _import_promoter(values, *, lookups: _Lookups, user) -> tuple[str, str]:
    headers = {c.key: c.header for c in COLUMNS["promoters"]}
    existing = _existing(promoters_changeable_by(user), values.get("id", ""), "ID")
    office = lookups.offices.get(fold(values.get("office")))
    if office is None:
        raise RowProblem(
            headers["office"],
            _("Unknown district office “%(value)s”.") % {"value": values.get("office")},
        )
    fields = {
        "role": cell_choice(
            values.get("role", ""), Promoter.Role.choices, headers["role"]
        ),
        "office": office,
        "village": lookups.village(
            district_id=office.district_id,
            text=values.get("village", ""),
            column=headers["village"],
        ),
        "status": cell_choice(
            values.get("status") or Promoter.Status.ACTIVE,
            Promoter.Status.choices,
            headers["status"],
        ),
        "started_on": cell_date(values.get("started_on", ""), headers["started_on"]),
        "ended_on": cell_date(
            values.get("ended_on", ""), headers["ended_on"], required=False
        ),
    }
    name = values.get("full_name", "")
    if existing is not None:
        unchanged = all(getattr(existing, k) == v for k, v in fields.items())
        if not unchanged:
            promoter_update(promoter=existing, user=user, **fields)
        return str(existing.person), "unchanged" if unchanged else "updated"
    if not name:
        raise RowProblem(headers["full_name"], _("The name is empty."))
    person = _find_or_create_person(values, office=office, user=user)
    promoter_create(person=person, user=user, **fields)
    return name, "new"


def _find_or_create_person(values, *, office, user) -> Person:
    """The person the row names, by the one rule (``people.services``), among
    those the importing user may see: the sheet has no year of birth, so the
    same phone, or the same name in the office's district. A match outside
    their scope is not adopted (a new record, flagged as its duplicate)."""
    phone = values.get("phone", "")
    if is_masked(phone):
        phone = ""
    person, _created = person_find_or_create(
        among=people_visible(user) if user is not None else None,
        full_name=values["full_name"],
        created_by=user,
        phone=phone,
        district=office.district,
        gender=cell_gender(values.get("gender", ""), "Gender / ເພດ"),
    )
    return person


def _meeting_fields(values, *, lookups: _Lookups) -> dict:
    headers = {c.key: c.header for c in COLUMNS["meetings"]}
    leaders = lookups.many(
        lookups.promoters(), values.get("led_by", ""), headers["led_by"], _("promoter")
    )
    for group in leaders:
        if len(group) > 1:
            raise RowProblem(
                headers["led_by"],
                _(
                    "Several promoters are called “%(name)s”. Record this meeting "
                    "in the admin instead."
                )
                % {"name": group[0].person.full_name},
            )
    leaders = [group[0] for group in leaders]
    if not leaders:
        raise RowProblem(headers["led_by"], _("Name the promoter who led the meeting."))
    district_id = leaders[0].office.district_id
    return {
        "date": cell_date(values.get("date", ""), headers["date"]),
        "village": lookups.village(
            district_id=district_id,
            text=values.get("village", ""),
            column=headers["village"],
        ),
        "led_by": leaders,
        "partners": lookups.many(
            lookups.organisations,
            values.get("partners", ""),
            headers["partners"],
            _("organisation"),
        ),
        "topics": lookups.many(
            lookups.topics, values.get("topics", ""), headers["topics"], _("topic")
        ),
        "turnout": {
            g: cell_count(values.get(f"turnout_{g}", ""), headers[f"turnout_{g}"])
            for g in GENDER_FIELDS
        },
        "registrations": {
            g: cell_count(
                values.get(f"registrations_{g}", ""), headers[f"registrations_{g}"]
            )
            for g in GENDER_FIELDS
        },
        "notes": values.get("notes", ""),
        "kind": cell_choice(
            values.get("kind") or VillageMeeting.Kind.DISSEMINATION,
            VillageMeeting.Kind.choices,
            headers["kind"],
        ),
        "contributions_lak": cell_amount(
            values.get("contributions_lak", ""), headers["contributions_lak"]
        ),
        "contributions_people": cell_count(
            values.get("contributions_people", ""), headers["contributions_people"]
        ),
    }


def _import_meeting(values, *, lookups, user, row_uuid) -> tuple[str, str]:
    existing = _existing(meetings_changeable_by(user), values.get("id", ""), "ID")
    fields = _meeting_fields(values, lookups=lookups)
    label = f"{fields['village'].name}, {fields['date']}"
    if existing is not None:
        if _meeting_unchanged(existing, fields):
            return label, "unchanged"
        meeting_update(meeting=existing, user=user, **fields)
        return label, "updated"
    client_uuid = values.get("client_uuid") or row_uuid
    try:
        client_uuid = uuid.UUID(str(client_uuid))
    except ValueError:
        raise RowProblem(
            "Client ID / ລະຫັດເຄື່ອງ", _("Leave the client ID empty or as exported.")
        ) from None
    _meeting, created = meeting_record(user=user, client_uuid=client_uuid, **fields)
    return label, "new" if created else "unchanged"


def _same(related, items) -> bool:
    return {item.pk for item in related.all()} == {item.pk for item in items}


def _counts_same(record, prefix: str, counts: dict) -> bool:
    return all(getattr(record, f"{prefix}_{g}") == counts[g] for g in GENDER_FIELDS)


def _meeting_unchanged(meeting: VillageMeeting, fields: dict) -> bool:
    return (
        meeting.date == fields["date"]
        and meeting.village_id == fields["village"].pk
        and meeting.notes == fields["notes"]
        and meeting.kind == fields["kind"]
        and meeting.contributions_lak == fields["contributions_lak"]
        and meeting.contributions_people == fields["contributions_people"]
        and _counts_same(meeting, "turnout", fields["turnout"])
        and _counts_same(meeting, "registrations", fields["registrations"])
        and _same(meeting.led_by, fields["led_by"])
        and _same(meeting.partners, fields["partners"])
        and _same(meeting.topics, fields["topics"])
    )


def _import_visit(values, *, lookups, user) -> tuple[str, str]:
    headers = {c.key: c.header for c in COLUMNS["visits"]}
    existing = _existing(centre_visits_changeable_by(user), values.get("id", ""), "ID")
    centre = lookups.centres.get(fold(values.get("centre")))
    if centre is None:
        raise RowProblem(
            headers["centre"],
            _("Unknown information centre “%(value)s”.")
            % {"value": values.get("centre")},
        )
    fields = {
        "centre": centre,
        "date": cell_date(values.get("date", ""), headers["date"]),
        "visitors": {
            g: cell_count(values.get(f"visitors_{g}", ""), headers[f"visitors_{g}"])
            for g in GENDER_FIELDS
        },
        "topics": lookups.many(
            lookups.topics, values.get("topics", ""), headers["topics"], _("topic")
        ),
        "notes": values.get("notes", ""),
    }
    label = f"{centre.name}, {fields['date']}"
    if existing is not None:
        if (
            existing.centre_id == centre.pk
            and existing.date == fields["date"]
            and existing.notes == fields["notes"]
            and _counts_same(existing, "visitors", fields["visitors"])
            and _same(existing.topics, fields["topics"])
        ):
            return label, "unchanged"
        centre_visit_update(visit=existing, user=user, **fields)
        return label, "updated"
    centre_visit_record(user=user, **fields)
    return label, "new"


def spreadsheet_import(
    *, kind: str, content: bytes, filename: str, user, dry_run: bool
) -> ImportReport:
    """Check (``dry_run``) or import a spreadsheet of ``kind``; all or nothing."""
    report = ImportReport(kind=kind)
    try:
        rows = sheet_read(content=content, filename=filename)
    except SheetRefused as refused:
        report.errors.append(RowError(0, "", str(refused)))
        return report
    keys, report.errors = _header_keys(kind, rows[0])
    if report.errors:
        return report
    digest = hashlib.sha256(content).hexdigest()
    lookups = _Lookups(user)
    try:
        with transaction.atomic(), history_actor(user):
            for number, row in enumerate(rows[1:], start=2):
                values = row_values(keys, row)
                if not any(values.values()):
                    continue
                _import_row(report, kind, number, values, lookups, user, digest)
            if dry_run or report.errors:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _import_row(report, kind, number, values, lookups, user, digest) -> None:
    try:
        with transaction.atomic():
            if kind == "promoters":
                label, outcome = _import_promoter(values, lookups=lookups, user=user)
            elif kind == "meetings":
                row_uuid = uuid.uuid5(IMPORT_NAMESPACE, f"{digest}:{number}")
                label, outcome = _import_meeting(
                    values, lookups=lookups, user=user, row_uuid=row_uuid
                )
            else:
                label, outcome = _import_visit(values, lookups=lookups, user=user)
    except RowProblem as problem:
        report.errors.append(RowError(number, problem.column, problem.message))
        return
    except ValidationError as error:
        problem = _problem_from(error, kind)
        report.errors.append(RowError(number, problem.column, problem.message))
        return
    setattr(report, outcome, getattr(report, outcome) + 1)
    report.rows.append((number, label, outcome))


def user_may_import(user, kind: str) -> bool:
    if kind not in KINDS or not user.is_authenticated:
        return False
    if user_changes_all_promoters(user):
        return True
    permission = {
        "promoters": "promoters.add_promoter",
        "meetings": "promoters.add_villagemeeting",
        "visits": "promoters.add_centrevisit",
    }[kind]
    return user.has_perm(permission)
