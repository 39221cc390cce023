import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cms.selectors import page_in_language
from materials.models import MaterialPage
from materials.selectors import (
    download_counts,
    materials_filter,
    materials_search,
    materials_visible_to,
)
from materials.services import download_record
from tests.factories import DistrictFactory, UserFactory

pytestmark = pytest.mark.django_db

DOMESTIC_WORKERS = "ນາຍຈ້າງຕ້ອງຂຶ້ນທະບຽນແມ່ບ້ານເຂົ້າປະກັນສັງຄົມ"
SAFETY = "ໃສ່ຖົງມືແລະຜ້າອັດປາກເວລາສີດຢາປາບສັດຕູພືດ"


def test_restricted_materials_are_visible_to_their_groups_only(
    make_material, make_user, admin_user
):
    public = make_material("ສາທາລະນະ")
    restricted = make_material("ສະເພາະຜູ້ເຜີຍແຜ່", restricted=True)
    make_material("ຮ່າງ", live=False)

    assert list(materials_visible_to(AnonymousUser())) == [public]
    for username in ("promoter", "trainer", "editor"):
        visible = set(materials_visible_to(make_user(username)))
        assert visible == {public, restricted}, username
    assert set(materials_visible_to(admin_user)) == {public, restricted}
    outsider = UserFactory(username="outsider")
    assert list(materials_visible_to(outsider)) == [public]


def test_visible_materials_by_language_of_the_page_tree(make_material):
    lao = make_material("ລາວ")
    english = make_material("English", language="en")

    assert list(materials_visible_to(AnonymousUser(), language="lo")) == [lao]
    assert list(materials_visible_to(AnonymousUser(), language="en")) == [english]


def test_filters_by_topic_audience_kind_and_language(make_material, topic, audience):
    leaflet = make_material("ໃບປິວ", topics=[topic], audiences=[audience])
    poster = make_material(
        "ໂປສເຕີ", kind=MaterialPage.Kind.POSTER, topics=[topic], material_language="en"
    )
    make_material("ອື່ນໆ", kind=MaterialPage.Kind.MANUAL)
    everything = MaterialPage.objects.live()

    assert set(materials_filter(everything, topic=topic.slug)) == {leaflet, poster}
    assert list(materials_filter(everything, audience=audience.slug)) == [leaflet]
    assert list(materials_filter(everything, kind="poster")) == [poster]
    assert list(materials_filter(everything, language="en")) == [poster]
    assert list(materials_filter(everything, topic=topic.slug, kind="leaflet")) == [
        leaflet
    ]
    assert not materials_filter(everything, topic="no-such-topic").exists()


def test_lao_word_inside_a_sentence_is_found(make_material):
    domestic = make_material("ຂໍ້ຕົກລົງ 4369", summary=DOMESTIC_WORKERS)
    safety = make_material("ຄວາມປອດໄພ", summary=SAFETY)
    everything = MaterialPage.objects.live()

    assert list(materials_search(everything, "ແມ່ບ້ານ")) == [domestic]
    assert list(materials_search(everything, "ຖົງມື")) == [safety]
    assert list(materials_search(everything, "ປະກັນສັງຄົມ ນາຍຈ້າງ")) == [domestic]


def test_lao_word_that_is_absent_is_not_found(make_material):
    make_material("ຂໍ້ຕົກລົງ 4369", summary=DOMESTIC_WORKERS)
    everything = MaterialPage.objects.live()

    assert not materials_search(everything, "ໂຮງຮຽນ").exists()
    assert not materials_search(everything, "ແມ່ບ້ານ ໂຮງຮຽນ").exists()


PENSION = (
    "ຜູ້ອອກແຮງງານໃນຄົວເຮືອນ ແລະ ຜູ້ອອກແຮງງານນອກລະບົບ ສາມາດເຂົ້າຮ່ວມ"
    "ກອງທຶນປະກັນສັງຄົມແບບສະໝັກໃຈ ເພື່ອໄດ້ຮັບເງິນບໍານານ."
)
ACCIDENT = "ນາຍຈ້າງຕ້ອງແຈ້ງອຸບັດຕິເຫດຈາກການເຮັດວຽກພາຍໃນ 3 ວັນ."


@pytest.mark.parametrize(
    "query",
    [
        "ປະກັນ",  # the first half of ປະກັນສັງຄົມ
        "ສັງຄົມ",  # its second half
        "ເຮືອນ",  # the end of ຄົວເຮືອນ
        "ແຮງງານ",  # split ອອກແຮງ|ງານ by the word breaker in the sentence
        "ບຳນານ",  # written with ຳ, the material with ໍາ
        "ກອງທຶນປະກັນ",  # across two words of the sentence
        "ສັງຄົມ ເຮືອນ",  # two parts, both in the material
        "ປະກັນ pension",  # Lao part and an English word of the title
    ],
)
def test_lao_search_finds_parts_of_compound_words(make_material, query):
    pension = make_material("ເງິນບໍານານ (pension)", summary=PENSION)
    make_material("ອຸບັດຕິເຫດ", summary=ACCIDENT)
    everything = MaterialPage.objects.live()

    assert list(materials_search(everything, query)) == [pension]


def test_lao_parts_must_follow_each_other_as_typed(make_material):
    make_material("ເງິນບໍານານ", summary=PENSION)
    everything = MaterialPage.objects.live()

    # ສັງ and ປະກັນ are both in the material, never in this order.
    assert not materials_search(everything, "ສັງປະກັນ").exists()
    assert not materials_search(everything, "ເຮືອນຄົວ").exists()
    assert not materials_search(everything, "ປະກັນ ໂຮງຮຽນ").exists()


def test_lao_search_ranks_and_finds_in_every_material_of_many(make_material):
    found = [
        make_material(f"ເອກະສານ {number}", summary=f"{PENSION} {number}")
        for number in range(3)
    ]
    make_material("ອຸບັດຕິເຫດ", summary=ACCIDENT)
    everything = MaterialPage.objects.live()

    assert set(materials_search(everything, "ຄົວເຮືອນ")) == set(found)
    assert set(materials_search(everything, "ນາຍຈ້າງ")) == set(
        materials_search(everything, "ຈ້າງ")
    )


def test_english_search_finds_words_in_title_summary_and_body(make_material):
    safety = make_material(
        "Occupational safety and health",
        language="en",
        summary="Simple advice for coffee farms.",
        body=[("paragraph", "<p>Wear gloves when spraying pesticides.</p>")],
    )
    make_material("Social security basics", language="en")
    everything = MaterialPage.objects.live()

    assert list(materials_search(everything, "safety")) == [safety]
    assert list(materials_search(everything, "coffee")) == [safety]
    assert list(materials_search(everything, "pesticides")) == [safety]
    assert not materials_search(everything, "tractor").exists()


def test_search_ignores_drafts(make_material):
    make_material("ຮ່າງ", summary=DOMESTIC_WORKERS, live=False)

    assert not materials_search(MaterialPage.objects.all(), "ແມ່ບ້ານ").exists()


def test_page_in_language_gives_the_translation_or_a_fallback(library, make_material):
    lao = make_material("ພື້ນຖານ", slug="basics")
    untranslated = make_material("ບໍ່ມີພາສາອັງກິດ", slug="lao-only")
    english = lao.copy_for_translation(library["en"].locale)
    english.title = "Basics"
    english.save_revision().publish()

    assert page_in_language(lao, "en") == (english.specific, False)
    assert page_in_language(english, "lo") == (lao, False)
    assert page_in_language(lao, "lo") == (lao, False)
    assert page_in_language(untranslated, "en") == (untranslated, True)


def test_page_in_language_falls_back_when_the_translation_is_a_draft(
    library, make_material
):
    lao = make_material("ພື້ນຖານ", slug="basics")
    english = lao.copy_for_translation(library["en"].locale)
    english.save_revision()

    assert page_in_language(lao, "en") == (lao, True)


def _download_at(material_file, user, when):
    with mock.patch("materials.services.timezone.now", return_value=when):
        download_record(material_file=material_file, user=user)


def test_download_counts_total_per_material_month_and_district(
    make_material, make_user, monkeypatch
):
    vientiane, paksong = DistrictFactory(), DistrictFactory()
    monkeypatch.setattr(
        "materials.services._district_of",
        lambda user: paksong if user.is_authenticated else None,
    )
    promoter = make_user("promoter")
    leaflet = make_material("ໃບປິວ").files.get()
    poster = make_material("ໂປສເຕີ").files.get()
    june = timezone.make_aware(datetime.datetime(2024, 6, 10, 9))
    july = timezone.make_aware(datetime.datetime(2024, 7, 3, 9))
    _download_at(leaflet, promoter, june)
    _download_at(leaflet, promoter, july)
    _download_at(leaflet, AnonymousUser(), july)
    _download_at(poster, promoter, july)

    counts = download_counts()

    assert counts.total == 4
    assert [(row["title"], row["count"]) for row in counts.by_material] == [
        ("ໃບປິວ", 3),
        ("ໂປສເຕີ", 1),
    ]
    assert [(row["month"], row["count"]) for row in counts.by_month] == [
        (datetime.date(2024, 6, 1), 1),
        (datetime.date(2024, 7, 1), 3),
    ]
    assert {row["district_id"]: row["count"] for row in counts.by_district} == {
        paksong.pk: 3,
        None: 1,
    }
    assert sum(row["count"] for row in counts.rows) == 4
    assert download_counts(district=paksong).total == 3
    assert download_counts(district=vientiane).total == 0
    assert download_counts(province=paksong.province).total == 3
    assert download_counts(date_from=datetime.date(2024, 7, 1)).total == 3
    assert download_counts(date_to=datetime.date(2024, 6, 30)).total == 1


def test_download_counts_of_the_materials_a_project_or_partner_names(
    make_material, make_user
):
    from django.db.models import Q

    from tests.factories import OrganisationFactory, ProjectFactory

    project, ilo = ProjectFactory(), OrganisationFactory(name="ILO")
    decision = make_material("ຂໍ້ຕົກລົງ 4369")
    decision.projects.add(project)
    decision.partners.add(ilo)
    decision.save_revision().publish()  # a page keeps its links as it is saved
    poster = make_material("ໂປສເຕີ")
    user = make_user("promoter")
    for page in (decision, poster):
        download_record(material_file=page.files.get(), user=user)

    assert download_counts().total == 2
    assert download_counts(linked=Q(projects=project)).total == 1
    assert download_counts(linked=Q(partners=ilo) & Q(projects=project)).total == 1
    assert download_counts(linked=Q(funders=ilo)).total == 0
