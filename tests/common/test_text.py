from common.text import clusters, index_text, lao_term, query_parts, segment, words


def test_lao_sentence_is_split_into_words():
    sentence = "ນາຍຈ້າງຕ້ອງຂຶ້ນທະບຽນແມ່ບ້ານເຂົ້າປະກັນສັງຄົມ"

    found = words(sentence)

    assert "ແມ່ບ້ານ" in found
    assert "ປະກັນສັງຄົມ" in found
    assert "".join(found) == sentence


def test_spaces_and_punctuation_are_dropped_and_english_kept():
    assert words("Social security, 2022!") == ["Social", "security", "2022"]
    assert segment("ຄວາມປອດໄພ ແລະ ສຸຂະອະນາໄມ") == "ຄວາມປອດໄພ ແລະ ສຸຂະ ອະນາໄມ"
    assert words("") == []


def test_lao_is_indexed_as_one_latin_term_per_character_cluster():
    # ປະກັນ: ປ, ະ, ກັ (ກ with its vowel mark), ນ.
    assert clusters("ປະກັນ") == ["ປ", "ະ", "ກັ", "ນ"]
    terms = index_text("ປະກັນ social").split()

    assert terms == [
        lao_term("ປ"),
        lao_term("ະ"),
        lao_term("ກັ"),
        lao_term("ນ"),
        "social",
    ]
    assert all(term.isascii() and term.isalpha() for term in terms[:4])
    assert len(set(terms[:4])) == 4


def test_two_spellings_of_the_same_lao_are_indexed_alike():
    assert index_text("ບຳນານ") == index_text("ບໍານານ")
    assert index_text("ໜ້າ") == index_text("ຫນ້າ")
    assert index_text("ຫຼາຍ") == index_text("ຫລາຍ")
    assert index_text("ປີ ໒໐໒໔") == index_text("ປີ 2024")


def test_query_keeps_lao_typed_together_as_one_phrase():
    parts = query_parts("ປະກັນສັງຄົມ ນາຍຈ້າງ, safety 2024")

    assert parts.phrases == (index_text("ປະກັນສັງຄົມ"), index_text("ນາຍຈ້າງ"))
    assert parts.words == ("safety", "2024")
    assert not query_parts(" , ")
