"""The tests that read the whole demo (issue 19, item 9: the demo seeded once per
test process where tests only read it).

Each module here used to seed the demo for itself (`demo_seeded`, module scope); here
the fixture has the package's scope, so a test process seeds it once for all the
modules of this folder it runs (a process that gets tests of the folder again after
other tests seeds it again). Every test of the folder requests it.
"""

import pytest

from tests.conftest import demo_state


@pytest.fixture(scope="package")
def demo_seeded(request, django_db_setup, django_db_blocker):
    """The demo, seeded once for this package's tests in this process."""
    with demo_state(request, django_db_blocker):
        yield
