"""The HTML pages: server-rendered Jinja2 templates (autoescaped: article text is hostile input), SVG charts drawn
on the server, no JavaScript of their own."""

from __future__ import annotations

import re
from datetime import date, timedelta
from math import ceil
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from ..review.report import de_date, de_period, shorten
from ..store.read import Filters, Reader
from . import charts, data, highlight
from .security import csrf_ok, csrf_token, set_csrf_cookie, token_ok

router = APIRouter(include_in_schema=False)
PER_PAGE = 20
MAX_PAGE = 10_000
MAX_QUERY = 200
LABELS = {"PER": "Person", "ORG": "Organisation", "LOC": "Ort", "OTH": "Sonstiges"}
LABELS_PLURAL = {"PER": "Personen", "ORG": "Organisationen", "LOC": "Orte", "OTH": "Sonstige"}


def period(value: str) -> str:
    """review.report.de_period, with the winter of a year ("2027-WI"), which it reads as a week, handled here."""
    if value.endswith("-WI") and value[:4].isdigit():
        return f"Winter {value[:4]}"
    try:
        return de_period(value)
    except (ValueError, IndexError):
        return value


def templates() -> Environment:
    env = Environment(loader=PackageLoader("pressespiegel.web", "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters.update(de_date=de_date, de_period=period, shorten=shorten, entity_href=highlight.entity_href,
                       label_de=lambda x: LABELS.get(x, x), number=lambda n: f"{n:,}".replace(",", "."))
    env.globals.update(LABELS=LABELS, LABELS_PLURAL=LABELS_PLURAL)
    return env


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    html = env.get_template(name).render(request=request, path=request.url.path,
                                         uploads=bool(request.app.state.settings.web.token), **context)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    titles = {400: "Ungültige Anfrage", 403: "Nicht erlaubt", 404: "Nicht gefunden", 405: "Nicht erlaubt",
              413: "Zu groß"}
    return render(request, "error.html.j2", status=status, status_code=status,
                  title=titles.get(status, "Fehler"), message=message)


def reader(request: Request) -> Reader:
    return request.app.state.reader


# -- query parameters of the forms -----------------------------------------------------------------------------------
Text = Annotated[str | None, Query(max_length=MAX_QUERY)]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]


def _date(value: str | None, name: str) -> str | None:
    """A date from a form field: empty is no date; anything but YYYY-MM-DD is a clear error."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise HTTPException(400, f"{name}: bitte ein Datum als JJJJ-MM-TT angeben")


def _clean(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def url_with(request: Request, **changes: Any) -> str:
    """This page's address with some query parameters changed (None removes one)."""
    params = {k: v for k, v in request.query_params.items() if v}
    for k, v in changes.items():
        if v is None or v == "":
            params.pop(k, None)
        else:
            params[k] = str(v)
    query = urlencode(params)
    return request.url.path + ("?" + query if query else "")


def pager(request: Request, total: int, page: int, per_page: int = PER_PAGE) -> dict[str, Any]:
    pages = max(1, ceil(total / per_page))
    return {"page": page, "pages": pages, "total": total,
            "prev": url_with(request, page=page - 1 if page > 2 else None) if page > 1 else None,
            "next": url_with(request, page=page + 1) if page < pages else None}


# -- pages -----------------------------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def overview(request: Request, date_from: Text = None, date_to: Text = None, outlet: Text = None,
             entity: Text = None, sort: Text = None, page: Page = 1) -> Response:
    r = reader(request)
    chosen = r.find_entity(entity) if _clean(entity) else None
    if _clean(entity) and chosen is None:
        raise HTTPException(404, f"Keine Entität „{entity}“ im Bestand")
    f = Filters(date_from=_date(date_from, "von"), date_to=_date(date_to, "bis"), outlet=_clean(outlet),
                entity=chosen["id"] if chosen else None)
    order = "recent" if sort == "recent" else "size"
    total, stories = r.stories(f, sort=order, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    ids = [s["id"] for s in stories]
    outlets, coverage, entities = r.story_outlets(ids), r.story_coverage(ids), r.story_entities(ids, per_story=6)
    cards = [{**s, "outlets": outlets.get(s["id"], []), "entities": entities.get(s["id"], []),
              "spark": charts.sparkline(coverage.get(s["id"], []), title="Artikel pro Tag")} for s in stories]
    stats = r.stats()
    quick = []
    if stats["last_published"]:  # "today" is the newest day in the store: a store may hold an archive
        last = date.fromisoformat(stats["last_published"][:10])
        week = (last - timedelta(days=6)).isoformat()
        quick = [(f"Neuester Tag ({de_date(last.isoformat())})", url_with(request, date_from=last, date_to=last,
                                                                         page=None)),
                 ("Letzte 7 Tage", url_with(request, date_from=week, date_to=last, page=None)),
                 ("Gesamter Zeitraum", url_with(request, date_from=None, date_to=None, page=None))]
    return render(request, "overview.html.j2", title="Themen", stories=cards, stats=stats, outlets=r.outlets(),
                  filters=f, entity=chosen, entity_text=_clean(entity) and (chosen or {}).get("canonical"),
                  sort=order, pager=pager(request, total, page), quick=quick, total=total)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: Annotated[int, Path(ge=0, le=2**62)]) -> Response:
    d = data.story_detail(reader(request), story_id)
    if d is None:
        raise HTTPException(404, "Dieses Thema gibt es nicht (mehr): die Themen werden nach jedem Lauf neu gebildet.")
    return render(request, "story.html.j2", title=d["story"]["title"] or "Thema", d=d,
                  coverage_chart=charts.over_time(d["coverage"], title="Artikel pro Tag"),
                  outlets_chart=charts.bars(d["outlets"], title="Artikel pro Medium"), mark=_mark)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: Annotated[int, Path(ge=0, le=2**62)], tab: Text = None) -> Response:
    d = data.article_detail(reader(request), article_id)
    if d is None:
        raise HTTPException(404, "Diesen Artikel gibt es nicht.")
    a = d["article"]

    def quote_ref(q: dict, n: int) -> Markup:
        return Markup(f'<sup class="qref"><a href="#zitat-{n}" title="Zitat {n}'
                      f'{escape(" – " + q["speaker"]) if q["speaker"] else ""}">{n}</a></sup>')

    rendered = highlight.render(a, a["story_id"], quote_ref)
    return render(request, "article.html.j2", title=a["title"] or a["source"], d=d, a=a, text=rendered,
                  tab="comments" if tab == "comments" else "text", quotes=highlight.quote_numbers(a["quotes"]))


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request, q: Text = None, label: Text = None, page: Page = 1) -> Response:
    chosen = label if label in LABELS else None
    total, rows = reader(request).entities(q=_clean(q), label=chosen, limit=50, offset=(page - 1) * 50)
    return render(request, "entities.html.j2", title="Entitäten", rows=rows, q=q or "", label=chosen,
                  pager=pager(request, total, page, 50), url_with=lambda **kw: url_with(request, **kw))


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: Annotated[str, Path(max_length=100)], page: Page = 1) -> Response:
    d = data.entity_detail(reader(request), entity_id, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    if d is None:
        raise HTTPException(404, "Diese Entität gibt es nicht.")
    return render(request, "entity.html.j2", title=d["entity"]["canonical"], d=d, e=d["entity"],
                  chart=charts.over_time(d["coverage"], title="Artikel pro Tag, die sie nennen", width=1040),
                  pager=pager(request, d["articles_total"], page))


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(request: Request, q: Text = None, speaker: Text = None, kind: Text = None, outlet: Text = None,
                date_from: Text = None, date_to: Text = None, page: Page = 1) -> Response:
    r = reader(request)
    f = Filters(date_from=_date(date_from, "von"), date_to=_date(date_to, "bis"), outlet=_clean(outlet))
    chosen_kind = kind if kind in ("direct", "indirect") else None
    total, rows = r.quotes(f, q=_clean(q), speaker=_clean(speaker), kind=chosen_kind, limit=PER_PAGE,
                           offset=(page - 1) * PER_PAGE)
    carriers = r.statement_carriers(x["statement_id"] for x in rows)
    speakers = r.entity_ids_by_name(x["speaker"] for x in rows)
    for x in rows:
        x["outlets"] = sorted({c["outlet"] or c["source"] for c in carriers.get(x["statement_id"], [])})
        x["speaker_entity"] = speakers.get(x["speaker"])
    return render(request, "quotes.html.j2", title="Zitate", rows=rows, q=q or "", speaker=speaker or "",
                  kind=chosen_kind, filters=f, outlets=r.outlets(), pager=pager(request, total, page))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: Text = None, outlet: Text = None, date_from: Text = None, date_to: Text = None,
                sort: Text = None, page: Page = 1) -> Response:
    r = reader(request)
    f = Filters(date_from=_date(date_from, "von"), date_to=_date(date_to, "bis"), outlet=_clean(outlet))
    order = "date" if sort == "date" else "relevance"
    total, rows = (r.search(q, f, sort=order, limit=PER_PAGE, offset=(page - 1) * PER_PAGE) if _clean(q)
                   else (0, []))
    for x in rows:
        x["pieces"] = data.marked_snippet(x["snippet"])
        x["link"] = data.safe_url(x["url"]) or data.safe_url(x["source"])
    return render(request, "search.html.j2", title="Suche", rows=rows, q=q or "", filters=f, sort=order,
                  outlets=r.outlets(), pager=pager(request, total, page), searched=bool(_clean(q)))


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request) -> Response:
    token, fresh = csrf_token(request)
    response = render(request, "upload.html.j2", title="Hochladen", csrf=token, result=None)
    if fresh:
        set_csrf_cookie(response, token)
    return response


@router.post("/upload", response_class=HTMLResponse)
async def upload_post(request: Request, file: Annotated[UploadFile, File()],
                      csrf: Annotated[str, Form(max_length=200)] = "",
                      token: Annotated[str, Form(max_length=500)] = "",
                      published: Annotated[str, Form(max_length=10)] = "") -> Response:
    from .app import receive_upload

    configured = request.app.state.settings.web.token
    if not configured:
        raise HTTPException(403, "Hochladen ist abgeschaltet: in der Konfiguration ist kein [web] token gesetzt.")
    if not csrf_ok(request, csrf):
        raise HTTPException(403, "Das Formular ist abgelaufen oder kam von einer anderen Seite: bitte neu laden.")
    if not token_ok(configured, token):
        raise HTTPException(403, "Falscher Zugangsschlüssel.")
    result = await receive_upload(request, file, _date(published, "Erscheinungsdatum"))
    titles = [reader(request).article_title(i) for i in result.stored]
    return render(request, "upload.html.j2", title="Hochladen", csrf=csrf, result=result,
                  stored=[t for t in titles if t])


@router.get("/docs", response_class=HTMLResponse)
def docs() -> Response:
    from .app import docs_html

    return docs_html()


def _mark(context: str, start: int, end: int) -> Markup:
    """A sentence with one stretch (a figure) marked."""
    return Markup("{}<mark>{}</mark>{}").format(context[:start], context[start:end], context[end:])
