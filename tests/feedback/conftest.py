import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """The flood limits count in the cache, shared by every test."""
    cache.clear()
    yield
    cache.clear()


def answers(**changes) -> dict:
    return {
        "relevance": 5,
        "trainer": 4,
        "materials": 3,
        "improve": "",
        "recommend": True,
        **changes,
    }
