"""The numpy BiLSTM-CRF tagger (ner_nn): batching, odd input, agreement with ner.tag_tokens (no ../shared needed)."""

from __future__ import annotations

import threading

import pytest

from pressespiegel.analyse import ner, ner_nn

pytestmark = pytest.mark.skipif(not ner.model_path().is_file(), reason="NER network file not built")

SENTENCE = ("Bundeskanzler Olaf Reinhardt traf am Montag in Brüssel den Chef der Europäischen Zentralbank , "
            "Henrik Marlowe .").split()


def valid_bio(tags: list[str]) -> bool:
    prev = "O"
    for tag in tags:
        if tag != "O" and (tag[:2] not in ("B-", "I-") or tag[2:] not in ner_nn.TYPES):
            return False
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            return False
        prev = tag
    return True


def test_news_sentence():
    tags = ner.tag_tokens(SENTENCE)
    found = {(" ".join(SENTENCE[s:e]), k) for s, e, k in ner.spans(tags)}
    assert ("Olaf Reinhardt", "PER") in found
    assert ("Brüssel", "LOC") in found
    assert valid_bio(tags)


def test_batched_equals_single():
    sentences = [SENTENCE, [], ["Berlin"], "Die Deutsche Bahn streikt .".split(), SENTENCE[:5], ["x"] * 700]
    batched = ner.tag_sentences(sentences)
    assert [len(t) for t in batched] == [len(s) for s in sentences]
    assert batched == [ner.tag_tokens(s) for s in sentences]
    assert ner.tag_sentences([]) == []


def test_ner_uses_the_network():
    assert isinstance(ner.load_model(), ner_nn.Tagger)
    assert ner.tag_sentences([SENTENCE, []]) == [ner.tag_tokens(SENTENCE), []]


@pytest.mark.parametrize("tokens", [
    ["", " ", "\t", "\n", "\x00", "\u200b", "x" * 10_000],
    ["😀", "🇩🇪", "👍🏽", "#Berlin", "@user", "https://example.invalid/a?b=c"],
    "DIE BUNDESREGIERUNG HAT HEUTE IN BERLIN EINEN NEUEN HAUSHALT BESCHLOSSEN .".split(),
    "die bundesregierung hat heute in berlin einen neuen haushalt beschlossen .".split(),
    "Путин встретился с Шольцем в Москве . 東京 で 会議 が あった .".split(),
    ["Αθήνα", "und", "Berlin", "ﷺ", "\u202e", "ǅ", "ß" * 300],
    [".", ",", "!", "?", "(", ")", "-", "–", "„", "“"] * 20,
    [str(i) for i in range(400)],
])
def test_odd_input(tokens):
    tags = ner.tag_tokens(tokens)
    assert len(tags) == len(tokens)
    assert valid_bio(tags)
    assert len(ner.spans(tags)) <= max(3, len(tokens) // 4)


def test_no_entities_in_noise():
    tokens = [".", ",", "!", "😀", "123", "", "---", "%", "&", "…"] * 30
    assert ner.spans(ner.tag_tokens(tokens)) == []


def test_threads():
    results: list[list[str]] = []

    def work():
        results.append(ner.tag_tokens(SENTENCE))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == results[0] for r in results) and len(results) == 8


def test_cached():
    assert ner.load_model() is ner.load_model()


def test_crf_scores_match_the_feature_function():
    model = ner.load_model()
    if not model.crf_weight:
        pytest.skip("model without the CRF part")
    for tokens in (SENTENCE, ["Berlin"], ["„", "Titel", "“", "und", "„", "mehr", "“"], ["A", "B"], ["x"] * 5):
        fast, slow = model.crf_emissions(tokens), model.crf_emissions_slow(tokens)
        assert abs(fast - slow).max() < 1e-4
