"""Field history: which fields of which record changed, from what to what, by whom.

django-auditlog keeps it (one ``auditlog.LogEntry`` per save or delete). This module
is its one home in Suksa: the models it follows (``HISTORY_MODELS``), who the actor is
at every door, the bulk writes that bypass model signals, and the erasure of a person
from the history. The audit trail (``audit.services``) keeps its events beside it.

Who the actor is:
- admin views and session API calls: the signed-in user (``FieldHistoryMiddleware``);
- token API calls: DRF authenticates after every middleware has run, but sets the user
  on the request it wraps, so the actor is read from the request when an entry is
  written rather than when the request arrives (``_actor_from_request``);
- background jobs: ``audit.services.audit_actor(name, user=…)`` names the job and the
  user who asked for it;
- bulk writes (imports, attendance grids, completion): ``history_bulk_create`` and
  ``history_bulk_update`` write the entries that ``bulk_*`` skips.
"""

import contextlib
import contextvars
import json
import operator
import sqlite3
from itertools import chain

from auditlog.context import auditlog_value, set_extra_data
from auditlog.diff import get_field_value, get_fields_in_model, model_instance_diff
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import connections, router, transaction
from django.db.models import (
    DateField,
    DateTimeField,
    Field,
    JSONField,
    Model,
    Q,
    TextField,
)
from django.db.models.functions import Cast
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.encoding import smart_str

from common.network import client_address

# Fields never kept: secrets (a certificate's verification code), keys derived from
# other fields (name and phone keys), and timestamps and caches that change on every
# save (rendered PDFs).
NOT_KEPT = ["created_at", "updated_at"]
HISTORY_MODELS: list[tuple[str, dict]] = [
    ("people.Person", {"exclude_fields": [*NOT_KEPT, "name_key", "phone_key"]}),
    ("people.Organisation", {}),
    ("trainings.Course", {"exclude_fields": NOT_KEPT}),
    (
        "trainings.Session",
        {"exclude_fields": NOT_KEPT, "m2m_fields": ["partners", "funders", "led_by"]},
    ),
    ("trainings.Enrolment", {"exclude_fields": NOT_KEPT}),
    ("trainings.Attendance", {"exclude_fields": NOT_KEPT}),
    ("trainings.TrainerQualification", {"exclude_fields": NOT_KEPT}),
    ("trainings.HistoricalTraining", {"exclude_fields": NOT_KEPT}),
    (
        "certificates.Certificate",
        {"exclude_fields": ["code", "pdf", "pdf_fingerprint"]},
    ),
    ("promoters.Promoter", {"exclude_fields": NOT_KEPT}),
    (
        "promoters.VillageMeeting",
        {
            "exclude_fields": [*NOT_KEPT, "client_uuid"],
            "m2m_fields": ["led_by", "partners", "topics", "materials"],
        },
    ),
    ("promoters.InformationCentre", {"exclude_fields": NOT_KEPT}),
    ("promoters.CentreVisit", {"exclude_fields": NOT_KEPT, "m2m_fields": ["topics"]}),
    ("periods.PeriodApproval", {"exclude_fields": NOT_KEPT}),
]

_current_request = contextvars.ContextVar("history_request", default=None)


def history_models() -> list[type[Model]]:
    return [apps.get_model(label) for label, _options in HISTORY_MODELS]


def history_register() -> None:
    """Follow every model of ``HISTORY_MODELS`` (from ``AuditConfig.ready``).

    Reverse relations and the id are left out: a new record would list them all."""
    for model, (_label, options) in zip(history_models(), HISTORY_MODELS, strict=True):
        fields = {field.name for field in model._meta.get_fields()}
        reverse = [
            field.name
            for field in model._meta.get_fields()
            if field.auto_created and not field.concrete
        ]
        excluded = [
            name for name in options.get("exclude_fields", []) if name in fields
        ]
        options = {**options, "exclude_fields": [*excluded, *reverse, "id"]}
        auditlog.register(model, **options)
    pre_save.connect(
        _actor_from_request, sender=LogEntry, dispatch_uid="audit.history.actor"
    )


class FieldHistoryMiddleware(AuditlogMiddleware):
    """auditlog's middleware, with Suksa's client-address rule and the request kept
    for ``_actor_from_request``."""

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request) or None

    def __call__(self, request):
        # auditlog leaves its context set after the request: reset both, so that
        # nothing from this request is taken as the actor of later work in the thread.
        request_token = _current_request.set(request)
        context_token = auditlog_value.set(None)
        try:
            return super().__call__(request)
        finally:
            auditlog_value.reset(context_token)
            _current_request.reset(request_token)


def current_request():
    """The request being answered, if any (set by ``FieldHistoryMiddleware``)."""
    return _current_request.get()


def _request_user():
    request = _current_request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _actor_from_request(sender, instance, **kwargs):
    """The actor of the innermost ``history_actor`` block, else the request's user."""
    actor = _context().get("actor")
    if instance.actor_id is None and actor is not None:
        instance.actor = actor
        instance.actor_email = getattr(actor, "email", None)


@contextlib.contextmanager
def history_actor(user=None, *, job: str = ""):
    """Entries written inside this block name ``user`` (by default the actor already
    in force) and, for background work, the job. Restores the context afterwards
    (auditlog's own context manager leaves it set)."""
    outer = _context()
    if not getattr(user, "is_authenticated", False):
        user = outer.get("actor")
    context = {"actor": user}
    if job or outer.get("additional_data"):
        context["additional_data"] = {"job": job} if job else outer["additional_data"]
    token = auditlog_value.set(None)
    try:
        with set_extra_data(context):
            yield
    finally:
        auditlog_value.reset(token)


def _context() -> dict:
    context = dict(auditlog_value.get(None) or {})
    if context.get("actor") is None:
        context["actor"] = _request_user()
    return context


def _entries(pairs, fields=None) -> list[tuple]:
    """The entries for (old, new) pairs of records, as auditlog would write them:
    ``(content type id, key, record, changes)`` each (``_entries_insert`` writes
    them; ``changes`` a dict, or its JSON text)."""
    entries = []
    content_types: dict[type[Model], int | None] = {}  # None: not followed
    for old, new in pairs:
        instance = new if new is not None else old
        model = type(instance)
        if model not in content_types:
            content_types[model] = _content_type_id(model)
        if content_types[model] is None:
            continue
        if old is None and fields is None:
            changes = _creation_diff(new)
        else:
            changes = model_instance_diff(old, new, fields_to_check=fields)
        if not changes:
            continue
        entries.append((content_types[model], instance.pk, instance, changes))
    return entries


def _entry_common(action: int) -> dict:
    """What every entry of one write shares: the action, the actor, the request."""
    from auditlog.cid import get_cid

    context = _context()
    actor = context.get("actor")
    return {
        "action": action,
        "actor_id": getattr(actor, "pk", None),
        "actor_email": getattr(actor, "email", None),
        "remote_addr": context.get("remote_addr"),
        "additional_data": context.get("additional_data"),
        "cid": get_cid(),
    }


def _content_type_id(model: type[Model]) -> int | None:
    """The model's content type, None when the history does not follow it."""
    if not auditlog.contains(model):
        return None
    return ContentType.objects.get_for_model(model).pk


# A new record's entry: every followed field whose value is not auditlog's "None"
# (what ``model_instance_diff(None, new)`` gives), with the fields and their value
# readers worked out once per model rather than once per record and field.
_CREATION_FIELDS: dict[type[Model], list | None] = {}


def _creation_fields(instance: Model) -> list | None:
    model = type(instance)
    if model not in _CREATION_FIELDS:
        settings_ = auditlog.get_model_fields(model)
        fields = list(set(get_fields_in_model(instance)))
        if settings_["include_fields"]:
            fields = [f for f in fields if f.name in settings_["include_fields"]]
        if settings_["exclude_fields"]:
            fields = [f for f in fields if f.name not in settings_["exclude_fields"]]
        readers = []
        for field in fields:
            if isinstance(field, DateTimeField | JSONField):
                readers.append((field.name, "auditlog", field))
            elif (
                not django_settings.AUDITLOG_USE_FK_STRING_REPRESENTATION
                and (field.one_to_one or field.many_to_one)
                and hasattr(field, "rel_class")
            ):
                readers.append((field.name, "key", field.get_attname()))
            else:
                readers.append((field.name, "value", field.name))
        # Masked fields and stored JSON changes: auditlog's own diff.
        plain = not settings_["mask_fields"] and not getattr(
            django_settings, "AUDITLOG_STORE_JSON_CHANGES", False
        )
        _CREATION_FIELDS[model] = readers if plain else None
    return _CREATION_FIELDS[model]


def _creation_diff(new: Model) -> dict | None:
    readers = _creation_fields(new)
    if readers is None:
        return model_instance_diff(None, new)
    diff = {}
    values = new.__dict__  # a key's attribute read without its descriptor
    for name, how, what in readers:
        try:
            if how == "auditlog":
                value = get_field_value(new, what)
            else:
                value = values[what] if what in values else getattr(new, what)
        except (ObjectDoesNotExist, AttributeError):
            how, value = "auditlog", get_field_value(new, _field_named(new, name))
        if (pair := _created(how, value)) is not None:
            diff[name] = pair
    return diff or None


def _created(how: str, value) -> tuple[str, str] | None:
    """A new record's field in its entry, as read by its reader (``how``); None
    when auditlog leaves it out."""
    if how == "value":
        text = _text(value)
        return None if text == "None" else ("None", text)
    return None if value == "None" else ("None", _text(value))


def _text(value) -> str:
    """``smart_str``, without its checks for the commonest values."""
    if type(value) is str:
        return value
    if value is None or type(value) in (int, bool):
        return str(value)
    return smart_str(value)


def _field_named(instance: Model, name: str):
    return instance._meta.get_field(name)


def _entries_insert(action: int, entries: list[tuple]) -> None:
    """Insert ``_entries`` as ``LogEntry.objects.bulk_create`` would (no signals,
    no keys read back), from rows of values rather than ``LogEntry`` objects:
    building thousands of them and their statements through the query compiler
    costs more than the writing. What every entry of one write shares (the
    action, the actor, the request, the columns' defaults, the same time for
    all) is prepared once; each entry gives only its own record's columns."""
    if not entries:
        return
    # The connection itself, not its proxy: it is read for every value.
    database = connections[router.db_for_write(LogEntry)]
    fields = [
        field
        for field in LogEntry._meta.concrete_fields
        if field is not LogEntry._meta.pk
    ]
    shared = {
        field.attname: field.get_db_prep_save(field.get_default(), database)
        for field in fields
    }
    for name, value in _entry_common(action).items():
        shared[name] = LogEntry._meta.get_field(name).get_db_prep_save(value, database)
    own = ["content_type_id", "object_pk", "object_id", "object_repr", "changes"]
    # A diff as the field saves it: JSONField's own steps, once per value (an
    # entry's diff is never None nor an expression); a diff given as its JSON text
    # (``_values_changes``) as it is: SQLite keeps that text, PostgreSQL's COPY
    # reads it into jsonb.
    adapt, encoder = (
        database.ops.adapt_json_value,
        LogEntry._meta.get_field("changes").encoder,
    )
    rows = [
        (
            content_type_id,
            str(pk),
            pk if isinstance(pk, int) else None,
            _text(label)[:5000],
            diff if type(diff) is str else adapt(diff, encoder),
        )
        for content_type_id, pk, label, diff in entries
    ]
    # The entry's own columns first, then the shared ones.
    fields.sort(
        key=lambda field: own.index(field.attname) if field.attname in own else len(own)
    )
    columns = _table_columns(LogEntry, fields, database)
    constants = [shared[field.attname] for field in fields[len(own) :]]
    with database.cursor() as cursor:
        if database.vendor != "postgresql":
            _sqlite_insert(cursor, f"INSERT INTO {columns} ", rows, constants)
            return
        # PostgreSQL runs executemany one statement a row, and splits a multi-row
        # one placeholder by placeholder: COPY instead.
        with cursor.cursor.copy(f"COPY {columns} FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *constants))


def _sqlite_insert(
    cursor, head: str, rows: list, constants=(), returning="", batch_size=None
) -> list:
    """Multi-row inserts on SQLite of ``rows`` (each a sequence of values, as the
    database takes them) followed by ``constants``, the same values for every row.
    ``head`` is ``INSERT INTO table (columns) ``, the rows' columns first. As many
    rows a statement as the library takes; what ``returning`` reads, in the rows'
    order.

    A value that every row shares (``constants``, and any column of the rows that
    holds one value throughout: a sheet's district, a default) is bound once a
    statement, not once a row: binding a value costs more than SQLite's writing
    it. The statement reads ``INSERT … SELECT column1, ?, column2 … FROM (VALUES
    …)``, the rows giving only the values that differ."""
    if not rows:
        return []
    if not rows[0]:  # no column of their own: every row is the constants
        rows, constants = [tuple(constants)] * len(rows), ()
    columns = list(zip(*rows, strict=True))  # the rows' values, column by column
    shared = {index for index, column in enumerate(columns) if _one_value(column)}
    if len(shared) == len(columns):  # one column at least (VALUES needs one)
        shared.discard(0)
    selected, once, varying = [], [], []
    for index, column in enumerate(columns):
        if index in shared:
            selected.append("%s")
            once.append(column[0])
        else:
            varying.append(column)
            selected.append(f"column{len(varying)}")
    selected += ["%s"] * len(constants)
    once += constants
    one = "(" + ", ".join(["%s"] * len(varying)) + ")"
    if once:
        head = f"{head}SELECT {', '.join(selected)} FROM (VALUES "
        tail = f"){returning}"
    else:
        head, tail = f"{head}VALUES ", returning
    size = _sqlite_rows_per_statement(cursor.db, len(varying), fixed=len(once))
    size = min(size, batch_size or size)
    found = []
    for start in range(0, len(rows), size):
        stop = min(start + size, len(rows))
        # Row by row, the values that differ (flattened in C, not value by value).
        values = chain.from_iterable(
            zip(*(column[start:stop] for column in varying), strict=True)
        )
        cursor.execute(
            head + ", ".join([one] * (stop - start)) + tail, [*once, *values]
        )
        if returning:
            found += cursor.fetchall()
    return found


# Values whose equality is sameness of what is stored: not Decimal (7.5 == 7.50),
# bool (True == 1) or dates of different time zones.
_SHAREABLE = frozenset({str, int, float, type(None)})


def _one_value(column: tuple) -> bool:
    """Whether every value of a column is the same (a value of one type)."""
    first = column[0]
    return (
        type(first) in _SHAREABLE
        and column.count(first) == len(column)
        and len(set(map(type, column))) == 1
    )


def _sqlite_rows_per_statement(database, width: int, fixed: int = 0) -> int:
    """How many rows of ``width`` values (besides ``fixed`` values bound once) one
    multi-row insert takes on SQLite. Its limit of parameters a statement is the
    library's own (250,000 in Debian's; Django assumes 999, the default of SQLite
    before 3.32): fewer statements, each read once."""
    database.ensure_connection()
    limit = database.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min((limit - fixed) // max(width, 1), 1_000))


def _table_columns(model: type[Model], fields, database) -> str:
    """``table (columns)`` for these fields of the model, quoted."""
    quote = database.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    return f"{quote(model._meta.db_table)} ({columns})"


def _insert_returning_keys(model: type[Model], objects: list, batch_size=None):
    """``bulk_create`` for new records of a model with an automatic key: the same
    rows and keys, in multi-row inserts that read the keys back, built directly
    rather than through the query compiler (which costs more per value than the
    database does). None when this shortcut does not apply (then ``bulk_create``)."""
    # The connection itself, not its proxy: it is read for every value.
    database = connections[router.db_for_write(model)]
    fields = _insert_fields(model)
    if any(obj.pk is not None for obj in objects) or not _keys_returnable(
        model, fields, database
    ):
        return None
    fields, rows, constants = _insert_rows(objects, fields, database)
    keys = _insert_values(model, fields, rows, database, batch_size, constants)
    for obj, key in zip(objects, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = database.alias
    return objects


def _insert_fields(model: type[Model]) -> list[Field]:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _keys_returnable(model: type[Model], fields, database) -> bool:
    """Whether ``_insert_values`` can write this model's rows and read their keys."""
    meta = model._meta
    return (
        database.features.can_return_rows_from_bulk_insert
        and meta.pk.auto_created
        and not meta.parents
        and meta.db_returning_fields == [meta.pk]
        and not any(field.has_db_default() for field in meta.concrete_fields)
        and (database.vendor != "postgresql" or _unnestable(fields, database))
    )


def _insert_values(
    model: type[Model], fields, rows, database, batch_size, constants=()
) -> list:
    """Insert rows of values already in the database's form, each followed by
    ``constants`` (the same for every row; ``fields`` name the rows' columns, then
    the constants'); their new keys."""
    head = f"INSERT INTO {_table_columns(model, fields, database)} "
    returning = f" RETURNING {database.ops.quote_name(model._meta.pk.column)}"
    with (
        transaction.atomic(using=database.alias, savepoint=False),
        database.cursor() as cursor,
    ):
        if database.vendor != "postgresql":
            found = _sqlite_insert(cursor, head, rows, constants, returning, batch_size)
            keys = [row[0] for row in found]
            if len(keys) != len(rows):
                raise AssertionError("an insert returned fewer keys than rows")
            return keys
        # At most 60,000 values a statement (PostgreSQL's limit is 65,535
        # parameters; its statement takes one array a column, as Django's bulk
        # insert does).
        size = database.ops.bulk_batch_size(fields, rows) or len(rows)
        size = max(1, min(size, batch_size or size, 60_000 // len(fields)))
        arrays = ", ".join(
            f"(%s)::{field.db_type(database).split('(')[0]}[]" for field in fields
        )
        sql = f"{head}SELECT * FROM UNNEST({arrays}){returning}"
        keys = []
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            columns = [list(column) for column in zip(*batch, strict=True)]
            cursor.execute(sql, columns + [[value] * len(batch) for value in constants])
            found = [row[0] for row in cursor.fetchall()]
            if len(found) != len(batch):
                raise AssertionError("an insert returned fewer keys than rows")
            keys += found
    return keys


def _unnestable(fields, database) -> bool:
    """Whether PostgreSQL can take these columns as arrays (Django's own test)."""
    return not any(
        hasattr(field, "get_placeholder")
        or (field.target_field if field.is_relation else field).get_internal_type()
        not in database.data_types
        for field in fields
    )


def _insert_rows(objects, fields, database) -> tuple[list, list[list], list]:
    """Each object's values as the database takes them, as ``bulk_create`` would
    prepare them; an ``auto_now`` or ``auto_now_add`` time is the same for every
    record of one write (as the entries' times are), read and prepared once.
    Returns the fields (the rows' own, then the times'), the rows and the times."""
    now = timezone.now()
    stamped = [field for field in fields if _stamped(field)]
    own = [field for field in fields if field not in stamped]
    # How each field's value is had: (attribute, the field, whether it is plain:
    # a str, int or None saved as it is).
    readers = [(field.attname, field, _is_plain(field)) for field in own]
    rows = []
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        # The values themselves: a key's attribute is read without its descriptor.
        values = obj.__dict__
        row = []
        for attname, field, plain in readers:
            if plain and attname in values:
                value = values[attname]
            else:
                value = field.pre_save(obj, True)
            row.append(_prepared(field, plain, value, database))
        rows.append(row)
        for field in stamped:
            values[field.attname] = now
    stamp = [field.get_db_prep_save(now, database) for field in stamped]
    return own + stamped, rows, stamp


def _stamped(field) -> bool:
    """A date and time field that a new record's save sets to now."""
    return (
        isinstance(field, DateTimeField)
        and type(field).pre_save is DateTimeField.pre_save
        and bool(field.auto_now or field.auto_now_add)
    )


# The values a plain field (``_is_plain``) saves as they are.
_AS_IS = (str, int, type(None))
_AS_IS_TYPES = frozenset(_AS_IS)


def _prepared(field, plain: bool, value, database):
    """A value as the database takes it; a plain field's str, int or None as it is."""
    if plain and type(value) in _AS_IS:
        return value
    return field.get_db_prep_save(value, database)


# Fields whose database form of a str, int or None is that value itself (SQLite
# and PostgreSQL).
_PLAIN_TYPES = {
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "IntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
}


def _is_plain(field) -> bool:
    """A field whose value is saved as it is read (no ``pre_save`` of its own,
    such as an ``auto_now`` date; no conversion)."""
    if type(field).pre_save is not Field.pre_save:
        return False
    if field.is_relation:
        field = field.target_field
    return field.get_internal_type() in _PLAIN_TYPES or (
        field.get_internal_type() in {"AutoField", "BigAutoField", "SmallAutoField"}
    )


def history_bulk_create(model: type[Model], objects, **options) -> list:
    """``bulk_create`` that keeps the history ``post_save`` would have kept."""
    objects = list(objects)
    created = None
    if objects and set(options) <= {"batch_size"}:
        created = _insert_returning_keys(model, objects, options.get("batch_size"))
    if created is None:
        created = model.objects.bulk_create(objects, **options)
    _entries_insert(
        LogEntry.Action.CREATE,
        _entries([(None, obj) for obj in created]),
    )
    return created


def history_bulk_insert(
    model: type[Model], rows: list[dict], labels: list[str], batch_size=None
) -> list:
    """``history_bulk_create`` for new records given as their values rather than
    as model instances: the same rows and entries, without building thousands of
    instances (which costs more than writing them). Every row maps the same
    attribute names (``day_id``, not ``day``) to values; the fields not given take
    their defaults. ``labels`` are the records' ``str``, for their entries.
    Returns the new keys, in the rows' order."""
    if not rows:
        return []
    database = connections[router.db_for_write(model)]
    fields = _insert_fields(model)
    given = set(rows[0])
    template = model()
    readers = _given_readers(template, fields, given)
    if readers is None or not _keys_returnable(model, fields, database):
        objects = [model(**row) for row in rows]
        created = history_bulk_create(model, objects, batch_size=batch_size)
        return [obj.pk for obj in created]
    own = [field for field in fields if field.attname in given]
    # A record of the defaults gives the values of the fields not given.
    rest = [field for field in fields if field.attname not in given]
    defaults = [
        field.get_db_prep_save(field.pre_save(template, True), database)
        for field in rest
    ]
    values = _value_rows(own, rows, database)
    keys = _insert_values(model, own + rest, values, database, batch_size, defaults)
    content_type_id = _content_type_id(model)
    if content_type_id is not None:
        parts = _changes_parts(readers)
        _entries_insert(
            LogEntry.Action.CREATE,
            [
                (content_type_id, key, label, changes)
                for key, label, row in zip(keys, labels, rows, strict=True)
                if (changes := _values_changes(parts, row))
            ],
        )
    return keys


def _given_readers(template: Model, fields, given: set[str]) -> list | None:
    """A new record's entry fields, each with its value's source: the row's value
    (an attribute named in ``given``) or the pair of the record of the defaults.
    None when a field given is not saved or read as it is given (then the records
    are built)."""
    readers = _creation_fields(template)
    if readers is None or any(
        not _saves_as_given(field) for field in fields if field.attname in given
    ):
        return None
    defaults = _creation_diff(template) or {}
    sources = []
    for name, how, what in readers:
        attname = _field_named(template, name).attname
        if attname not in given:
            sources.append((name, None, defaults.get(name)))
        elif how == "auditlog" or what != attname:
            return None
        else:
            sources.append((name, how, attname))
    return sources


def _changes_parts(readers) -> list[tuple]:
    """``_given_readers``' readers with each field's part of the changes' JSON text
    made once: a default's whole part, or the beginning of a given value's."""
    parts = []
    for name, how, what in readers:
        key = json.dumps(name)
        if how is None:
            if what is not None:
                parts.append((None, None, f"{key}: {json.dumps(list(what))}"))
        else:
            parts.append((how, what, f'{key}: ["None", '))
    return parts


# A str as json.dumps writes it (non-ASCII letters escaped); C-speed.
_json_string = json.encoder.encode_basestring_ascii


def _values_changes(parts, row: dict) -> str | None:
    """The changes of the record a row of values makes (``_creation_diff``'s) as
    the text ``json.dumps`` makes of them, which the database keeps: without a
    dict and an encoder a row. ``parts``: ``_changes_parts``."""
    texts = []
    for how, what, text in parts:
        if how is None:
            texts.append(text)
            continue
        value = row[what]
        kind = type(value)
        if kind is str or kind is int:  # ``_created``'s commonest, inline
            shown = value if kind is str else str(value)
            if shown == "None":
                continue
        else:
            pair = _created(how, value)
            if pair is None:
                continue
            shown = pair[1]
        texts.append(f"{text}{_json_string(shown)}]")
    return "{" + ", ".join(texts) + "}" if texts else None


def _saves_as_given(field) -> bool:
    """A field whose saved value is the value given (no ``auto_now``)."""
    return type(field).pre_save is Field.pre_save or (
        isinstance(field, DateField) and not (field.auto_now or field.auto_now_add)
    )


def _value_rows(fields, rows: list[dict], database) -> list:
    """The rows' values of these fields as the database takes them."""
    if not fields:
        return [() for _row in rows]
    read = operator.itemgetter(*(field.attname for field in fields))
    plain = [_is_plain(field) for field in fields]
    all_plain = all(plain)
    prepared = []
    for row in rows:
        values = read(row)
        if len(fields) == 1:
            values = (values,)
        if all_plain and _AS_IS_TYPES.issuperset(map(type, values)):
            prepared.append(values)  # as they are: no call a value
            continue
        prepared.append(
            [
                _prepared(field, is_plain, value, database)
                for field, is_plain, value in zip(fields, plain, values, strict=True)
            ]
        )
    return prepared


def history_bulk_update(model: type[Model], objects, fields, **options) -> int:
    """``bulk_update`` that keeps the history ``pre_save`` would have kept."""
    objects = list(objects)
    before = model._base_manager.in_bulk([obj.pk for obj in objects])
    count = model.objects.bulk_update(objects, fields, **options)
    pairs = [(before.get(obj.pk), obj) for obj in objects]
    _entries_insert(LogEntry.Action.UPDATE, _entries(pairs, fields))
    return count


# Erasure -----------------------------------------------------------------------------


def history_entries_of(objects) -> Q:
    """A filter for the entries of these records (any models)."""
    found = Q(pk__in=[])
    for obj in objects:
        found |= Q(
            content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
        )
    return found


def history_entries_naming(texts) -> Q:
    """A filter for the entries whose words or changes contain one of ``texts``.

    SQLite keeps JSON with non-ASCII letters escaped (\\u0e9a), PostgreSQL as they are:
    both spellings are looked for."""
    found = Q(pk__in=[])
    for text in texts:
        escaped = json.dumps(text)[1:-1]
        found |= Q(object_repr__contains=text) | Q(changes_text__contains=text)
        for spelling in {text, escaped}:
            found |= Q(changes_as_text__contains=spelling)
            found |= Q(data_as_text__contains=spelling)
    return found


def _replace(value, texts, replacement):
    if isinstance(value, str):
        for text in texts:
            value = value.replace(text, replacement)
        return value
    if isinstance(value, list):
        return [_replace(item, texts, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, texts, replacement) for key, item in value.items()}
    return value


def _redacted(changes, replacement):
    """Every value replaced; which fields changed is kept."""
    if not isinstance(changes, dict):
        return changes
    return {
        field: [replacement for _value in values]
        if isinstance(values, list)
        else replacement
        for field, values in changes.items()
    }


def history_erase(*, own_records, texts, replacement: str) -> int:
    """Remove a person from the field history.

    The entries of their own records (``own_records``: the person, their enrolments,
    attendance, certificates, promoter records) keep who changed which field when, with
    every value and label replaced; in every other entry, each of ``texts`` (their
    names, phone number) is replaced where it appears."""
    texts = [text for text in texts if text]
    own = LogEntry.objects.filter(history_entries_of(own_records))
    for entry in own:
        entry.object_repr = replacement
        entry.changes = _redacted(entry.changes, replacement)
        entry.changes_text = ""
        entry.serialized_data = None
        entry.save(
            update_fields=["object_repr", "changes", "changes_text", "serialized_data"]
        )
    if not texts:
        return len(own)
    others = (
        LogEntry.objects.exclude(history_entries_of(own_records))
        .annotate(
            changes_as_text=Cast("changes", TextField()),
            data_as_text=Cast("serialized_data", TextField()),
        )
        .filter(history_entries_naming(texts))
    )
    count = len(own)
    for entry in others:
        entry.object_repr = _replace(entry.object_repr, texts, replacement)
        entry.changes_text = _replace(entry.changes_text, texts, replacement)
        entry.changes = _replace(entry.changes, texts, replacement)
        entry.serialized_data = _replace(entry.serialized_data, texts, replacement)
        entry.save(
            update_fields=["object_repr", "changes", "changes_text", "serialized_data"]
        )
        count += 1
    return count
