"""The online story index (stories.index): incremental placement against the batch result and the gold events of the
story test corpus, independence of the arrival order, merges, the store path (run, rerun, recluster), and the
coverage table of a story (stories.compare)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from pressespiegel.stories import scoring
from pressespiegel.stories.grouping import Article, group
from pressespiegel.stories.index import (
    CONFLICT_STEP,
    KIND_STEP,
    THRESHOLD,
    Signals,
    StoryIndex,
    Vectoriser,
    decode,
    encode,
    event_kinds,
    signals,
)

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "stories_heldout.json"


def bcubed(pred: list, gold: list) -> float:
    return scoring.bcubed(pred, gold)[2]


@pytest.fixture(scope="module")
def extracted() -> list:
    """The documents of the story test corpus (100 invented articles, 25 events), extracted as the pipeline does."""
    from pressespiegel.config import Settings
    from pressespiegel.extract import extract
    from pressespiegel.ingest import read_inputs

    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    return [extract(next(iter(read_inputs([str(ROOT / g["file"])], Settings().limits, None)))) for g in gold]


@pytest.fixture(scope="module")
def corpus(extracted) -> tuple[list[Article], list[str]]:
    """The story test corpus as articles numbered 0-99, and the gold events."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    articles = [Article(i, d.title, d.text, d.published, d.outlet) for i, d in enumerate(extracted)]
    return articles, [g["event"] for g in gold]


def labels(story_of: dict[int, int], n: int) -> list[int]:
    return [story_of[i] for i in range(n)]


def test_batch_grouping_keeps_its_quality_on_the_story_corpus(corpus):
    articles, gold = corpus
    g = group(articles)
    assert bcubed(labels(g.story_of, len(articles)), gold) >= 0.966  # the global algorithm's score before the index
    # every agency copy of the gold is found (as a group: which same-day copy is the original does not matter)
    files = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    names = [x["file"] for x in files]
    for i, x in enumerate(files):
        if x.get("copy_of"):
            j = names.index(x["copy_of"])
            assert g.duplicate_of.get(i, i) == g.duplicate_of.get(j, j), x["file"]
            assert g.story_of[i] == g.story_of[j]


def test_adding_in_runs_gives_the_stories_of_one_batch(corpus):
    """Articles arriving run after run (a few days' worth each, document frequencies growing) end up in the same
    stories as when all arrive at once."""
    articles, gold = corpus
    batch = labels(group(articles).story_of, len(articles))
    index = StoryIndex()
    by_date = sorted(articles, key=lambda a: (a.published is None, a.published or "", a.id))
    for k in range(0, len(by_date), 10):
        index.add(by_date[k:k + 10])
    incremental = labels(index.story_of(), len(articles))
    assert bcubed(incremental, batch) >= 0.97
    assert bcubed(incremental, gold) >= 0.96


def test_arrival_order_hardly_matters(analysed, corpus):
    """One article at a time, in shuffled order (the index starts empty: the hardest case for its document
    frequencies, and undated pages may come before any dated report of their event): the stories agree with the
    gold events and with those of the publication order."""
    _, gold = corpus
    batch = labels(group(analysed).story_of, len(analysed))
    assert bcubed(batch, gold) == 1.0
    agreement, scores = [], []
    for seed in range(3):
        order = analysed[:]
        random.Random(seed).shuffle(order)
        index = StoryIndex()
        for a in order:
            index.add([a])
        shuffled = labels(index.story_of(), len(analysed))
        agreement.append(bcubed(shuffled, batch))
        scores.append(bcubed(shuffled, gold))
    assert min(scores) >= 0.92 and sum(scores) / 3 >= 0.95, scores
    assert min(agreement) >= 0.92, agreement


FLOOD = ("Nach dem Deichbruch an der Erft hat der Kreis Auenbach am Dienstag die Altstadt geräumt. Rund 2.400 Bewohner "
         "mussten ihre Häuser verlassen, sie kamen in Turnhallen und bei Verwandten unter. Landrat Heiner Kassel "
         "sprach von der schwersten Flut seit Jahrzehnten.")
DAM = ("Das Technische Hilfswerk hat in der Nacht einen Notdeich aus Sandsäcken errichtet. Die Pumpen der Feuerwehr "
       "liefen bis zum Morgen, in den Kellern der Hafenstraße stand das Wasser einen Meter hoch. Helfer aus "
       "Wendelbach und Oberkirchen unterstützten die Einsatzkräfte.")
BRIDGE = ("Deichbruch an der Erft: Auenbach räumt die Altstadt, rund 2.400 Bewohner verlassen ihre Häuser. Landrat "
          "Heiner Kassel spricht von der schwersten Flut seit Jahrzehnten. Das Technische Hilfswerk errichtete einen "
          "Notdeich aus Sandsäcken, die Pumpen der Feuerwehr liefen bis zum Morgen, in den Kellern der Hafenstraße "
          "stand das Wasser.")


def test_an_article_that_bridges_two_stories_merges_them():
    first = [Article(1, "Auenbach räumt Altstadt", FLOOD, "2026-11-03", "a.de"),
             Article(2, "Notdeich aus Sandsäcken", DAM, "2026-11-03", "b.de")]
    bridge = Article(3, "Flut in Auenbach", BRIDGE, "2026-11-04", "c.de")
    index = StoryIndex()
    index.add(first)
    assert index.story_of() == {1: 1, 2: 2}  # two stories so far
    index.take()
    index.add([bridge])
    assert index.story_of() == {1: 1, 2: 1, 3: 1}  # the older story keeps its id
    change = index.take()
    assert change.merged == {2: 1}
    assert [(s.id, s.size, s.first_published, s.last_published) for s in change.stories] == \
        [(1, 3, "2026-11-03", "2026-11-04")]
    # without the merge rule the bridge only joins the closer story
    plain = StoryIndex(merge_threshold=1.01)
    plain.add(first)
    plain.add([bridge])
    assert plain.story_of() == {1: 1, 2: 2, 3: 1}


def test_time_window_and_articles_without_date_or_words():
    strike = ("Die Gewerkschaft GNL hat die Fahrer der Verkehrsbetriebe Brakenhude zum Warnstreik aufgerufen. Busse und "
              "Stadtbahnen bleiben in den Depots, Pendler müssen auf das Fahrrad umsteigen.")
    index = StoryIndex()
    index.add([Article(1, "Warnstreik in Brakenhude", strike, "2026-03-10", None),
               Article(2, "Wieder Warnstreik in Brakenhude", strike + " Es ist der zweite Ausstand.", "2026-06-15", None),
               Article(3, "Streik: Busse stehen still", strike, None, None),  # undated: any story may take it
               Article(4, None, "", "2026-06-15", None),  # no text at all: a story of its own, no crash
               Article(5, None, "?!", None, None)])
    story = index.story_of()
    assert story[1] != story[2]  # same topic, three months apart: two stories
    assert story[3] == story[1]  # the text of the March report (the June one has a sentence more)
    assert story[4] == 4 and story[5] == 5
    assert len({story[1], story[2], story[4], story[5]}) == 4


def test_encoded_entries_and_state_round_trip():
    vec = Vectoriser()
    arts = [Article(1, "Deich gebrochen", FLOOD * 3, "2026-11-03", None), Article(2, "Notdeich", DAM, None, None)]
    counts = vec.counts(arts)
    vec.observe(counts)
    idx, q = vec.vector(counts, 0)
    assert len(idx) and np.all(np.diff(idx) > 0) and q.min() >= 1
    mh = np.arange(128, dtype=np.uint32) * 977
    for big in (idx, np.array([3, 70000, 1 << 19], np.int32)):  # narrow and wide id gaps
        qq = np.full(len(big), 9, np.uint8)
        i2, q2, mh2, n, sig = decode(encode(big, qq, mh, 31))
        assert np.array_equal(i2, big) and np.array_equal(q2, qq) and np.array_equal(mh2, mh) and n == 31
        assert len(sig.names) == len(sig.keys) == len(sig.days) == 0
    assert decode(encode(idx, q, None, 3))[2] is None
    # with signals; and an entry of format 1 (stored before the signals existed) still reads, without them
    a = Article(3, "x", "y", None, None, entities=("ketzingen", "reuschle"), key_entities=("ketzingen",),
                event_days=(740000, 740002))
    data = encode(idx, q, mh, 31, Signals.of(a))
    sig = decode(data)[4]
    assert sig.names.tolist() == Signals.of(a).names.tolist() and len(sig.keys) == 1
    assert sig.days.tolist() == [740000, 740002]
    many = Signals.of(Article(4, "x", "y", None, None, entities=tuple(f"n{i}" for i in range(70000))))
    assert len(decode(encode(idx, q, mh, 31, many))[4].names) == 2048  # capped: the counts fit the entry format
    old = bytes([1]) + encode(idx, q, mh, 31)[1:-6]
    i2, q2, mh2, n, sig = decode(old)
    assert np.array_equal(i2, idx) and np.array_equal(mh2, mh) and len(sig.names) == 0
    back = Vectoriser.from_bytes(vec.to_bytes())
    assert back.n_docs == 2 and np.array_equal(back.df, vec.df)
    with pytest.raises(ValueError):
        Vectoriser.from_bytes(b"nonsense" * 4)


def test_signals_take_the_lead_and_skip_the_byline():
    title = "Brand in Dornbühl"
    text = (title + "\nVon Lukas Heinzelmann · 20.08.2026\nIn Dornbühl brannte am Donnerstag ein Wertstoffhof. "
            + "x " * 400 + "Ketzingen war vor einer Woche betroffen.")
    ents = [(9, "LOC", "Dornbühl"), (text.index("Lukas"), "PER", "Lukas Heinzelmann"), (56, "LOC", "Dornbühl"),
            (text.index("Ketzingen"), "LOC", "Ketzingen"), (0, "OTH", "Brand")]
    times = [(text.index("20.08"), "DATE", "2026-08-20"), (text.index("Donnerstag"), "TIME", "2026-08-20TEV"),
             (text.index("Ketzingen") + 20, "DATE", "2026-08-13"), (70, "DATE", "2026-W34")]
    sig = signals(title, text, ents, times)
    assert sig["key_entities"] == ("dornbuhl",)  # the author of the byline and the late mention are not key
    from pressespiegel.analyse.entities import name_key

    assert set(sig["entities"]) == {name_key(n) for n in ("Dornbühl", "Lukas Heinzelmann", "Ketzingen")}  # no OTH
    assert len(sig["event_days"]) == 1  # 20 August; the week is no day, the date past the lead is not read


def test_other_actors_and_far_lead_dates_raise_the_bar():
    """A story needs more similarity to take an article whose lead names none of its people and places, and more
    again when the lead's dates are a week from the story's."""
    index = StoryIndex()
    day = 740000
    index.add([Article(1, "Großbrand in Ketzingen", "Ein Großbrand im Entsorgungspark Ketzingen. " * 5,
                       "2026-08-12", None, entities=("ketzingen", "uwe grosshans"), key_entities=("ketzingen",),
                       event_days=(day,))])
    same = Signals.of(Article(2, "", "", None, None, key_entities=("ketzingen",), event_days=(day + 2,)))
    other = Signals.of(Article(3, "", "", None, None, key_entities=("dornbuhl",), event_days=(day + 8,)))
    silent = Signals.of(Article(4, "", "", None, None))
    story = np.array([0])
    assert index._needed(story, same)[0] == pytest.approx(THRESHOLD)
    assert index._needed(story, silent)[0] == pytest.approx(THRESHOLD)  # no signal: text alone decides
    assert index._needed(story, other)[0] == pytest.approx(THRESHOLD + 2 * CONFLICT_STEP)


def test_event_kinds_are_the_bodies_that_meet():
    assert event_kinds("Die Verteidigungsminister des Bundes haben am Mittwoch beraten") == ("verteidigungsminister",)
    assert event_kinds("Außenminister der 14 Mitgliedsstaaten treffen sich in Sundholm") == ("außenminister",)
    assert event_kinds("Bund-Außenministertreffen: mehr Hilfe für Varenien") == ("außenminister",)
    assert event_kinds("Bund-Verteidigungschefs beraten per Video") == ("verteidigungschef",)
    assert event_kinds("Staats- und Regierungschefs der EU einigen sich") == ("regierungschef",)
    assert event_kinds("Die Innenministerkonferenz tagt; am G7-Gipfel nahm er nicht teil") == ("gipfel:g7",
                                                                                              "innenminister")
    # an office holder named with the office, or one person, is no body that meets
    assert event_kinds("Außenministerin Petra Lindqvist und Verteidigungsminister Aron Kell sagten") == ()
    assert event_kinds("Die Außenministerin reiste weiter; Bund-Chef Olaf Brenner warnte") == ()


def test_undated_meeting_reports_of_other_bodies_stay_apart():
    """Undated pages about two meetings of one alliance on one war: the texts share most words; the body that meets
    tells them apart (and any loaded story, however old, may take an undated page)."""
    war = ("Generalsekretär Olaf Brenner forderte mehr Luftverteidigung und Munition für Varenien, das sich seit drei "
           "Jahren gegen Korslands Angriffe verteidigt. Präsident Ilja Marek bat um Sicherheitsgarantien. ")
    foreign = ("Die Außenminister der 14 Bund-Staaten haben in Sundholm über die Lage beraten. Gastgeberin Petra "
               "Lindqvist sprach von einem Signal der Geschlossenheit; am Abend folgte ein Essen im Schloss. Am "
               "zweiten Tag ging es um den Haushalt der Vertretung in Brenna und um die Wahl eines Sonderbeauftragten. "
               "Lindqvist kündigte eine Geberkonferenz für den Wiederaufbau der Stromnetze an. ")
    chiefs = ("Die Verteidigungschefs des Bundes haben per Videokonferenz über die Lage beraten. Admiral Tomas "
              "Rydberg leitete die Sitzung des Militärausschusses, Pläne für eine Schutztruppe wurden geprüft. "
              "Generalleutnant Maja Sörensen stellte drei Optionen vor: Ausbilder im Westen, eine Luftpolizei über "
              "den Häfen, Pioniere für die Minenräumung. Entscheiden müssen die Regierungen. ")
    dated = Article(1, "Bund sagt Varenien Hilfe zu", foreign + war, "2026-03-04", None,
                    event_kinds=event_kinds(foreign))
    older = [dated, Article(2, "Bund-Außenminister beraten über Varenien", foreign + war + "Es war ein langer Tag.",
                            None, None, event_kinds=event_kinds(foreign))]
    index = StoryIndex()
    index.add([Article(0, "Wetter", "Sonne und Wolken im Norden, Regen im Süden. " * 3, "2026-11-20", None), *older])
    chiefs_page = Article(3, "Verteidigungschefs beraten über Varenien", chiefs + war, None, None,
                          event_kinds=event_kinds(chiefs))
    index.add([chiefs_page])
    story = index.story_of()
    assert story[2] == story[1] == 1  # the undated page joined the March story, eight months before the newest day
    assert story[3] == 3
    blind = StoryIndex()  # without the event kinds the pages read alike enough to be one story
    blind.add([Article(a.id, a.title, a.text, a.published, None) for a in (*older, chiefs_page)])
    assert len(set(blind.story_of().values())) == 1
    assert index._needed(np.array([index._label[index._row_of[1]]]), Signals.of(chiefs_page))[0] == \
        pytest.approx(THRESHOLD + KIND_STEP)


@pytest.fixture(scope="module")
def annotated(extracted) -> list:
    """The story test corpus, analysed (entities, dates) as run stores it."""
    import copy

    from pressespiegel.analyse import annotate_all

    return annotate_all(copy.deepcopy(extracted))


@pytest.fixture(scope="module")
def analysed(annotated) -> list[Article]:
    from pressespiegel.stories.index import article_of

    return [article_of(i, d) for i, d in enumerate(annotated)]


def test_entity_and_event_day_signals_keep_neighbouring_fires_apart(analysed, corpus):
    """Two fires a week apart in neighbouring towns read alike (text alone merges them); their lead places and
    dates keep them apart, and nothing else in the story corpus changes."""
    _, gold = corpus
    pred = labels(group(analysed).story_of, len(analysed))
    assert bcubed(pred, gold) == 1.0
    assert scoring.pairwise(pred, gold)[2] == 1.0


STRIKE = ("Die Lokführer der Nordbahn streiken ab Donnerstag 48 Stunden lang. Die Gewerkschaft fordert acht Prozent "
          "mehr Lohn und eine kürzere Wochenarbeitszeit. Pendler zwischen Halmstedt und Oberkirchen müssen auf Busse "
          "ausweichen.")
STRIKE2 = ("Im Tarifstreit bei der Nordbahn bleiben die Züge ab Donnerstag stehen: Die Lokführergewerkschaft ruft zu "
           "einem 48-stündigen Streik auf. Sie verlangt acht Prozent mehr Lohn. Zwischen Halmstedt und Oberkirchen "
           "fahren Ersatzbusse.")


def test_a_story_that_holds_two_events_is_split():
    """An index that joins anything (threshold 0) puts a flood and a strike into one story; when the story reaches
    four articles, its two groups are told apart and the strike becomes a story of its own — in memory and in
    what ``take`` hands to the store (the articles placed before are moved)."""
    arts = [Article(1, "Auenbach räumt Altstadt", FLOOD, "2026-11-03", "a.de"),
            Article(2, "Nordbahn-Streik", STRIKE, "2026-11-03", "b.de"),
            Article(3, "Flut in Auenbach", BRIDGE, "2026-11-04", "c.de")]
    index = StoryIndex(threshold=0.0, merge_threshold=0.0)
    index.add(arts)
    assert set(index.story_of().values()) == {1}  # everything in one story
    index.take()
    index.add([Article(4, "Züge stehen still", STRIKE2, "2026-11-04", "d.de")])
    assert index.story_of() == {1: 1, 2: 2, 3: 1, 4: 2}  # the strike's story takes its first article's id
    change = index.take()
    assert change.moved == {2: 2}  # placed before: moved; article 4 is a new entry of story 2
    assert [(e.document_id, e.story_id) for e in change.entries] == [(4, 2)]
    assert {(s.id, s.size, s.title) for s in change.stories} == {(1, 2, "Auenbach räumt Altstadt"),
                                                                 (2, 2, "Nordbahn-Streik")}


def test_split_moves_stored_articles(db_target):
    from pressespiegel.model import Document
    from pressespiegel.store import open_store
    from pressespiegel.store.base import IndexEntry, StoryRow

    with open_store(db_target) as store:
        ids = [store.add_document(Document(source=f"x{i}", content_hash=f"h{i}", kind="text", text=f"Text {i}",
                                           title=f"T{i}", published=f"2026-11-0{i}")) for i in (1, 2, 3)]
        store.save_placement([IndexEntry(d, ids[0], None, 740000, b"x") for d in ids],
                             [StoryRow(ids[0], "T1", None, None, 3)], {}, {})
        store.save_placement([], [StoryRow(ids[0], "T1", None, None, 1), StoryRow(ids[1], None, None, None, 2)], {},
                             {}, moved={ids[1]: ids[1], ids[2]: ids[1]})
        rows = {s.id: s for s in store.stories()}
        assert {a.id: a.story_id for a in store.articles(with_text=False)} == {ids[0]: ids[0], ids[1]: ids[1],
                                                                                 ids[2]: ids[1]}
    assert (rows[ids[0]].size, rows[ids[1]].size) == (1, 2)
    assert rows[ids[1]].title == "T2"  # a story without a title takes its first article's
    assert (rows[ids[1]].first_published, rows[ids[1]].last_published) == ("2026-11-02", "2026-11-03")


# -- the store path ------------------------------------------------------------------------------------------------

def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


RECORDS = [
    {"id": "a1", "outlet": "rheinkurier.de", "published": "2026-11-03", "title": "Auenbach räumt die Altstadt",
     "text": FLOOD + " „Wir erleben die schwerste Flut seit Jahrzehnten“, sagte Landrat Heiner Kassel am Dienstag."},
    {"id": "a2", "outlet": "nordwest-echo.de", "published": "2026-11-04", "title": "Flut in Auenbach",
     "text": BRIDGE + " „Wir erleben die schwerste Flut seit Jahrzehnten“, sagte Landrat Heiner Kassel. Rund 120 "
             "Helfer aus Wendelbach sind im Einsatz. „Die Pumpen laufen, bis der letzte Keller trocken ist“, sagte "
             "Feuerwehrchef Ralf Düring."},
    {"id": "b1", "outlet": "spreeblick24.de", "published": "2026-11-12", "title": "Bahnstreik legt Nordbahn lahm",
     "text": "Die Gewerkschaft VZL hat die Lokführer der Nordbahn zu einem 48-stündigen Streik aufgerufen. Pendler "
             "müssen sich auf massive Ausfälle einstellen, sagte VZL-Chef Torsten Brück in Berlin."},
]


def _stories(store) -> dict[int, int]:
    return {a.id: a.story_id for a in store.articles(with_text=False)}


@pytest.mark.parametrize("one_placer", [False, True])
def test_the_store_path_places_like_the_index_in_memory(annotated, tmp_path, one_placer):
    """``update`` (what run calls) reads the window of each slice of days from the store, with the stored
    entities and dates of the new articles, and writes every placement back: run after run, it ends with the
    stories the index builds in memory from the same runs. So does one ``Placer`` placing batch after batch (what a
    long run does every STORY_EVERY articles), which keeps what it loaded and reads only days it has not read."""
    import copy

    from pressespiegel.store import open_store
    from pressespiegel.stories.index import Placer, article_of
    from pressespiegel.stories.index import update as fresh_update

    placer = Placer()

    def update(store):
        if not one_placer:
            return fresh_update(store)
        placed = placer.place(store)
        placer.statements(store)
        return placed

    docs = sorted((copy.deepcopy(d) for d in annotated), key=lambda d: (d.published is None, d.published or ""))
    batches = [docs[:40], docs[40:41], docs[41:70], docs[70:]]  # a year and a half, then a day, then the rest
    memory = StoryIndex()
    with open_store(str(tmp_path / "s.db")) as store:
        for batch in batches:
            ids = [store.add_document(d) for d in batch]
            memory.add([article_of(i, d) for i, d in zip(ids, batch)])
            assert sorted(update(store)) == sorted(ids)
            assert update(store) == []  # nothing new: nothing placed
        stored = {a.id: (a.story_id, a.duplicate_of) for a in store.articles(with_text=False)}
        rows = {s.id: s for s in store.stories()}
    assert stored == {d: (s, memory.duplicates().get(d)) for d, s in memory.story_of().items()}
    assert set(rows) == {s.id for s in memory.stories()}
    assert len(rows) == 25  # the gold events
    for s in memory.stories():
        members = [d for d, (sid, _) in stored.items() if sid == s.id]
        assert rows[s.id].size == len(members) == s.size


def test_run_places_new_articles_and_a_rerun_adds_nothing(tmp_path, db_target):
    from pressespiegel.config import Settings
    from pressespiegel.pipeline import run
    from pressespiegel.store import open_store

    first = _jsonl(tmp_path / "first.jsonl", RECORDS[:1] + RECORDS[2:])
    second = _jsonl(tmp_path / "second.jsonl", RECORDS[1:2])
    with open_store(db_target) as store:
        assert run([str(first)], store, Settings()).stories == 2
        before = _stories(store)
        summary = run([str(first), str(second)], store, Settings())  # one new article: placed, nothing regrouped
        assert (summary.stored, summary.skipped, summary.stories) == (1, 2, 2)
        after = _stories(store)
        assert all(after[i] == sid for i, sid in before.items())
        flood = after[min(before)]
        assert sorted(i for i, sid in after.items() if sid == flood) == [1, 3]  # the new one joined the flood story
        rows = {s.id: s for s in store.stories()}
        assert (rows[flood].size, rows[flood].first_published, rows[flood].last_published) == \
            (2, "2026-11-03", "2026-11-04")
        entries = store.counts()
        assert entries["stories"] == 2
        summary = run([str(first), str(second)], store, Settings())
        assert (summary.stored, summary.stories) == (0, 2)
        assert _stories(store) == after
        assert store.index_state("stories.vectoriser") is not None
        assert not list(store.unplaced_articles())
        # the quote both outlets carry is one statement
        statements = {q["statement_id"] for q in store.rows("quotes") if "schwerste Flut" in q["text"]}
        assert len(statements) == 1


def test_a_placement_another_run_made_first_is_kept(tmp_path):
    from pressespiegel.config import Settings
    from pressespiegel.pipeline import run
    from pressespiegel.store import open_store
    from pressespiegel.store.base import IndexEntry, StoryRow

    data = _jsonl(tmp_path / "all.jsonl", RECORDS)
    with open_store(str(tmp_path / "twice.db")) as store:
        run([str(data)], store, Settings())
        before = _stories(store)
        rows = {s.id: s for s in store.stories()}
        # a second run that placed article 1 in a story of its own, too late: its placement is dropped
        store.save_placement([IndexEntry(1, 1000, None, 740000, b"late")], [StoryRow(1000, "Spät", None, None, 1),
                                                                            StoryRow(before[1], "Neu", None, None, 9)],
                             {}, {})
        assert _stories(store) == before
        after = {s.id: s for s in store.stories()}
        assert 1000 not in after  # no article: no story
        assert after[before[1]].size == rows[before[1]].size == 2  # counted from the articles, not taken as given
        assert after[before[1]].title == "Neu"


def test_recluster_command_recomputes_and_rebuilds_the_index(tmp_path):
    from typer.testing import CliRunner

    from pressespiegel.cli import app
    from pressespiegel.store import open_store

    db = str(tmp_path / "r.db")
    data = _jsonl(tmp_path / "all.jsonl", RECORDS)
    runner = CliRunner()
    assert runner.invoke(app, ["--quiet", "run", str(data), "--db", db]).exit_code == 0
    with open_store(db) as store:
        before = _stories(store)
        statements = sorted(q["statement_id"] for q in store.rows("quotes"))
        with store.engine.begin() as conn:  # damage: the stories of the flood articles split apart by hand
            conn.exec_driver_sql("UPDATE documents SET story_id = NULL WHERE id = 3")
    result = runner.invoke(app, ["recluster", "--db", db])
    assert result.exit_code == 0, result.output
    assert "3 articles in 2 stories" in result.output
    with open_store(db) as store:
        assert _stories(store) == before
        assert sorted(q["statement_id"] for q in store.rows("quotes")) == statements
        assert store.counts()["stories"] == 2
        assert not list(store.unplaced_articles())
    assert runner.invoke(app, ["recluster", "--db", str(tmp_path / "missing.db")]).exit_code == 3


def test_a_store_grouped_before_the_index_is_placed_again(tmp_path):
    """A store whose stories came from the earlier global grouping (no index state): its next run places every
    article in the index."""
    from pressespiegel.config import Settings
    from pressespiegel.pipeline import run
    from pressespiegel.store import open_store

    data = _jsonl(tmp_path / "all.jsonl", RECORDS)
    with open_store(str(tmp_path / "old.db")) as store:
        run([str(data)], store, Settings())
        before = _stories(store)
        with store.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM story_index")
            conn.exec_driver_sql("DELETE FROM index_state")
        more = _jsonl(tmp_path / "more.jsonl", [{**RECORDS[2], "id": "b2", "published": "2026-11-13",
                                                 "text": RECORDS[2]["text"] + " Am Freitag soll verhandelt werden."}])
        assert run([str(more)], store, Settings()).stories == 2
        after = _stories(store)
        assert {i: after[i] for i in before} == before
        assert after[4] == after[3]


def test_statements_added_incrementally_match_the_batch():
    from pressespiegel.stories.statements import QuoteRef, cluster

    said = ["Wir erleben die schwerste Flut seit Jahrzehnten", "Wir erleben hier die schwerste Flut seit Jahrzehnten",
            "Die Pumpen laufen, bis der letzte Keller trocken ist", "Der Streik trifft vor allem die Pendler",
            "Die Pumpen laufen bis der letzte Keller trocken ist", "Wir erleben die schwerste Flut seit Jahrzehnten!"]
    speakers = ["Heiner Kassel", "Kassel", "Ralf Düring", "Torsten Brück", None, "Heiner Kassel"]
    quotes = [QuoteRef(i + 1, t, s, f"2026-11-0{i + 1}") for i, (t, s) in enumerate(zip(said, speakers))]
    batch = cluster(quotes)
    known = cluster(quotes[:3])
    assert cluster(quotes, known) == batch
    assert batch[1] == batch[2] == batch[6] and batch[3] == batch[5] and batch[4] == 4
    # a statement whose earliest quote is out of view keeps its id
    assert cluster(quotes[1:], {2: 1})[6] == 1
    # known statements keep their ids, also when a new quote is older; one that joins two merges them
    assert cluster([QuoteRef(9, said[0], "Kassel", "2026-10-30"), quotes[1]], {2: 2}) == {9: 2, 2: 2}
    assert cluster([quotes[0], quotes[1], quotes[5]], {1: 1, 6: 6}) == {1: 1, 2: 1, 6: 1}


def test_coverage_table_of_a_story(tmp_path):
    from pressespiegel.config import Settings
    from pressespiegel.export import rows as export_rows
    from pressespiegel.pipeline import run
    from pressespiegel.store import open_store
    from pressespiegel.stories.compare import story_coverage

    data = _jsonl(tmp_path / "pair.jsonl", RECORDS)
    with open_store(str(tmp_path / "c.db")) as store:
        run([str(data)], store, Settings())
        flood = _stories(store)[1]
        table = story_coverage(store, flood)
        assert story_coverage(store, 987654) is None
        texts = {a.id: a.text for a in store.articles()}
        exported = [r for r in export_rows(store, "coverage") if r["story_id"] == flood]
    assert table.outlets == ["nordwest-echo.de", "rheinkurier.de"]
    assert table.articles == {"rheinkurier.de": [1], "nordwest-echo.de": [2]}
    facts = {f.key: f for f in table.facts}
    both = ["nordwest-echo.de", "rheinkurier.de"]
    said = [f for f in table.facts if f.kind == "quote" and "schwerste Flut" in f.label]
    assert len(said) == 1 and said[0].outlets == both and said[0].direct and "Kassel" in said[0].detail
    assert facts["figure:bewohner:2400"].outlets == both
    assert facts["figure:helfer:120"].outlets == ["nordwest-echo.de"]
    assert any(f.kind == "entity" and f.label == "Heiner Kassel" and f.outlets == both for f in table.facts)
    only = table.only()
    assert set(only) <= set(both)
    assert facts["figure:helfer:120"] in only["nordwest-echo.de"]
    assert any(f.kind == "quote" and "Keller trocken" in f.label for f in only["nordwest-echo.de"])
    for f in table.facts:  # every piece of evidence is a span of its article
        for e in f.evidence:
            assert texts[e.document_id][e.start:e.end] == e.text
    # facts several outlets report come first; the export has one row per fact
    assert len(table.facts[0].outlets) == 2
    assert {r["key"] for r in exported} == set(facts)
    helpers = next(r for r in exported if r["key"] == "figure:helfer:120")
    assert helpers["only_outlet"] == "nordwest-echo.de" and helpers["n_outlets"] == 1
    assert json.dumps(table.to_dict(), ensure_ascii=False)


def test_report_shows_the_coverage_table(tmp_path):
    from pressespiegel.config import Settings
    from pressespiegel.pipeline import run
    from pressespiegel.review.report import build, render
    from pressespiegel.store import open_store

    data = _jsonl(tmp_path / "pair.jsonl", RECORDS)
    with open_store(str(tmp_path / "c.db")) as store:
        run([str(data)], store, Settings())
        review = build(store)
    flood = next(s for s in review.stories if len(s.articles) == 2)
    assert flood.coverage is not None and flood.coverage.outlets == ["nordwest-echo.de", "rheinkurier.de"]
    assert all(len(marks) == 2 for _, marks in flood.coverage.rows)
    single = next(s for s in review.stories if len(s.articles) == 1)
    assert single.coverage is None  # one outlet: nothing to compare
    html = render(review)
    assert html.count('<details class="coverage">') == 1 and "Nur bei nordwest-echo.de" in html


def test_a_long_run_places_stories_while_it_goes(tmp_path, monkeypatch):
    """``run`` places its stored articles every ``STORY_EVERY`` (so a long run shows stories as it goes and the
    story stage overlaps the analysis of what comes next) and the rest at the end: every article ends in a story,
    the flood reports in one, and the stories are there before the run ends."""
    from pressespiegel import pipeline
    from pressespiegel.config import Settings
    from pressespiegel.store import open_store
    from pressespiegel.stories import index

    monkeypatch.setattr(pipeline, "STORY_EVERY", 2)
    monkeypatch.setattr(index, "STATEMENT_DAYS", 1)  # quotes matched one publication day at a time
    data = _jsonl(tmp_path / "all.jsonl", RECORDS)
    with open_store(str(tmp_path / "chunks.db")) as store:
        seen = []

        def on_event(kind, _item):
            if kind == "stored":
                seen.append(store.counts()["stories"])

        summary = pipeline.run([str(data)], store, Settings(), on_event=on_event)
        assert summary.stored == 3 and summary.stories == 2
        assert seen == [0, 0, 1]  # the first two placed after the second was stored (one story), the third at the end
        assert not list(store.unplaced_articles())
        stories = _stories(store)
        assert stories[1] == stories[2] != stories[3]
        # the quote both flood reports carry (a day apart) is one statement
        statements = {q["statement_id"] for q in store.rows("quotes") if "schwerste Flut" in q["text"]}
        assert len(statements) == 1 and None not in statements


def test_long_stories_keep_only_their_newest_articles_in_memory(annotated, tmp_path, monkeypatch):
    """A topic that runs for months would keep every article it ever had in memory; a story keeps its newest
    ``STORY_ROWS`` articles and those of the last ``COPY_DAYS`` days (its centroid, names and days still count them
    all). Placed batch after batch with one ``Placer``, as a long run does, the story test corpus ends up in the same
    stories with two articles per story in memory (and those of the newest day) as with all of them."""
    import copy

    from pressespiegel.store import open_store
    from pressespiegel.stories import index as story_index

    docs = sorted((copy.deepcopy(d) for d in annotated), key=lambda d: (d.published is None, d.published or ""))

    def place(name: str) -> tuple[dict, int]:
        placer = story_index.Placer()
        held = 0
        with open_store(str(tmp_path / name)) as store:
            for k in range(0, len(docs), 10):
                for d in docs[k:k + 10]:
                    store.add_document(d)
                placer.place(store)
                held = max(held, max(len(m) for m in placer.index._members))
            placer.statements(store)
            return {a.id: (a.story_id, a.duplicate_of) for a in store.articles(with_text=False)}, held

    whole, held_all = place("all.db")
    monkeypatch.setattr(story_index, "STORY_ROWS", 2)
    monkeypatch.setattr(story_index, "COPY_DAYS", 0)  # (and those of the newest day)
    trimmed, held_two = place("two.db")
    assert held_all >= 4 and held_two < held_all
    assert sum(trimmed[d] != whole[d] for d in whole) <= 2  # story or copy link of one or two articles
    assert bcubed([trimmed[d][0] for d in sorted(trimmed)], [whole[d][0] for d in sorted(whole)]) >= 0.97
    assert len({s for s, _ in trimmed.values()}) == 25  # the gold events
