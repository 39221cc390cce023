"""DHIS2 files (reports/dhis2.py, docs/dhis2.md): the JSON and ADX shapes a DHIS2
import reads, zeros sent, the mapping and its id schemes, unmapped districts."""

import csv
import io
import json
import re

import pytest
from defusedxml import ElementTree as SafeET
from django.core.management import CommandError, call_command

from places.models import District
from reports.dhis2 import Dhis2MappingError, mapping_from_dict
from trainings.models import Enrolment
from trainings.services import enrolment_update

REPORT = "/admin/reports/"
ADX = "{urn:ihe:qrph:adx:2015}"
SHIPPED = json.loads(open("reports/dhis2_mapping.json", encoding="utf-8").read())
# DHIS2's period identifiers, by period type (docs/dhis2.md).
DHIS2_PERIOD = {
    "month": r"^\d{4}(0[1-9]|1[0-2])$",
    "quarter": r"^\d{4}Q[1-4]$",
    "year": r"^\d{4}$",
}
# ADX periods: the first day of the period / its ISO 8601 duration.
ADX_PERIOD = {
    "month": (r"^\d{4}-\d{2}-01/P1M$", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}),
    "quarter": (r"^\d{4}-\d{2}-01/P3M$", {1, 4, 7, 10}),
    "year": (r"^\d{4}-01-01/P1Y$", {1}),
}
DATA_VALUE_KEYS = {"dataElement", "period", "orgUnit", "categoryOptionCombo", "value"}


def write_mapping(tmp_path, settings, **changes):
    mapping = {**SHIPPED, **changes}
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(mapping), encoding="utf-8")
    settings.SUKSA_DHIS2_MAPPING = str(path)
    return mapping


def cells(count: int) -> int:
    """Indicators × districts × quarters of 2022 × sexes, zeros included."""
    return 2 * count * 4 * 4


# The documented shapes ----------------------------------------------------------------


def test_json_has_the_documented_data_value_set_shape(client_in_english, story):
    client = client_in_english("manager")
    for period, pattern in DHIS2_PERIOD.items():
        response = client.get(
            REPORT + "dhis2.json", {"year": "2022", "dhis2_period": period}
        )
        assert response["Content-Type"] == "application/json"
        payload = json.loads(response.content)
        assert set(payload) == {
            "dataSet",
            "dataElementIdScheme",
            "orgUnitIdScheme",
            "categoryOptionComboIdScheme",
            "dataSetIdScheme",
            "dataValues",
        }
        assert payload["dataSet"] == "SUKSA_TRAINING"
        assert payload["orgUnitIdScheme"] == "CODE"
        assert payload["dataValues"]
        for value in payload["dataValues"]:
            assert set(value) == DATA_VALUE_KEYS
            assert all(isinstance(text, str) for text in value.values())
            assert re.match(pattern, value["period"]), value
            assert value["value"].isdigit()


def test_adx_has_the_documented_shape(client_in_english, story):
    client = client_in_english("manager")
    for period, (pattern, first_months) in ADX_PERIOD.items():
        response = client.get(
            REPORT + "dhis2.adx", {"year": "2022", "dhis2_period": period}
        )
        assert response["Content-Type"] == "application/adx+xml"
        assert response["Content-Disposition"].endswith('.adx"')
        root = SafeET.fromstring(response.content)
        assert root.tag == ADX + "adx"
        assert re.match(r"^\d{4}-\d{2}-\d{2}T", root.get("exported"))
        groups = list(root)
        assert groups and all(group.tag == ADX + "group" for group in groups)
        for group in groups:
            assert set(group.attrib) == {"dataSet", "orgUnit", "period"}
            assert group.get("dataSet") == "SUKSA_TRAINING"
            assert re.match(pattern, group.get("period")), group.attrib
            assert int(group.get("period")[5:7]) in first_months
            for value in group:
                assert value.tag == ADX + "dataValue"
                assert set(value.attrib) == {"dataElement", "SEX", "value"}
                assert value.get("SEX") in {"FEMALE", "MALE", "OTHER", "UNKNOWN"}
                assert value.get("value").isdigit()
    quarters = {
        (group.get("orgUnit"), group.get("period"), value.get("dataElement")): {
            v.get("SEX"): v.get("value")
            for v in group
            if v.get("dataElement") == value.get("dataElement")
        }
        for group in SafeET.fromstring(
            client.get(REPORT + "dhis2.adx", {"year": "2022"}).content
        )
        for value in group
    }
    assert quarters[("1604", "2022-04-01/P3M", "SUKSA_PEOPLE_TRAINED")] == {
        "FEMALE": "2",
        "MALE": "1",
        "OTHER": "0",
        "UNKNOWN": "0",
    }


def test_adx_attribute_category_options_are_group_attributes(
    client_in_english, story, tmp_path, settings
):
    write_mapping(
        tmp_path,
        settings,
        attributeOptionCombo="LSSO_FUNDED",
        adx={**SHIPPED["adx"], "attributeCategoryOptions": {"FUNDER": "LSSO"}},
    )
    client = client_in_english("manager")
    root = SafeET.fromstring(client.get(REPORT + "dhis2.adx", {"year": "2022"}).content)
    assert {group.get("FUNDER") for group in root} == {"LSSO"}
    payload = json.loads(client.get(REPORT + "dhis2.json", {"year": "2022"}).content)
    assert {v["attributeOptionCombo"] for v in payload["dataValues"]} == {"LSSO_FUNDED"}


# Zeros --------------------------------------------------------------------------------


def test_every_district_period_and_sex_gets_a_value_zero_included(
    client_in_english, story
):
    client = client_in_english("manager")
    payload = json.loads(client.get(REPORT + "dhis2.json", {"year": "2022"}).content)
    values = payload["dataValues"]
    assert len(values) == cells(District.objects.count())
    keys = {
        (v["dataElement"], v["period"], v["orgUnit"], v["categoryOptionCombo"])
        for v in values
    }
    assert len(keys) == len(values)
    # Nobody was trained in Phin in the first quarter: it is sent as zero.
    assert ("SUKSA_PEOPLE_TRAINED", "2022Q1", "1307", "FEMALE") in keys
    assert {v["value"] for v in values if v["period"] == "2022Q1"} == {"0"}
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(REPORT + "dhis2.csv", {"year": "2022"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert len(rows) == len(values) + 1
    assert ["SUKSA_PEOPLE_TRAINED", "2022Q1", "1307", "FEMALE", "", "0"] in rows


def test_a_count_corrected_to_zero_is_sent_as_zero(client_in_english, story):
    client = client_in_english("manager")

    def value():
        payload = json.loads(
            client.get(REPORT + "dhis2.json", {"year": "2022"}).content
        )
        (found,) = [
            v["value"]
            for v in payload["dataValues"]
            if (v["dataElement"], v["period"], v["orgUnit"], v["categoryOptionCombo"])
            == ("SUKSA_PEOPLE_TRAINED", "2022Q2", "1604", "MALE")
        ]
        return found

    assert value() == "1"
    kham = Enrolment.objects.get(session=story.tot, person=story.people["kham"])
    enrolment_update(enrolment=kham, status=Enrolment.Status.NOT_COMPLETED)
    assert value() == "0"


def test_a_value_counts_its_whole_period(client_in_english, story):
    """From 15 June, the second quarter still counts from 1 April: a DHIS2 value
    is never part of its period."""
    client = client_in_english("manager")
    payload = json.loads(
        client.get(
            REPORT + "dhis2.json", {"date_from": "2022-06-15", "date_to": "2022-09-01"}
        ).content
    )
    values = {
        (v["dataElement"], v["period"], v["orgUnit"], v["categoryOptionCombo"]): v[
            "value"
        ]
        for v in payload["dataValues"]
    }
    assert values[("SUKSA_PEOPLE_TRAINED", "2022Q2", "1604", "FEMALE")] == "2"
    assert {v["period"] for v in payload["dataValues"]} == {"2022Q2", "2022Q3"}


# The mapping --------------------------------------------------------------------------


def test_org_units_and_combos_by_uid(client_in_english, story, tmp_path, settings):
    write_mapping(
        tmp_path,
        settings,
        idScheme="UID",
        dataElementIdScheme="CODE",
        orgUnitIdScheme="UID",
        categoryOptionComboIdScheme="UID",
        dataSet="",
        orgUnits={"1604": "kJq2mPyFEHo", "1307": "Vth0fbpFcsO"},
        orgUnitFromDistrictCode=False,
        categoryOptionCombos={"women": "apsOixVZlf1", "men": "LbeIlyHEhKr"},
    )
    client = client_in_english("manager")
    payload = json.loads(
        client.get(
            REPORT + "dhis2.json", {"year": "2022", "district": story.district_a.pk}
        ).content
    )
    assert payload["orgUnitIdScheme"] == "UID"
    assert payload["categoryOptionComboIdScheme"] == "UID"
    assert payload["dataElementIdScheme"] == "CODE"
    assert "dataSet" not in payload
    assert {v["orgUnit"] for v in payload["dataValues"]} == {"kJq2mPyFEHo"}
    assert {v["categoryOptionCombo"] for v in payload["dataValues"]} == {
        "apsOixVZlf1",
        "LbeIlyHEhKr",
    }
    assert len(payload["dataValues"]) == 2 * 1 * 4 * 2


def test_a_district_without_org_unit_is_left_out_and_reported(
    client_in_english, story, tmp_path, settings
):
    write_mapping(
        tmp_path, settings, orgUnits={"1604": "PAKSONG"}, orgUnitFromDistrictCode=False
    )
    client = client_in_english("manager")
    response = client.get(REPORT + "dhis2.json", {"year": "2022"})
    payload = json.loads(response.content)
    assert {v["orgUnit"] for v in payload["dataValues"]} == {"PAKSONG"}
    unmapped = response["X-Suksa-Unmapped-Districts"].split()
    assert "1307" in unmapped and "1604" not in unmapped
    page = client.get(REPORT, {"year": "2022"}).content.decode()
    assert 'data-testid="dhis2-unmapped"' in page
    assert "Phin (1307)" in page
    assert "Paksong (1604)" not in page


def test_a_fully_mapped_scope_reports_nothing(client_in_english, story):
    client = client_in_english("manager")
    response = client.get(REPORT + "dhis2.csv", {"district": story.district_a.pk})
    assert response["X-Suksa-Unmapped-Districts"] == ""
    page = client.get(REPORT, {"district": story.district_a.pk}).content.decode()
    assert "dhis2-unmapped" not in page


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"idScheme": None, "orgUnitIdScheme": None},
            "state idScheme or orgUnitIdScheme (UID or CODE)",
        ),
        ({"dataElementIdScheme": "NAME"}, "dataElementIdScheme must be UID or CODE"),
        (
            {"orgUnitIdScheme": "UID", "orgUnits": {"1604": "1604"}},
            "orgUnits.1604: '1604' is not a DHIS2 UID",
        ),
        (
            {"orgUnitIdScheme": "UID", "orgUnits": {}},
            "orgUnitFromDistrictCode needs orgUnitIdScheme CODE",
        ),
        (
            {"dataElements": {"people_traind": "X"}},
            "dataElements: 'people_traind' is not one of people_trained, tot_graduates",
        ),
        (
            {"categoryOptionCombos": {"female": "F"}},
            "categoryOptionCombos: 'female' is not one of women, men",
        ),
        ({"categoryOptionCombos": None}, "categoryOptionCombos must be an object"),
        ({"dataElements": {"people_trained": ""}}, "dataElements maps no indicator"),
        (
            {"adx": {"category": "value", "categoryOptions": {"women": "F"}}},
            "adx.category: 'value' cannot be an ADX attribute name",
        ),
        (
            {"orgUnitFromDistrictCode": "yes"},
            "orgUnitFromDistrictCode must be true or false",
        ),
    ],
)
def test_a_wrong_mapping_is_refused_with_a_clear_error(changes, message):
    mapping = {**SHIPPED, **changes}
    mapping = {key: value for key, value in mapping.items() if value is not None}
    with pytest.raises(Dhis2MappingError) as refused:
        mapping_from_dict(mapping)
    assert any(error.startswith(message) for error in refused.value.errors), (
        refused.value.errors
    )


def test_the_shipped_mapping_is_valid():
    mapping = mapping_from_dict(SHIPPED)
    assert mapping.adx_errors() == []
    assert mapping.import_parameters("adx") == {
        "dryRun": "true",
        "importStrategy": "CREATE_AND_UPDATE",
        "dataElementIdScheme": "CODE",
        "orgUnitIdScheme": "CODE",
        "categoryOptionComboIdScheme": "CODE",
        "dataSetIdScheme": "CODE",
        "categoryIdScheme": "CODE",
        "categoryOptionIdScheme": "CODE",
    }


def test_a_wrong_mapping_is_said_on_the_page_and_the_download(
    client_in_english, tmp_path, settings
):
    write_mapping(tmp_path, settings, orgUnitIdScheme="GUID")
    client = client_in_english("manager")
    response = client.get(REPORT + "dhis2.json")
    assert response.status_code == 500
    assert "orgUnitIdScheme must be UID or CODE" in response.content.decode()
    page = client.get(REPORT).content.decode()
    assert 'data-testid="dhis2-mapping-errors"' in page
    assert "orgUnitIdScheme must be UID or CODE" in page


def test_adx_without_data_set_is_refused_and_not_offered(
    client_in_english, tmp_path, settings
):
    write_mapping(tmp_path, settings, dataSet="")
    client = client_in_english("manager")
    response = client.get(REPORT + "dhis2.adx")
    assert response.status_code == 500
    assert "ADX needs dataSet" in response.content.decode()
    assert client.get(REPORT + "dhis2.json").status_code == 200
    assert "dhis2.adx" not in client.get(REPORT).content.decode()


# Bad requests -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, query, message",
    [
        ("dhis2.xml", {}, "Accepted: json, csv, adx."),
        ("dhis2.json", {"dhis2_period": "week"}, "Accepted: month, quarter, year."),
        (
            "dhis2.adx",
            {"dhis2_periode": "month"},
            "Unknown query parameters: dhis2_periode.",
        ),
    ],
)
def test_a_wrong_request_answers_400_with_what_is_accepted(
    client_in_english, url, query, message
):
    response = client_in_english("manager").get(REPORT + url, query)
    assert response.status_code == 400
    assert message in response.content.decode()


# The command --------------------------------------------------------------------------


def test_the_command_prints_the_import_query_and_the_unmapped_districts(
    story, tmp_path, settings
):
    write_mapping(
        tmp_path, settings, orgUnits={"1604": "PAKSONG"}, orgUnitFromDistrictCode=False
    )
    output = io.StringIO()
    call_command("dhis2_mapping", stdout=output)
    text = output.getvalue()
    assert "1307 Phin" in text and "1604 Paksong" not in text
    assert (
        "adx: POST /api/dataValueSets?dryRun=true&importStrategy=CREATE_AND_UPDATE"
        "&dataElementIdScheme=CODE&orgUnitIdScheme=CODE"
        "&categoryOptionComboIdScheme=CODE&dataSetIdScheme=CODE"
        "&categoryIdScheme=CODE&categoryOptionIdScheme=CODE"
    ) in text


def test_the_command_fails_on_a_wrong_mapping(db, tmp_path, settings):
    write_mapping(tmp_path, settings, orgUnitIdScheme="GUID")
    with pytest.raises(CommandError, match="orgUnitIdScheme must be UID or CODE"):
        call_command("dhis2_mapping", stdout=io.StringIO())
