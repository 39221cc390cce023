"""The public page where anyone checks a certificate's code: /verify/<code>/."""

import datetime

import pytest
from django.core.cache import cache

from certificates.models import Certificate
from certificates.services import (
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
)
from people.models import Gender
from tests.certificates.conftest import complete
from tests.factories import OrganisationFactory, PersonFactory, SessionFactory

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
HOLDER = "ນາງ ບົວພັນ ສີສຸກ"
NOINDEX_META = '<meta name="robots" content="noindex, nofollow">'


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The rate limit counts in the cache, shared by every test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(make_user):
    """Bouaphanh's certificate of the trainer's ToT; she gave a phone number, birth
    year, position and organisation when she enrolled."""
    session = SessionFactory(created_by=make_user("trainer"))
    person = PersonFactory(
        full_name=HOLDER,
        latin_name="Bouaphanh Sisouk",
        gender=Gender.WOMAN,
        phone="020 5551 2345",
        birth_year=1987,
        position="Village health volunteer",
        organisation=OrganisationFactory(name="Champasak Provincial Hospital"),
    )
    (enrolment,) = complete(session, [person])
    certificate, _ = certificate_issue(enrolment=enrolment)
    return certificate


def page(client, code, **headers):
    return client.get(f"/verify/{code}/", **headers)


def test_a_valid_certificate_shows_holder_course_and_validity(client, certificate):
    response = page(client, certificate.code, **ENGLISH)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid certificate" in html
    assert HOLDER in html
    assert "Bouaphanh Sisouk" in html
    assert "Training of Trainers on basic social protection" in html
    assert "ການຝຶກອົບຮົມຄູຝຶກ ດ້ານການປົກປ້ອງສັງຄົມຂັ້ນພື້ນຖານ" in html
    assert "LSSO-TOT-2022-0001" in html
    assert "14/06/2022" in html and "16/06/2022" in html
    assert "Lao Social Security Organisation" in html


def test_the_page_is_in_lao_by_default(client, certificate):
    response = page(client, certificate.code)

    assert response.status_code == 200
    assert response["Content-Language"] == "lo"
    html = response.content.decode()
    assert "ໃບຢັ້ງຢືນນີ້ໃຊ້ໄດ້" in html  # "Valid certificate"
    assert "Valid certificate" not in html
    assert HOLDER in html


def test_the_form_sends_the_code_to_its_own_address(client, certificate):
    response = client.get("/verify/", {"code": f"  {certificate.code} "})

    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.code}/"


def test_the_empty_form_is_shown_and_not_indexed(client):
    response = client.get("/verify/", **ENGLISH)

    assert response.status_code == 200
    assert "Check a certificate" in response.content.decode()
    assert NOINDEX_META in response.content.decode()
    assert response["X-Robots-Tag"].startswith("noindex")


def test_a_revoked_certificate_shows_when_it_was_revoked(
    client, certificate, admin_user
):
    certificate_revoke(certificate=certificate, reason="Duplicate", by=admin_user)
    # Midday in Vientiane: the same day whichever clock the date is read from.
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=datetime.datetime(2030, 1, 5, 5, 0, tzinfo=datetime.UTC)
    )

    response = page(client, certificate.code, **ENGLISH)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Revoked on 05/01/2030: this certificate is no longer valid." in html
    assert "Valid certificate" not in html
    assert "Duplicate" not in html  # the reason is internal


def test_a_replaced_certificate_links_to_the_new_one(client, certificate, admin_user):
    new = certificate_reissue(certificate=certificate, by=admin_user)

    response = page(client, certificate.code, **ENGLISH)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Replaced: a corrected certificate was issued." in html
    assert f'<a href="/verify/{new.code}/">See the new certificate</a>' in html
    assert "Valid certificate" in page(client, new.code, **ENGLISH).content.decode()


def test_an_unknown_code_is_not_found_with_a_friendly_message(client, certificate):
    response = page(client, "no-such-code", **ENGLISH)

    assert response.status_code == 404
    html = response.content.decode()
    assert "No certificate has this code or number." in html
    assert "20 letters and digits in groups of four" in html  # what a code looks like
    assert "Check a certificate" in html  # the form, to try again
    assert HOLDER not in html


@pytest.mark.parametrize("code", ["known", "no-such-code"])
def test_the_page_is_never_indexed(client, certificate, code):
    response = page(client, certificate.code if code == "known" else code)

    assert NOINDEX_META in response.content.decode()
    assert response["X-Robots-Tag"].startswith("noindex")


def test_the_page_shows_nothing_else_about_the_person(client, certificate):
    html = page(client, certificate.code, **ENGLISH).content.decode()

    assert HOLDER in html
    for private in (
        "5551",
        "2345",
        "1987",
        "Village health volunteer",
        "Champasak Provincial Hospital",
    ):
        assert private not in html


def test_lookups_are_rate_limited_per_address(client, certificate, settings):
    settings.SUKSA_VERIFY_RATE_PER_MINUTE = 3

    answers = [
        page(client, certificate.code, REMOTE_ADDR="10.0.0.1").status_code
        for _ in range(3)
    ]
    fourth = page(client, certificate.code, REMOTE_ADDR="10.0.0.1", **ENGLISH)
    elsewhere = page(client, certificate.code, REMOTE_ADDR="10.0.0.2")

    assert answers == [200, 200, 200]
    assert fourth.status_code == 429
    assert "Too many checks" in fourth.content.decode()
    assert HOLDER not in fourth.content.decode()
    assert fourth["X-Robots-Tag"].startswith("noindex")
    assert elsewhere.status_code == 200


def test_unknown_codes_count_against_the_limit_too(client, certificate, settings):
    settings.SUKSA_VERIFY_RATE_PER_MINUTE = 3
    for guess in ("guess-1", "guess-2", "guess-3"):
        assert page(client, guess, REMOTE_ADDR="10.0.0.1").status_code == 404

    assert page(client, certificate.code, REMOTE_ADDR="10.0.0.1").status_code == 429


def test_a_code_that_cannot_exist_is_answered_unknown(client):
    response = client.get("/verify/", {"code": "abc/def"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "No certificate has this code or number" in response.content.decode()


def test_an_empty_code_shows_the_form_again(client):
    response = client.get("/verify/", {"code": "   "}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_behind_the_proxy_one_client_cannot_block_checks_for_everyone(
    client, certificate, settings
):
    """Issue 14: the limit keyed on the proxy's address, configured as documented."""
    settings.SUKSA_VERIFY_RATE_PER_MINUTE = 2
    settings.SUKSA_TRUST_X_FORWARDED_FOR = False
    settings.SUKSA_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.9"}

    for _ in range(3):
        page(client, "guess", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    blocked = page(
        client, certificate.code, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy
    )
    other = page(client, certificate.code, HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy)
    forged = page(
        client,
        certificate.code,
        HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7",
        **proxy,
    )

    assert blocked.status_code == 429
    assert other.status_code == 200
    assert forged.status_code == 429


def test_there_is_one_client_address_rule():
    import certificates.views

    assert not hasattr(certificates.views, "client_address") or (
        certificates.views.client_address.__module__ == "common.network"
    )


# Codes a person can type (issue 16, item 8) ---------------------------------------

# A code with a 1 and a 0 in it, to type with the look-alike letters.
PRINTED = "7KQ2-M9XD-4HT1-PB30-QC5R"


@pytest.fixture
def printed(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(code=PRINTED)
    return certificate


def test_a_new_code_is_read_aloud_in_five_groups_of_four(certificate):
    groups = certificate.code.split("-")

    assert [len(group) for group in groups] == [4, 4, 4, 4, 4]
    assert set("".join(groups)) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


@pytest.mark.parametrize(
    "typed",
    [
        PRINTED,  # as printed, in capitals
        PRINTED.lower(),
        "7KQ2-M9XD-4HTI-PB3O-QC5R",  # I for 1, O for 0
        "7kq2-m9xd-4htl-pb3o-qc5r",  # l for 1, o for 0
        "7KQ2M9XD4HT1PB30QC5R",  # no dashes
        "7KQ2 M9XD 4HT1 PB30 QC5R",  # spaces for dashes
        " 7kq2 - m9xd - 4ht1 - pb30 - qc5r ",
        "7KQ2\u2013M9XD\u20134HT1\u2013PB30\u2013QC5R",  # a phone's en dashes
    ],
)
def test_a_code_is_read_however_it_is_typed(client, printed, typed):
    response = client.get("/verify/", {"code": typed}, follow=True, **ENGLISH)

    assert response.status_code == 200
    assert "Valid certificate" in response.content.decode()
    assert HOLDER in response.content.decode()


@pytest.mark.parametrize(
    "typed", ["LSSO-TOT-2022-0001", "lsso-tot-2022-0001", "LSSO TOT 2022 0001"]
)
def test_the_printed_number_shows_the_same_facts(client, printed, typed):
    by_code = page(client, PRINTED, **ENGLISH).content.decode()
    response = client.get("/verify/", {"code": typed}, follow=True, **ENGLISH)

    assert response.status_code == 200
    html = response.content.decode()
    for fact in ("Valid certificate", HOLDER, "Bouaphanh Sisouk", "14/06/2022"):
        assert fact in html and fact in by_code
    assert response.redirect_chain[0][0] == "/verify/" + typed.replace(" ", "-") + "/"


@pytest.mark.parametrize(
    "typed", ["X1B5dMdu02s0xlI64t4qK_Kg", "X1B5DMDU02S0XLI64T4QK_KG"]
)
def test_a_code_of_the_first_format_still_verifies(client, certificate, typed):
    Certificate.objects.filter(pk=certificate.pk).update(
        code="X1B5dMdu02s0xlI64t4qK_Kg"
    )

    response = client.get("/verify/", {"code": typed}, follow=True, **ENGLISH)

    assert response.status_code == 200
    assert "Valid certificate" in response.content.decode()


def test_an_old_code_typed_exactly_wins_over_one_differing_only_by_case(
    client, certificate, graduates
):
    _session, (_first, second, _absent) = graduates
    other, _ = certificate_issue(enrolment=second)
    Certificate.objects.filter(pk=certificate.pk).update(code="abcdefghijklmnop_123")
    Certificate.objects.filter(pk=other.pk).update(code="ABCDEFGHIJKLMNOP_123")

    html = page(client, "ABCDEFGHIJKLMNOP_123", **ENGLISH).content.decode()

    assert other.holder_name in html and HOLDER not in html


@pytest.mark.parametrize(
    "typed",
    [
        "7KQ2-M9XD-4HT1-PB30-QC5S",  # one character wrong
        "7KQ2-M9XD-4HT1-PB30",  # a group missing
        "LSSO-TOT-2022-0002",  # a number never issued
        "ບົວພັນ",  # a name is not a code
    ],
)
def test_an_unknown_code_or_number_says_so_clearly(client, printed, typed):
    response = client.get("/verify/", {"code": typed}, follow=True, **ENGLISH)

    assert response.status_code == 404
    html = response.content.decode()
    assert "No certificate has this code or number." in html
    assert "LSSO-SC-2024-0012" in html  # what a number looks like
    assert HOLDER not in html


def test_the_unknown_message_is_in_lao(client, printed):
    html = page(client, "7KQ2-M9XD-4HT1-PB30-QC5S").content.decode()

    assert "ບໍ່ມີໃບຢັ້ງຢືນໃດທີ່ມີລະຫັດ ຫຼື ເລກທີນີ້" in html


def test_numbers_count_against_the_same_limit(client, printed, settings):
    settings.SUKSA_VERIFY_RATE_PER_MINUTE = 2
    for number in ("LSSO-TOT-2022-0001", "LSSO-TOT-2022-0002"):
        page(client, number, REMOTE_ADDR="10.0.0.1")

    assert page(client, "LSSO-TOT-2022-0001", REMOTE_ADDR="10.0.0.1").status_code == (
        429
    )
    assert page(client, PRINTED, REMOTE_ADDR="10.0.0.1").status_code == 429


def test_the_address_carries_only_what_was_typed(client, printed):
    """Never the holder's name or any other personal data in the address."""
    response = client.get("/verify/", {"code": "lsso tot 2022 0001"})

    assert response["Location"] == "/verify/lsso-tot-2022-0001/"


def test_the_public_site_links_to_the_check_page(client, home_pages):
    lao = client.get("/lo/").content.decode()
    english = client.get("/en/").content.decode()

    assert 'href="/language/lo/?next=/verify/"' in lao
    assert "ກວດສອບໃບຢັ້ງຢືນ" in lao
    assert 'href="/language/en/?next=/verify/"' in english
    assert "Check a certificate" in english
