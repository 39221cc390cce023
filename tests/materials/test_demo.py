import pytest
from wagtail.models import WorkflowState

from accounts import roles
from accounts.services import roles_ensure, user_ensure
from cms.services import site_ensure_home_pages
from materials.demo import materials_demo_seed
from materials.models import MaterialFile, MaterialIndexPage, MaterialPage, Topic
from tests.conftest import shared_state

# Seeding the demo takes seconds: `-m "not slow"` leaves these out of a quick run.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _seed():
    roles_ensure()
    site_ensure_home_pages()
    user_ensure(username="editor", password="demo-pass-123", role=roles.EDITORS)
    materials_demo_seed()


@pytest.fixture(scope="module")
def materials_seeded(request, django_db_setup, django_db_blocker):
    """The materials' demo, seeded once for this module's tests (`shared_state`)."""
    with shared_state(request, django_db_blocker, _seed):
        yield


@pytest.fixture
def seeded(materials_seeded, db):
    pass


def test_demo_has_the_five_materials_in_lao_and_english(seeded):
    lao = MaterialPage.objects.filter(locale__language_code="lo")
    english = MaterialPage.objects.filter(locale__language_code="en")

    assert lao.count() == 5
    assert english.count() == 4  # the slides awaiting moderation are Lao only
    assert MaterialIndexPage.objects.count() == 2
    decision = lao.get(slug="decision-4369-domestic-workers")
    assert decision.published_date.isoformat() == "2022-11-02"
    for material in MaterialPage.objects.all():
        languages = set(material.files.values_list("language", flat=True))
        assert languages == {"lo", "en"}
    pdf = MaterialFile.objects.first().document
    with pdf.open_file() as handle:
        assert handle.read(4) == b"%PDF"


def test_demo_restricts_one_material_and_one_waits_for_moderation(seeded):
    restricted = MaterialPage.objects.filter(slug="labour-rights-manual")
    waiting = MaterialPage.objects.get(slug="mobile-registration")

    assert all(page.get_view_restrictions().exists() for page in restricted)
    assert waiting.live is False
    state = WorkflowState.objects.get(object_id=str(waiting.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by.username == "editor"


def test_demo_is_idempotent(seeded):
    materials_demo_seed()

    assert MaterialPage.objects.count() == 9
    assert Topic.objects.count() == 4
    assert MaterialFile.objects.values("document").distinct().count() == 10
    assert WorkflowState.objects.count() == 1
