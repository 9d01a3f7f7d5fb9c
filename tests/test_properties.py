"""Property tests: random bytes and random markup never crash a reader or the extraction."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressespiegel.config import Limits
from pressespiegel.extract import ExtractionError, extract
from pressespiegel.ingest import READERS
from pressespiegel.ingest.detect import sniff
from pressespiegel.ingest.sources import InputError
from pressespiegel.model import RawDocument, Rejection

LIMITS = Limits(max_document_bytes=200_000)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TAGS = ["html", "body", "div", "p", "article", "script", "style", "section", "li", "ol", "rss", "channel", "item",
        "title", "feed", "entry", "content", "a", "span", "time", "!--", "![CDATA[", "!DOCTYPE html", "?xml"]


@st.composite
def markup(draw) -> bytes:
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        tag = draw(st.sampled_from(TAGS))
        kind = draw(st.integers(0, 4))
        if kind == 0:
            parts.append(f"<{tag}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(f'<{tag} class="{draw(st.sampled_from(["comment", "author", "text", "x"]))}">')
        else:
            parts.append(draw(st.text(max_size=40)))
    return "".join(parts).encode("utf-8", "surrogatepass") if draw(st.booleans()) else \
        "".join(parts).encode("utf-8", "replace")


def _consume(reader, data: bytes) -> None:
    try:
        items = list(reader(data, "prop", LIMITS))
    except InputError as exc:
        assert str(exc)  # a reason is always given
        return
    for item in items:
        if isinstance(item, Rejection):
            assert item.reason
            continue
        assert isinstance(item, RawDocument)
        try:
            doc = extract(item)
        except ExtractionError:
            continue
        assert doc.text.strip()
        assert doc.to_contract()["source"] == item.source


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_never_crash_any_reader(data):
    assert sniff(data) in READERS
    for reader in READERS.values():
        _consume(reader, data)


@SETTINGS
@given(markup())
def test_random_markup_never_crashes_any_reader(data):
    for reader in READERS.values():
        _consume(reader, data)


@SETTINGS
@given(st.lists(st.one_of(st.text(max_size=80), st.binary(max_size=80).map(lambda b: b.decode("latin-1"))),
                max_size=30))
def test_random_jsonl_lines_are_documents_or_rejections(lines):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    _consume(READERS["jsonl"], data)


@SETTINGS
@given(st.text(max_size=2000))
def test_text_dump_labels_cover_every_nonblank_line(text):
    from pressespiegel.extract.textdump import segment

    seg = segment(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert [x.line for x in seg.labels] == [i + 1 for i, line in enumerate(lines) if line.strip()]
