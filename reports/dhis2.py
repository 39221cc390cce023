"""DHIS2 ``dataValueSets`` (JSON, CSV) and ADX: chosen indicators by district,
period and sex.

What each Suksa number is called in DHIS2 comes from a JSON mapping file
(``settings.SUKSA_DHIS2_MAPPING``; the shipped default is
``reports/dhis2_mapping.json``, documented in ``docs/dhis2.md``): data elements,
category option combos (JSON, CSV), a category and its option codes (ADX), the
organisation unit of each district, and the identifier scheme (UID or CODE) of
each kind. ``dhis2_mapping`` validates it and says every mistake at once.

Every district of the filters' places × period × sex gets a value, zero included,
so a count corrected to zero replaces the old number in DHIS2. A district without
an organisation unit is left out and reported (``Dhis2Values.unmapped``), unless the
mapping says a district's own code is its organisation unit code.
"""

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from common.sheets import rows_to_csv
from places.models import District
from trainings.models import Course

from .filters import ReportFilters
from .selectors import districts_in_scope, trained_by_district_and_period

# Indicator → the selector call giving {(district id, period start): GenderCounts}.
INDICATORS = {
    "people_trained": lambda filters, period: trained_by_district_and_period(
        filters, period=period
    ),
    "tot_graduates": lambda filters, period: trained_by_district_and_period(
        filters, period=period, course_kind=Course.Kind.TOT
    ),
}
SEXES = ("women", "men", "other", "not_recorded")
FORMATS = ("json", "csv", "adx")
PERIODS = ("month", "quarter", "year")
# ISO 8601 durations of ADX periods ("2024-01-01/P3M").
ADX_DURATIONS = {"month": "P1M", "quarter": "P3M", "year": "P1Y"}
ADX_NAMESPACE = "urn:ihe:qrph:adx:2015"
CSV_HEADER = [
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
]

ID_SCHEMES = ("UID", "CODE")
# The kinds of identifier in a file; each is read with ``<kind>IdScheme``, else the
# mapping's general ``idScheme`` (the same names as DHIS2's import parameters).
# DHIS2 reads an attribute option combo with the category option combo scheme.
ID_KINDS = ("dataElement", "orgUnit", "categoryOptionCombo", "dataSet")
REQUIRED_KINDS = ("dataElement", "orgUnit", "categoryOptionCombo")
UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
CODE_MAX_LENGTH = 50
# An ADX category code becomes an XML attribute of <dataValue> (or of <group>).
XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
ADX_RESERVED = {
    "dataElement",
    "value",
    "annotation",
    "dataSet",
    "orgUnit",
    "period",
    "completeDate",
}


class Dhis2MappingError(ImproperlyConfigured):
    """The mapping file is unreadable or wrong; ``errors`` says every mistake."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("SUKSA_DHIS2_MAPPING: " + "; ".join(errors))


@dataclass(frozen=True)
class Dhis2Mapping:
    data_elements: dict[str, str]
    category_option_combos: dict[str, str]
    schemes: dict[str, str]
    org_units: dict[str, str] = field(default_factory=dict)
    org_unit_from_district_code: bool = False
    data_set: str = ""
    attribute_option_combo: str = ""
    adx_category: str = ""
    adx_category_options: dict[str, str] = field(default_factory=dict)
    adx_attributes: dict[str, str] = field(default_factory=dict)

    def org_unit(self, district_code: str) -> str | None:
        """The district's organisation unit, or None when the mapping has none."""
        if district_code in self.org_units:
            return self.org_units[district_code]
        return district_code if self.org_unit_from_district_code else None

    def adx_errors(self) -> list[str]:
        """What the mapping lacks for ADX (DHIS2 needs a data set on every group
        and the category of the sexes)."""
        errors = []
        if not self.data_set:
            errors.append("ADX needs dataSet")
        if not self.adx_category or not any(self.adx_category_options.values()):
            errors.append("ADX needs adx.category and adx.categoryOptions")
        if self.attribute_option_combo and not self.adx_attributes:
            errors.append(
                "attributeOptionCombo is set: ADX needs adx.attributeCategoryOptions"
            )
        return errors

    def import_parameters(self, fmt: str) -> dict[str, str]:
        """The query parameters of ``POST /api/dataValueSets`` for a file of this
        mapping (dry run first: ``docs/dhis2.md``)."""
        parameters = {"dryRun": "true", "importStrategy": "CREATE_AND_UPDATE"}
        for kind in ID_KINDS:
            if kind in self.schemes:
                parameters[f"{kind}IdScheme"] = self.schemes[kind]
        if fmt == "adx":
            parameters["categoryIdScheme"] = "CODE"
            parameters["categoryOptionIdScheme"] = "CODE"
        return parameters


def dhis2_mapping() -> Dhis2Mapping:
    path = Path(settings.SUKSA_DHIS2_MAPPING)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise Dhis2MappingError([f"cannot read {path}: {error}"]) from error
    return mapping_from_dict(raw)


def mapping_from_dict(raw) -> Dhis2Mapping:
    """The mapping, or ``Dhis2MappingError`` naming every mistake."""
    if not isinstance(raw, dict):
        raise Dhis2MappingError(["the file must hold one JSON object"])
    errors: list[str] = []
    schemes = _schemes(raw, errors)

    def identifiers(key: str, kind: str, allowed=None) -> dict[str, str]:
        value = raw.get(key)
        if value is None and allowed is None:
            return {}
        if not isinstance(value, dict):
            errors.append(f"{key} must be an object")
            return {}
        for name, identifier in value.items():
            if allowed is not None and name not in allowed:
                errors.append(f"{key}: {name!r} is not one of {', '.join(allowed)}")
            elif not isinstance(identifier, str):
                errors.append(f"{key}.{name} must be text")
            elif identifier:
                _check_identifier(
                    f"{key}.{name}", identifier, schemes.get(kind), errors
                )
        return {name: v for name, v in value.items() if isinstance(v, str) and v}

    data_elements = identifiers("dataElements", "dataElement", tuple(INDICATORS))
    combos = identifiers("categoryOptionCombos", "categoryOptionCombo", SEXES)
    org_units = identifiers("orgUnits", "orgUnit")
    if "dataElements" in raw and not data_elements:
        errors.append("dataElements maps no indicator")
    if "categoryOptionCombos" in raw and not combos:
        errors.append("categoryOptionCombos maps no sex")
    from_code = raw.get("orgUnitFromDistrictCode", False)
    if not isinstance(from_code, bool):
        errors.append("orgUnitFromDistrictCode must be true or false")
        from_code = False
    elif from_code and schemes.get("orgUnit") != "CODE":
        errors.append(
            "orgUnitFromDistrictCode needs orgUnitIdScheme CODE "
            "(a district code is not a UID)"
        )
    single = {}
    for key, kind in (
        ("dataSet", "dataSet"),
        ("attributeOptionCombo", "categoryOptionCombo"),
    ):
        value = raw.get(key) or ""
        if not isinstance(value, str):
            errors.append(f"{key} must be text")
            value = ""
        elif value:
            if kind not in schemes:
                errors.append(f"{key} is set: state idScheme or {kind}IdScheme")
            else:
                _check_identifier(key, value, schemes[kind], errors)
        single[key] = value
    adx = _adx(raw.get("adx"), errors)
    if errors:
        raise Dhis2MappingError(errors)
    return Dhis2Mapping(
        data_elements=data_elements,
        category_option_combos=combos,
        schemes=schemes,
        org_units=org_units,
        org_unit_from_district_code=from_code,
        data_set=single["dataSet"],
        attribute_option_combo=single["attributeOptionCombo"],
        **adx,
    )


def _schemes(raw: dict, errors: list[str]) -> dict[str, str]:
    general = raw.get("idScheme")
    if general is not None and general not in ID_SCHEMES:
        errors.append(f"idScheme must be UID or CODE, not {general!r}")
        general = None
    schemes = {}
    for kind in ID_KINDS:
        scheme = raw.get(f"{kind}IdScheme", general)
        if scheme is None:
            if kind in REQUIRED_KINDS:
                errors.append(f"state idScheme or {kind}IdScheme (UID or CODE)")
        elif scheme not in ID_SCHEMES:
            errors.append(f"{kind}IdScheme must be UID or CODE, not {scheme!r}")
        else:
            schemes[kind] = scheme
    return schemes


def _check_identifier(where: str, value: str, scheme: str | None, errors) -> None:
    if scheme == "UID" and not UID.match(value):
        errors.append(
            f"{where}: {value!r} is not a DHIS2 UID "
            "(11 letters or digits, starting with a letter)"
        )
    elif scheme == "CODE" and len(value) > CODE_MAX_LENGTH:
        errors.append(f"{where}: a DHIS2 code has at most {CODE_MAX_LENGTH} characters")


def _adx(raw, errors: list[str]) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append("adx must be an object")
        return {}
    category = raw.get("category") or ""
    if category and (
        not isinstance(category, str)
        or not XML_NAME.match(category)
        or category in ADX_RESERVED
    ):
        errors.append(f"adx.category: {category!r} cannot be an ADX attribute name")
        category = ""
    result = {"adx_category": category}
    for key, name, allowed in (
        ("categoryOptions", "adx_category_options", SEXES),
        ("attributeCategoryOptions", "adx_attributes", None),
    ):
        value = raw.get(key) or {}
        if not isinstance(value, dict):
            errors.append(f"adx.{key} must be an object")
            value = {}
        for option, code in value.items():
            if allowed is not None and option not in allowed:
                errors.append(
                    f"adx.{key}: {option!r} is not one of {', '.join(allowed)}"
                )
            elif not isinstance(code, str):
                errors.append(f"adx.{key}.{option} must be text")
            elif allowed is None and (
                not XML_NAME.match(option) or option in ADX_RESERVED
            ):
                errors.append(f"adx.{key}: {option!r} cannot be an ADX attribute name")
        result[name] = {k: v for k, v in value.items() if isinstance(v, str) and v}
    return result


# Periods ------------------------------------------------------------------------------


def dhis2_period(start: date, period: str) -> str:
    """DHIS2's period identifiers: 202206, 2022Q2, 2022."""
    if period == "month":
        return f"{start.year}{start.month:02d}"
    if period == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def adx_period(start: date, period: str) -> str:
    """ADX's ISO 8601 periods: 2022-06-01/P1M, 2022-04-01/P3M, 2022-01-01/P1Y."""
    return f"{start.isoformat()}/{ADX_DURATIONS[period]}"


def period_start(day: date, period: str) -> date:
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def next_period(start: date, period: str) -> date:
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1)


def whole_periods(filters: ReportFilters, period: str) -> ReportFilters:
    """The filters' dates widened to whole periods: a DHIS2 value is always the
    number of its whole month, quarter or year, never of part of it."""
    date_from, date_to = filters.date_from, filters.date_to
    if date_from:
        date_from = period_start(date_from, period)
    if date_to:
        date_to = next_period(period_start(date_to, period), period)
        date_to = date.fromordinal(date_to.toordinal() - 1)
    return replace(filters, date_from=date_from, date_to=date_to)


def _period_starts(filters: ReportFilters, period: str, counted: set) -> list[date]:
    """The periods of the file: every period of the filters' dates up to today's
    (DHIS2 refuses most future periods), and any period with a number."""
    today = timezone.localdate()
    first = filters.date_from or (min(counted) if counted else None)
    last = min(filters.date_to or today, today)
    starts = set(counted)
    if first is not None:
        start = period_start(first, period)
        while start <= last:
            starts.add(start)
            start = next_period(start, period)
    return sorted(starts)


# Values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dhis2Value:
    indicator: str
    district_code: str
    org_unit: str
    start: date
    sex: str
    value: int


@dataclass
class Dhis2Values:
    mapping: Dhis2Mapping
    period: str
    values: list[Dhis2Value]
    # Districts in the filters without an organisation unit: left out of the file.
    unmapped: list[District]


def dhis2_values(
    filters: ReportFilters,
    *,
    period: str = "quarter",
    sexes=None,
    indicators=None,
    mapping: Dhis2Mapping | None = None,
) -> Dhis2Values:
    """Every mapped indicator × district in the filters × period × sex (``sexes``:
    those mapped for the format), zero included."""
    mapping = mapping or dhis2_mapping()
    filters = whole_periods(filters, period)
    sexes = [sex for sex in SEXES if sex in (sexes or mapping.category_option_combos)]
    chosen = [
        name
        for name in (indicators or mapping.data_elements)
        if name in INDICATORS and mapping.data_elements.get(name)
    ]
    results = {name: INDICATORS[name](filters, period) for name in chosen}
    counted_starts = {
        _as_date(start) for counts in results.values() for _district, start in counts
    }
    counted_districts = {
        district for counts in results.values() for district, _start in counts
    }
    districts = list(districts_in_scope(filters))
    known = {district.pk for district in districts}
    districts += list(
        District.objects.filter(pk__in=counted_districts - known).order_by("code")
    )
    mapped = [d for d in districts if mapping.org_unit(d.code) is not None]
    unmapped = [d for d in districts if mapping.org_unit(d.code) is None]
    starts = _period_starts(filters, period, counted_starts)
    values = []
    for name in chosen:
        counts = {
            (district, _as_date(start)): value
            for (district, start), value in results[name].items()
        }
        for district in sorted(mapped, key=lambda d: d.code):
            for start in starts:
                numbers = counts.get((district.pk, start))
                for sex in sexes:
                    values.append(
                        Dhis2Value(
                            indicator=name,
                            district_code=district.code,
                            org_unit=mapping.org_unit(district.code),
                            start=start,
                            sex=sex,
                            value=getattr(numbers, sex) if numbers else 0,
                        )
                    )
    return Dhis2Values(mapping, period, values, unmapped)


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def dhis2_data_values(
    filters: ReportFilters, *, period: str = "quarter", indicators=None
) -> list[dict]:
    """The ``dataValues`` of a ``dataValueSets`` file."""
    return _data_values(dhis2_values(filters, period=period, indicators=indicators))


def _data_values(found: Dhis2Values) -> list[dict]:
    mapping = found.mapping
    values = []
    for value in found.values:
        data_value = {
            "dataElement": mapping.data_elements[value.indicator],
            "period": dhis2_period(value.start, found.period),
            "orgUnit": value.org_unit,
            "categoryOptionCombo": mapping.category_option_combos[value.sex],
            "value": str(value.value),
        }
        if mapping.attribute_option_combo:
            data_value["attributeOptionCombo"] = mapping.attribute_option_combo
        values.append(data_value)
    return values


# Files --------------------------------------------------------------------------------


def dhis2_json(found: Dhis2Values) -> bytes:
    """``{"dataSet"?, "<kind>IdScheme"…, "dataValues": […]}`` (docs/dhis2.md)."""
    mapping = found.mapping
    payload = {}
    if mapping.data_set:
        payload["dataSet"] = mapping.data_set
    for kind, scheme in mapping.schemes.items():
        payload[f"{kind}IdScheme"] = scheme
    payload["dataValues"] = _data_values(found)
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def dhis2_csv(found: Dhis2Values) -> bytes:
    rows = [CSV_HEADER]
    for value in _data_values(found):
        rows.append(
            [
                value["dataElement"],
                value["period"],
                value["orgUnit"],
                value["categoryOptionCombo"],
                value.get("attributeOptionCombo", ""),
                value["value"],
            ]
        )
    return rows_to_csv(rows)


def dhis2_adx(found: Dhis2Values) -> bytes:
    """ADX 1.0: one <group> per organisation unit and period, one <dataValue> per
    indicator and sex, the sex as the mapping's category code and option code."""
    mapping = found.mapping
    errors = mapping.adx_errors()
    if errors:
        raise Dhis2MappingError(errors)
    ET.register_namespace("", ADX_NAMESPACE)
    root = ET.Element(
        f"{{{ADX_NAMESPACE}}}adx",
        {"exported": timezone.now().replace(microsecond=0).isoformat()},
    )
    groups: dict[tuple[str, date], ET.Element] = {}
    for value in found.values:
        key = (value.org_unit, value.start)
        if key not in groups:
            groups[key] = ET.SubElement(
                root,
                f"{{{ADX_NAMESPACE}}}group",
                {
                    "dataSet": mapping.data_set,
                    "orgUnit": value.org_unit,
                    "period": adx_period(value.start, found.period),
                    **mapping.adx_attributes,
                },
            )
        ET.SubElement(
            groups[key],
            f"{{{ADX_NAMESPACE}}}dataValue",
            {
                "dataElement": mapping.data_elements[value.indicator],
                mapping.adx_category: mapping.adx_category_options[value.sex],
                "value": str(value.value),
            },
        )
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def dhis2_file(filters: ReportFilters, *, fmt: str, period: str) -> tuple[bytes, list]:
    """The file of a format and the districts left out for want of an org unit."""
    mapping = dhis2_mapping()
    if fmt == "adx":
        if errors := mapping.adx_errors():
            raise Dhis2MappingError(errors)
        found = dhis2_values(
            filters, period=period, sexes=mapping.adx_category_options, mapping=mapping
        )
        return dhis2_adx(found), found.unmapped
    found = dhis2_values(filters, period=period, mapping=mapping)
    render = dhis2_json if fmt == "json" else dhis2_csv
    return render(found), found.unmapped


@dataclass
class Dhis2Status:
    """What the report page says beside the DHIS2 downloads."""

    errors: list[str] = field(default_factory=list)
    adx_errors: list[str] = field(default_factory=list)
    unmapped: list[District] = field(default_factory=list)

    # The page names this many unmapped districts, then counts the rest.
    SHOWN = 10

    @property
    def unmapped_shown(self) -> list[District]:
        return self.unmapped[: self.SHOWN]

    @property
    def unmapped_more(self) -> int:
        return max(0, len(self.unmapped) - self.SHOWN)


def dhis2_status(filters: ReportFilters) -> Dhis2Status:
    """The mapping's mistakes, or the districts in the filters it has no
    organisation unit for (left out of the DHIS2 files)."""
    try:
        mapping = dhis2_mapping()
    except Dhis2MappingError as error:
        return Dhis2Status(errors=error.errors)
    unmapped = [
        district
        for district in districts_in_scope(filters)
        if mapping.org_unit(district.code) is None
    ]
    return Dhis2Status(adx_errors=mapping.adx_errors(), unmapped=unmapped)
