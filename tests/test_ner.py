"""The CRF named-entity tagger: the --conll contract, a news sentence, and bad input (no ../shared needed)."""

from __future__ import annotations

import pytest

from pressespiegel.analyse import ner
from pressespiegel.analyse.ner_features import gazetteer, sentence_features, short_shape, word_shape

pytestmark = pytest.mark.skipif(not ner.model_path().is_file(), reason="NER model file not built")

SENTENCE = ("Bundeskanzler Olaf Reinhardt traf am Montag in Brüssel den Chef der Europäischen Zentralbank , "
            "Henrik Marlowe .").split()


def entities(tokens: list[str]) -> set[tuple[str, str]]:
    tags = ner.tag_tokens(tokens)
    return {(" ".join(tokens[s:e]), k) for s, e, k in ner.spans(tags)}


def test_news_sentence():
    found = entities(SENTENCE)
    assert ("Olaf Reinhardt", "PER") in found
    assert ("Brüssel", "LOC") in found
    assert ("Europäischen Zentralbank", "ORG") in found
    assert ("Henrik Marlowe", "PER") in found
    assert not any(text in ("Bundeskanzler", "Montag", "Chef") for text, _ in found)


def test_more_news():
    tokens = ("Die Brenner Antriebstechnik GmbH will ihr Werk in Lindenau schließen , sagte Betriebsratschef "
              "Uwe Pohlmann der Rheinischen Post .").split()
    found = entities(tokens)
    assert ("Uwe Pohlmann", "PER") in found
    assert ("Lindenau", "LOC") in found
    assert any(k == "ORG" and "Brenner" in text for text, k in found)


def test_tags_are_valid_bio():
    tags = ner.tag_tokens(SENTENCE)
    assert len(tags) == len(SENTENCE)
    prev = "O"
    for tag in tags:
        assert tag == "O" or tag[:2] in ("B-", "I-") and tag[2:] in ner.TYPES
        if tag.startswith("I-"):
            assert prev[2:] == tag[2:]
        prev = tag


def test_spans():
    assert ner.spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG", "I-OTH"]) == [
        (0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "ORG"), (6, 7, "OTH")]
    assert ner.spans([]) == []


def test_tag_conll_round_trip():
    lines = [
        "#\thttp://example.invalid/artikel [2026-11-16]\n",
        "1\tBundeskanzler\tO\tO\n",
        "2\tOlaf\tB-PER\tO\n",
        "3\tReinhardt\tI-PER\tO\n",
        "4\treiste\tO\tO\n",
        "5\tnach\tO\tO\n",
        "6\tBrüssel\tO\tO\n",
        "7\t.\tO\tO\n",
        "\n",
        "# a comment without tab\n",
        "1\tAnna\n",
        "2\tKrüger\n",
        "3\tlacht\n",
        "\n",
    ]
    out = ner.tag_conll(lines)
    assert len(out) == len(lines)
    for before, after in zip(lines, out):
        if before.startswith("#") or not before.strip():
            assert after == before
            continue
        b, a = before.rstrip("\n").split("\t"), after.rstrip("\n").split("\t")
        assert after.endswith("\n")
        assert a[:2] == b[:2]
        assert len(a) == max(3, len(b))
        if len(b) == 4:
            assert a[3] == b[3]
        assert a[2] == "O" or a[2][2:] in ner.TYPES
    tags = [line.split("\t")[2].strip() for line in out[1:8]]
    assert tags[1:3] == ["B-PER", "I-PER"]
    assert tags[5] == "B-LOC"


def test_tag_conll_without_final_blank_line_and_crlf():
    out = ner.tag_conll(["1\tBerlin\tX\tO\r\n", "2\tleuchtet\tX\tO"])
    assert out[0].endswith("\r\n") and not out[1].endswith("\n")
    assert [line.split("\t")[2].strip() for line in out] == ["B-LOC", "O"]


BAD_INPUTS = {
    "all caps": "DIE REGIERUNG IN BERLIN HAT AM MONTAG NEUE REGELN FÜR DIE STEUERN BESCHLOSSEN UND DAS IST GUT .",
    "no capitals": "die regierung in berlin hat am montag neue regeln für die steuern beschlossen und das ist gut .",
    "numbers": "2019 2020 2021 1.234 5.678 9.101 12 % 13 % 14 % 0,5 0,7 0,9 1.000 2.000 3.000 | | |",
    "emoji": "😀 🎉 🚀 👍 🔥 💯 ❤️ 🙈 😂 🤔 👀 🥳",
    "cyrillic": "Президент России встретился с министром в Москве в понедельник утром .",
    "punctuation": "!!! ??? ... --- *** ### ((( ))) ;;; ::: ,,, ''' \"\"\"",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_few_entities(name):
    tokens = BAD_INPUTS[name].split()
    tags = ner.tag_tokens(tokens)
    assert len(tags) == len(tokens)
    assert len(ner.spans(tags)) <= 3, (name, tags)


def test_degenerate_tokens():
    long = "A" + "b" * 4999
    tags = ner.tag_tokens([long, "", " ", "\t", "x" * 5000, "\u200b", "\x00"])
    assert len(tags) == 7
    assert len(ner.spans(tags)) <= 3
    assert ner.tag_tokens([]) == []
    many = ["Wort"] * 1000
    assert len(ner.tag_tokens(many)) == 1000


def test_features_are_per_token():
    feats = sentence_features(["Herr", "Müller", "aus", "Köln"])
    assert len(feats) == 4
    assert "cue=title-word" in feats[0] and "-1:cue=title-word" in feats[1]
    assert "cue=place-prep" in feats[2] and "+1:title" in feats[2]
    assert word_shape("Müller-Lüdenscheidt") == "Xxxxx-Xxxxx"
    assert short_shape("GmbH") == "XxX"


def test_load_model_cached():
    assert ner.load_model() is ner.load_model()


def test_name_list_features():
    """First names, last names and places from the shipped name lists; common words are not in them."""
    feats = sentence_features(["Gestern", "sprach", "Angela", "Schmidt", "in", "Kiews", "Zentrum", "."])
    assert "gz=fn" in feats[2] and "gz=ln" in feats[3]
    assert "-1:gz=fn" in feats[3] and "+1:gz=ln" in feats[2]  # the neighbours see them
    assert "gzs=loc" in feats[5]  # genitive of "Kiew"
    assert not [f for f in feats[0] + feats[1] + feats[6] if f.startswith(("gz", "gzs"))]
    names = gazetteer()
    assert "Dazu" not in names and "Will" not in names  # GeoNames/Faker entries that are German words
    assert not [f for f in sentence_features(["KIEW"])[0] if f.startswith("gz")]  # all caps: not looked up


def test_shipped_crf_uses_name_lists():
    """The CRF inside the shipped model was trained with the name-list features (else they would do nothing)."""
    import numpy as np

    from pressespiegel.analyse import ner_nn

    with np.load(ner.model_path()) as f:
        attrs = set(ner_nn._unpack(f["crf_attrs"]))
    assert {"gz=fn", "gz=ln", "gz=loc", "-1:gz=fn"} <= attrs
