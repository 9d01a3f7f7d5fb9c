"""The `pressespiegel` command: a thin shell over the library (pipeline, store, export, review).

Exit codes: 0 all good; 1 some inputs were rejected (the rest was processed); 2 usage error; 3 the command could
not run at all (e.g. the database cannot be opened).
"""

from __future__ import annotations

import json
import sys
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Iterator

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from . import __version__
from .config import Settings, load_settings
from .model import Rejection

app = typer.Typer(
    name="pressespiegel",
    help="News intelligence for German-language news: turn a pile of pages into a press review.\n\n"
         "Example: pressespiegel run examples/ --db presse.db && pressespiegel report --db presse.db",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,  # main() turns stray exceptions into one line (or a traceback with --debug)
)

err = Console(stderr=True, highlight=False, soft_wrap=True)  # one message, one line: scripts grep them


@dataclass
class Options:
    quiet: bool = False
    debug: bool = False
    config: Path | None = None

    def settings(self, **overrides: object) -> Settings:
        return load_settings(self.config).with_overrides(**overrides)


OPTS = Options()


class Fatal(Exception):
    """The command cannot run; the message is shown to the user (exit code 3)."""


def _version(value: bool) -> None:
    if value:
        print(f"pressespiegel {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary; only data and errors.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="TOML settings file ([limits] …).",
                                                   exists=True, dir_okay=False)] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    OPTS.quiet, OPTS.debug, OPTS.config = quiet, debug, config
    if config is not None:
        try:
            load_settings(config)
        except (ValueError, TypeError) as exc:
            raise typer.BadParameter(str(exc), param_hint="--config") from None


KindOpt = Annotated[str | None, typer.Option("--kind", help="Force the input kind: text, html, jsonl, feed or warc.")]
PublishedOpt = Annotated[str | None, typer.Option(
    "--published", metavar="YYYY-MM-DD", help="Reference date for documents that carry none.")]
CleanOpt = Annotated[bool, typer.Option("--clean", help="Input is clean article text: no boilerplate/comment split.")]
KbOpt = Annotated[Path | None, typer.Option(
    "--kb", help="Knowledge base to link entities to: JSON Lines of {id, label, aliases, type, description}.",
    exists=True, dir_okay=False)]
DbOpt = Annotated[str, typer.Option("--db", help="SQLite file, or a database URL (postgresql://…).")]
WorkersOpt = Annotated[int | None, typer.Option(
    "--workers", min=1, help="Processes that extract and analyse documents (default: the number of CPU cores; "
                             "1: all in this process). The result is the same for any number.")]


def _workers(workers: int | None) -> int:
    from .parallel import cores

    return workers if workers is not None else cores()


def _check_kind(kind: str | None) -> None:
    from .ingest import KINDS

    if kind is not None and kind not in KINDS:
        raise typer.BadParameter(f"choose one of {', '.join(KINDS)}", param_hint="--kind")


def _check_date(value: str | None) -> str | None:
    from .ingest.jsonl import normalise_date

    if value is None:
        return None
    iso = normalise_date(value)
    if iso is None:
        raise typer.BadParameter("expected YYYY-MM-DD", param_hint="--published")
    return iso


@app.command(epilog="Example: pressespiegel analyze page.txt --published 2024-12-03 | jq .title\n\n"
                    "Example: cat dump.txt | pressespiegel analyze - --clean")
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, glob patterns, or - for standard input.")],
    kind: KindOpt = None, published: PublishedOpt = None, clean: CleanOpt = False, kb: KbOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Analyse inputs without storing them: one JSON object per document on standard output (JSON Lines)."""
    from .ingest import WarcCounts
    from .pipeline import analyze as analyze_docs

    _check_kind(kind)
    settings = OPTS.settings(published=_check_date(published), clean=clean, kb=str(kb) if kb else None)
    n_docs = n_rejected = 0
    out = sys.stdout
    warc_counts = WarcCounts()
    with _guard():
        for item in analyze_docs(paths, settings, kind, warc_counts=warc_counts, workers=_workers(workers)):
            if isinstance(item, Rejection):
                n_rejected += 1
                _print_rejection(item)
                continue
            out.write(json.dumps(item.to_contract(), ensure_ascii=False) + "\n")
            out.flush()
            n_docs += 1
    if not OPTS.quiet:
        if warc_counts.files:
            err.print(str(warc_counts))
        err.print(f"analysed {n_docs} document(s), rejected {n_rejected}")
    raise typer.Exit(1 if n_rejected else 0)


@app.command(epilog="Example: pressespiegel run examples/ --db presse.db\n\n"
                    "Example: pressespiegel run 'archive/**/*.html' feeds/*.rss --db presse.db --quiet")
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, glob patterns, or - for standard input.")],
    db: DbOpt = "pressespiegel.db", kind: KindOpt = None, published: PublishedOpt = None, clean: CleanOpt = False,
    kb: KbOpt = None, workers: WorkersOpt = None,
) -> None:
    """Ingest, analyse and store documents, then group them into stories. Running it again adds nothing twice."""
    from .pipeline import run as run_pipeline

    _check_kind(kind)
    settings = OPTS.settings(published=_check_date(published), clean=clean, kb=str(kb) if kb else None)
    with _guard(), _open(db) as store, _progress() as progress:
        task = progress.add_task("reading", total=None)

        def on_event(kind_: str, item: object) -> None:
            if kind_ == "input":
                progress.update(task, description=_short(getattr(item, "name", "")))
            elif kind_ in ("stored", "skipped", "rejected"):
                progress.advance(task)
            if kind_ == "rejected":
                progress.console.print(_rejection_line(item), highlight=False, markup=False, soft_wrap=True)  # type: ignore[arg-type]
                if OPTS.debug and getattr(item, "detail", None):
                    progress.console.print(item.detail, markup=False)  # type: ignore[union-attr]

        summary = run_pipeline(paths, store, settings, kind, on_event=on_event, workers=_workers(workers))
    if not OPTS.quiet:
        if summary.warc.files:
            err.print(str(summary.warc))
        err.print(f"stored {summary.stored}, skipped {summary.skipped} (already stored), "
                  f"rejected {summary.rejected}; {summary.stories} stories in {_shown(db)}")
    raise typer.Exit(0 if summary.ok else 1)


@app.command("spark-job", epilog="Example: pressespiegel spark-job --input 'archive/*.warc.gz' --output out/ "
                                 "--db presse.db\n\n"
                                 "Example: pressespiegel spark-job --input news.jsonl --output out/ --master 'local[2]'"
                                 "\n\nOn a cluster (spark-submit, s3a): docs/spark.md")
def spark_job(
    inputs: Annotated[list[str], typer.Option("--input", "-i", help="File, folder, glob pattern, or Hadoop URI "
                                              "(s3a://…, hdfs://…, file://…); repeat for more.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Folder or Hadoop URI for the Parquet output "
                                        "(documents/, stories/, articles/, rejected/).")],
    db: Annotated[str | None, typer.Option("--db", help="Store to load the result into (SQLite file or "
                                           "postgresql://…); without it a temporary one serves the story stage.")]
    = None,
    master: Annotated[str | None, typer.Option("--master", help="Spark master URL (default: spark-submit's, "
                                               "else local[*]).")] = None,
    partitions: Annotated[int | None, typer.Option("--partitions", min=1, help="Partitions for the analysis "
                                                   "(default: 4 per core).")] = None,
    kind: KindOpt = None, published: PublishedOpt = None, clean: CleanOpt = False, kb: KbOpt = None,
) -> None:
    """Run ingest, extraction and analysis on Apache Spark, write Parquet, group stories and load the store: the
    same result as `run` (needs the spark extra: pip install 'pressespiegel[spark]', and Java 17+)."""
    from .spark_job import SparkUnavailable, run_job

    _check_kind(kind)
    settings = OPTS.settings(published=_check_date(published), clean=clean, kb=str(kb) if kb else None)
    with _guard(), _progress() as progress:
        task = progress.add_task("analysing on Spark", total=None)

        def on_event(kind_: str, item: object) -> None:
            if kind_ in ("stored", "skipped", "rejected"):
                progress.advance(task)
            if kind_ == "rejected":
                progress.console.print(_rejection_line(item), highlight=False, markup=False, soft_wrap=True)  # type: ignore[arg-type]

        try:
            job = run_job(inputs, output, settings, db=db, kind=kind, master=master, partitions=partitions,
                          on_event=on_event)
        except SparkUnavailable as exc:
            raise Fatal(str(exc)) from None
    summary = job.run
    if not OPTS.quiet:
        if summary.warc.files:
            err.print(str(summary.warc))
        err.print(f"{job.files} file(s) in {job.partitions} partitions: stored {summary.stored}, skipped "
                  f"{summary.skipped} (already stored), rejected {summary.rejected}; {summary.stories} stories"
                  + (f" in {_shown(db)}" if db else "") + f"; Parquet in {output}")
    raise typer.Exit(0 if summary.ok else 1)


@app.command(epilog="Example: pressespiegel report --db presse.db --out review.html\n\n"
                    "Example: pressespiegel report --db presse.db --format md --out review.md --full-text")
def report(
    db: DbOpt = "pressespiegel.db",
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the report.")] = Path("pressespiegel.html"),
    fmt: Annotated[str, typer.Option("--format", help="html or md.")] = "html",
    full_text: Annotated[bool, typer.Option("--full-text", help="Include article bodies (internal use only).")] = False,
) -> None:
    """Write the press review: stories with their articles (outlet, date, headline, snippet, link)."""
    from .review.report import write

    if fmt not in ("html", "md"):
        raise typer.BadParameter("choose html or md", param_hint="--format")
    with _guard(), _open(db, must_exist=True) as store:
        path = write(store, out, fmt=fmt, full_text=full_text)
    if not OPTS.quiet:
        err.print(f"report written to {path.resolve()}")
    else:
        print(path.resolve())


@app.command(epilog="Example: pressespiegel export --db presse.db --what articles --format csv --out articles.csv\n\n"
                    "Example: pressespiegel export --db presse.db --what stories --format jsonl | jq .title")
def export(
    db: DbOpt = "pressespiegel.db",
    what: Annotated[str, typer.Option("--what", help="articles, stories, timeline, quotes, statements, entities, registry, nominals, timexes, figures, conflicts, coverage, comments, quarantine.")]
    = "articles",
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet.")] = "jsonl",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (default: standard output).")]
    = None,
    no_text: Annotated[bool, typer.Option("--no-text", help="Leave article bodies out.")] = False,
) -> None:
    """Write the store out as JSON Lines, CSV or Parquet."""
    from .export import FORMATS, WHAT
    from .export import export as export_rows

    if what not in WHAT:
        raise typer.BadParameter(f"choose one of {', '.join(WHAT)}", param_hint="--what")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    if fmt == "parquet" and out is None:
        raise typer.BadParameter("Parquet is binary: give an output file", param_hint="--out")
    with _guard(), _open(db, must_exist=True) as store:
        n = export_rows(store, what, fmt, out, with_text=not no_text)
    if not OPTS.quiet:
        err.print(f"exported {n} {what}" + (f" to {out}" if out else ""))


@app.command(epilog="Example: pressespiegel search --db presse.db 'Deich Auenbach'")
def search(
    query: Annotated[str, typer.Argument(help="Words to find in titles and texts (all must occur).")],
    db: DbOpt = "pressespiegel.db",
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
) -> None:
    """Full-text search over stored articles."""
    with _guard(), _open(db, must_exist=True) as store:
        hits = store.search(query[:500], limit)
        rows = {r.id: r for r in store.articles(with_text=False)} if hits else {}
    for doc_id, snip in hits:
        r = rows.get(doc_id)
        print(f"{doc_id}\t{r.published if r else ''}\t{r.outlet if r else ''}\t{r.title if r else ''}\t{snip}")
    if not OPTS.quiet:
        err.print(f"{len(hits)} hit(s)")


@app.command(epilog="Example: pressespiegel ner --conll NER-de-test.tsv > predicted.tsv\n\n"
                    "Example: cat sentences.tsv | pressespiegel ner --conll -")
def ner(
    conll: Annotated[str, typer.Option("--conll", metavar="FILE",
                                       help="GermEval-2014 TSV (index, token, …); - reads standard input.")],
) -> None:
    """Tag tokens with the shipped NER model: the same lines out, column 3 the predicted outer BIO tag
    (PER, LOC, ORG, OTH); comment and blank lines pass through."""
    from .analyse.ner import tag_conll

    if conll != "-" and not Path(conll).is_file():
        raise typer.BadParameter(f"no such file: {conll}", param_hint="--conll")
    with _guard():
        text = sys.stdin.read() if conll == "-" else Path(conll).read_text(encoding="utf-8", errors="replace")
        sys.stdout.writelines(tag_conll(text.splitlines(keepends=True)))


@app.command(epilog="Example: pressespiegel status --db presse.db")
def status(db: DbOpt = "pressespiegel.db") -> None:
    """What the store holds: documents, comments, stories, rejected inputs; and the schema version."""
    with _guard(), _open(db, must_exist=True) as store:
        counts = store.counts()
        version = store.schema_version()
        rejected = list(store.rows("quarantine"))
    print(json.dumps({"db": _shown(db), "schema_version": version, **counts}, ensure_ascii=False))
    if not OPTS.quiet:
        for r in rejected:
            err.print(f"quarantined: {r['source']}: {r['reason']}", markup=False)


@app.command(epilog="Example: pressespiegel recluster --db presse.db")
def recluster(db: DbOpt = "pressespiegel.db") -> None:
    """Recompute every story, agency copy link and statement from the stored articles and rebuild the story index
    (a repair: `run` places new articles into the stories around them, merging and splitting as it goes, but never
    looks at older stories again)."""
    from .stories.index import rebuild

    with _guard(), _open(db, must_exist=True) as store:
        n_articles = store.counts()["documents"]
        n_stories = rebuild(store)
    if not OPTS.quiet:
        err.print(f"{n_articles} articles in {n_stories} stories in {_shown(db)}")


@app.command(epilog="Example: pressespiegel serve --db presse.db   (then open http://127.0.0.1:8000)\n\n"
                    "Example: pressespiegel --config site.toml serve --db presse.db --port 8080")
def serve(
    db: DbOpt = "pressespiegel.db",
    host: Annotated[str, typer.Option("--host", help="Address to listen on (default: this machine only).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web app (stories, articles, entities, quotes, search) and the REST API (/api, /docs). Read-only;
    document upload only with a [web] token in --config."""
    import uvicorn

    from .web import create_app
    from .web.security import LOOPBACK_HOSTS

    with _guard():
        if "://" not in db and not Path(db).exists():
            raise Fatal(f"no database at {db} (create one with: pressespiegel run PATH --db {db})")
        settings = OPTS.settings()
        loopback = host in LOOPBACK_HOSTS or host.startswith("127.")
        try:
            web_app = create_app(db, settings, allowed_hosts=LOOPBACK_HOSTS if loopback else None)
        except Exception as exc:  # noqa: BLE001
            raise Fatal(f"cannot open the database {db}: {exc}") from None
        if not OPTS.quiet:
            err.print(f"serving {db} at http://{host}:{port}/ (read-only"
                      f"{'; uploads need the [web] token' if settings.web.token else ''}); Ctrl+C stops", markup=False)
            if not loopback:
                err.print(f"warning: listening on {host}: other machines can read the store", markup=False)
        uvicorn.run(web_app, host=host, port=port, log_level="warning" if OPTS.quiet else "info",
                    access_log=not OPTS.quiet)


FormatOpt = Annotated[str, typer.Option("--format", help="html (for e-mail) or md (Markdown, plain text).")]
WatchlistsOpt = Annotated[Path | None, typer.Option(
    "--watchlists", dir_okay=False,
    help="Watchlists file (default: [digest] watchlists of --config, else watchlists.toml beside the database).")]


@app.command(epilog="Example: pressespiegel digest --db presse.db --since 24h --out digest.html\n\n"
                    "Example: pressespiegel digest --db presse.db --since 7d --watchlist ukraine --format md\n\n"
                    "Example: pressespiegel digest --db presse.db --since 2026-11-16 --until 2026-11-20 --by published")
def digest(
    db: DbOpt = "pressespiegel.db",
    since: Annotated[str, typer.Option("--since", help="Start of the window: 90m, 24h, 7d, 2w, a date (2026-11-16) "
                                                       "or a date and time (2026-11-16T08:00, local time).")] = "24h",
    until: Annotated[str | None, typer.Option("--until", help="End of the window (default: now); a date counts "
                                                              "to its end.")] = None,
    by: Annotated[str, typer.Option("--by", help="What makes an article new: ingested (it entered the store in the "
                                                 "window; default) or published (its publication date).")]
    = "ingested",
    watchlist: Annotated[str | None, typer.Option("--watchlist", "-w", help="Only what this saved watchlist "
                                                                            "matches.")] = None,
    watchlists: WatchlistsOpt = None,
    fmt: FormatOpt = "html",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (default: standard output).")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Link to the pages of `pressespiegel serve` at "
                                                                    "this address (http://127.0.0.1:8000) instead "
                                                                    "of the articles' own URLs.")] = None,
) -> None:
    """The morning press review: new and growing stories of the window (outlets, main people and places, quotes,
    figures the outlets report differently), new quotes of watched people, and every figure conflict."""
    from .review.digest import BY, FORMATS, Links, Window, build, render

    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose {' or '.join(FORMATS)}", param_hint="--format")
    if by not in BY:
        raise typer.BadParameter(f"choose {' or '.join(BY)}", param_hint="--by")
    try:
        window = Window.parse(since, until, by)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since/--until") from None
    try:
        Links(base_url)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--base-url") from None
    path, lists = _watchlists(db, watchlists)
    if watchlist is not None and watchlist not in lists:
        known = f"; saved: {', '.join(sorted(lists))}" if lists else " (none saved yet: pressespiegel watchlist add)"
        raise typer.BadParameter(f"no watchlist {watchlist!r} in {path}{known}", param_hint="--watchlist")
    chosen = lists[watchlist] if watchlist else None
    with _guard(), _open(db, must_exist=True) as store:
        result = build(store, window, chosen, watched=[chosen] if chosen else list(lists.values()),
                       base_url=base_url)
        text = render(result, fmt)
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    if not OPTS.quiet:
        what = "nothing new" if result.empty else (f"{len(result.new)} new and {len(result.growing)} growing "
                                                   f"stories, {result.n_articles} new articles")
        err.print(f"digest: {what}" + (f"; written to {out.resolve()}" if out else ""), markup=False)


watchlist_app = typer.Typer(
    help="Saved watchlists for the digest: entities (names or registry ids; spellings are matched), keywords and "
         "outlets, kept in a TOML file.\n\nExample: pressespiegel watchlist add ukraine --entity Selenskyj "
         "--keyword Waffenruhe --db presse.db",
    no_args_is_help=True, rich_markup_mode=None)
app.add_typer(watchlist_app, name="watchlist")


@watchlist_app.command("list", epilog="Example: pressespiegel watchlist list --db presse.db")
def watchlist_list(db: DbOpt = "pressespiegel.db", watchlists: WatchlistsOpt = None) -> None:
    """Show the saved watchlists: name, then entities, keywords and outlets (tab-separated)."""
    path, lists = _watchlists(db, watchlists)
    for w in lists.values():
        print(f"{w.name}\tentities: {', '.join(w.entities) or '-'}\tkeywords: {', '.join(w.keywords) or '-'}"
              f"\toutlets: {', '.join(w.outlets) or '-'}")
    if not OPTS.quiet:
        err.print(f"{len(lists)} watchlist(s) in {path}", markup=False)


@watchlist_app.command("add", epilog="Example: pressespiegel watchlist add ukraine --entity Selenskyj --entity Kiew "
                                     "--keyword Waffenruhe --db presse.db\n\n"
                                     "Example: pressespiegel watchlist add lokal --outlet rheinkurier.de")
def watchlist_add(
    name: Annotated[str, typer.Argument(help="The watchlist's name (letters, digits, space, '.', '-', '_').")],
    entity: Annotated[list[str] | None, typer.Option("--entity", "-e", help="A person, organisation or place: a "
                                                                            "name or an entity id (repeatable).")]
    = None,
    keyword: Annotated[list[str] | None, typer.Option("--keyword", "-k", help="A word in title or text; a leading "
                                                                              "* matches inside words (repeatable).")]
    = None,
    outlet: Annotated[list[str] | None, typer.Option("--outlet", help="Only articles of this outlet, e.g. "
                                                                      "rheinkurier.de (repeatable).")] = None,
    db: DbOpt = "pressespiegel.db", watchlists: WatchlistsOpt = None,
) -> None:
    """Save a watchlist, or add entities, keywords and outlets to the one of that name."""
    from .watchlists import Matcher, Watchlist, WatchlistError, add

    if not (entity or keyword or outlet):
        raise typer.BadParameter("give at least one --entity, --keyword or --outlet", param_hint="NAME")
    path, lists = _watchlists(db, watchlists)
    with _guard():
        try:
            stored = add(path, Watchlist(name, list(entity or []), list(keyword or []), list(outlet or [])))
        except WatchlistError as exc:
            raise typer.BadParameter(str(exc), param_hint="NAME") from None
        unknown: list[str] = []
        if stored.entities and ("://" in db or Path(db).exists()):
            with _open(db) as store:
                unknown = Matcher.build([stored], store.entity_records()).unresolved
    if not OPTS.quiet:
        err.print(f"{'updated' if name.strip() in lists else 'saved'} watchlist {stored.name!r} in {path}",
                  markup=False)
        if unknown:
            err.print(f"not in the store yet (matched by spelling once they appear): {', '.join(unknown)}",
                      markup=False)


@watchlist_app.command("remove", epilog="Example: pressespiegel watchlist remove ukraine --db presse.db")
def watchlist_remove(
    name: Annotated[str, typer.Argument(help="The watchlist to delete.")],
    db: DbOpt = "pressespiegel.db", watchlists: WatchlistsOpt = None,
) -> None:
    """Delete a saved watchlist."""
    from .watchlists import remove

    path, lists = _watchlists(db, watchlists)
    if name not in lists:
        raise typer.BadParameter(f"no watchlist {name!r} in {path}", param_hint="NAME")
    with _guard():
        remove(path, name)
    if not OPTS.quiet:
        err.print(f"removed watchlist {name!r} from {path}", markup=False)


def _watchlists(db: str, path: Path | None) -> tuple[Path, dict]:
    """The watchlists file and its watchlists; a file that cannot be read or is malformed stops the command with
    its reason (exit code 3)."""
    from .watchlists import WatchlistError, default_path, load

    file = default_path(db, str(path) if path else OPTS.settings().watchlists)
    with _guard():
        try:
            return file, load(file)
        except WatchlistError as exc:
            raise Fatal(str(exc)) from None


# -- helpers -------------------------------------------------------------------------------------------------------


@contextmanager
def _guard() -> Iterator[None]:
    """No traceback reaches the user unless --debug: internal errors become one line and exit code 3."""
    try:
        yield
    except (typer.Exit, typer.Abort, typer.BadParameter):
        raise
    except Fatal as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(3) from None
    except KeyboardInterrupt:
        err.print("interrupted; everything stored so far is kept")
        raise typer.Exit(130) from None
    except BrokenPipeError:
        raise typer.Exit(0) from None
    except Exception as exc:  # noqa: BLE001
        if OPTS.debug:
            err.print(traceback.format_exc(), markup=False)
        if _is_store_error(exc):  # the database failed (e.g. the connection was lost): its message is the line
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(3) from None
        err.print(f"error: {type(exc).__name__}: {exc}" + ("" if OPTS.debug else " (run with --debug for details)"),
                  markup=False)
        raise typer.Exit(3) from None


def _is_store_error(exc: BaseException) -> bool:
    from .store import StoreError

    return isinstance(exc, StoreError)


def _shown(db: str) -> str:
    """A database as messages name it: the password of a URL is never printed."""
    if "://" not in db:
        return db
    try:
        from sqlalchemy.engine import make_url

        return make_url(db).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL: its scheme only
        return db.split("://", 1)[0] + "://…"


@contextmanager
def _open(db: str, must_exist: bool = False) -> Iterator[object]:
    from .store import open_store

    if must_exist and "://" not in db and not Path(db).exists():
        raise Fatal(f"no database at {db} (create one with: pressespiegel run PATH --db {db})")
    try:
        store = open_store(db)
    except Exception as exc:  # noqa: BLE001
        if OPTS.debug:
            err.print(traceback.format_exc(), markup=False)
        raise Fatal(f"cannot open the database {_shown(db)}: {exc}") from None
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _progress() -> Iterator[Progress]:
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("documents"), TimeElapsedColumn(), console=err, transient=True,
                        disable=OPTS.quiet)
    with progress:
        yield progress


def _short(name: str, width: int = 40) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1):]


def _rejection_line(r: Rejection) -> str:
    return f"rejected: {r.source}: {r.reason}"


def _print_rejection(r: Rejection) -> None:
    err.print(_rejection_line(r), markup=False, highlight=False, soft_wrap=True)
    if OPTS.debug and r.detail:
        err.print(r.detail, markup=False)


def main() -> None:
    try:
        app()
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback without --debug
        if OPTS.debug:
            err.print(traceback.format_exc(), markup=False)
        err.print(f"error: {type(exc).__name__}: {exc}", markup=False)
        sys.exit(3)


if __name__ == "__main__":
    main()
