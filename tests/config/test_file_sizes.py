"""File sizes speak the reader's language: Django ships no Lao catalogue, so ours
translates filesizeformat's "bytes" (material pages, the offline-save box). Django
joins number and unit with a no-break space."""

from django.template.defaultfilters import filesizeformat
from django.utils import translation


def test_file_sizes_in_bytes_are_in_lao():
    with translation.override("lo"):
        assert filesizeformat(45) == "45\xa0ໄບຕ໌"
        assert filesizeformat(1) == "1\xa0ໄບຕ໌"


def test_file_sizes_in_bytes_stay_english_in_english():
    with translation.override("en"):
        assert filesizeformat(45) == "45\xa0bytes"
        assert filesizeformat(1) == "1\xa0byte"
