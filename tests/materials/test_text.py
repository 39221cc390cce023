from materials.text import segment, words


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
