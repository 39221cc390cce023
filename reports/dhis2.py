"""DHIS2 ``dataValueSets``: chosen indicators by district and period, by sex.

What each Suksa number is called in DHIS2 comes from a JSON mapping file
(``settings.SUKSA_DHIS2_MAPPING``; the shipped default is
``reports/dhis2_mapping.json``, documented in ``docs/dhis2.md``). Organisation
units are the district codes unless the mapping's ``orgUnits`` names another
identifier for a district code.
"""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.spreadsheets import rows_to_csv
from places.models import District
from trainings.models import Course

from .filters import ReportFilters
from .selectors import trained_by_district_and_period

# Indicator → the selector call giving {(district id, period start): GenderCounts}.
INDICATORS = {
    "people_trained": lambda filters, period: trained_by_district_and_period(
        filters, period=period
    ),
    "tot_graduates": lambda filters, period: trained_by_district_and_period(
        filters, period=period, course_kind=Course.Kind.TOT
    ),
}
CSV_HEADER = [
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
]


def dhis2_mapping() -> dict:
    path = Path(settings.SUKSA_DHIS2_MAPPING)
    try:
        mapping = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(
            f"SUKSA_DHIS2_MAPPING: cannot read {path}: {error}"
        ) from error
    for key in ("dataElements", "categoryOptionCombos"):
        if not isinstance(mapping.get(key), dict):
            raise ImproperlyConfigured(f"SUKSA_DHIS2_MAPPING: {key} is missing")
    return mapping


def dhis2_period(start: date, period: str) -> str:
    """DHIS2's period identifiers: 202206, 2022Q2, 2022."""
    if period == "month":
        return f"{start.year}{start.month:02d}"
    if period == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def dhis2_data_values(
    filters: ReportFilters, *, period: str = "quarter", indicators=None
) -> list[dict]:
    """Non-zero values of the mapped indicators, one per district, period and sex."""
    mapping = dhis2_mapping()
    elements = mapping["dataElements"]
    combos = mapping["categoryOptionCombos"]
    org_units = mapping.get("orgUnits") or {}
    chosen = [
        name
        for name in (indicators or elements)
        if name in INDICATORS and elements.get(name)
    ]
    results = {name: INDICATORS[name](filters, period) for name in chosen}
    district_ids = {key[0] for counts in results.values() for key in counts}
    codes = dict(District.objects.filter(pk__in=district_ids).values_list("pk", "code"))
    values = []
    for name in chosen:
        for (district_id, start), counts in sorted(
            results[name].items(), key=lambda item: (codes[item[0][0]], item[0][1])
        ):
            code = codes[district_id]
            for bucket, combo in combos.items():
                value = getattr(counts, bucket)
                if not combo or not value:
                    continue
                data_value = {
                    "dataElement": elements[name],
                    "period": dhis2_period(_as_date(start), period),
                    "orgUnit": org_units.get(code, code),
                    "categoryOptionCombo": combo,
                    "value": str(value),
                }
                if mapping.get("attributeOptionCombo"):
                    data_value["attributeOptionCombo"] = mapping["attributeOptionCombo"]
                values.append(data_value)
    return values


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def dhis2_json(filters: ReportFilters, *, period: str, indicators=None) -> bytes:
    mapping = dhis2_mapping()
    payload = {
        "dataValues": dhis2_data_values(filters, period=period, indicators=indicators)
    }
    if mapping.get("dataSet"):
        payload = {"dataSet": mapping["dataSet"], **payload}
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def dhis2_csv(filters: ReportFilters, *, period: str, indicators=None) -> bytes:
    rows = [CSV_HEADER]
    for value in dhis2_data_values(filters, period=period, indicators=indicators):
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
