"""Template filters of the report pages that shape the layout."""

from reports.templatetags.reports_tags import keep_words, lists_places


def test_keep_words_lets_a_name_break_only_at_its_spaces():
    html = keep_words("ເມືອງ ປາກຊ່ອງ")

    assert html == (
        '<span class="suksa-words"><span>ເມືອງ</span> <span>ປາກຊ່ອງ</span></span>'
    )


def test_keep_words_escapes_what_it_wraps():
    assert "&lt;b&gt;" in keep_words("<b> ບ້ານ")
    assert "<b>" not in keep_words("<b> ບ້ານ")


def test_place_tables_are_the_province_and_district_ones():
    assert lists_places("district") and lists_places("province")
    assert lists_places("turnout") and lists_places("registrations")
    assert not lists_places("course")
