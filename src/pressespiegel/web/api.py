"""The REST API: JSON over the store, paginated (``limit``/``offset``, at most ``MAX_LIMIT`` a page), described by
pydantic models in ``/openapi.json``. Read-only, except ``POST /api/documents`` with the configured token."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, Request, UploadFile
from pydantic import BaseModel, Field

from ..store.read import Filters, Reader
from . import data
from .security import request_token, token_ok

MAX_LIMIT = 100
MAX_QUERY = 200  # characters of a search query
MAX_OFFSET = 1_000_000

router = APIRouter(prefix="/api", tags=["api"])
T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    total: int = Field(description="How many items match (counted up to 10,000 for quotes and search).")
    limit: int
    offset: int
    items: list[T]


class OutletCount(BaseModel):
    outlet: str
    articles: int


class DayCount(BaseModel):
    date: str
    count: int


class ArticleSummary(BaseModel):
    id: int
    title: str | None
    outlet: str | None
    published: str | None = Field(description="YYYY-MM-DD")
    source: str | None
    url: str | None = Field(description="The article's http(s) address, when known.")
    language: str | None = None
    story_id: int | None
    duplicate_of: int | None = Field(description="The article this one is an (agency) copy of.")
    content_hash: str | None = None
    comment_count: int = 0
    agencies: list[str] = []
    snippet: str


class Comment(BaseModel):
    position: int
    author: str | None
    reply_to: int | None = Field(description="Position of the comment this one answers.")
    posted: str | None
    text: str


class EntityMention(BaseModel):
    start: int
    end: int
    text: str | None
    label: str
    canonical: str | None
    entity_id: str | None
    role: str | None = None


class Quote(BaseModel):
    start: int
    end: int
    text: str | None
    kind: str
    speaker: str | None
    speaker_entity: str | None = None
    cue: str | None
    statement_id: int | None
    outlets: list[str] = Field(default=[], description="Every outlet in the store that carried this statement.")


class TimeExpression(BaseModel):
    start: int
    end: int
    text: str | None
    type: str
    value: str | None


class FigureOut(BaseModel):
    start: int
    end: int
    text: str | None
    value: float
    unit: str
    qualifier: str | None


class ArticleDetail(ArticleSummary):
    text: str
    kind: str
    path: str | None
    ingested_at: str | None
    fetched_at: str | None
    size_bytes: int | None
    encoding: str | None
    comments: list[Comment]
    entities: list[EntityMention]
    quotes: list[Quote]
    timexes: list[TimeExpression]
    figures: list[FigureOut]


class StorySummary(BaseModel):
    id: int
    title: str | None
    first_published: str | None
    last_published: str | None
    size: int = Field(description="Number of articles.")
    outlets: list[OutletCount]


class EntityRef(BaseModel):
    id: str
    canonical: str
    label: str
    articles: int


class TimelineEntry(BaseModel):
    date: str = Field(description="Calendar value: 2026-11-03, 2026-W45, 2026-11, 2026 …")
    expression: str
    sentence: str
    document_id: int
    start: int
    end: int
    outlet: str | None
    published: str | None


class StoryQuote(BaseModel):
    speaker: str
    speaker_entity: str | None
    text: str
    kind: str
    statement_id: int | None
    outlets: list[str]
    articles: list[int]


class ConflictSide(BaseModel):
    document_id: int
    outlet: str
    text: str
    value: float
    qualifier: str | None
    start: int
    end: int
    context: str = Field(description="The sentence the figure stands in.")


class FigureConflict(BaseModel):
    unit: str
    sides: list[ConflictSide]


class StoryDetail(StorySummary):
    articles: list[ArticleSummary]
    coverage: list[DayCount]
    timeline: list[TimelineEntry]
    quotes: list[StoryQuote]
    conflicts: list[FigureConflict]
    entities: list[EntityRef]


class EntitySummary(BaseModel):
    id: str
    label: str
    canonical: str
    aliases: list[str]
    description: str | None
    geonames_id: int | None
    kb_id: str | None
    mentions: int
    documents: int


class QuoteHit(BaseModel):
    id: int
    document_id: int
    start: int
    end: int
    text: str | None
    kind: str
    speaker: str | None
    cue: str | None
    statement_id: int | None
    outlet: str | None
    published: str | None
    title: str | None
    story_id: int | None


class EntityDetail(EntitySummary):
    coverage: list[DayCount]
    cooccurring: list[EntityRef]
    quotes_by: list[QuoteHit]
    quotes_about: list[QuoteHit]


class SearchHit(BaseModel):
    id: int
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    story_id: int | None
    snippet: str = Field(description="Text around the hits; the hits are wrapped in ** **.")


class UploadResult(BaseModel):
    file: str
    stored: list[int]
    skipped: int
    rejected: list[str]
    stories: int


def reader(request: Request) -> Reader:
    return request.app.state.reader


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (at most {MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
DateFrom = Annotated[date | None, Query(description="Published on or after (YYYY-MM-DD).")]
DateTo = Annotated[date | None, Query(description="Published on or before (YYYY-MM-DD).")]
Outlet = Annotated[str | None, Query(max_length=200, description="Outlet domain, e.g. rheinkurier.de.")]
EntityId = Annotated[str | None, Query(max_length=100, description="Entity id, e.g. geonames:2950159.")]
NOT_FOUND = {404: {"description": "Not found"}}


def _filters(date_from: date | None = None, date_to: date | None = None, outlet: str | None = None,
             entity: str | None = None, story: int | None = None) -> Filters:
    return Filters(date_from=date_from.isoformat() if date_from else None,
                   date_to=date_to.isoformat() if date_to else None, outlet=outlet or None, entity=entity or None,
                   story=story)


@router.get("/articles", response_model=Page[ArticleSummary], summary="Articles, the newest first")
def list_articles(request: Request, limit: Limit = 20, offset: Offset = 0, date_from: DateFrom = None,
                  date_to: DateTo = None, outlet: Outlet = None, entity: EntityId = None,
                  story: Annotated[int | None, Query(ge=0, le=2**62)] = None) -> dict[str, Any]:
    total, rows = reader(request).articles(_filters(date_from, date_to, outlet, entity, story), limit=limit,
                                           offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [data.article_summary(r) for r in rows]}


@router.get("/articles/{article_id}", response_model=ArticleDetail, responses=NOT_FOUND,
            summary="One article with its text, comments and everything found in it")
def get_article(request: Request, article_id: Annotated[int, Path(ge=0, le=2**62)]) -> dict[str, Any]:
    found = data.article_detail(reader(request), article_id)
    if found is None:
        raise HTTPException(404, "no such article")
    a = found["article"]
    return {**found["summary"], **{k: a[k] for k in ("text", "kind", "path", "ingested_at", "fetched_at",
                                                     "size_bytes", "encoding", "comments", "entities", "quotes",
                                                     "timexes", "figures")}}


@router.get("/stories", response_model=Page[StorySummary], summary="Stories, the largest (or newest) first")
def list_stories(request: Request, limit: Limit = 20, offset: Offset = 0, date_from: DateFrom = None,
                 date_to: DateTo = None, outlet: Outlet = None, entity: EntityId = None,
                 sort: Literal["size", "recent"] = "size") -> dict[str, Any]:
    r = reader(request)
    total, rows = r.stories(_filters(date_from, date_to, outlet, entity), sort=sort, limit=limit, offset=offset)
    outlets = r.story_outlets([s["id"] for s in rows])
    items = [{**s, "outlets": [{"outlet": o, "articles": n} for o, n in outlets.get(s["id"], [])]} for s in rows]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get("/stories/{story_id}", response_model=StoryDetail, responses=NOT_FOUND,
            summary="One story: articles, coverage, timeline, quotes by speaker, figure conflicts")
def get_story(request: Request, story_id: Annotated[int, Path(ge=0, le=2**62)]) -> dict[str, Any]:
    d = data.story_detail(reader(request), story_id)
    if d is None:
        raise HTTPException(404, "no such story")
    return {
        **d["story"],
        "outlets": [{"outlet": o, "articles": n} for o, n in d["outlets"]],
        "articles": d["articles"],
        "coverage": [{"date": day, "count": n} for day, n in d["coverage"]],
        "timeline": [{"date": g["date"], **e} for g in d["timeline"] for e in g["entries"]],
        "quotes": [{"speaker": s.name, "speaker_entity": s.entity_id, "text": q.text, "kind": q.kind,
                    "statement_id": q.statement_id, "outlets": q.outlets, "articles": [a["id"] for a in q.articles]}
                   for s in d["speakers"] for q in s.quotes],
        "conflicts": d["conflicts"],
        "entities": [{"id": e["entity_id"], "canonical": e["canonical"], "label": e["label"],
                      "articles": e["articles"]} for e in d["entities"]],
    }


@router.get("/entities", response_model=Page[EntitySummary], summary="Entities, the most named first")
def list_entities(request: Request, limit: Limit = 20, offset: Offset = 0,
                  q: Annotated[str | None, Query(max_length=MAX_QUERY, description="Part of a name.")] = None,
                  label: Literal["PER", "ORG", "LOC", "OTH"] | None = None) -> dict[str, Any]:
    total, rows = reader(request).entities(q=q, label=label, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": rows}


@router.get("/entities/{entity_id}", response_model=EntityDetail, responses=NOT_FOUND,
            summary="One entity: mentions over time, co-occurring entities, quotes by and about it")
def get_entity(request: Request, entity_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    d = data.entity_detail(reader(request), entity_id, limit=1)
    if d is None:
        raise HTTPException(404, "no such entity")
    return {**d["entity"], "coverage": [{"date": day, "count": n} for day, n in d["coverage"]],
            "cooccurring": d["cooccurring"], "quotes_by": d["quotes_by"], "quotes_about": d["quotes_about"]}


@router.get("/quotes", response_model=Page[QuoteHit], summary="Quotes with a speaker, the newest first")
def list_quotes(request: Request, limit: Limit = 20, offset: Offset = 0,
                q: Annotated[str | None, Query(max_length=MAX_QUERY, description="Words in the quote.")] = None,
                speaker: Annotated[str | None, Query(max_length=MAX_QUERY, description="Part of the speaker's name.")]
                = None,
                kind: Literal["direct", "indirect"] | None = None, date_from: DateFrom = None, date_to: DateTo = None,
                outlet: Outlet = None) -> dict[str, Any]:
    total, rows = reader(request).quotes(_filters(date_from, date_to, outlet), q=q, speaker=speaker, kind=kind,
                                         limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": rows}


@router.get("/search", response_model=Page[SearchHit], summary="Full-text search over titles and texts")
def search(request: Request,
           q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="Words that must all occur.")],
           limit: Limit = 20, offset: Offset = 0, date_from: DateFrom = None, date_to: DateTo = None,
           outlet: Outlet = None, sort: Literal["relevance", "date"] = "relevance") -> dict[str, Any]:
    total, rows = reader(request).search(q, _filters(date_from, date_to, outlet), sort=sort, limit=limit,
                                         offset=offset)
    items = [{**r, "url": data.safe_url(r["url"]) or data.safe_url(r["source"]),
              "snippet": "".join(f"**{t}**" if hit else t for t, hit in data.marked_snippet(r["snippet"]))}
             for r in rows]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.post("/documents", response_model=UploadResult, status_code=201,
             responses={403: {"description": "No token configured, or the request does not carry it"},
                        413: {"description": "File too large"}},
             summary="Add a document (text, HTML, JSON Lines, RSS/Atom); needs the [web] token")
async def upload_document(request: Request, file: Annotated[UploadFile, File()],
                          published: Annotated[date | None, Form()] = None) -> dict[str, Any]:
    from .app import receive_upload

    state = request.app.state
    if not state.settings.web.token:
        raise HTTPException(403, "uploads are disabled: no [web] token is configured")
    if not token_ok(state.settings.web.token, request_token(request)):
        raise HTTPException(403, "missing or wrong token")
    result = await receive_upload(request, file, published.isoformat() if published else None)
    return result.__dict__
