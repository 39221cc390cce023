"""Demo materials of DESIGN §1, in Lao and English, each with a small PDF per language.

The labour-rights manual is for promoters and trainers only; the mobile registration
slides wait for a moderator (submitted by ``editor``). Idempotent: what exists is kept.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale

from cms.models import HomePage
from common.pdf import render_pdf

from .models import Audience, MaterialFile, MaterialIndexPage, MaterialPage, Topic
from .services import material_restrict, material_workflow_ensure

ORGANISATION = {
    "lo": "ອົງການປະກັນສັງຄົມແຫ່ງຊາດ",
    "en": "Lao Social Security Organisation",
}
INDEX = {
    "lo": ("ເອກະສານ", "ເອກະສານຝຶກອົບຮົມ ແລະ ເຜີຍແຜ່ ກ່ຽວກັບການປະກັນສັງຄົມ."),
    "en": ("Materials", "Training and outreach materials on social security."),
}
TOPICS = [
    ("social-security", "ການປະກັນສັງຄົມ", "Social security"),
    (
        "occupational-safety-and-health",
        "ຄວາມປອດໄພ ແລະ ສຸຂະອະນາໄມໃນການເຮັດວຽກ",
        "Occupational safety and health",
    ),
    ("labour-rights", "ສິດທິແຮງງານ", "Labour rights"),
    ("domestic-workers", "ຜູ້ອອກແຮງງານໃນຄົວເຮືອນ", "Domestic workers"),
]
AUDIENCES = [
    ("rural-workers", "ຜູ້ອອກແຮງງານໃນຊົນນະບົດ", "Rural workers"),
    ("employers", "ນາຍຈ້າງ", "Employers"),
    ("promoters", "ຜູ້ເຜີຍແຜ່", "Promoters"),
    ("trainers", "ຄູຝຶກ", "Trainers"),
]

MATERIALS = [
    {
        "slug": "social-security-basics",
        "kind": MaterialPage.Kind.LEAFLET,
        "published_date": datetime.date(2022, 6, 1),
        "topics": ["social-security"],
        "audiences": ["rural-workers", "promoters"],
        "lo": (
            "ພື້ນຖານການປະກັນສັງຄົມ",
            "ການປະກັນສັງຄົມແມ່ນຫຍັງ, ໃຜສາມາດເຂົ້າຮ່ວມໄດ້ ແລະ ໄດ້ຮັບສິດປະໂຫຍດຫຍັງແດ່.",
            [
                "ກອງທຶນປະກັນສັງຄົມປົກປ້ອງຜູ້ອອກແຮງງານ ແລະ ຄອບຄົວ ເມື່ອເຈັບເປັນ, "
                "ເກີດລູກ, ປະສົບອຸບັດຕິເຫດຈາກການເຮັດວຽກ ຫຼື ອາຍຸເຖິງກະສຽນ.",
                "ຜູ້ອອກແຮງງານນອກລະບົບ ແລະ ຊາວກະສິກອນ ສາມາດເຂົ້າຮ່ວມແບບສະໝັກໃຈໄດ້.",
            ],
        ),
        "en": (
            "Social security basics",
            "What social security is, who can join and which benefits it pays.",
            [
                "The social security fund protects workers and their families in "
                "sickness, maternity, work injury and old age.",
                "Informal workers and farmers can join voluntarily.",
            ],
        ),
    },
    {
        "slug": "occupational-safety-and-health",
        "kind": MaterialPage.Kind.POSTER,
        "published_date": datetime.date(2023, 3, 15),
        "topics": ["occupational-safety-and-health"],
        "audiences": ["rural-workers", "employers"],
        "lo": (
            "ຄວາມປອດໄພ ແລະ ສຸຂະອະນາໄມໃນການເຮັດວຽກ",
            "ຂໍ້ແນະນຳງ່າຍໆ ເພື່ອປ້ອງກັນອຸບັດຕິເຫດ ແລະ ພະຍາດ ໃນສວນກາເຟ ແລະ ສວນຊາ.",
            [
                "ໃສ່ຖົງມື ແລະ ຜ້າອັດປາກ ເວລາສີດຢາປາບສັດຕູພືດ.",
                "ລ້າງມືໃຫ້ສະອາດກ່ອນກິນເຂົ້າ. ແຈ້ງອຸບັດຕິເຫດໃຫ້ນາຍຈ້າງ ແລະ ຫ້ອງການປະກັນສັງຄົມ.",
            ],
        ),
        "en": (
            "Occupational safety and health",
            "Simple advice to prevent accidents and illness on coffee and tea farms.",
            [
                "Wear gloves and a mask when spraying pesticides.",
                "Wash your hands before eating. Report accidents to your employer "
                "and to the social security office.",
            ],
        ),
    },
    {
        "slug": "labour-rights-manual",
        "kind": MaterialPage.Kind.MANUAL,
        "published_date": datetime.date(2022, 6, 14),
        "topics": ["labour-rights"],
        "audiences": ["promoters", "trainers"],
        "restricted": True,
        "lo": (
            "ສິດທິແຮງງານ: ຄູ່ມືສຳລັບຜູ້ເຜີຍແຜ່",
            "ຄູ່ມືສຳລັບຜູ້ເຜີຍແຜ່ ເພື່ອອະທິບາຍສິດທິແຮງງານ ໃນກອງປະຊຸມບ້ານ.",
            [
                "ຜູ້ອອກແຮງງານທຸກຄົນມີສິດໄດ້ຮັບສັນຍາແຮງງານ, ຄ່າຈ້າງທີ່ເປັນທຳ, "
                "ເວລາພັກຜ່ອນ ແລະ ການປະກັນສັງຄົມ.",
                "ນາຍຈ້າງຕ້ອງບໍ່ຈຳແນກຍິງ ແລະ ຊາຍ.",
            ],
        ),
        "en": (
            "Labour rights: a manual for promoters",
            "A manual for promoters to explain labour rights in village meetings.",
            [
                "Every worker has the right to a contract, fair wages, rest and "
                "social security.",
                "Employers must not discriminate between women and men.",
            ],
        ),
    },
    {
        "slug": "decision-4369-domestic-workers",
        "kind": MaterialPage.Kind.LEAFLET,
        "published_date": datetime.date(2022, 11, 2),
        "topics": ["domestic-workers", "social-security"],
        "audiences": ["employers", "promoters"],
        "lo": (
            "ຂໍ້ຕົກລົງ ເລກທີ 4369/ຮສສ ກ່ຽວກັບການຂຶ້ນທະບຽນຜູ້ອອກແຮງງານໃນຄົວເຮືອນ",
            "ນາຍຈ້າງຕ້ອງຂຶ້ນທະບຽນແມ່ບ້ານ ແລະ ຜູ້ອອກແຮງງານໃນຄົວເຮືອນ ເຂົ້າປະກັນສັງຄົມ.",
            [
                "ຕາມຂໍ້ຕົກລົງຂອງກະຊວງແຮງງານ ແລະ ສະຫວັດດີການສັງຄົມ ເລກທີ 4369/ຮສສ "
                "ລົງວັນທີ 2 ພະຈິກ 2022, ນາຍຈ້າງທີ່ຈ້າງຜູ້ອອກແຮງງານໃນຄົວເຮືອນ "
                "ຕ້ອງຂຶ້ນທະບຽນເຂົາເຈົ້າ ແລະ ຈ່າຍເງິນສົມທົບປະກັນສັງຄົມ.",
            ],
        ),
        "en": (
            "Decision No. 4369/MoLSW on registering domestic workers",
            "Employers must register domestic workers with social security.",
            [
                "Under Decision No. 4369/MoLSW of the Ministry of Labour and Social "
                "Welfare of 2 November 2022, employers of domestic workers must "
                "register them and pay social security contributions.",
            ],
        ),
    },
    {
        "slug": "mobile-registration",
        "kind": MaterialPage.Kind.SLIDE_DECK,
        "published_date": datetime.date(2023, 5, 10),
        "topics": ["social-security"],
        "audiences": ["rural-workers", "promoters"],
        "awaiting_moderation": True,
        "lo": (
            "ວິທີຂຶ້ນທະບຽນກັບໜ່ວຍບໍລິການເຄື່ອນທີ່",
            "ຂັ້ນຕອນຂຶ້ນທະບຽນປະກັນສັງຄົມ ເມື່ອໜ່ວຍບໍລິການເຄື່ອນທີ່ມາຮອດບ້ານ.",
            [
                "ກຽມບັດປະຈຳຕົວ ຫຼື ປຶ້ມສຳມະໂນຄົວ.",
                "ມາພົບໜ່ວຍບໍລິການເຄື່ອນທີ່ຢູ່ຫ້ອງການບ້ານ. ພະນັກງານຈະຊ່ວຍປະກອບ"
                "ແບບຟອມ ແລະ ອະທິບາຍການຈ່າຍເງິນສົມທົບ.",
            ],
        ),
        "en": (
            "How to register with the mobile service",
            "How to register for social security when the mobile service comes to "
            "your village.",
            [
                "Bring your ID card or family book.",
                "Meet the mobile service at the village office. Staff help you fill "
                "in the form and explain the contributions.",
            ],
        ),
    },
]


@transaction.atomic
def materials_demo_seed() -> None:
    for model, rows in ((Topic, TOPICS), (Audience, AUDIENCES)):
        for slug, name_lo, name_en in rows:
            model.objects.get_or_create(
                slug=slug, defaults={"name_lo": name_lo, "name_en": name_en}
            )
    _root_collection_ensure()
    indexes = _index_pages_ensure()
    editor = get_user_model().objects.filter(username="editor").first()
    for material in MATERIALS:
        _material_ensure(material, indexes=indexes, editor=editor)


def _root_collection_ensure() -> None:
    """Documents need Wagtail's root collection, made by its migration; a database
    flushed since (as between browser tests) has none."""
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def _index_pages_ensure() -> dict[str, MaterialIndexPage]:
    locales = {code: Locale.objects.get(language_code=code) for code in ("lo", "en")}
    home = HomePage.objects.get(locale=locales["lo"])
    index = MaterialIndexPage.objects.child_of(home).first()
    if index is None:
        title, intro = INDEX["lo"]
        index = home.add_child(
            instance=MaterialIndexPage(
                title=title, slug="materials", intro=intro, show_in_menus=True
            )
        )
        index.save_revision().publish()
    english = index.get_translation_or_none(locales["en"])
    if english is None:
        english = index.copy_for_translation(locales["en"])
        english.title, english.intro = INDEX["en"]
        english.save_revision().publish()
    for page in (index, english):
        material_workflow_ensure(index_page=page)
    return {"lo": index, "en": english.specific}


def _material_ensure(material: dict, *, indexes: dict, editor) -> None:
    lao = MaterialPage.objects.child_of(indexes["lo"]).filter(slug=material["slug"])
    if lao.exists():
        return
    documents = {code: _pdf_document(material, code) for code in ("lo", "en")}
    page = _material_page(material, "lo", documents)
    if material.get("awaiting_moderation"):
        page.live = False
        page.owner = editor
        indexes["lo"].add_child(instance=page)
        page.save_revision(user=editor)
        page.get_workflow().start(page, editor)
        return
    indexes["lo"].add_child(instance=page)
    page.save_revision().publish()
    english = _material_page(material, "en", documents)
    english.translation_key = page.translation_key
    english.locale = indexes["en"].locale
    indexes["en"].add_child(instance=english)
    english.save_revision().publish()
    if material.get("restricted"):
        material_restrict(page=page)
        material_restrict(page=english)


def _material_page(material: dict, code: str, documents: dict) -> MaterialPage:
    title, summary, paragraphs = material[code]
    page = MaterialPage(
        title=title,
        slug=material["slug"],
        summary=summary,
        kind=material["kind"],
        language=code,
        published_date=material["published_date"],
        body=[("paragraph", f"<p>{paragraph}</p>") for paragraph in paragraphs],
    )
    page.topics = list(Topic.objects.filter(slug__in=material["topics"]))
    page.audiences = list(Audience.objects.filter(slug__in=material["audiences"]))
    order = ("lo", "en") if code == "lo" else ("en", "lo")
    page.files = [
        MaterialFile(
            document=documents[file_code],
            label=documents[file_code].title,
            language=file_code,
            sort_order=position,
        )
        for position, file_code in enumerate(order)
    ]
    return page


def _pdf_document(material: dict, code: str):
    Document = get_document_model()
    title, summary, paragraphs = material[code]
    label = f"{title} (PDF)"
    existing = Document.objects.filter(title=label).first()
    if existing is not None:
        return existing
    pdf = render_pdf(
        "materials/pdf/material.html",
        {
            "language": code,
            "organisation": ORGANISATION[code],
            "title": title,
            "summary": summary,
            "paragraphs": paragraphs,
            "footer": "LSSO · ILO",
        },
    )
    document = Document(
        title=label, file=ContentFile(pdf, name=f"{material['slug']}-{code}.pdf")
    )
    document._set_document_file_metadata()  # size and hash, as the upload form does
    document.save()
    return document
