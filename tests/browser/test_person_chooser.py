"""The person chooser of the session form, in a real browser: search, pick, and
register a new person from its "New person" tab (issue 15, item 1)."""

from django.urls import reverse
from playwright.sync_api import expect

from people.models import Person
from tests.browser.test_attendance_grid import big_session, sign_in  # noqa: F401

DESKTOP = {"width": 1280, "height": 900}


def open_chooser(page):
    page.locator("#id_enrolments-ADD").click()
    page.locator("[data-chooser-action-choose]").last.click()
    modal = page.locator(".modal-content")
    expect(modal.locator("input[name=q]")).to_be_visible()
    return modal


def test_a_trainer_finds_and_registers_people_from_the_session_form(
    browser,
    big_session,  # noqa: F811 (the fixture, imported above)
):
    url, session = big_session
    context = browser.new_context(viewport=DESKTOP, locale="lo-LA")
    page = context.new_page()
    sign_in(page, url)
    page.goto(url + reverse("sessions:edit", args=[session.pk]))

    # Search: two words of a name find the one person.
    modal = open_chooser(page)
    modal.locator("input[name=q]").fill("ສົມສັກ 12")
    results = modal.locator("#search-results tbody tr")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("ສົມສັກ")

    # New person: the form registers them and hands them back to the row.
    modal.locator("#tab-label-create").click()
    modal.locator("input[name=full_name]").fill("ນາງ ແສງຈັນ ພົມມະວົງ")
    modal.locator("select[name=gender]").select_option("woman")
    modal.locator("input[name=phone]").fill("020 7777 1234")
    modal.locator("form button[type=submit]").click()
    expect(page.locator(".modal-content")).to_have_count(0)
    person = Person.objects.get(full_name="ນາງ ແສງຈັນ ພົມມະວົງ")
    assert person.created_by == session.created_by
    chosen = page.locator("input[name$='-person']").last
    expect(chosen).to_have_value(str(person.pk))

    # Registering the same phone number again is stopped as a likely duplicate.
    modal = open_chooser(page)
    modal.locator("#tab-label-create").click()
    modal.locator("input[name=full_name]").fill("ນາງ ແສງຈັນ")
    modal.locator("select[name=gender]").select_option("woman")
    modal.locator("input[name=phone]").fill("02077771234")
    modal.locator("form button[type=submit]").click()
    expect(modal).to_contain_text("ນາງ ແສງຈັນ ພົມມະວົງ")
    assert Person.objects.filter(full_name="ນາງ ແສງຈັນ").count() == 0
    context.close()
