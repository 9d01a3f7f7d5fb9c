"""Quotations: direct and indirect speech, each with its speaker, its reporting verb and its source span.

Direct speech is what stands between quotation marks of any German style („…“, "…", »…«, «…», “…”; ‚…‘ nested
inside stays part of the quote), also over several sentences, interrupted by the reporting clause („…“, sagte X.
„…“), introduced by a colon or written as a headline ("Rutte: …"). A mark that never closes ends its quote at the end
of the paragraph; a quote runs at most ``MAX_QUOTE`` characters. Short quoted phrases without a speaker (titles,
names, scare quotes) are not speech.

Indirect speech is found sentence by sentence: a reporting verb (``quotes_de.toml``) with a dass-clause or a clause
in the Konjunktiv ("Rutte sagte, die Lage sei ernst"; "Die Lage sei ernst, sagte Rutte"), an attribution ("laut X",
"X zufolge", "nach Angaben der Polizei", "wie X mitteilte"), and sentences in the Konjunktiv that continue the
previous quotation without a new verb ("Man werde alles prüfen.").

The speaker is the mention in the reporting clause — a recognised name, a nominal mention ("der Niederländer",
resolved by the entities stage), a pronoun ("sagte er": the last speaker, else the last person named) or a noun
phrase ("ein Sprecher des Ministeriums"); ``speaker`` is the entity's canonical name (or the phrase), null when the
text does not say who spoke; ``speaker_start``/``speaker_end`` mark that mention.
"""

from __future__ import annotations

import re
import threading
import tomllib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from ..model import Document, Quote
from .entities import _is_role
from .sentences import sentences

ASSIGNS = ("quotes",)
MAX_QUOTE = 4000  # characters of one direct quote
_CLOSERS = {"„": "“”\"", "‚": "‘’", "»": "«", "«": "»", "“": "”\"", "\"": "\"", "”": "”\""}
_MARKS = re.compile(r"[„“”\"»«]")
_WORD = re.compile(r"[\wÄÖÜäöüß][\w'’.-]*")
_INSEPARABLE = ("be", "er", "ver", "ent", "zer", "emp", "miss", "ge")


@dataclass(frozen=True)
class _Vocabulary:
    cues: frozenset[str]  # finite and participle forms of reporting verbs, lower case
    particles: dict[str, tuple[str, ...]]  # finite form of a separable verb → its particles ("räumte" → ("ein",))
    konjunktiv: frozenset[str]  # Konjunktiv I and II forms: a clause after a reporting verb is reported speech
    konjunktiv1: frozenset[str]  # Konjunktiv I: reported speech even without a verb
    konjunktiv2: frozenset[str]  # Konjunktiv II never indicative: goes on with reported speech just before


def _weak_forms(stem: str) -> set[str]:
    e = "e" if re.search(r"(?:[dt]|(?:[^aeioulrhn]|ch)n)$", stem) else ""  # "rechnete", "bezeichnete" — "mahnte"
    forms = {stem + e + "t", stem + e + "te", stem + e + "ten", stem + "e",
             stem + "n" if stem.endswith(("el", "er")) and not stem.endswith("ier") else stem + "en"}  # "fordern"
    if not (stem.endswith("ier") or stem.startswith(_INSEPARABLE)):  # participle with ge-: "gesagt", not "erklärt"
        forms.add("ge" + stem + e + "t")
    return forms


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    data = tomllib.loads(resources.files(__package__).joinpath("quotes_de.toml").read_text("utf-8"))
    verbs = data["verbs"]
    cues: set[str] = set(verbs["forms"])
    for stem in verbs["weak"]:
        cues |= _weak_forms(stem)
    particles: dict[str, set[str]] = {}
    for entry in verbs["particle"]:
        head, *rest = entry.split()
        finite = {head} | {f for f in _weak_forms(head) if not f.startswith("ge")}
        for form in finite:
            particles.setdefault(form, set()).add(" ".join(rest))
            cues.add(rest[-1] + form)  # joined forms: "einräumte", "mitteilte"
        cues.add(rest[-1] + "ge" + head + ("et" if head.endswith(("t", "d")) else "t"))  # "mitgeteilt"
    return _Vocabulary(frozenset(c.lower() for c in cues), {k: tuple(v) for k, v in particles.items()},
                       frozenset(data["konjunktiv"]["forms"]) | frozenset(data["konjunktiv"]["first"])
                       | frozenset(data["konjunktiv"]["second"]),
                       frozenset(data["konjunktiv"]["first"]), frozenset(data["konjunktiv"]["second"]))


# --- speakers ---------------------------------------------------------------------------------------------------

@dataclass
class _Speaker:
    start: int
    end: int
    name: str | None

    @classmethod
    def of(cls, q: Quote) -> _Speaker:
        """The speaker of a quotation found before."""
        return cls(q.speaker_start, q.speaker_end, q.speaker)


_OBLIQUE = re.compile(r"\b(?:(?:in|im|aus|mit|von|vom|für|bei|beim|nach|über|gegen|gegenüber|zu|zum|zur|vor|auf|an|am|"
                      r"um|seit|unter|durch|neben|zwischen|hinter|ohne|samt|dank|angesichts|seitens|wegen|trotz)"
                      r"(?:\s+(?:der|die|das|den|dem|des|einer|einem|eines|einen))?|dem|den|einem|einen|des|eines)\s+$",
                      re.I)


def _oblique(text: str, start: int) -> bool:
    """Whether the mention at ``start`` follows a preposition or stands in an oblique case ("mit dem Minister",
    "gegenüber der Zeitung", also with a role before the name: "mit Bürgermeister Otto Kern")."""
    before = text[max(0, start - 40):start]
    role = re.search(r"(?<=\s)([A-ZÄÖÜ][\w-]+)\s+$", before)
    if role and (_is_role(role.group(1)) or _SPEAKER_NOUNS.search(role.group(1))):
        before = before[:role.start()]
    return bool(_OBLIQUE.search(before))
_GENITIVE = re.compile(r"[A-ZÄÖÜ][\w-]+\s+(?:der|des)\s+(?:[a-zäöü]\w*e[nrs]?\s+)?$")  # "der Unmut der CDU"
_OBLIQUE_PHRASE = re.compile(r"(?:[Dd]em|[Dd]en|[Dd]es|[Ee]inem|[Ee]inen|[Ee]ines)\s")
_PRONOUN = re.compile(r"\b(er|sie|Er|Sie)\b")
_PHRASE = re.compile(r"\b(?:[Dd]er|[Dd]ie|[Dd]as|[Ee]in|[Ee]ine|[Dd]es|[Dd]em|[Dd]en)\s+(?:[a-zäöü]\w*e[nrs]?\s+)?"
                     r"(?:[a-z]{1,5}-)?[A-ZÄÖÜ][\w-]+(?:\s+(?:des|der|von|vom)\s+(?:[a-zäöü]\w*e[nrs]?\s+)?[A-ZÄÖÜ][\w-]+(?:\s+[A-ZÄÖÜ][\w-]+)?)?")
# a plural noun without an article, perhaps after a quantifier or an adjective ("Viele Anwohner", "Experten")
_CAPITALISED = re.compile(r"(?<![\w-])[A-ZÄÖÜ][\w-]+(?![\w-])")
_BARE_BEFORE = re.compile(r"(?<![\w-])(?:((?:[Vv]iele|[Ee]inige|[Mm]anche|[Mm]ehrere|[Zz]ahlreiche|[Aa]lle|[Bb]eide|[Aa]ndere|"
                          r"[Ww]eitere|[Ee]ntsetzte|[Ee]inzelne))\s+)?(?:([a-zäöü]\w*e[nr]?)\s+)?$")
@lru_cache(maxsize=65536)
def _bare_head(head: str) -> bool:
    """Whether a noun without an article names people who speak ("Experten", "Anwohner"), not a source ("Angaben")."""
    return bool(_SPEAKER_NOUNS.search(head[-20:])) and not re.fullmatch(_SAYING, head) and not head.lower().endswith(
        ("ung", "kreisen", "quellen", "angaben", "bericht", "berichten"))


_NOT_SPEAKERS = frozenset("""Jahr Jahre Tag Tage Woche Monat Zeit Ende Anfang Montag Dienstag Mittwoch Donnerstag
Freitag Samstag Sonntag Abend Morgen Mittag Nacht Interview Pressekonferenz Sendung
Rede Gespräch Frage Blatt Fernsehen Radio Telefon Anfrage Nachfrage Angaben Vormittag Nachmittag""".split())


_SPEAKER_NOUNS = re.compile(
    r"(?i:(?:sprecher|sprecherin|ministerium|amt|ämter|behörde|behörden|polizei|gericht|regierung|partei|verband|"
    r"institut|kommission|rat|agentur|zeitung|blatt|magazin|sender|konzern|unternehmen|firma|hersteller|gewerkschaft|"
    r"opposition|feuerwehr|staatsanwaltschaft|anwaltschaft|ermittler|experten?|expertin|forscher(?:in)?|"
    r"wissenschaftler(?:in)?|ärzte|arzt|ärztin|zeugen?|zeugin|anwohner(?:in)?|augenzeugen?|angaben|studie|bericht|"
    r"umfrage|meldung|mitteilung|erklärung|stellungnahme|quellen?|kreisen|kritiker(?:in)?|beobachter(?:in)?|"
    r"analysten?|veranstalter|organisatoren|betreiber|verwaltung|stadt|gemeinde|kreis|land|staat|union|bund|"
    r"fraktion|vorstand|vorsitzende[rn]?|leitung|führung|chef(?:in)?|präsidium|komitee|team|klub|verein|club|"
    r"bank|versicherung|ministerin|minister|dienst|armee|militär|streitkräfte|truppen|rebellen|aktivisten|"
    r"vertreter(?:in)?|mitglieder|anwalt|anwältin|verteidigung|anklage|kläger(?:in)?|opfer|familie|eltern|mutter|"
    r"vater|besitzer(?:in)?|mann|frau|kinder|schüler|studenten|bürger|einwohner|bewohner|menschen|leute|"
    r"teilnehmer|mitarbeiter(?:in)?|beschäftigte[n]?|angestellte[n]?|kunden|verbraucher|fans|nutzer|autor(?:en)?|"
    r"autorin|verfasser|iran|irak|organisation|kommission|institution|redaktion|fraktion|delegation|koalition|"
    r"union|nationen|mission|direktion|administration|medien|zeitungen|behörde|polizei|universität|hochschule|"
    r"akademie|stiftung|kammer|senat|parlament|ausschuss|gremium|jury|botschaft|konsulat|vereinigung|"
    r"nachrichtenagentur|staatsanwalt|staatsanwältin|richter(?:in)?|politiker(?:in)?|abgeordnete[nr]?|"
    r"parteien|organisationen|gewerkschaften|verbände|regierungen|ministerien|firmen|banken|"
    r"schützer(?:in)?|gegner(?:in)?|befürworter(?:in)?|anhänger(?:in)?|demonstranten|ökonomen|juristen|"
    r"historiker(?:in)?|mediziner(?:in)?|ologen|ologin))$")


@lru_cache(maxsize=65536)
def _speaker_noun(head: str, strict: bool = False) -> bool:
    """Whether a noun can name who speaks: a role ("Sprecher", "NATO-Generalsekretär"), a body ("Ministerium",
    "Polizei") or people ("Experten", "Anwohner") — not "Suche", "Wahl" or "Tasche"."""
    if _SPEAKER_NOUNS.search(head[-20:]) or _is_role(head):  # (the longest speaker noun has 18 letters)
        return True
    return not strict and not re.search(r"(?:ung|heit|keit|tät|nis|tum|ismus|ion|ment|ur|ik)$", head) and head not in _NOT_SPEAKERS


_NP = (r"(?:[A-ZÄÖÜ][\w.-]*|(?:der|des|dem|den|die|von|vom|eines|einer)(?=\s+[A-ZÄÖÜa-zäöü])"
       r"|[a-zäöü]\w*e[nrs]?(?=\s+[A-ZÄÖÜ]))")
_DET = (r"(?:(?:der|die|das|dem|den|des|ein|eine|einem|einer|eines|seinem|seiner|ihrem|ihrer|eigenen|ersten|"
        r"diese[mnrs]?|jene[mnrs]?|"
        r"bisherigen|offiziellen|übereinstimmenden|unbestätigten|neuesten|jüngsten|vorläufigen|inoffiziellen)\s+)*"
        r"(?:[a-zäöü]\w*e[nrs]?\s+)?")
_SAYING = (r"(?:Angaben|Aussagen?|Auskunft|Informationen|Ansicht|Auffassung|Einschätzung|Meinung|Worten|Darstellung|"
           r"Berichten|Bericht|Schätzungen|Erkenntnissen|Mitteilung|Medienberichten|Presseberichten|Polizeiangaben|"
           r"Behördenangaben|Schilderung|Aussage|Ermittlungen|Umfrage|Studie|Vorwurf|Anklage|Zeugenaussagen|"
           r"Analyse|Analysen|Berechnungen|Ankündigung|Urteil|Dokument|Papier|Gutachten|Untersuchung|Untersuchungen|"
           r"Statistik|Zählung|Hochrechnung|Hochrechnungen|Prognose|Prognosen|Medien|Quellen|Darstellungen|"
           r"[\w-]*(?:angaben|Angaben|berichten|Berichten|informationen|Informationen|meinung|Meinung))")
_CLAUSE_VORFELD = re.compile(r"[\s„\"»]*(?:Warum|Wieso|Weshalb|Wie|Ob|Dass|Was|Wer|Wann|Nachdem|Als|Weil|Da|Obwohl|Während|"
                             r"Wenn)\s[^;:]*,\s*")  # a subordinate clause before the verb of the main clause
_SO_SPEAKER = re.compile(r",\s*(so)\s+(?=[A-ZÄÖÜ]|(?:der|die|das)\s)")  # "…, so Hisbollah-Chef Nasrallah."
# a noun phrase opening a main clause after a comma (not a relative clause: "die den Mut Alis hervorhob")
_NEW_SUBJECT = re.compile(r"\s*(?:die|der|das|andere|einige|mehrere)\s+(?:[a-zäöü]\w*e[nrs]?\s+)?[A-ZÄÖÜ]"
                          r"(?<!\s(?:der|die|das|den|dem|des)\s[A-ZÄÖÜ])")
_INSIDE_NP = re.compile(r"(?<!\w)(?:seine[nmrs]?|ihre[nmrs]?|den|dem|des|eine[nmrs]?)\s+$")  # "mit seinen laut X …"
_JOINED_CLAUSE = re.compile(r",\s*(?:und|doch|aber|während|sondern)\s+")  # a main clause joined to the one before
# a role after the finite verb, with the name after it: "äußerte sich Vatikansprecher Navarro-Valls"
_ROLE_AFTER_VERB = re.compile(r"\s+(?:sich\s+)?(?:(?:der|die|einige|mehrere|viele)\s+)?([A-ZÄÖÜ][\w-]+)"
                              r"(?:\s+[A-ZÄÖÜ][\w.-]+){0,2}(?=[\s,;:!?]|\.?$)")
_DET_OPENS = re.compile(r"[\s„\"»]*(?:Der|Die|Das|Ein|Eine)\s")
# a phrase naming someone's words, and whose they are: "Das Fazit von Sandra Boser", "Die Kernaussage des Ministers"
_OWNER = re.compile(r"[\s„\"»]*(?:Das|Die|Der|Sein|Seine|Ihr|Ihre)\s+(?:Fazit|Kernaussage|Worte|Bilanz|Antwort|Reaktion|"
                    r"Botschaft|Aussage|Einschätzung|Begründung|Devise|Forderung|Warnung|Prognose)\s+(?:von|des|der)\s+")
_ATTRIBUTION = re.compile(
    r"(?<!\w)(?:(?:[Ll]aut|[Gg]emäß)\s+(?P<source>" + _DET + r"(?:(?:[a-z]{1,3}-)?[A-ZÄÖÜ][\w.-]*|[a-z]{2,5}(?=[\s,])|"
    r"[a-z][\w-]*\.(?:de|com|net|org|at|ch)\b|[„\"»][^„“\"»«]{2,40}[“\"«])(?:\s+" + _NP
    + r"){0,5})|[Nn]ach\s+(?P<source2>" + _DET + _SAYING + r"(?:\s+" + _NP + r"){0,5}))")
_ZUFOLGE = re.compile(r"(?P<source>(?:[A-ZÄÖÜa-zäöü„\"»][\w.“\"«-]*\s+){0,5}?(?:[A-ZÄÖÜ„\"»][\w.“\"«-]*|[a-z][\w-]*\."
                      r"(?:de|com|net|org|at|ch)|\([\w\s.-]{1,20}\)))\s+zufolge\b")
# "Spekulationen, wonach …", "Umfragen, nach denen …" (the noun before, when it is capitalised, is the source)
_WONACH = re.compile(r"(?:(?P<head>[A-ZÄÖÜ][\w-]*)[“\"«]?\s*)?,\s*(?P<rel>wonach|nach denen|nach der|nach dem)\s+")
# "seiner Meinung nach", "dem Vernehmen nach": the possessor holds the view
_NACH_AFTER = re.compile(r"(?<!\w)(?P<source>(?:[Ss]einer|[Ii]hrer|[Dd]eren|[Dd]essen|[Dd]em|[Dd]er)\s+(?:[\w-]*[Mm]einung|"
                         r"Ansicht|Auffassung|Einschätzung|Vernehmen|Darstellung|Angaben|Aussage|Worten))\s+nach\b")

# a spokesperson of a body not named with it: "ein Sprecher", "eine Sprecherin"
_SPOKESPERSON = re.compile(r"(?:[Ee]in|[Ee]ine|[Dd]er|[Dd]ie)\s+(?:Sprecher(?:in)?|Vertreter(?:in)?|Mitarbeiter(?:in)?)")
# an attribution that names no holder: "nach neuesten Erkenntnissen", "nach technischer Analyse"
_BARE_SOURCE = re.compile(r"(?:[a-zäöü]\w*\s+)+" + _SAYING)


_HEISST = ("heißt", "hieß", "geheißen")  # "heißt es": a report that names its source, if at all, elsewhere
_LED_BY = re.compile(r"(?:Führung|Leitung|Regie)\s+$")
_WHERE = re.compile(r"\b(?P<prep>[Ii]n|[Ii]m|[Aa]uf|[Vv]on|[Vv]om|[Dd]urch|[Bb]ei|[Bb]eim|[Aa]us)\s+"
                    r"(?P<np>(?:(?:der|den|dem|einer|einem|des|seiner|ihrer)\s+)?"
                    r"(?:[a-zäöü]\w*\s+(?=[a-zäöü]\w*e[nrs]?\s))?(?:[a-zäöü]\w*e[nrs]?\s+)?"  # "gestern verbreiteten"
                    r"[A-ZÄÖÜ][\w-]+(?:\s+(?:des|der|von)\s+(?:[a-zäöü]\w*e[nrs]?\s+)?[A-ZÄÖÜ][\w-]+)?"
                    r"(?:(?:\s+[A-ZÄÖÜ][\w-]+){1,2}(?=\s+[a-zäöü,]))?)")  # "bei der Agentur Nordpress heißt es"


_NOUN_CUE = re.compile(r"\b(?=\w+\s*,)((?i:\w*(?:meldung|bericht|berichte|angaben|hinweise?|vorwurf|vorwürfe|befürchtung|"
                       r"forderung|ankündigung|aussage|erklärung|behauptung|vermutung|einschätzung|ansicht|meinung|"
                       r"überzeugung|hoffnung|warnung|kritik|informationen|gerüchte|sorge|verdacht|eindruck|"
                       r"auffassung|angst)|bekannt))\s*,\s*(?!\s*(?:auf|an|in|mit|von|für|über|bei|zu|nach|aus|gegen|um|unter|vor|durch)\s+"
                       r"(?:der|die|das|den|dem|denen|welche[rmns]?)\s)")


class _Context:
    """What one document offers for finding speakers: its entity and nominal mentions."""

    def __init__(self, doc: Document) -> None:
        self.text = doc.text
        self.mentions = sorted([(e.start, e.end, e.canonical, e.label) for e in doc.entities
                                if e.label in ("PER", "ORG", "LOC")] +
                               [(n.start, n.end, n.canonical, "NOM") for n in doc.nominals], key=lambda m: m[0])
        self.spans: dict[str, set[tuple[int, int]]] = {k: set() for k in ("PER", "ORG", "LOC", "NOM")}
        for a, b, _, label in self.mentions:  # (start, end) of the mentions, by label
            self.spans[label].add((a, b))
        self.last_speaker: _Speaker | None = None
        self._bare: list[tuple[int, int]] | None = None

    def is_mention(self, speaker: _Speaker) -> bool:
        """Whether the speaker is a recognised entity or nominal mention (not a phrase or a pronoun)."""
        return any((speaker.start, speaker.end) in spans for spans in self.spans.values())

    def last_person(self, before: int) -> tuple[int, int, str, str] | None:
        """The last person or nominal mention that ends before ``before``."""
        people = [m for m in self.mentions if m[3] in ("PER", "NOM") and m[1] <= before]
        return people[-1] if people else None

    def bare(self) -> list[tuple[int, int]]:
        """Spans of plural speaker nouns without an article in the text ("Experten", "Viele Anwohner"), once."""
        if self._bare is None:
            self._bare = []
            text = self.text
            for m in _CAPITALISED.finditer(text):
                head = m.group(0)
                plural = head.endswith(("er", "en", "e"))
                if not plural and head[-1] not in "nrs" or not _bare_head(head) \
                        or re.match(r"\s+[A-ZÄÖÜ]", text[m.end():m.end() + 2]):  # a role before a name
                    continue
                before = _BARE_BEFORE.search(text, max(0, m.start() - 40), m.start())
                quantifier, adjective = (before.group(1), before.group(2)) if before else (None, None)
                if not (plural or quantifier):
                    continue
                a = before.start() if before else m.start()
                if adjective and not quantifier and (adjective in vocabulary().konjunktiv or _AUXILIARY.fullmatch(
                        adjective)):
                    a = m.start()  # "So hätten Rebellen …": a verb, not an adjective
                if re.search(r"(?<!\w)(?:als|wie)\s+$", text[max(0, a - 5):a]):
                    continue  # "als Abgeordneter": a role, not a speaker
                self._bare.append((a, m.end()))
        return self._bare

    def speakers(self, start: int, end: int) -> list[_Speaker]:
        """Candidate speaker mentions in ``text[start:end]``, in text order."""
        found = [_Speaker(a, b, name) for a, b, name, label in self.mentions if start <= a and b <= end]
        taken = [(s.start, s.end) for s in found]
        for m in _PHRASE.finditer(self.text, start, end):
            head = m.group(0).split()[2 if len(m.group(0).split()) > 2 and m.group(0).split()[1][0].islower()
                                      else 1] if len(m.group(0).split()) > 1 else m.group(0)
            if head in _NOT_SPEAKERS or not _speaker_noun(head) \
                    or any(a < m.end() and m.start() < b for a, b in taken):
                continue
            inner = [s for s in found if m.start() <= s.start and s.end <= m.end()]
            found.append(_Speaker(m.start(), m.end(), inner[0].name if inner and len(m.group(0).split()) <= 2
                                  else m.group(0)))
            taken.append((m.start(), m.end()))
        bare = self.bare()
        for a, b in bare[bisect_left(bare, (start, start)):]:  # "Experten", "Viele Anwohner", "Mehrere Augenzeugen"
            if b > end:
                break
            if not any(x < b and a < y for x, y in taken):
                found.append(_Speaker(a, b, self.text[a:b]))
                taken.append((a, b))
        for m in _PRONOUN.finditer(self.text, start, end):
            if any(a <= m.start() < b for a, b in taken):
                continue
            name = self.last_speaker.name if self.last_speaker and self.last_speaker.name else None
            person = self.last_person(m.start())
            if person and (name is None or person[0] > self.last_speaker.end):
                name = person[2]  # a person named after the last speaker: "Rutte sagte, … „…“, sagte er"
            found.append(_Speaker(m.start(), m.end(), name))
        found.sort(key=lambda s: s.start)
        # a name inside a longer phrase that starts before it is that phrase's attribute ("der Direktor der
        # Internationalen Atomenergiebehörde"): the phrase speaks
        return [s for s in found if not any(o is not s and o.start < s.start and s.end <= o.end for o in found)]


# a subordinate clause that runs up to the verb: a relative clause ("…, der … vorwarf") or one opened by a
# conjunction ("…, indem er sagte"); no clause boundary between it and the verb
_SUBCLAUSE = re.compile(r"[,;(–—]\s*(?:(?P<rel>[Dd]er|[Dd]ie|[Dd]as|[Ww]elche[rs]?|[Dd]enen|[Dd]em|[Dd]en)|(?:indem|weil|da|als|"
                        r"nachdem|wobei|während|obwohl|wenn|bevor|seit|sodass))\s+(?=[^,;:(–—]*$)")
_VERB_LAST = re.compile(r"(?:\s+(?:hat|hatte|habe|hätte|haben|hatten|hätten|ist|war|sei|wurde|worden|werden|wird|soll|"
                        r"sollte|will|wollte|kann|konnte|könne|muss|musste|darf|durfte))*\s*(?:[,.;:!?)–—]|$)")
_DOCUMENT = re.compile(r"(?:[Ee]rklärung|[Mm]itteilung|[Bb]ericht|[Bb]rief|[Ss]chreiben|[Ss]tellungnahme|[Ii]nterview|"
                       r"[Pp]apier|[Ss]tudie|[Uu]rteil|[Bb]eschluss|[Aa]ntrag|[Kk]ommuniqué|[Ee]ntwurf|[Gg]utachten|"
                       r"[Aa]ufruf|[Rr]esolution|[Ee]rklärungen|[Bb]erichten|[Bb]riefen|[Mm]eldung|[Aa]nzeige|"
                       r"[Bb]egründung|[Pp]rotokoll|[Dd]okument|[Vv]ersion|[Pp]etition|[Ss]ite|[Ss]eite|[Bb]log|"
                       r"[Vv]orlage|[Uu]mfrage|[Uu]ntersuchung|[Aa]nalyse|[Ss]tatistik)\w*$")
# a noun phrase naming a document when its noun is one (_DOCUMENT): "aus dem Urteil", "einer Gesetzesvorlage"
_SOURCE_DOCUMENT = re.compile(r"(?<!\w)(?:der|die|das|dem|den|des|ein|eine|einer|einem|eines)\s+(?:[a-zäöü]\w*\s+)?"
                              r"(?P<noun>[A-ZÄÖÜ][\w-]*)")
_WERDEN = re.compile(r"(?<!\w)(?:wurde|wurden|wird|werden|werde|worden|würde|würden)(?!\w)")


def _passive(text: str, start: int, cue: tuple[int, int]) -> bool:
    """Whether the reporting verb is a participle in the passive voice ("wurde betont", "wird … aufgefordert",
    "betont worden"), in its own clause — not "wird X zitiert", whose subject spoke."""
    word = text[cue[0]:cue[1]].lower()
    if not (word.endswith("t") or word.endswith("en") and "ge" in word[:6]) or word in ("sagt", "meint", "heißt", "zitiert"):
        return False
    clause = max(start, *(text.rfind(c, start, cue[0]) + 1 for c in ",;:"))
    after = text[cue[1]:cue[1] + 12]
    return bool(_WERDEN.search(text, clause, cue[0]) or re.match(r"\s+(?:worden|wurde|wurden|werden)\b", after))


_SUBORDINATE = re.compile(r"\s*[„\"»]?(?:Als|Wenn|Nachdem|Obwohl|Weil|Da|Während|Bevor|Seit|Seitdem|Sobald|Falls|Ob|Dass|Wie|"
                          r"Um|Indem|Damit|Sofern|Soweit|Solange|Obgleich|Wo|Was|Wer)\s")
# after a comma, reported speech: a dass-clause, or a main clause with its verb (in the Konjunktiv) among its first
# words — not a relative or other subordinate clause ("…, die getötet worden sein sollen, …")
_REPORTED_CLAUSE = re.compile(r"\s*(?:(dass)\b|(?!(?:als|wenn|weil|da|wo|wie|ob|um|nachdem|bevor|obwohl|während|"
                              r"indem|sodass|so|denen|deren|dessen|welche[rsnm]?|was|wer)\b)(?:[\w„“\"-]+\s+){1,4})")
_ZU_INFINITIVE = re.compile(r"(?:\bzu\s+[a-zäöüß]\w*(?:en|ern|eln)|\b[a-zäöü]{2,}zu[a-zäöüß]{2,}(?:en|ern|eln))"
                            r"(?=\s*(?:[,;:.!?)–—]|$))")  # "zu öffnen", "niederzulegen"


_DASS_OB = re.compile(r"(?:dass|ob)\b")
_DASS_OB_WH = re.compile(r"(?:dass|ob|wie|warum|weshalb|wer|was|wann|wo)\b")


def _opens_report(text: str, start: int, end: int, clause: re.Pattern = _DASS_OB_WH) -> bool:
    """Whether reported speech opens at ``start``: a dass-, ob- (or wh-) clause, the Konjunktiv, or a zu-infinitive."""
    return bool(clause.match(text, start, end)) or _konjunktiv(text, start, end) or _infinitive_clause(text, start, end)


def _second_report(text: str, cues: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """Where a message that opens at ``start`` ends because a second reporting clause follows in the sentence: the
    comma before it and the start of its verb ("…, doch Y erklärte, …", "…, räumte Y ein, …"), or None."""
    for c in cues:
        if c[0] <= start:
            continue
        comma = text.rfind(",", start, c[0])
        if comma < 0 or not re.fullmatch(r",\s*(?:(?:und|doch|aber|sondern|während)\s+[^,;:„“\"»«]{2,60}?\s+)?",
                                         text[comma:c[0]]):
            continue  # the verb opens a clause after the comma, alone or after a conjunction and its subject
        rest = text[c[1]:end]
        m = re.search(r"[,:]\s*", rest)
        if m and rest[:m.start()].count(" ") <= 6 and _opens_report(text, c[1] + m.end(), end, _DASS_OB):
            return (comma, c[0])
    return None


def _infinitive_clause(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` opens with an infinitive clause with "zu" ("…, das Land zu verlassen"), the
    content of a request, a promise, a decision — not one of purpose ("um … zu", "ohne … zu")."""
    if re.match(r"\s*(?:um|ohne|statt|anstatt|als)\b", text[start:end]):
        return False
    stop = _clause_end(text, start, end)
    return bool(_ZU_INFINITIVE.search(text, start, min(end, stop + 1)))


_NOT_VORFELD = frozenset("""am im in an auf aus bei beim nach laut von vom mit für vor seit wegen trotz über unter
durch gegen zu zum zur um ab bis zudem außerdem auch dabei damit dazu daher deshalb darauf darüber gestern heute
morgen nun jetzt später bereits weiter ebenso zuvor zuletzt dann danach inzwischen mittlerweile allerdings jedoch
doch aber und oder denn so es das dies wie wo als wenn dass ob da weil zwar nicht erst schon noch hier dort damals
zunächst anschließend schließlich ferner ebenfalls gleichzeitig erneut seither bislang bisher trotzdem dennoch
deswegen jedenfalls immerhin vielmehr stattdessen vorher nachher dagegen hingegen darin daraufhin""".split())
_DETERMINERS = frozenset("der die das den dem des ein eine einer eines einem sein seine seiner ihr ihre ihrer dessen deren".split())
_VORFELD_PRONOUNS = frozenset({"dieser", "diese", "letzterer", "letztere", "man", "beide", "viele", "einige", "andere"})


_PREPOSITION = re.compile(r"[\s„\"»(]*(?:[Ii]n|[Ii]m|[Aa]us|[Mm]it|[Vv]on|[Vv]om|[Ff]ür|[Bb]ei|[Bb]eim|[Nn]ach|[Üü]ber|[Gg]egen|"
                          r"[Gg]egenüber|[Zz]u|[Zz]um|[Zz]ur|[Vv]or|[Aa]uf|[Aa]n|[Aa]m|[Uu]m|[Ss]eit|[Uu]nter|[Dd]urch|"
                          r"[Nn]eben|[Zz]wischen|[Hh]inter|[Oo]hne|[Dd]ank|[Aa]ngesichts|[Ww]ährend|[Ww]egen|[Tt]rotz|"
                          r"[Zz]usammen\s+mit|[Ll]aut|[Bb]ezüglich|[Hh]insichtlich|[Aa]ufgrund|[Ii]nfolge|[Aa]nlässlich|"
                          r"[Gg]emäß|[Ee]ntgegen|[Ii]nnerhalb|[Aa]ußerhalb|[Ss]eitens|[Mm]ittels|[Bb]is)\s")
_AUXILIARY = re.compile(r"(?<![\w-])(?:hat|hatte|haben|hatten|habe|hätte|hätten|ist|war|sind|waren|sei|seien|wird|wurde|"
                        r"werden|wurden|würde|würden|kann|konnte|könne|können|konnten|soll|sollte|sollen|sollten|will|"
                        r"wollte|wollen|wollten|muss|musste|müssen|mussten|darf|durfte|dürfen)(?![\w-])")


_APPOSITIVE = re.compile(r"\s*(?:[^\s,]+\s+){0,5}[^\s,]+\s*(?:,\s*[^\s,]+(?:\s+[^\s,]+){0,9}\s*,|\([^()]{1,60}\))\s*")


def _appositive(lead: str) -> bool:
    """Whether a phrase before the verb is a short noun phrase with an apposition or a party in brackets ("Henning
    Scherf (SPD)", "Karl-Theodor zu Guttenberg, Obmann der Fraktion,"): the subject, not an object."""
    m = _APPOSITIVE.fullmatch(lead)
    if m is None or _PREPOSITION.match(lead):
        return False
    inner = lead[lead.find(",") + 1:].lstrip() if "," in lead else ""
    return not (_RELATIVE.match(inner) or _CONJUNCTION.match(inner))  # not "Der Bericht, der … wurde,"


_AFTER_VERB = re.compile(r"\s+(?:(?:der|die|das)\s+)?[„\"»]([^„“\"»«]{2,40})[“\"«]|\s+(dieser|diese|letzterer|letztere)(?!\w)")
_MAN_AFTER = re.compile(r"\s+man(?!\w)")  # "so glaubt man": the subject "man" after the verb
_MAN_BEFORE = re.compile(r"(?<!\w)[Mm]an\s+(?:\w+\s+){0,2}$")  # "man befürchtete"
_PAREN = re.compile(r"\([^()]{1,60}\)")


def _opening(text: str, start: int, end: int) -> int:
    """The first offset in ``text[start:end]`` that is not white space (``end`` when there is none)."""
    return start + len(text[start:end]) - len(text[start:end].lstrip())


def _blank(m: re.Match) -> str:
    return " " * len(m.group(0))

# the finite verb right before a phrase (an auxiliary, or a word in -t/-te/-ten not after an article), with a
# reflexive or an adverb between: "… gibt ROG", "… hält sich Gall", "… hatte nun Steinbrück"
_INVERTED_SUBJECT = re.compile(r"(?<![\w-])(?<!der )(?<!die )(?<!das )(?<!den )(?<!dem )(?<!des )(?<!ein )(?<!eine )"
                               r"(?:[a-zäöüß]+(?:t|te|ten)|war|wird|kann|muss|will|soll)"
                               r"(?:\s+(?:sich|nun|jedoch|aber|auch|zudem|dabei|damit|jetzt|bereits|erneut))?\s+$")


# "hat sich Jeb Bush, der frühere Gouverneur Floridas, für Romney ausgesprochen": an apposition right after the subject
_APPOSITION_AFTER_SUBJECT = re.compile(r"\s*(?:sich\s+)?(?:[A-ZÄÖÜ][\w.-]*\s+){1,3}?[A-ZÄÖÜ][\w.-]*,\s*(?:der|die|das)\s+[^,]+,")


def _finite(text: str, start: int, cue: tuple[int, int]) -> tuple[int, int] | None:
    """The finite verb of the main clause that opens at ``start`` and holds the reporting verb ``cue``: an auxiliary
    or modal before it ("Lisa Brandt hat … erklärt"), else the verb itself — None when the clause does not read as
    a main clause with one phrase before its verb (a comma before the verb other than around an apposition)."""
    aux = _AUXILIARY.search(text, start, cue[0])
    between = _PAREN.sub(_blank, text[aux.end():cue[0]]) if aux is not None else ""
    outside = between[:between.find(",")] + between[between.rfind(","):] if between.count(",") == 2 else between
    if re.search(r"\bund\b|\boder\b", outside) or between.count(",") not in (0, 2) \
            or between.count(",") == 2 and not (between.rstrip().endswith(",") or _APPOSITION_AFTER_SUBJECT.match(between)):
        aux = None  # not the auxiliary of this verb: "Es ist …, und sie meint" (but an apposition: "hatte X, Y, erklärt")
    fin = aux.span() if aux else cue
    lead = _PAREN.sub(_blank, text[start:fin[0]])  # "Henning Scherf (SPD), …": the party aside
    open_apposition = lead.count(",") == 1 and re.fullmatch(r"[^,]+,\s*(?:[A-ZÄÖÜ][\w.-]*\s+){2,3}", lead)
    if not lead.strip() or lead.count(",") not in (0, 2) and not open_apposition \
            or lead.count(",") == 2 and not lead.rstrip().endswith(","):  # ("Der Weihbischof, Gerhard Wagner hat")
        return None
    if re.search(r"[;:(–—]|\s-\s", lead) or _SUBORDINATE.match(lead) or re.match(r"\s*[Ww]ie\s", lead) \
            or re.search(r"\b(?:und|oder|aber|sondern)\s+(?:\w+\s+)?$", lead):
        return None  # also a verb after another one: "X zog durch die Stadt und skandierte …"
    if aux is not None and not _WORD.fullmatch(text, aux.end() + 1, aux.end() + 2) and \
            _cues(text, start, aux.start()):
        return None
    return fin


def _vorfeld(text: str, start: int, end: int) -> _Speaker | None:
    """The phrase before the finite reporting verb when nothing recognised stands there: "Internationale Medien
    klagten, …", "Die Universität erklärt, …", "Dieser bestätigte, …" — a short noun phrase, not an adverbial."""
    wie = re.match(r"\s*[Ww]ie\s+", text[start:end])  # "Wie X berichtet, …"
    start += wie.end() if wie else 0
    seg = text[start:end]
    quoted = re.fullmatch(r"\s*(?:(?:der|die|das|dem|den)\s+)?[„\"»]([^„“\"»«]{2,40})[“\"«]\s*", seg)
    if quoted:  # 'Wie „heise online“ berichtet', 'laut „Tagesspiegel“': a quoted name
        return _Speaker(start + quoted.start(1), start + quoted.end(1), quoted.group(1))
    rel = re.match(r"([^,]+),\s*(?:der|die|das|welcher|welche)\s[^,]*,\s*$", seg)
    if rel:  # "C.Y. Leung, der am Montag in Guandong war, sagte": the phrase before the relative clause
        seg = rel.group(1)
    lead = len(seg) - len(seg.lstrip(" \"„»(–—-"))
    seg = seg.strip()
    words = seg.split()
    if not 1 <= len(words) <= 8 or any(c in seg for c in ",;:?!\n„“»«\"") or re.search(r"\.(?!\w|\s+[A-ZÄÖÜ])", seg):
        return None
    first, last = words[0].lower().strip("\"„“»«"), words[-1].strip("\"„“»«()")
    if first in _NOT_VORFELD and not (first == "das" and len(words) > 1) \
            or not (words[0][0].isupper() or first in _DETERMINERS and len(words) > 1):
        return None  # (but "Das staatliche Fernsehen berichtete": "das" as an article)
    if not (last[:1].isupper() and last.replace("-", "").isalpha()
            or len(words) == 2 and first in _DETERMINERS and re.fullmatch(r"[a-z]{2,4}", last)  # "Die taz vermutet"
            or last.lower() in _VORFELD_PRONOUNS and len(words) == 1):
        return None
    a = start + lead
    return _Speaker(a, a + len(seg), seg)


# --- cues -------------------------------------------------------------------------------------------------------

class _Words:
    """The words of one text (``_WORD``), once: their spans, their lower-case forms without a final full stop, and
    which of them could be a reporting verb or a Konjunktiv — ``_cues`` and ``_konjunktiv`` are asked about many
    spans of the same text and look only at those."""

    __slots__ = ("text", "starts", "ends", "lows", "cue_at", "konj_at")

    def __init__(self, text: str) -> None:
        vocab = vocabulary()
        self.text = text
        found = list(_WORD.finditer(text))
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]
        self.lows = [m.group(0).rstrip(".").lower() for m in found]
        cues, particles, konjunktiv = vocab.cues, vocab.particles, vocab.konjunktiv
        self.cue_at = [i for i, w in enumerate(self.lows) if w in cues or w in particles or w == "so"]
        self.konj_at = [i for i, w in enumerate(self.lows) if w in konjunktiv]

    def among(self, at: list[int], start: int, end: int) -> list[int]:
        """The words of ``at`` that start in ``[start, end)``."""
        starts = self.starts
        lo = bisect_left(at, bisect_left(starts, start))
        hi = bisect_left(at, bisect_left(starts, end))
        return at[lo:hi]


_LAST = threading.local()  # per thread: the words of the text asked about last


def _words_of(text: str) -> _Words:
    words = getattr(_LAST, "words", None)
    if words is None or words.text is not text:
        words = _LAST.words = _Words(text)
    return words


def _noun_inside(text: str, start: int, w_start: int) -> bool:
    """A capitalised word inside a sentence is a noun ("zum Teil"), not a verb."""
    return text[w_start].isupper() and text[max(start, w_start - 2):w_start].strip(" „\"»") not in ("", ".", ":")


def _cues(text: str, start: int, end: int, final: bool = False) -> list[tuple[int, int]]:
    """Spans of reporting verbs in ``text[start:end]`` (a separable verb counts only with its particle; a verb that
    ends the sentence only in a wie-clause, or with ``final``)."""
    vocab = vocabulary()
    words = _words_of(text)
    out = []
    for i in words.among(words.cue_at, start, end):
        w_start, w_end = words.starts[i], min(words.ends[i], end)
        if _noun_inside(text, start, w_start):
            continue
        group = text[w_start:w_end]
        word = words.lows[i] if w_end == words.ends[i] else group.rstrip(".").lower()
        if word.endswith(("te", "ten", "tes", "tem", "ter")) and _ATTRIBUTIVE.search(text, start, w_start) \
                and re.match(r"\s+[A-ZÄÖÜ]", text[w_end:w_end + 2]):
            continue  # a participle as an adjective: "wegen wiederholten Fouls", "der erwarteten Zahl"
        if word == "so" and not (
                re.match(r"\s+(?:[A-ZÄÖÜ]|[a-zäöü]+-[A-ZÄÖÜ]|(?:der|die|das|ein|eine|sein|seine|ihr|ihre)\s)",
                         text[w_end:w_end + 24])
                and (group == "So" or re.search(r"[,–—-]\s*$", text[max(start, w_start - 3):w_start]))):
            continue  # "so" attributes only before a name or phrase, right after a comma: "…“, so Rutte."
        if word in _HEISST + ("heißen", "hießen") and not re.search(
                r"(?<!\w)[Ee]s\s[^,;:!?]*$", text[max(start, w_start - 80):w_start]) and not re.match(r"\s+es(?!\w)", text[w_end:w_end + 4]):
            continue  # "Der Sieger heißt Jan Berg": a name, not "heißt es"
        if word in ("nennt", "nannte", "nennen", "nannten") and re.match(r"\s+(?:sich|man)(?!\w)", text[w_end:w_end + 6]):
            continue  # "Dann nennt sie sich „…“", "Rosinenbomber nannte man …": a name, no speech
        if word in vocab.cues:
            if len(word) < len(group) and not final and not _WIE_CLAUSE.search(text, start, w_start):
                continue  # a verb that ends the sentence reports only in "…, wie X mitteilte."
            out.append((w_start, w_start + len(word)))
        elif word in vocab.particles:
            clause_end = _clause_end(text, w_end, end)
            closing = text[w_end:min(end, clause_end + 1)]
            # the particle closes the clause — or the sentence, after an apposition: "Dies teilte Jan Berg, der
            # Sprecher der Stadt, mit."
            tail = text[w_end:end]
            before = text[max(start, w_start - 20):w_start]
            if any(before.endswith(" " + p + " ") for p in vocab.particles[word]) and (
                    _WIE_CLAUSE.search(text, start, w_start) or _SUBCLAUSE.search(text, start, w_start)):
                out.append((w_start, w_start + len(word)))  # "Wie die Polizei bekannt gab, …": the particle first
            elif any(re.search(r"(?<!\w)" + re.escape(p) + r"\s*(?:[,;:.!?\"“”»«]|$)", closing) or
                   tail.count(",") <= 2 and re.search(r",\s+(?:[^,]+\s)?" + re.escape(p) + r"\s*[.!?]?\s*$", tail)
                   for p in vocab.particles[word]):
                out.append((w_start, w_end))
    return out


_ATTRIBUTIVE = re.compile(r"(?<!\w)(?:der|die|das|den|dem|des|ein|eine|einer|einem|eines|einen|wegen|trotz|mit|"
                          r"nach|von|vom|bei|beim|zu|zum|zur|aus|für|gegen|über|unter|seine[nmrs]?|ihre[nmrs]?)\s+$",
                          re.I)
_WIE_CLAUSE = re.compile(r"(?:^|[,;:.!?]\s*|\s[–—-]\s*)[Ww]ie\s[^,;:.!?–—]*(?:,[^,;:.!?–—]*,[^,;:.!?–—]*)?$")


def _clause_end(text: str, start: int, end: int) -> int:
    m = _CLAUSE_END.search(text, start, end)
    return m.start() if m else end


_CLAUSE_END = re.compile(r"[,;:!?]|\.(?!\w)")  # not the dot in "space.com", "z.B.", "3.000"


def _konjunktiv(text: str, start: int, end: int, strict: bool = False, second: bool = False) -> bool:
    """Whether the span has a verb in the Konjunktiv (``strict``: Konjunktiv I only, not after "ich"; ``second``:
    a Konjunktiv II that is never indicative, "hätten", "wäre")."""
    vocab = vocabulary()
    forms = vocab.konjunktiv2 if second else vocab.konjunktiv1 if strict else vocab.konjunktiv
    words = _words_of(text)
    for i in words.among(words.konj_at, start, end):
        w_start, w_end = words.starts[i], words.ends[i]
        word = words.lows[i] if w_end <= end else text[w_start:end].rstrip(".").lower()
        if word not in forms or _noun_inside(text, start, w_start):
            continue
        if strict:  # the word before (nouns inside the sentence skipped): not "ich habe", "ich werde" (indicative)
            j = i - 1
            while j >= 0 and words.starts[j] >= start and _noun_inside(text, start, words.starts[j]):
                j -= 1
            if j >= 0 and words.starts[j] >= start and words.lows[j] in ("ich",):
                continue
        return True
    return False


# --- direct speech ----------------------------------------------------------------------------------------------

def _direct_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the content of every top-level quotation, marks excluded."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        base, pos = pos, pos + len(line) + 1
        opened: tuple[int, str] | None = None
        for m in _MARKS.finditer(line):
            ch, i = m.group(0), m.start()
            if opened is None:
                after = line[i + 1:i + 2]
                if ch in _CLOSERS and after and not after.isspace() or ch in "„»«" and after:
                    opened = (i, _CLOSERS.get(ch, ""))
                continue
            if ch in opened[1]:
                spans.append((base + opened[0] + 1, base + i))
                opened = None
            elif ch == "„" and i - opened[0] > 1:  # a new opening mark: the previous quote never closed
                spans.append((base + opened[0] + 1, base + i))
                opened = (i, _CLOSERS[ch])
        if opened is not None and len(line) - opened[0] > 1:
            spans.append((base + opened[0] + 1, base + len(line.rstrip())))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, min(b, a + MAX_QUOTE)))
    return out


def _phrase_quoted(fragment: str) -> bool:
    """Whether a quoted fragment reads as words someone said ("überzogen", "eine Zeitungsente"), not as a name or
    title ("Die Linke", "Reporter ohne Grenzen", "Grand Theft Auto")."""
    words = fragment.split()
    if not words or not words[0][:1].isalpha():
        return False
    if words[0][0].islower():
        return True
    capitalised = sum(w[0].isupper() for w in words)
    return len(words) >= 3 and capitalised * 2 <= len(words)


_GERMAN = re.compile(r"[äöüßÄÖÜ]|(?<!\w)(?:der|die|das|den|dem|des|und|ist|sind|nicht|ein|eine|einen|einer|zu|mit|"
                     r"für|von|auf|im|in|sich|es|wir|ich|auch|noch|wie|als|aber|oder|sein|seine|ihre|wird|werden|kein|"
                     r"keine|sehr|nur|so)(?!\w)")


def _german(fragment: str) -> bool:
    """Whether a quoted fragment has a German word in it (an umlaut or a function word): not "summa cum laude"."""
    return _GERMAN.search(fragment) is not None


def _words(text: str) -> int:
    return len(_WORD.findall(text))


# --- the stage --------------------------------------------------------------------------------------------------

def extract(doc: Document) -> list[Quote]:
    text = doc.text
    ctx = _Context(doc)
    sents = sentences(text)
    direct = _direct_spans(text)
    quotes: list[tuple[Quote, int]] = []  # with the index of the sentence where the quote ends

    ends = [b for _, b in sents]

    def sentence_index(offset: int) -> int:  # the sentence holding the offset, or the next one after it
        return min(bisect_right(ends, offset), len(sents) - 1)

    def speaker_of(span: tuple[int, int], cue: tuple[int, int] | None, inverted: bool) -> _Speaker | None:
        heisst = cue is not None and text[cue[0]:cue[1]].lower() in _HEISST  # "heißt es in dem Bericht"
        passive = cue is not None and not heisst and _passive(text, span[0] if not inverted else cue[0], cue)
        if heisst or passive:
            # "Es wurde von seinem Sohn die Vermutung geäußert, …", "hieß es vom Sprecher": the agent speaks
            where = next((w for w in _WHERE.finditer(text, span[0], span[1])
                          if not _LED_BY.search(text, max(0, w.start() - 12), w.start())  # "unter der Führung von X"
                          and (prep := w.group("prep").lower()) in ("von", "vom", "durch")
                          or heisst and (prep in ("bei", "beim") or prep == "aus" and (
                              w.start() > cue[0] or not text[span[0]:w.start()].strip()))  # "Aus Paris hieß es"
                          or (heisst or _DOCUMENT.search(next(x for x in w.group("np").split() if x[0].isupper())))
                          and prep in ("in", "im", "auf")), None)
            if where:  # "In der Erklärung heißt es", "In einer Mitteilung wird gefordert"
                names = sorted((c for c in ctx.speakers(*where.span("np")) if c.name),
                               key=lambda c: not ctx.is_mention(c))  # the name, not the role before it
                return _Speaker(where.start("np"), where.end("np"),
                                names[0].name if names else where.group("np"))
            rel = re.search(r"[,(]\s*(?:in|aus|nach)\s+(?:der|dem|denen|welche[mr])\s+es\s+$", text[span[0]:cue[0]])
            if heisst and rel:  # "eine Erklärung, in der es heißt, …": the phrase before speaks
                return speaker_of((span[0], span[0] + rel.start()), None, inverted=False)
            return None  # "…, heißt es.", "Bisher hieß es, …", "Er wurde aufgefordert, …": nobody named
        if cue is not None and not text[cue[0]:cue[1]].lower().startswith("zitier") and (
                _MAN_AFTER.match(text, cue[1]) or not inverted and _MAN_BEFORE.search(text, max(span[0], cue[0] - 30),
                                                                                      cue[0])):
            return None  # "so glaubt man", "man befürchtete": nobody named
        wie = re.match(r"[\s„\"»]*[Ww]ie\s+(?=[^,;:]*$)", text[span[0]:cue[0]]) \
            if cue is not None and not inverted and span[0] < cue[0] else None
        if wie:  # "Wie „heise online“ berichtet, sperrten …": the speaker stands between "wie" and the verb
            inner = speaker_of((span[0] + wie.end(), cue[0]), cue, inverted=False)
            if inner is not None:
                return inner
        if cue is not None and not inverted and span[0] < cue[0]:
            # where the verb's own clause opens: after the last ", und" (", doch", …), else after the last comma
            # when a noun phrase follows it ("…, andere Quellen berichten, dass …")
            joined = next(reversed([*_JOINED_CLAUSE.finditer(text, span[0], cue[0])]), None)
            comma = text.rfind(",", span[0], cue[0])
            clause = joined.end() if joined is not None else comma + 1 if comma > span[0] and _NEW_SUBJECT.match(
                text, comma + 1, cue[0]) else None
            if clause is not None and not re.search(r"[–—;:]|\s-\s", text[clause:cue[0]]):
                if any(c.start >= clause for c in ctx.speakers(clause, cue[0])):
                    # "X stufte das Gesetz ein, und UNICEF rief Russland auf, …": the clause of the verb speaks
                    span = (clause, span[1])
                elif joined is None and (np := re.fullmatch(r"\s*((?:\S+\s+){1,2}[A-ZÄÖÜ][\w-]+)\s*", text[clause:cue[0]])) \
                        and _speaker_noun(np.group(1).split()[-1], strict=True):
                    # "…, wurde er festgenommen, andere Quellen berichten, dass …": a phrase the tagger missed
                    return _Speaker(clause + np.start(1), clause + np.end(1), np.group(1))
            if _CLAUSE_VORFELD.fullmatch(text, span[0], cue[0]):
                # "Warum die Wahl auf Dudschail fiel, begründete das Sondertribunal damit, dass …": a clause opens
                # the sentence, the subject follows the verb
                nxt = next((c for c in ctx.speakers(cue[1], span[1]) if not _oblique(text, c.start)), None)
                if nxt is not None and re.fullmatch(r"\s+(?:sich\s+)?", text[cue[1]:nxt.start]):
                    return nxt
            und = re.search(r"\s(?:und|sowie)\s+$", text[span[0]:cue[0]])
            if und:  # "Die Schülerin wollte das nicht akzeptieren und gab vor, …": the subject of the first verb
                first = subject(span[0], span[0] + und.start(), loose=True)
                if first is not None:
                    return first
            sub = _SUBCLAUSE.search(text, span[0], cue[0]) if _VERB_LAST.match(text, cue[1]) else None
            if sub is not None:  # the verb ends a subordinate clause: its subject is in that clause
                inner = speaker_of((sub.end(), cue[0]), cue, inverted=False) if sub.end() < cue[0] else None
                if inner is not None and not (sub.group("rel") and _OBLIQUE_PHRASE.match(text, inner.start)):
                    return inner
                if sub.group("rel") and sub.group("rel").lower() in ("der", "die", "das", "welcher", "welche"):
                    # "…, der der Regierung vorwarf, …": the relative pronoun speaks for the phrase before it
                    head = speaker_of((span[0], sub.start()), None, inverted=False)
                    return _Speaker(sub.start("rel"), sub.end("rel"), head.name if head else None)
        cands = [c for c in ctx.speakers(*span) if not _oblique(text, c.start)
                 and not _OBLIQUE_PHRASE.match(text, c.start)]
        places = ctx.spans["LOC"]
        fin = _finite(text, span[0], cue) if cue is not None and not inverted else None
        if any((c.start, c.end) not in places for c in cands):  # a place speaks only when nothing else can
            # (or when it opens a main clause before the verb: "Das Weiße Haus verlangte einen Rückzug der Truppen")
            lead_place = next((c for c in cands if (c.start, c.end) in places and re.fullmatch(
                r"[\s„\"»]*(?:(?:Der|Die|Das)\s+)?", text[span[0]:c.start])), None)
            cands = [c for c in cands if (c.start, c.end) not in places]
            if lead_place is not None and cue is not None and not inverted and lead_place.end <= cue[0] \
                    and not any(c.start < cue[0] for c in cands) and fin is not None:
                return lead_place
        if cue is None:
            return cands[-1] if cands else None
        if inverted:  # "…, sagte Rutte." — the mention after the verb
            after = [s for s in cands if s.start >= cue[1]]
            if after or cands:
                return after[0] if after else cands[-1]
            # '„…“, schreibt die „Computerwoche“', '„…“, so letztere': a quoted name or a pronoun after the verb
            m = _AFTER_VERB.match(text, cue[1], cue[1] + 50)
            g = 1 if m and m.group(1) else 2
            return _Speaker(m.start(g), m.end(g), m.group(1)) if m else None
        if not cands and fin is None:
            return _vorfeld(text, span[0], cue[0])
        if fin is not None:  # a main clause with its finite verb second: the subject opens it or follows the verb
            vf = [c for c in cands if c.end <= fin[0]]
            comma = text.find(",", span[0], fin[0])
            if comma > 0 and _RELATIVE.match(text[comma + 1:fin[0]].lstrip()):
                vf = [c for c in vf if c.end <= comma]  # "X, der in der Provinz Y war, sagte": not Y
            if _PREPOSITION.match(text, span[0]):
                vf = []  # "Bei einem Treffen der Minister sagte X": a prepositional phrase opens the clause
            nxt = [c for c in cands if c.start >= fin[1]]
            # "X, Obmann der Fraktion, warf der LINKEN vor": a phrase with an apposition before the verb is its subject
            appositive = _appositive(text[span[0]:fin[0]])
            if vf and nxt and nxt[0].start - fin[1] <= 1 and (text[nxt[0].start:nxt[0].end] == "er" or (
                    not ctx.is_mention(vf[0]) and not can_speak(vf[0], pronoun=False) and not appositive
                    and (ctx.is_mention(nxt[0]) or text[nxt[0].start:nxt[0].end] == "sie"))):
                # ("er" right after the verb is always its subject: "Die Arbeit der Koalition lobte er")
                return nxt[0]  # "Die Tat bezeichnete er als sinnlos": an object opens the clause, the subject follows
            if vf:
                head = vf[0]
                role = re.fullmatch(r"[\s„\"»(]*([A-ZÄÖÜ][\w-]+)\s+", text[span[0]:head.start])
                if role and ctx.is_mention(head) and _speaker_noun(role.group(1).split("-")[-1], strict=True):
                    return _Speaker(span[0] + role.start(1), head.end, head.name)  # "Bürgermeisterin Lisa Brandt"
                if text[span[0]:head.start].strip(" ,;:–—-(\"„»") and len(vf) > 1:
                    named = [s for s in vf if ctx.is_mention(s) and (s.start, s.end) not in places]
                    return named[-1] if named else vf[-1]
                if len(vf) > 1 and not ctx.is_mention(head) and ctx.is_mention(vf[1]) \
                        and not text[head.end:vf[1].start].strip():
                    return _Speaker(head.start, vf[1].end, vf[1].name)  # "Der ukrainische Präsident Selenskyj"
                return head
            pron = re.match(r"\s+(er|sie|es|niemand|jemand|dieser|diese|beide)\b", text[fin[1]:fin[1] + 12])
            if pron:  # "Hier stellte es fest", "Damals dachte niemand"
                a = fin[1] + pron.start(1)
                person = ctx.last_person(a) if pron.group(1) in ("er", "sie") else None
                return _Speaker(a, fin[1] + pron.end(1), person[2] if person else None)
            mf = [c for c in cands if c.start >= fin[1] and (fin == cue or c.end <= cue[0])]
            opener = _vorfeld(text, span[0], fin[0]) if mf and not _PREPOSITION.match(text, span[0]) and not (
                mf[0].start - fin[1] <= 1 and ctx.is_mention(mf[0])) else None  # not "Eine X bezeichnete Conze als …"
            if opener is not None and len(opener_words := text[opener.start:opener.end].split()) > 1 \
                    and opener_words[0].lower() in ("der", "die", "das", "ein", "eine") \
                    and not any(w.lower() in _NOT_VORFELD for w in opener_words[1:]):
                return opener  # "Das Weiße Haus verlangte einen Rückzug der Truppen": a phrase the tagger missed
            if mf:  # "Am Montag hat Jan Berg Otto Kern gebeten": the first mention after the verb
                return mf[0]
            role = _ROLE_AFTER_VERB.match(text, fin[1], cue[0] if cue[0] > fin[1] else span[1])
            if role and (_speaker_noun(role.group(1).split("-")[-1], strict=True) or _DOCUMENT.search(role.group(1))):
                # "Am Montag äußerte sich Vatikansprecher Navarro-Valls dahingehend, …": a role the tagger missed
                return _Speaker(role.start(1), role.end(), text[role.start(1):role.end()])
            es = re.fullmatch(r"\s*(Es)\s*", text[span[0]:fin[0]])
            if es and fin == cue:  # "Es weist den Vorwurf zurück, …": "es" stands for a body named before
                return _Speaker(span[0] + es.start(1), span[0] + es.end(1), None)
            return None if _PREPOSITION.match(text, span[0]) else _vorfeld(text, span[0], fin[0])
        before = [s for s in cands if s.end <= cue[0]]
        after = [s for s in cands if s.start >= cue[1]]
        if before and after and after[0].start - cue[1] <= 1 and not ctx.is_mention(before[0]) \
                and not _appositive(text[span[0]:cue[0]]) \
                and (ctx.is_mention(after[0]) or text[after[0].start:after[0].end] in ("er", "sie")):
            return after[0]  # "Die Tat bezeichnete er als sinnlos": an object opens the clause, the subject follows
        if len(before) > 1:
            # the subject: the phrase that opens the clause (Vorfeld), else the last named mention before the verb
            # ("Senator Jim DeMint hat eine Gesetzesinitiative angekündigt")
            if not text[span[0]:before[0].start].strip(" ,;:–—-(\"„»"):
                head, nxt = before[0], before[1]
                if not ctx.is_mention(head) and ctx.is_mention(nxt) and not text[head.end:nxt.start].strip():
                    return _Speaker(head.start, nxt.end, nxt.name)  # "Der ukrainische Präsident Wolodymyr Selenskyj"
                return head
            named = [s for s in before if ctx.is_mention(s) and (s.start, s.end) not in places]
            return named[-1] if named else before[-1]
        return before[-1] if before else (after[0] if after else None)

    def subject(a: int, b: int, loose: bool = False) -> _Speaker | None:
        """The subject of the main clause in ``text[a:b]`` when it can speak: the first mention in the clause (before
        or right after its verb), not one after a preposition, not a place. ``loose``: the clause reports (a dass-
        clause or the Konjunktiv follows), so a noun phrase that opens it speaks whatever its noun ("Der dortige
        Kassationsgerichtshof hatte entschieden, dass …"), and the subject may follow a longer adverbial."""
        first = _clause_end(text, a, b)
        if _SUBORDINATE.match(text, a):
            return None
        if text[first:first + 1] == "," and _words(text[a:first]) <= 6 and _DET_OPENS.match(text, a, first):
            # "Der ältere Bruder des Papstes, Georg Ratzinger, war …": the name in the apposition
            name = next(iter(ctx.speakers(first + 1, b)), None)
            if name is not None and (name.start, name.end) in ctx.spans["PER"] \
                    and not text[first + 1:name.start].strip() and text[name.end:name.end + 1] == ",":
                return name
        agent = re.match(r"[\s„\"»]*(?:Von|Vom)\s+", text[a:first])
        if agent and _WERDEN.search(text, a, first):  # "Von politischen Beobachtern wird der Schritt gewertet"
            by = next((c for c in ctx.speakers(a + agent.end(), first) if c.start <= a + agent.end() + 30), None)
            if by is not None and can_speak(by, pronoun=False):
                return by
        cands = [c for c in ctx.speakers(a, first) if not _oblique(text, c.start)
                 and not _OBLIQUE_PHRASE.match(text, c.start) and (c.start, c.end) not in ctx.spans["LOC"]]
        if cands and _words(text[a:cands[0].start]) > (6 if loose else 4):
            # a long adverbial opens the clause, the subject follows its finite verb ("Trotz gesunkener Zahlen
            # gibt ROG keine Entwarnung", "Mit Kritik an … hält sich Gall zurück")
            inverted = _INVERTED_SUBJECT.search(text, max(a, cands[0].start - 40), cands[0].start)
            return cands[0] if inverted and ctx.is_mention(cands[0]) else None
        if not cands:
            return None
        if len(cands) > 1 and not ctx.is_mention(cands[0]) and ctx.is_mention(cands[1]) \
                and not text[cands[0].end:cands[1].start].strip():  # "Die Ärztin Lena Hoff": role and name
            return _Speaker(cands[0].start, cands[1].end, cands[1].name)
        if loose and not text[a:cands[0].start].strip(" „\"»(") and not ctx.is_mention(cands[0]):
            head = text[cands[0].start:cands[0].end].split()[-1]
            if _speaker_noun(head) and not _PRONOUN.fullmatch(head):
                return cands[0]
        return cands[0] if can_speak(cands[0]) else None

    def reporter(k: int) -> _Speaker | None:
        """Who speaks in sentence ``k`` through a reporting verb with no clause ("Die Forderungen wurden von
        Minister X als unrealistisch bezeichnet"), when it can speak and has a name."""
        said = next(iter(_cues(text, *sents[k], final=True)), None)
        who = speaker_of(sents[k], said, inverted=False) if said is not None else None
        # (a noun phrase that opens the clause speaks by its verb, whatever its noun, unless it names a thing:
        # "Die Schutzgemeinschaft der Kapitalanleger forderte …")
        if who is None or not who.name:
            return None
        words = text[who.start:who.end].split()
        head = words[1] if len(words) > 1 and words[0].lower() in _DETERMINERS else words[0]
        return who if can_speak(who) or _speaker_noun(head) else None

    def can_speak(spk: _Speaker, pronoun: bool = True) -> bool:
        """A recognised person, organisation or nominal mention, a pronoun, or a phrase headed by a speaker noun."""
        return ctx.is_mention(spk) or pronoun and text[spk.start:spk.end] in ("er", "sie", "Er", "Sie") or any(
            _speaker_noun(w, strict=True) for w in text[spk.start:spk.end].split() if w[:1].isupper())

    def add(a: int, b: int, kind: str, spk: _Speaker | None, cue: tuple[int, int] | None) -> None:
        while b > a and text[b - 1] in (" .,;:" if kind == "indirect" else " ,;:"):
            b -= 1
        if b <= a:
            return
        quotes.append((Quote(start=a, end=b, text=text[a:b], kind=kind,
                             speaker=spk.name if spk else None, speaker_start=spk.start if spk else None,
                             speaker_end=spk.end if spk else None, cue=text[cue[0]:cue[1]] if cue else None),
                       sentence_index(b - 1)))
        if spk is not None and spk.name:
            ctx.last_speaker = spk

    # direct speech, in text order
    prev_end = 0
    phrases: list[tuple[int, int, int, int]] = []
    embedded: list[tuple[int, int]] = []  # quoted phrases inside a sentence: part of any indirect speech around them
    for k, (a, b) in enumerate(direct):
        s_index = sentence_index(a)
        s_start, s_end = sents[s_index] if sents else (0, len(text))
        nxt = direct[k + 1][0] - 1 if k + 1 < len(direct) else len(text)
        e_index = sentence_index(b)
        after_end = min(sents[e_index][1] if sents else len(text), nxt)
        after = (b + 1, max(b + 1, after_end))
        before = (max(s_start, prev_end), max(a - 1, max(s_start, prev_end)))
        prev_end = b + 1
        lead = text[before[0]:before[1]].rstrip()
        spk, cue = None, None
        cues_after = _cues(text, *after) or (_cues(text, *after, final=True) if text[after[0]:after[0] + 1] == ","
                                             else [])  # "„…“, wird Panetta zitiert."
        shown = re.match(r"\s*,\s*((?:zeigte|zeigten|gab|gaben)\s+sich)\s", text[after[0]:after[1]])
        if not cues_after and shown:  # "„…“, zeigte sich Rajevac zufrieden.": an attitude after direct speech
            cues_after = [(after[0] + shown.start(1), after[0] + shown.end(1))]
        if cues_after and (re.match(r"^[\s,–—-]*$", text[after[0]:cues_after[0][0]]) or re.match(
                r"^\s*,\s*(?:wird|wurde)\s+[^,.;:!?„“\"]{2,60}$", text[after[0]:cues_after[0][0]])  # „…“, wird X zitiert
                and text[cues_after[0][0]:cues_after[0][1]].startswith("zitiert")) and (
                not lead or re.search(r"[,–—-]", text[after[0]:cues_after[0][0]]) or text[b - 1] in ".!?"
                or _words(text[a:b]) >= 6):  # not a phrase inside a clause: "der den Sieg als „Fest“ bezeichnete"
            cue = cues_after[0]  # „…“, sagte X.
            spk = speaker_of(after, cue, inverted=True)
        elif lead.endswith((":", ",")) or not lead:
            cues_before = _cues(text, *before)
            if cues_before:  # X sagte: „…“
                cue = cues_before[-1]
                spk = speaker_of(before, cue, inverted=False)
            elif lead.endswith(":"):  # "Rutte: „…“" and headlines; "BKA-Präsident Ziercke: „…“" (a name the
                # tagger missed: the short phrase before the colon)
                # a clause before the colon: its subject, the first mention that can speak in its first part
                # ("Der Minister zeigte sich besorgt, dass die Fehden …: „…“"), else the mention right before
                first = _clause_end(text, before[0], before[1])
                owner = _OWNER.match(text, before[0], first)
                if owner:  # "Das Fazit von Sandra Boser überrascht nicht: „…“": whose words these are
                    spk = next((c for c in ctx.speakers(owner.end(), first) if c.start == owner.end()), None)
                opener = spk or next((c for c in ctx.speakers(before[0], first) if not _oblique(text, c.start)
                               and not _OBLIQUE_PHRASE.match(text, c.start) and (c.start, c.end) not in ctx.spans["LOC"]
                               and not _GENITIVE.search(text, max(0, c.start - 40), c.start) and can_speak(c)), None)
                spk = opener or speaker_of(before, None, inverted=False) or \
                    _vorfeld(text, before[0], before[0] + len(lead) - 1)
        n = _words(text[a:b])
        sentence_like = n >= 8 or (n >= 4 and text[b - 1] in ".!?…")
        # a whole sentence after a colon is speech even when the clause before names no one ("Seine Zuversicht
        # gründet auf der Erfahrung: „…“")
        colon = lead.endswith(":") and sentence_like
        if spk is None and cue is None and not lead and s_index > 0 and (not quotes or quotes[-1][1] < s_index - 1) \
                and sents[s_index - 1][1] <= a:
            # "Sadiq Khan, …, verurteilte die Haltung der Regierung. „Ob wir es mögen oder nicht, …“": a quotation
            # standing alone after a sentence that is none speaks for that sentence's subject, when it is a person
            spk = subject(*sents[s_index - 1])
            if spk is not None and not any(spk.start <= x < spk.end for x, _ in ctx.spans["PER"] | ctx.spans["NOM"]):
                spk = None
        if spk is None and cue is None and (not lead or colon) and quotes and s_index - quotes[-1][1] <= 3:
            last = quotes[-1][0]  # „A“, sagte X. „B“ — the same speaker goes on
            spk = _Speaker.of(last) if last.speaker else None
        elif spk is None and cue is None and quotes and quotes[-1][1] == s_index and quotes[-1][0].speaker and (
                so_x := _SO_SPEAKER.match(text, quotes[-1][0].end + 1, a)) and "," in text[so_x.end():a]:
            last = quotes[-1][0]  # "„In absehbarer Zeit“, so Pötsch, wird VW „ein Fahrzeug entwickeln“"
            spk, cue = _Speaker.of(last), so_x.span(1)
        standalone = (not lead or colon) and sentence_like
        as_phrase = re.search(r"(?<!\w)als\s+(?:(?:ein|eine|einen|einem|einer|den|die|das|der|dem)\s+)?$",
                              text[s_start:a - 1])  # "bezeichnete den Wahlsieg als „Fest“": what was called
        if cue is None and spk is None and not standalone and (_phrase_quoted(text[a:b]) or as_phrase) \
                and not any(x < b and a < y for x, y, _, _ in ctx.mentions) \
                and not re.search(r"\bdass\b", text[s_start:s_end]) and not _konjunktiv(text, s_start, s_end):
            # a quoted phrase as the object of a reporting verb: "Klose nannte den Platzverweis „überzogen“",
            # "Als „verpasste Chance“ beurteilte Beck das Pontifikat"
            verbs = [c for c in _cues(text, s_start, s_end, final=True) if not any(x <= c[0] < y for x, y in direct)
                     and text[c[0]:c[1]].lower() != "so"]
            if verbs:
                # the verb of the quoted phrase's own clause: the last one before it, else the first after it
                verb = next((c for c in reversed(verbs) if c[1] <= a), verbs[0])
                clause = max(s_start, text.rfind(",", s_start, verb[0]) + 1, text.rfind(";", s_start, verb[0]) + 1)
                own_clause = clause > s_start and not _RELATIVE.match(text[clause:verb[0]].lstrip()) \
                    and not _CONJUNCTION.match(text[clause:verb[0]].lstrip()) \
                    and not (verb[1] <= a and _appositive(text[s_start:verb[0]]))  # "X, Y (SPD), warnte …"
                spk = (speaker_of((clause, max(a - 1, verb[1])), verb, inverted=False) if own_clause else None) \
                    or speaker_of((s_start, s_end), verb, inverted=False)
                if spk is not None or _passive(text, clause, verb):  # "die als „nebelartig“ beschrieben wurden"
                    # the sentence reports what was said ("Rice nannte Shultz einen „wahren Patrioten“"); a second
                    # phrase in it with another speaker is its own quotation ("…, Löw nannte … „übertrieben“")
                    same = next((q for q, _ in quotes[-3:] if q.start == s_start and q.kind == "indirect"), None)
                    if not text[s_start:a - 1].strip() or n >= 8 or spk is None:
                        add(a, b, "direct", spk, verb)  # "„…“, wird X zitiert": a quotation; nobody named
                        continue
                    if same is None and not own_clause and clause > s_start:
                        # the verb in a relative or subordinate clause: that clause reports ("X, der den Sieg als
                        # „Fest“ bezeichnete, …")
                        stop = _clause_end(text, max(b + 1, verb[1]), s_end)
                        add(_opening(text, clause, stop), stop, "indirect",
                            spk, verb)
                    elif same is None:
                        add(s_start, s_end, "indirect", spk, verb)
                    elif spk is not None and spk.name != same.speaker:
                        add(a, b, "direct", spk, verb)
                    embedded.append((a - 1, b + 1))
                    continue
        named = re.search(r"(?<!\w)(?:der|die|das|dem|den|des|ein|eine|einer|einem|einen|eines|von|vom|im|in|bei|beim|"
                          r"mit|für|auf|zur|zum|laut|gegenüber|aus)\s*$", text[s_start:a - 1]) \
            and not _phrase_quoted(text[a:b])  # "Moritz Wohlrab von der „Aktion Deutschland hilft“ sagte": a name
        if cue is None and spk is None and not standalone or named or \
                n < 3 and not lead.endswith(":") and not (cue and spk and _phrase_quoted(text[a:b])):
            embedded.append((a - 1, b + 1))
            if not named and n >= 3 and text[a].islower() and _german(text[a:b]) \
                    and not _konjunktiv(text, s_start, s_end, strict=True) \
                    and not re.search(r"\bdass\b", text[s_start:a]):  # not inside reported speech (a dass-clause)
                phrases.append((a, b, s_start, s_end))  # "hält X für „böse und gefährlich“": quoted words
            continue  # a title, a name, a scare quote or a phrase quoted inside a sentence
        add(a, b, "direct", spk, cue)

    # headlines "Rutte: Ukraine braucht mehr Hilfe" (a short line with a name and a colon, no quotation marks)
    pos = 0
    for line in text.split("\n"):
        base, pos = pos, pos + len(line) + 1
        m = re.match(r"^([A-ZÄÖÜ][\w.-]*(?:\s+[A-ZÄÖÜ][\w.-]*){0,2}):\s+(\S.{10,150})$", line)
        if m and not _MARKS.search(line):
            names = [s for s in ctx.speakers(base, base + m.end(1))
                     if s.name and any((s.start, s.end) in ctx.spans[k] for k in ("PER", "ORG", "NOM"))]
            if names:
                add(base + m.start(2), base + len(line.rstrip()), "direct", names[-1], None)

    # indirect speech, sentence by sentence
    covered = [(q.start, q.end) for q, _ in quotes]
    for k, (s_start, s_end) in enumerate(sents):
        if any(a <= s_start and s_end <= b + 2 for a, b in covered):
            continue
        inside = [(a, b) for a, b in covered if a < s_end and s_start < b]
        konj = _konjunktiv(text, s_start, s_end, strict=True) or (
            _konjunktiv(text, s_start, s_end, second=True) and any(q_k == k - 1 for _, q_k in quotes))
        found = False
        # attribution anywhere in the sentence: "Laut X …", "… nach Angaben der Polizei …", "X zufolge …"
        lower = text[s_start:s_end].lower()  # cheap checks before the costly patterns
        att = (_ATTRIBUTION.search(text, s_start, s_end) if "laut" in lower or "gemäß" in lower or "nach" in lower
               else None) or (_ZUFOLGE.search(text, s_start, s_end) if "zufolge" in lower else None) or (
            _NACH_AFTER.search(text, s_start, s_end) if "nach" in lower else None)
        if att is not None and att.re is _ATTRIBUTION and _INSIDE_NP.search(text, max(s_start, att.start() - 12),
                                                                              att.start()):
            att = None  # not "laut" inside a noun phrase: "mit seinen laut Gutachtern geringen Spuren"
        if att is not None and att.re is _ATTRIBUTION and att.group("source2") \
                and _BARE_SOURCE.fullmatch(att.group("source2")) and _cues(text, s_start, att.start()):
            att = None  # "X sagte, nach neuesten Erkenntnissen habe …": findings without their holder inside the
            # message of a reporting verb — the verb's subject reports them
        if att is not None and not any(a <= att.start() < b for a, b in inside):
            group = "source" if att.re is not _ATTRIBUTION or att.group("source") else "source2"
            src = (att.start(group), att.end(group))
            names = [c for c in ctx.speakers(*src) if c.name]
            spk = _Speaker(src[0], src[1], names[0].name if names else text[src[0]:src[1]])
            cue = (att.start(), src[0] - 1) if att.re is _ATTRIBUTION else (src[1] + 1, att.end())
            if att.start() - s_start <= 2:  # at the start: the rest of the sentence is the message
                rest = att.end() + len(re.match(r"[\s,]*", text[att.end():s_end]).group(0))
                add(rest, s_end, "indirect", spk, cue)
            else:
                add(s_start, s_end, "indirect", spk, cue)
            found = True
        dem = re.compile(r"(?<!\w)[Dd]emnach(?!\w)").search(text, s_start, s_end) if not found and "demnach" in lower \
            else None
        if dem is not None and not any(a <= dem.start() < b for a, b in inside) and (dem.start() == s_start or not konj):
            # "Demnach ist …", "Die Zahl ist demnach gestiegen": what the source just named says — the adverb stands
            # for it (inside a sentence in the Konjunktiv, the report before goes on)
            prev = quotes[-1][0] if quotes and quotes[-1][1] >= k - 1 else None
            spk = _Speaker(dem.start(), dem.end(), prev.speaker if prev is not None else None)
            source = [d for d in _SOURCE_DOCUMENT.finditer(text, *sents[k - 1]) if _DOCUMENT.search(d.group("noun"))] \
                if prev is None and k > 0 else []
            if source:  # "Das geht aus dem Urteil hervor. Demnach ist …": the document named just before
                spk = _Speaker(source[-1].start(), source[-1].end(), source[-1].group(0))
            if dem.start() == s_start:
                add(dem.end() + len(re.match(r"[\s,]*", text[dem.end():s_end]).group(0)), s_end, "indirect", spk,
                    dem.span())
            else:
                add(s_start, s_end, "indirect", spk, dem.span())
            found = True
        if not found:
            cues = [c for c in _cues(text, s_start, s_end) if not any(a <= c[0] < b for a, b in inside)]
            # a noun of saying or believing before a dass-clause: "die Befürchtung, dass …", "wurde bekannt, dass"
            if "dass" in lower or konj:
                cues += [n.span(1) for n in _NOUN_CUE.finditer(text, s_start, s_end)
                         if not any(c[0] <= n.start(1) < c[1] for c in cues)]
            upto = s_start  # cues before it are inside the message of a cue before them
            for cue in cues:
                if cue[0] < upto:
                    continue
                after = text[cue[1]:s_end]
                # "X sagte, dass …" / "X sagte, die Lage sei …" / "Dazu erklärte Rutte: …"
                m = re.search(r"[,:]\s*", after)
                nxt_comma = after.find(",", m.end()) if m else -1
                if m and m.group(0)[0] == "," and nxt_comma > 0 and not re.match(
                        r"(?:dass|ob|wie|warum|weshalb|wer|was|wann|wo)\b", after[m.end():]) \
                        and not _konjunktiv(text, cue[1] + m.end(), cue[1] + nxt_comma):
                    # an apposition or an aside after the verb ("sagte der Koordinator, Deftalgne Tessema, gegenüber
                    # der BBC, dass …"): the first of the next commas that opens the reported clause
                    for m2 in list(re.finditer(r",\s*", after))[:3]:
                        if re.match(r"(?:dass|ob)\b", after[m2.end():]):
                            m = m2
                            break
                        if _CONJUNCTION.match(after[m2.end():]) or _RELATIVE.match(after[m2.end():]):
                            break  # a subordinate clause, not an aside: "…, als er Fans kritisierte, dass …"
                if m and re.match(r"(?:indem|wobei|während|nachdem)\s", after[m.end():]) and any(
                        cue[1] + m.end() < c[0] < cue[1] + (nxt_comma if nxt_comma > 0 else len(after)) for c in cues):
                    continue  # "X bestritt das, indem er sagte, …": the verb of the clause after speaks
                so = text[cue[0]:cue[1]].lower() == "so"  # "X sei, so Y, schuld": the speaker follows "so"
                # (not "Der Grund, so vermutet die Zeitung, dürfte …": the speaker follows "so")
                if m and not so and not re.search(r"[,–—-]\s*[Ss]o$", text[s_start:cue[0]].rstrip()) and _opens_report(text, cue[1] + m.end(), s_end) and not any(
                        a < s_end and cue[1] + m.end() < b for a, b in inside):
                    spk = speaker_of((s_start, cue[1] + m.start()), cue, inverted=False) or \
                        speaker_of((cue[1], cue[1] + m.start()), cue, inverted=True) or (
                        _Speaker.of(quotes[-1][0]) if upto > s_start and quotes[-1][0].speaker_start is not None
                        else None)  # "…, und kündigte an, …": the speaker of the message before
                    if spk is None and k > 0 and re.match(r"\s*(?:Als|Zur)\s+Begründung(?:\s+dafür)?\s+(?:heißt|hieß)\b",
                                                          text[s_start:cue[1]]):
                        # "Die Union spricht sich dagegen aus. Als Begründung heißt es, …": the subject before
                        spk = subject(*sents[k - 1])
                    so_x = _SO_SPEAKER.search(text, cue[1] + m.end(), s_end) if spk is None else None
                    if so_x is not None:  # "Ägypten wird aufgefordert, die Grenze zu öffnen, so Nasrallah im TV."
                        spk = speaker_of((so_x.end(1), s_end), so_x.span(1), inverted=True)
                    second = _second_report(text, cues, cue[1] + m.end(), s_end)
                    add(cue[1] + m.end(), second[0] if second else s_end, "indirect", spk, cue)
                    found = True
                    if second is None:
                        break
                    upto = second[1]  # "X sagte, A sei B, doch Y erklärte, …": Y's message is the next quote
                # "Die Lage sei ernst, sagte Rutte." / "…, so Rutte."
                lead = text[s_start:cue[0]].rstrip()
                if text[cue[0]:cue[1]].lower() == "so" and lead.endswith((",", "–", "—", "-")) and not inside:
                    # "Der Präsident sei, so Gamkrelids, schuld daran …": the whole sentence is the message
                    stop = re.compile(r"[,;:.!?–—]").search(text, cue[1], s_end)
                    spk = speaker_of((cue[1], stop.start() if stop else s_end), cue, inverted=True)
                    if spk is not None and (_konjunktiv(text, s_start, s_end) or _words(lead) >= 6):
                        add(s_start, s_end, "indirect", spk, cue)
                        found = True
                        break
                so_verb = re.search(r"[,–—-]\s*[Ss]o$", lead)
                if so_verb and not inside:
                    # "Der Flug käme einer Folter gleich, so bestätigt das Gericht." (also inside the sentence:
                    # "Der Grund, so vermutet die Zeitung, dürfte … sein")
                    stop = re.compile(r"[,;:.!?–—]").search(text, cue[1], s_end)
                    spk = speaker_of((cue[1], stop.start() if stop else s_end), cue, inverted=True)
                    if spk is not None or _MAN_AFTER.match(text, cue[1]):  # "so glaubt man"
                        last = stop is None or not text[stop.end():s_end].strip(" .!?")
                        add(s_start, s_start + so_verb.start() if last else s_end, "indirect", spk, cue)
                        found = True
                        break
                if lead.endswith(",") and (_konjunktiv(text, s_start, cue[0]) or _words(lead) >= 6) \
                        and not inside and (_konjunktiv(text, s_start, cue[0]) or not _appositive(lead)):
                    # (not a subject with an apposition: "Die Politikerin, Anja Hajduk, kritisierte die Pläne")
                    spk = speaker_of((cue[1], s_end), cue, inverted=True)
                    if spk is not None or text[cue[0]:cue[1]].lower() in _HEISST:  # "…, hieß es."
                        a = s_start
                        colon = text.find(":", s_start, cue[0])
                        if colon > 0 and not _konjunktiv(text, s_start, colon) and _konjunktiv(text, colon, cue[0]):
                            # "Der Wetterdienst gibt Entwarnung: Der Regen lasse nach, teilte ein Sprecher mit."
                            a = _opening(text, colon + 1, cue[0])
                            body = subject(s_start, colon)
                            if spk is not None and body is not None and body.name and _SPOKESPERSON.fullmatch(
                                    text[spk.start:spk.end]):  # the spokesperson speaks for the body named first
                                spk = _Speaker(spk.start, spk.end, body.name)
                        add(a, s_start + len(lead) - 1, "indirect", spk, cue)
                        found = True
                        break
                aux = re.search(r",\s*(?:hatte|hat|habe)\s+(?=[A-ZÄÖÜ])[^,]{1,40}$", lead)
                if aux and _konjunktiv(text, s_start, s_start + aux.start()) and not inside:
                    # "Sie wisse, dass …, hatte Koch-Mehrin damals gesagt": the subject between auxiliary and verb
                    spk = speaker_of((s_start + aux.start() + 1, cue[0]), cue, inverted=False)
                    if spk is not None:
                        add(s_start, s_start + aux.start(), "indirect", spk, cue)
                        found = True
                        break
                # ", wie X mitteilte," inside the sentence, or "Wie X mitteilte, …" before it
                wm = re.search(r"(?:^|,\s*)[Ww]ie\s+[^,]*(?:,[^,]*,[^,]*)?$", text[s_start:cue[1]])  # an apposition
                if wm:
                    spk = speaker_of((s_start + wm.start() + wm.group(0).index("ie ") + 3, cue[0]),
                                     cue, inverted=False)
                    if spk is not None:
                        clause_end = cue[1] + len(re.match(r"[^,]*,?\s*", text[cue[1]:s_end]).group(0))
                        if wm.start() > 0:
                            add(s_start, s_start + wm.start(), "indirect", spk, cue)
                        if clause_end < s_end:
                            add(clause_end, s_end, "indirect", spk, cue)
                        found = True
                        break
        won = _WONACH.search(text, s_start, s_end) if not found and "nach" in lower else None
        if won is not None and not any(a <= won.start() < b for a, b in inside) and (
                won.group("rel") == "wonach" or won.group("head") and re.fullmatch(_SAYING + "|Studien|Umfragen",
                                                                                   won.group("head"))):
            # "Spekulationen, wonach …", "Umfragen, nach denen …": the clause is what the noun before reports
            stop = next((c for c in re.finditer(r",\s*(\w+)", text[won.end():s_end])
                         if c.group(1)[0].islower() and not _CONJUNCTION.match(c.group(1))
                         and not _RELATIVE.match(c.group(1) + " x")), None)
            end = won.end() + stop.start() if stop else s_end
            head = won.group("head")
            spk = _Speaker(won.start("head"), won.end("head"), head) if head else \
                _Speaker(won.start("rel"), won.end("rel"), None)
            add(won.end(), end, "indirect", spk, won.span("rel"))
            found = True
        if found:
            covered.append((s_start, s_end))
            continue
        if inside:
            continue
        # a sentence in the Konjunktiv I without a reporting verb: reported speech, continuing the last quotation
        # ("Man werde alles prüfen.") — its speaker when that quotation is at most two sentences back
        if konj:
            # "Schollbach lehnt den Verkauf ab, er sei …": a named subject with an indicative verb opens the sentence,
            # the Konjunktiv follows after a comma — the subject speaks
            # (also a role before the name, "PDS-Fraktionssprecher André Schollbach lehnt …", and a phrase
            # headed by a speaker noun, "Ein Sprecher des Weißen Hauses schränkte … ein, es gebe …")
            opener = next((c for c in ctx.speakers(s_start, min(s_end, s_start + 120))
                           if (c.start, c.end) not in ctx.spans["LOC"]), None)
            pre = text[s_start:opener.start].strip(" „\"»(") if opener is not None else ""
            role = bool(pre) and len(pre.split()) == 1 and _speaker_noun(pre.split("-")[-1], strict=True)
            if opener is not None and opener.name and (not pre or role) and can_speak(opener, pronoun=False):
                verb = _WORD.match(text, opener.end + 1)
                comma = text.find(",", opener.end, s_end)
                if verb and verb.group(0).islower() and verb.group(0) not in vocabulary().konjunktiv \
                        and comma > 0 and not _konjunktiv(text, opener.end, comma) and _konjunktiv(text, comma, s_end):
                    if role:
                        opener = _Speaker(text.index(pre, s_start), opener.end, opener.name)
                    # the message is the reported clause after the comma
                    add(_opening(text, comma + 1, s_end), s_end,
                        "indirect", opener, None)
                    continue
            # "Die Schweiz hatte ihren Rückzug damit begründet, dass … habe": a main clause without Konjunktiv before
            # a comma, reported speech after it — the subject of the main clause speaks (its verb unknown to us)
            comma = text.find(",", s_start, s_end)
            reported = _REPORTED_CLAUSE.match(text, comma + 1) if comma > 0 else None
            if reported and not _konjunktiv(text, s_start, comma) and (
                    reported.group(1) or _konjunktiv(text, comma, reported.end(), strict=True)):
                own = subject(s_start, comma, loose=True)
                if own is not None:
                    rest = _opening(text, comma + 1, s_end)
                    add(rest, s_end, "indirect", own, None)
                    continue
            # the quotation that ends last before this sentence (direct speech was found first, all of it)
            prev = max((i for i, (q, _) in enumerate(quotes) if q.end <= s_start), key=lambda i: quotes[i][0].end,
                       default=None)
            last_q, last_k = quotes[prev] if prev is not None else (None, -9)
            if last_q is not None and last_k == k - 1 and last_q.kind == "indirect" and last_q.cue is None:
                # a run of Konjunktiv sentences that carry on a report is one quotation
                a = last_q.start
                quotes.pop(prev)
                add(a, s_end, "indirect", _Speaker.of(last_q)
                    if last_q.speaker_start is not None or last_q.speaker else None, None)
                continue
            recent = last_q is not None and k - last_k <= 2
            last = last_q if recent else None
            spk = _Speaker.of(last) \
                if last and (last.speaker or last.speaker_start is not None) else None  # ("Es weist … zurück")
            if recent and last_k < k - 1:
                # else its subject, when a person or a body, speaks on ("Staatspräsident Parwanow ist besorgt. Der
                # Konflikt sei nicht ethnisch.")
                said_by = reporter(k - 1)
                before = said_by or subject(*sents[k - 1])
                if before is not None and (before is said_by or ctx.is_mention(before)
                                           and (before.start, before.end) not in ctx.spans["LOC"]):
                    spk = before
            if spk is None and not recent:  # no quotation just before: the subject, else the person named last
                # the subject: the first mention of the first clause that can speak ("Noch am Freitag hatte
                # Präsident X versichert, …")
                first = _clause_end(text, s_start, s_end)
                # (not when that clause is the report itself: "Der Finanzausschuss werde … beraten")
                own = None if _konjunktiv(text, s_start, first, strict=True) else next(
                    (c for c in ctx.speakers(s_start, first) if not _oblique(text, c.start)
                     and not _OBLIQUE_PHRASE.match(text, c.start)
                     and ((c.start, c.end) not in ctx.spans["LOC"] or c.start == s_start)), None)
                if own is not None and not ctx.is_mention(own) and not _speaker_noun((own.name or "-").split()[-1], strict=True):
                    own = None
                people = [m for m in ctx.mentions if m[3] in ("PER", "NOM", "ORG") and m[1] <= s_start]
                # the subject of the sentence before ("Das Komitee würdigte damit seinen Einsatz. Er habe …")
                before = subject(*sents[k - 1]) if k > 0 else None
                # in this order: the clause's own subject, who reports in the sentence before, who reports in the
                # sentence after ("Auch seien Häuser beschädigt worden. Spiegel Online berichtet vom Einsturz …"),
                # the subject before, the person named last
                spk = own or (reporter(k - 1) if last_k < k - 1 and k > 0 else None) or \
                    (reporter(k + 1) if k + 1 < len(sents) else None) or before or \
                    (_Speaker(people[-1][0], people[-1][1], people[-1][2]) if people else None)
            add(s_start, s_end, "indirect", spk, None)
            continue
        # "Beobachter halten es für unwahrscheinlich, dass …": a main clause whose subject can speak, then a
        # dass-clause — what the subject says or thinks (its verb unknown to us)
        comma = text.find(",", s_start, s_end)
        if comma > 0 and re.match(r"\s*dass\b", text[comma + 1:s_end]):
            own = subject(s_start, comma)
            if own is not None:
                add(_opening(text, comma + 1, s_end), s_end, "indirect",
                    own, None)
                continue
        # "Das sagte Rutte am Dienstag.": the sentence before is what was said
        cues = _cues(text, s_start, s_end)
        back = re.match(r"(?:Das|Dies|Dieses|Dies alles|Das alles)\s+", text[s_start:s_end])
        if cues and back and cues[0][0] == s_start + back.end() and k > 0 \
                and not any(a < sents[k - 1][1] and sents[k - 1][0] < b for a, b in covered):
            spk = speaker_of((cues[0][1], s_end), cues[0], inverted=True)
            if spk is not None:
                add(sents[k - 1][0], sents[k - 1][1], "indirect", spk, cues[0])
                continue
        # reported speech without a clause: "Müntefering sprach von einem Riesenerfolg."
        if cues and _reports_alone(text, s_start, cues[0]):
            spk = speaker_of((s_start, s_end), cues[0], inverted=False)
            if spk is not None and can_speak(spk):
                add(s_start, s_end, "indirect", spk, cues[0])
    out = _carry_on(sorted(quotes, key=lambda x: x[0].start))
    # a phrase of someone's words quoted inside a sentence (not a name or a title: it opens in lower case) that no
    # quotation holds: a direct quotation of its own — spoken by the subject of a reporting verb in the sentence,
    # else by the subject of the sentence when it can speak, else by nobody named ("Er hält die Lage für „äußerst
    # angespannt“", "Angriffe auf „den Bestand des Staates“")
    extra = []
    for a, b, s_start, s_end in phrases:
        if any(q.start < b and a < q.end for q in out):
            continue
        spk, verb = None, None
        verbs = [c for c in _cues(text, s_start, s_end, final=True) if not any(x <= c[0] < y for x, y in direct)
                 and text[c[0]:c[1]].lower() != "so"]
        if verbs:
            verb = next((c for c in reversed(verbs) if c[1] <= a), verbs[0])
            spk = speaker_of((s_start, s_end), verb, inverted=False)
        else:  # "Ursprünglich wollte er „ein Konzept vorlegen“": the subject of the sentence, when it can speak
            spk = subject(s_start, s_end)
        extra.append(Quote(start=a, end=b, text=text[a:b], kind="direct", speaker=spk.name if spk else None,
                           speaker_start=spk.start if spk else None, speaker_end=spk.end if spk else None,
                           cue=text[verb[0]:verb[1]] if verb else None))
    return sorted(out + extra, key=lambda q: q.start) if extra else out


# what opens a subordinate clause: a conjunction; after a comma also a relative pronoun, alone or after a preposition
# ("…, die zu der Demo aufgerufen hatten", "…, bei der sich X geäußert hat") — not an article ("…, die Betreiber")
_CONJUNCTION = re.compile(r"(?:[Ww]enn|[Ww]eil|[Dd]a|[Ww]o|[Oo]b|[Nn]achdem|[Bb]evor|[Oo]bwohl|[Ii]ndem|[Ss]odass|"
                          r"[Dd]amit|[Dd]ass|[Ss]obald|[Ff]alls|[Ss]eitdem|[Ss]olange|[Ss]ofern|[Ww]as|[Ww]er|[Ss]ollte|"
                          r"(?:[Aa]ls|[Ww]ährend)(?!\s+(?:[A-ZÄÖÜ]|(?:der|die|das|des|dem|den|ein|eine|einer|eines|"
                          r"einem)\b)))\b")
_RELATIVE = re.compile(r"(?:(?:[Aa]n|[Aa]uf|[Aa]us|[Bb]ei|[Ff]ür|[Gg]egen|[Ii]n|[Mm]it|[Nn]ach|[Üü]ber|[Vv]on|[Vv]or|"
                       r"[Zz]u)\s+)?(?:der|die|das|dem|den|denen|deren|dessen|welche[rsmn]?)\s+(?![A-ZÄÖÜ])")


def _reports_alone(text: str, start: int, cue: tuple[int, int]) -> bool:
    """Whether a reporting verb with no clause after it reports by itself ("Müntefering sprach von einem
    Riesenerfolg"): it is the verb of the main clause — not of a relative or subordinate clause ("…, die zu der Demo
    aufgerufen hatten"), not a participle without "haben" ("genauer gesagt", "wurde gelobt") — and not "sich äußern"
    with nothing said."""
    word = text[cue[0]:cue[1]].lower()
    lead = text[start:cue[0]]
    if not lead.strip(" „\"»(") or re.match(r"\s*(?:Das|Dies|Dieses)\s*$", lead) \
            or text[cue[1]:cue[1] + 1] == ")":
        return False  # "Kritisiert wird …", "Dies sagte X" (the sentence before was said), "(Wikinews berichtete)"
    clause = max(start, *(text.rfind(c, start, cue[0]) + 1 for c in ",;:("))
    opener = text[clause:cue[0]].lstrip(" „\"»")
    if clause > start and (_CONJUNCTION.match(opener) or _RELATIVE.match(opener)) \
            or clause == start and _CONJUNCTION.match(opener) and "," in text[cue[1]:]:
        return False
    if re.search(r"\b(?:[Ii]ch|[Ww]ir)\s+$", text[clause:cue[0]]) or re.match(r"\s+(?:ich|wir)\b", text[cue[1]:]):
        return False  # "ich glaube", "soweit ich weiß": an interview
    if word.endswith("en") and re.search(r"\b(?:kann|konnte|will|wollte|soll|sollte|muss|musste|darf|möchte)\b",
                                         text[clause:cue[0]]):
        return False  # an infinitive after a modal: "wollte das Doppelte verlangen"
    if word.startswith(("äußer", "sprach", "sprech", "sprich")) and re.match(r"\s+(?:\S+\s+){0,3}?sich\b", text[cue[1]:cue[1] + 60]):
        return False  # "äußerte sich …", "sprach sich für … aus": a stance, nothing said
    if word.startswith("ge") or re.match(r"\w+ge\w+t$", word) and word not in vocabulary().particles:
        if not re.search(r"\b(?:hat|haben|hatte|hatten|habe)\b", text[clause:cue[0]]):
            return False
    if _passive(text, clause, cue):
        return False
    return True


def _carry_on(quotes: list[tuple[Quote, int]]) -> list[Quote]:
    """A direct quotation that stands alone (no reporting verb, no speaker) right after another quotation with a
    speaker — direct or reported, at most two sentences back — goes on with that speaker: "Die Entscheidung wolle
    er der Nato überlassen. „Tatsächlich …“"."""
    out: list[Quote] = []
    last: tuple[Quote, int] | None = None
    for q, k in quotes:
        if q.kind == "direct" and q.speaker is None and q.cue is None and last is not None and k - last[1] <= 2:
            p = last[0]
            q = replace(q, speaker=p.speaker, speaker_start=p.speaker_start, speaker_end=p.speaker_end)
        out.append(q)
        if q.speaker is not None:
            last = (q, k)
    return out


def annotate(doc: Document) -> Document:
    doc.quotes = extract(doc)
    return doc
