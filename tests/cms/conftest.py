# The materials fixtures (a library in Lao and English, materials with files), for the
# front-end tests of material pages here.
from tests.materials.conftest import (  # noqa: F401
    audience,
    library,
    make_document,
    make_material,
    topic,
)
