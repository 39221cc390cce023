"""Loading and editing the Lao administrative units."""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.events import fields_changed, training_facts_announce

from .models import District, Province, Village

SHIPPED_PLACES_FILE = Path(__file__).resolve().parent / "data" / "lao_admin_units.csv"
COLUMNS = (
    "province_code",
    "province_iso",
    "province_name_lo",
    "province_name_en",
    "district_code",
    "district_name_lo",
    "district_name_en",
)


@dataclass(frozen=True)
class PlaceRow:
    line: int
    province_code: str
    province_iso: str
    province_name_lo: str
    province_name_en: str
    district_code: str
    district_name_lo: str
    district_name_en: str


@dataclass
class LoadResult:
    provinces_created: int = 0
    districts_created: int = 0
    provinces_updated: int = 0
    districts_updated: int = 0
    unchanged: int = 0


def _row_errors(row: PlaceRow) -> list[str]:
    errors = [
        _("column %(column)s is empty") % {"column": column}
        for column in COLUMNS
        if not getattr(row, column)
    ]
    if row.province_code and not re.fullmatch(r"\d{2}", row.province_code):
        errors.append(_("province_code must be 2 digits"))
    if row.district_code and not re.fullmatch(r"\d{4}", row.district_code):
        errors.append(_("district_code must be 4 digits"))
    elif row.district_code[:2] != row.province_code:
        errors.append(_("district_code must start with the province_code"))
    if row.province_iso and not re.fullmatch(r"LA-[A-Z]{2}", row.province_iso):
        errors.append(_("province_iso must look like LA-VT"))
    return errors


def places_read(*, path: Path = SHIPPED_PLACES_FILE) -> list[PlaceRow]:
    """Read and check the whole file; raise naming the first bad row, change nothing."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ValidationError(
                    _("%(file)s: missing columns: %(columns)s")
                    % {"file": path.name, "columns": ", ".join(missing)}
                )
            rows = [
                PlaceRow(
                    line=reader.line_num,
                    **{c: (record.get(c) or "").strip() for c in COLUMNS},
                )
                for record in reader
            ]
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("%(file)s is not UTF-8 text (%(error)s)")
            % {"file": path.name, "error": error.reason}
        ) from error
    _check_rows(path, rows)
    return rows


def _check_rows(path: Path, rows: list[PlaceRow]) -> None:
    seen_districts: dict[str, int] = {}
    provinces: dict[str, tuple[str, str, str]] = {}
    for row in rows:
        errors = _row_errors(row)
        if row.district_code in seen_districts:
            errors.append(
                _("district_code %(code)s already used on row %(line)s")
                % {"code": row.district_code, "line": seen_districts[row.district_code]}
            )
        seen_districts.setdefault(row.district_code, row.line)
        province = (row.province_iso, row.province_name_lo, row.province_name_en)
        if provinces.setdefault(row.province_code, province) != province:
            errors.append(
                _("province %(code)s is described differently on an earlier row")
                % {"code": row.province_code}
            )
        if errors:
            raise ValidationError(
                _("%(file)s, row %(line)s: %(errors)s")
                % {"file": path.name, "line": row.line, "errors": "; ".join(errors)}
            )
    if not rows:
        raise ValidationError(_("%(file)s has no rows") % {"file": path.name})


@transaction.atomic
def places_load(*, rows: list[PlaceRow], update_existing: bool = False) -> LoadResult:
    """Create missing provinces and districts.

    Existing ones keep the names staff may have corrected in the admin, unless
    ``update_existing`` asks to reset them to the file.
    """
    result = LoadResult()
    provinces = {p.code: p for p in Province.objects.all()}
    districts = {d.code: d for d in District.objects.all()}
    for row in rows:
        province = provinces.get(row.province_code)
        if province is None:
            province = Province.objects.create(
                code=row.province_code,
                iso=row.province_iso,
                name_lo=row.province_name_lo,
                name_en=row.province_name_en,
            )
            provinces[province.code] = province
            result.provinces_created += 1
        elif update_existing and _update_fields(
            province,
            iso=row.province_iso,
            name_lo=row.province_name_lo,
            name_en=row.province_name_en,
        ):
            result.provinces_updated += 1
        district = districts.get(row.district_code)
        if district is None:
            District.objects.create(
                code=row.district_code,
                province=province,
                name_lo=row.district_name_lo,
                name_en=row.district_name_en,
            )
            result.districts_created += 1
        elif update_existing and (
            changed := _update_fields(
                district,
                province=province,
                name_lo=row.district_name_lo,
                name_en=row.district_name_en,
            )
        ):
            if "province" in changed:
                training_facts_announce(district=district.pk)
            result.districts_updated += 1
        else:
            result.unchanged += 1
    return result


def _update_fields(instance, **values) -> list[str]:
    """Set and save the values that differ; returns the names of those."""
    changed = [
        name for name, value in values.items() if getattr(instance, name) != value
    ]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.full_clean()
        instance.save(update_fields=changed)
    return changed


@transaction.atomic
def district_save(*, district: District, save=None) -> District:
    """Save a district edited in the admin (``save``: the form's own save, by
    default the model's). The reports copy its province onto every person trained
    there: a move to another province is refreshed by a task after the commit."""
    stored = (
        District.objects.filter(pk=district.pk).values("province_id").first()
        if district.pk
        else None
    )
    (save or district.save)()
    if fields_changed(stored, district, ["province"]):
        training_facts_announce(district=district.pk)
    return district


@transaction.atomic
def village_build(*, district: District, name_lo: str) -> Village:
    """An unsaved village (an import's placeholder until it is created here)."""
    return Village(district=district, name_lo=" ".join(name_lo.split()))


def village_get_or_create(
    *, district: District, name_lo: str, name_en: str = ""
) -> Village:
    """Villages are created as they are first needed, always under a district."""
    name_lo = " ".join(name_lo.split())
    if not name_lo:
        raise ValidationError(_("A village needs a name in Lao."))
    village, created = Village.objects.get_or_create(
        district=district, name_lo=name_lo, defaults={"name_en": name_en.strip()}
    )
    if created:
        village.full_clean()
    return village
