from hypothesis import given, strategies as st

from rasid.normalize import fold, normalize


def test_normalize_undoes_obfuscation():
    assert fold("السـ.لاح") == "السلاح"
    assert fold("للسـِلاح") == "للسلاح"
    assert fold("المحـ.رمة") == "المحرمه"


def test_normalize_keeps_detached_clitic_tatweel():
    # لـ "أنا برس" and الـ 50 are clitics, not obfuscation: the space stays, only tatweel goes
    assert fold('لـ "أنا برس"') == 'ل "انا برس"'
    assert fold("الـ 50 مليون") == "ال 50 مليون"


def test_normalize_does_not_join_sentences_at_a_plain_dot():
    assert fold("الغوطة.وقال") == "الغوطه.وقال"


def test_normalize_folds_letters_and_digits():
    assert fold("إدلب") == fold("ادلب") == "ادلب"
    assert fold("حماة") == fold("حماه")
    assert fold("٢٠١٨") == "2018"
    assert fold("مُصْطَفَى") == "مصطفي"


def test_normalize_offsets_point_at_source_characters():
    text = "قال العقيد “مصطفى البكور” إن السـ.لاح الأقوى"
    nt = normalize(text)
    i = nt.text.index("السلاح")
    s, e = nt.to_original(i, i + len("السلاح"))
    assert text[s:e] == "السـ.لاح"


arabic = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي أإآةىئؤـ.ًٌٍَُِّْ٠١٢\n\"«»“”,،")),
                 max_size=80)


@given(arabic)
def test_normalize_offset_map_is_monotonic_and_in_range(text):
    nt = normalize(text)
    assert len(nt.offsets) == len(nt.text) + 1
    assert nt.offsets[-1] == len(text)
    assert all(0 <= o < len(text) for o in nt.offsets[:-1])
    assert list(nt.offsets[:-1]) == sorted(nt.offsets[:-1])


@given(arabic)
def test_normalize_every_char_maps_back_to_a_source_char_that_folds_to_it(text):
    nt = normalize(text)
    for i, ch in enumerate(nt.text):
        src = text[nt.offsets[i]]
        assert fold(src) in (ch, "") or ch.isdigit() or src == ch
