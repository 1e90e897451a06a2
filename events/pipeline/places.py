"""Places named in a report: gazetteer keys over capitalised names, area phrases, ranking.

A name is looked up by its transliteration key (events/gazetteer/keys.py), never by substring
or fuzzy match (NOTES.md). Only runs of capitalised words are read, and a match must cover
the whole run except for place words around it ("Al-Bokamal Desert", "Eastern Deir Ezzor"), so
"Qassim Al-Soleimany" is a person, not the village of Qassim. The words around a name set
the location precision: "near X" (2), "X countryside" (governorate, 4), "the desert of X",
"east of the Euphrates", "between X and Y" (5). When a key fits several places, the one
nearest the report's other places wins. A capitalised name after "in", "at", "near", ... or
listed with known places that the gazetteer lacks is kept as unresolved, for the editor.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from events.gazetteer.geocoder import Entry, place_index
from events.gazetteer.keys import name_key
from events.models import UNIT_KINDS
from events.models import LocationPrecision as Precision
from events.pipeline.text import Sentence

APOSTROPHE = "['\\u2019\\u02bf\\u02be`]"
TOKEN = re.compile(rf"[^\W_]+(?:{APOSTROPHE}[^\W_]+)*(?:-[^\W_]+(?:{APOSTROPHE}[^\W_]+)*)*")
# Lower-case particles that may sit inside a name: "Badia al Sham", "Albu Kamal", "Ibn Khaldun".
NAME_PARTICLES = frozenset("al el ez az ash esh ad ed ar er es bin ibn bani beni bou umm".split())
# Capitalised words that can stand before a name without being part of it.
PREFIX_WORDS = frozenset(
    "eastern western northern southern central rural greater upper lower old new "
    "north south east west".split()
)
# Place words after (or in front of) a name.
SUFFIX_WORDS = frozenset(
    "desert badia countryside province governorate region area areas outskirts suburbs "
    "surroundings city town village base airbase airport field oil gas camp prison river "
    "valley bridge dam station crossing fortress castle citadel neighbourhood neighborhood "
    "district subdistrict military".split()
)
# English words and common words whose key happens to equal a place's (measured over a few
# thousand English words; NOTES.md's traps: hit, tell, dam, bab, ana, bat).
STOPLIST = frozenset(
    "are area bad bar bare below char deal del era few hard has header heard hill his hit jan "
    "made marked ran road sane seen share south north east west tell tall term than then there "
    "took dam bab ana bat said sham may march august june july mobile brigade brigades".split()
)
# Words before a name that say it is a place, so an unknown name is kept for the editor.
LOCATIVE_CUE = re.compile(
    r"(?:\b(?:in|at|near|around|towards?|outskirts of|village of|villages of|town of|city of|"
    r"area of|countryside of|desert of|vicinity of|between)\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
# Capitalised words that are never a place of the gazetteer: countries, months, days, news
# agencies ("the source told SANA": not As Si'in).
NOT_PLACES = frozenset(
    "syria iraq jordan iran lebanon turkey israel russia afghanistan pakistan america europe "
    "united states kurdistan levant middle east gulf arabia egypt washington moscow tehran "
    "ankara january february march april may june july august september october november "
    "december monday tuesday wednesday thursday friday saturday sunday ramadan eid "
    "operation the a an this that these those jan feb mar apr jun jul aug sep sept oct nov dec "
    "organization organisation observatory ministry sana afp reuters anha irna tasnim".split()
)
NEAR_BEFORE = re.compile(
    r"\b(?:near|outskirts of|vicinity of|around|close to|surroundings of|(?:north|south|east|west)"
    r"(?:[- ]?(?:north|south|east|west))?(?:ern)? (?:of )?|(?:north|south|east|west) of)\s+"
    r"(?:the\s+)?(?:city of\s+|town of\s+|village of\s+)?$",
    re.IGNORECASE,
)
AREA_BEFORE = re.compile(
    r"\b(?:desert|badia|badiya|countryside|province|governorate|region|rural areas)\s+of\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
KIND_BEFORE = re.compile(r"\b(city|town|village|villages)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.IGNORECASE)
RIVER_SIDE = re.compile(
    r"\b(?:east|west|eastern|western|north|south)(?:ern)?\s+(?:bank\s+)?of\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass
class PlaceMention:
    """A place named in the report: where, as written, what it resolves to, how precisely."""

    start: int
    end: int
    surface: str
    candidates: list[Entry]
    precision: int = Precision.EXACT
    rules: list[str] = field(default_factory=list)
    kind_hint: str = ""
    why: str = ""  # how a namesake was chosen, for the editor
    dateline: bool = False  # where the report was written, not where anything happened
    unresolved_near: str = ""  # "the village of X near Y": this is Y, and X was not found

    @property
    def place(self) -> Entry | None:
        return self.candidates[0] if self.candidates else None

    @property
    def resolved(self) -> bool:
        return bool(self.candidates)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()

    def name_like(self) -> bool:
        """Capitalised ("Hajin"), article-led ("al-Mayadin") or a code ("T3")."""
        head = self.text[0]
        if head.isupper():
            return True
        parts = self.text.split("-")
        return len(parts) > 1 and parts[0].lower() in NAME_PARTICLES and parts[1][:1].isupper()


def tokens_of(text: str, start: int, end: int) -> list[Token]:
    return [
        Token(m.start() + start, m.end() + start, m.group())
        for m in TOKEN.finditer(text[start:end])
    ]


# Capitalised only because they open a sentence ("A base housing US troops"): never a name's
# first word.
SENTENCE_WORDS = frozenset(
    "a it he she we they this that these those his her its their our on after during while "
    "when meanwhile but yet also some many several all both most other others another each "
    "every no one two three four five six seven eight nine ten there here then now today "
    "yesterday tonight earlier later since for from with by over under among according "
    "local sources unknown unidentified".split()
)


def _runs(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Maximal runs of name-like tokens, joined only by spaces (a comma ends a run)."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for i, tok in enumerate(tokens):
        joined = bool(current) and text[current[-1].end : tok.start] in (" ", "-")
        particle = (
            tok.lower in NAME_PARTICLES
            and i + 1 < len(tokens)
            and tokens[i + 1].name_like()
            and bool(current)
        )
        possessive = tok.text.endswith(("'s", "\u2019s"))
        # "Eye of Euphrates", "Province of Anbar": "of" between capitalised words joins them.
        joiner = (
            tok.lower == "of"
            and bool(current)
            and i + 1 < len(tokens)
            and tokens[i + 1].name_like()
        )
        if joiner or (
            (tok.name_like() or particle)
            and tok.lower not in ("in", "to", "of", "and", "the")
            and not (tok.lower in SENTENCE_WORDS and not current)
        ):
            if current and not joined:
                runs.append(current)
                current = []
            if possessive:  # "Syria's Deir Al-Zour": the possessive ends a run
                runs.append([*current, Token(tok.start, tok.end - 2, tok.text[:-2])])
                current = []
            else:
                current.append(tok)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _lookup(text: str, index, min_len: int = 3) -> list[Entry]:
    key = name_key(text)
    if not key or (len(key) < min_len and not any(c.isdigit() for c in key)):
        return []
    return list(index.by_key.get(key, []))


def _match_run(text: str, run: list[Token], index) -> list[tuple[int, int, list[Entry]]]:
    """The longest sub-span of a run that names a place, when the rest of the run is only
    place words ("Eastern", "Desert"); otherwise the run is a longer name we do not know
    ("Qassim Al-Soleimany", "Eye of Euphrates") and nothing in it is read as a place."""
    n = len(run)
    for length in range(n, 0, -1):
        for i in range(n - length + 1):
            j = i + length
            if any(t.lower not in PREFIX_WORDS | SUFFIX_WORDS | {"of"} for t in run[:i]):
                continue
            if any(t.lower not in SUFFIX_WORDS and t.lower not in PREFIX_WORDS for t in run[j:]):
                continue
            word = run[i].lower.strip("'\u2019")
            if length == 1 and (word in STOPLIST or word in NOT_PLACES):
                continue
            entries = _lookup(text[run[i].start : run[j - 1].end], index)
            if entries:
                return [(run[i].start, run[j - 1].end, entries)]
    return []


def _context_precision(text: str, mention: PlaceMention, line_start: int) -> None:
    """Location precision and kind preference from the words around a mention."""
    before = text[max(line_start, mention.start - 40) : mention.start]
    after = text[mention.end : mention.end + 30].lower()
    entry = mention.place
    kind = entry.kind if entry else ""
    follow = re.match(r"['\u2019]?s?\s*(?:(eastern|western|northern|southern)\s+)?([a-z]+)", after)
    suffix = follow.group(2) if follow else ""
    if kind == "governorate":
        mention.precision = Precision.GOVERNORATE
    elif kind in ("area", "river"):
        mention.precision = Precision.AREA
    if suffix in ("province", "governorate", "countryside"):
        mention.kind_hint = "governorate"
        mention.precision = Precision.GOVERNORATE
        mention.rules.append(f"place:{suffix}")
    elif suffix in ("district", "subdistrict", "sub-district"):  # "the Hajin subdistrict"
        mention.kind_hint = suffix.replace("-", "")
        mention.precision = Precision.DISTRICT
        mention.rules.append(f"place:{mention.kind_hint}")
    elif suffix in ("desert", "badia"):
        mention.precision = Precision.AREA
        mention.rules.append("place:desert")
    elif suffix in ("area", "areas", "region", "outskirts", "suburbs", "surroundings"):
        mention.precision = max(mention.precision, Precision.NEAR)
        mention.rules.append("place:area")
    if AREA_BEFORE.search(before):
        word = AREA_BEFORE.search(before).group().split()[0].lower()
        if word in ("province", "governorate", "countryside"):
            mention.kind_hint = "governorate"
            mention.precision = Precision.GOVERNORATE
        else:
            mention.precision = Precision.AREA
        mention.rules.append(f"place:{word}-of")
    elif BETWEEN.search(before):
        mention.precision = Precision.AREA
        mention.rules.append("place:between")
    elif kind == "river" and RIVER_SIDE.search(before):
        mention.rules.append("place:river-bank")
    elif NEAR_BEFORE.search(before):
        mention.precision = max(mention.precision, Precision.NEAR)
        mention.rules.append("place:near")
    elif KIND_BEFORE.search(before):
        word = KIND_BEFORE.search(before).group(1).lower().rstrip("s")
        mention.kind_hint = "city" if word in ("city", "town") else "village"


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in km, flat-earth approximation: ranking only needs buckets, and the exact
    geodesic cost 2/3 of extraction time."""
    dlat = a[0] - b[0]
    dlon = (a[1] - b[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return 111.2 * math.hypot(dlat, dlon)


# Distances to the report's other places, in the buckets a reader would weigh them.
NEAR_BUCKETS = (15, 40, 100, 200)
IRAQ_NAMED = re.compile(
    r"\b(?:Iraq|Iraqi|Iraqis|Anbar|Nineveh|Ninawa|Mosul|Baghdad|Sinjar|Tal Afar|Qaim|Rawa|"
    r"Rutba|Fallujah|Ramadi|Haditha|Anah|Husaybah|Kurdistan Region|Erbil|Duhok|Sulaymaniyah|"
    r"Kirkuk|Tikrit|Samarra|Diyala|Salahuddin|Najaf|Karbala|Kerbala|Basra|Hashd|"
    r"Kataib Hezbollah|PMF)\b"
)
# What a report about Syria names; a report naming Iraq more than these is about Iraq.
SYRIA_NAMED = re.compile(
    r"\b(?:Syria|Syrian|Syrians|SDF|Damascus|Deir ez-Zor|Deir Ezzor|Deir al-Zour|Raqqa|"
    r"Hasakah|Hasaka|Homs|Palmyra|Aleppo|Idlib|Hama|Daraa|Badia|SOHR)\b"
)
KNOWN_CITY = 200_000  # a city this large is what its bare name means, near or far
# "DAMASCUS (Reuters) –", "QAMISHLI, Syria —", "ERBIL (Kurdistan 24) –": where the report was
# written, at the start of the text or of its first paragraphs, not where the event happened.
_WORD = r"[A-Z][A-Za-z'\u2019]*(?:-[A-Za-z'\u2019]+)*"  # Raqqa, Al-Hasakah, Qamishli
_PARTICLE = r"(?:al|el|ad|ar|as|az|ash|at|ez|es|ed|ibn|bin|abu|bu)(?:-[A-Za-z'\u2019]+)+"
# A date a page puts before its dateline ("2022-04-22 ERBIL (Kurdistan 24) -", "March 3, 2024
# DAMASCUS -").
_DATE_FIRST = (
    r"(?:(?:date\s+)?\d{4}-\d{2}-\d{2}\s+|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4},?\s+|"
    r"\d{1,2} [A-Z][a-z]{2,8} \d{4},?\s+)?"
)
DATELINE = re.compile(
    rf"(?:^|\n)[ \t]*{_DATE_FIRST}(?:\([^)\n]{{1,40}}\)\s*)?(?P<place>[A-Z][A-Z'\u2019 -]{{2,}}?|"
    rf"{_WORD}(?: (?:{_WORD}|{_PARTICLE})){{0,3}})"
    r"(?:,\s*[A-Z][a-z]+\.?(?: [A-Z][a-z]+){0,2}(?:\s+\d{1,2})?)?\s*(?:\([^)\n]{1,40}\)\s*)?"
    r"(?:[-\u2013\u2014]|:)\s"
)
PLACE_WORD_AFTER = re.compile(
    r"\s+(?:village|villages|town|city|area|areas|countryside|district|subdistrict|desert|"
    r"badia|outskirts|suburbs|neighbourhood|neighborhood|camp|base|field|region)\b",
    re.IGNORECASE,
)
LISTED = re.compile(r"\s*(?:,|and|or|, and|/)\s*")


@dataclass
class Context:
    """What a reader knows of a report's geography before reading a name: the places it
    names unambiguously, the governorates and districts it names, the region most of it is
    about, whether Iraq comes up at all."""

    anchors: list[tuple[float, float, str]]  # (lat, lon, the key of the name it was named by)
    units: set[int]  # governorate, district and subdistrict ids the text names
    region: int | None  # the governorate most of its unambiguous places lie in
    iraq: bool  # Iraq comes up
    iraq_led: bool = False  # the report is about Iraq: it names Iraq more than Syria


def _context(text: str, mentions: list[PlaceMention]) -> Context:
    anchors, units, regions = [], set(), []
    for m in mentions:
        if not m.candidates or m.dateline:
            continue
        entry = m.place
        if entry.kind in ("governorate", "district") and len(m.candidates) == 1:
            units.add(entry.pk)
        if entry.kind == "governorate":  # a name a governorate bears is read as it first
            units.add(entry.pk)
        if m.kind_hint in UNIT_KINDS:  # "Idlib province", "the Thiban subdistrict"
            named = [e for e in m.candidates if e.kind == m.kind_hint]
            if named:
                units.add(named[0].pk)
            elif m.kind_hint == "governorate" and entry.admin1_id:  # "Salamiyah countryside"
                units.add(entry.admin1_id)
        unambiguous = len({e.pk for e in m.candidates}) == 1 or entry.tier == 0
        if unambiguous and entry.kind not in ("governorate", "district", "area", "river"):
            anchors.append((entry.latitude, entry.longitude, name_key(m.surface)))
            if entry.admin1_id:
                regions.append(entry.admin1_id)
    region = max(set(regions), key=regions.count) if regions else None
    iraq = len(IRAQ_NAMED.findall(text))
    return Context(anchors, units, region, bool(iraq), iraq > len(SYRIA_NAMED.findall(text)))


def _local_anchor(mentions: list[PlaceMention], i: int, text: str) -> PlaceMention | None:
    """'the village of X near Y', 'X, east of Y': Y is where X is to be found."""
    m = mentions[i]
    if i + 1 < len(mentions):
        nxt = mentions[i + 1]
        between = text[m.end : nxt.start]
        if nxt.candidates and NEAR_OF.fullmatch(between):
            return nxt
    return None


NEAR_OF = re.compile(
    r"[\s,]*(?:village|town|area)?[\s,]*(?:near|close to|outside|in the countryside of|in|of|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+(?:of\s+)?)"
    r"\s+(?:the\s+)?(?:town of\s+|city of\s+|village of\s+)?",
    re.IGNORECASE,
)


def _resolve_namesakes(text: str, mentions: list[PlaceMention]) -> None:
    """Order each mention's candidates as a reader would choose among namesakes: the kind
    its context asks for; the governorates, districts and subdistricts the text names; Syria
    unless Iraq comes up (Iraq when the report is about Iraq); near the place it is said to be near; near the report's other places; the
    report's region; then the gazetteer's own ranking (towns, then governorates, then
    villages; the larger). The choice, when there was one, says why (for the editor)."""
    context = _context(text, mentions)
    for i, m in enumerate(mentions):
        if len({e.pk for e in m.candidates}) < 2:
            continue
        local = _local_anchor(mentions, i, text)
        local_point = (local.place.latitude, local.place.longitude) if local else None
        hint, surface = m.kind_hint, m.surface.casefold()
        # The other places: not this name again (a town is near its own subdistrict's point).
        others = [a for a in context.anchors if a[2] != name_key(m.surface)]

        def score(e: Entry, hint=hint, surface=surface, local_point=local_point, others=others):
            kind_miss = bool(hint) and not (
                e.kind == hint or (hint == "city" and e.kind in ("city", "village"))
            )
            # A district or subdistrict only when the text says so ("the Hajin subdistrict").
            kind_miss = kind_miss or (e.kind in ("district", "subdistrict") and hint != e.kind)
            if context.iraq_led:  # a report about Iraq: its villages before Syria's
                foreign = e.country != "IQ"
            else:
                foreign = e.country != "SY" and not (context.iraq and e.country == "IQ")
            # A desert or a river spans units and regions: its point says little; a great
            # city's name means the city, near the report's places or not (Najaf, Ramadi).
            spread = e.kind in ("area", "river") or (
                e.kind == "city" and e.population >= KNOWN_CITY
            )
            outside = (
                bool(context.units)
                and not spread
                and not ({e.admin1_id, e.admin2_id, e.admin3_id, e.pk} & context.units)
            )
            point = (e.latitude, e.longitude)
            local_km = _km(local_point, point) if local_point else 0
            near = min((_km((a[0], a[1]), point) for a in others), default=None)
            bucket = sum(near > b for b in NEAR_BUCKETS) if near is not None and not spread else 0
            off_region = context.region is not None and not spread and e.admin1_id != context.region
            spelled = surface not in e.names  # "Hamad" is the desert's name, Hama's only by key
            return (kind_miss, outside, foreign, round(local_km / 25), bucket, off_region,
                    spelled, e.rank())  # fmt: skip

        scored = [(score(e), e) for e in m.candidates]
        # A governorate or district bearing the name is neither near nor far (its point is
        # only a label's): distance and region weigh the places of the name, not the units.
        places = [sc for sc, e in scored if e.kind not in UNIT_KINDS]
        if places:
            best = min(places, key=lambda sc: sc[4:6])
            scored = [
                ((*sc[:4], *best[4:6], *sc[6:]) if e.kind in UNIT_KINDS else sc, e)
                for sc, e in scored
            ]
        scored.sort(key=lambda se: se[0])
        m.candidates = [e for _, e in scored]
        m.why = _why(m, scored, context, local)
        if m.why:
            m.rules.append("place:namesake")


def _why(m: PlaceMention, scored: list, context: Context, local) -> str:
    """Why the first namesake beat the second, in the words an editor reads."""
    distinct = {e.pk for _, e in scored}
    if len(distinct) < 2:
        return ""
    (first, chosen), (second, _) = (
        scored[0],
        next(se for se in scored if se[1].pk != scored[0][1].pk),
    )
    reasons = []
    labels = [
        "the kind of place the text names",
        "in a governorate, district or subdistrict the text names",
        "in Iraq (the report is about Iraq)"
        if context.iraq_led
        else "in Syria (the text does not mention Iraq)",
        f"near {local.surface}" if local else "",
        "near the report's other places",
        "in the governorate most of the report's places are in",
        "spelled so by the gazetteer",
    ]
    for a, b, label in zip(first, second, labels, strict=False):
        if a != b:
            reasons.append(label)
            break
    if not reasons:
        reasons.append("the larger or better known")
    where = f" ({chosen.governorate})" if chosen.governorate else ""
    return (
        f"“{m.surface}”: {len(distinct)} places bear this name; chose {chosen.name}{where}: "
        f"{reasons[0]}"
    )


def datelines_find(text: str) -> list[tuple[int, int]]:
    """Spans of the datelines near the start ('DAMASCUS, Aug 14 (SANA) –'), from the place on:
    where and when the report was written, not where or when anything happened."""
    return [(m.start("place"), m.end()) for m in DATELINE.finditer(text, 0, min(len(text), 600))]


def places_find(text: str, sentences: list[Sentence], *, skip: list[tuple[int, int]] = ()):
    """Every place mention in the report, in order; `skip` holds spans already read as actors.

    Costs one query (the gazetteer index's version check).
    """
    index = place_index()
    datelines = datelines_find(text)
    mentions: list[PlaceMention] = []
    for sentence in sentences:
        tokens = tokens_of(text, sentence.start, sentence.end)
        sentence_mentions: list[PlaceMention] = []
        for run in _runs(text, tokens):
            if any(s <= run[0].start < e for s, e in skip) and all(
                any(s <= t.start < e for s, e in skip) for t in run
            ):
                continue
            matches = _match_run(text, run, index)
            matches = _with_place_words(text, run, matches, index)
            for start, end, entries in matches:
                if any(s <= start < e or s < end <= e for s, e in skip):
                    continue
                mention = PlaceMention(start, end, text[start:end], entries, rules=["place:key"])
                _context_precision(text, mention, sentence.start)
                sentence_mentions.append(mention)
            if not matches:
                unresolved = _unresolved(text, run, sentence, sentence_mentions)
                if unresolved and not any(s <= unresolved.start < e for s, e in skip):
                    sentence_mentions.append(unresolved)
        _mark_datelines(text, sentence_mentions, datelines)
        sentence_mentions.sort(key=lambda m: m.start)
        sentence_mentions = [m for m in sentence_mentions if _cued(text, m, sentence_mentions)]
        _coordinated_unresolved(text, sentence, sentence_mentions, skip)
        sentence_mentions.sort(key=lambda m: m.start)
        _between_lists(text, sentence_mentions)
        _mark_datelines(text, sentence_mentions, datelines)
        mentions.extend(sentence_mentions)
    _resolve_namesakes(text, mentions)
    return mentions


ATTRIBUTIVE = re.compile(r"-(?:controlled|held|run|affiliated|backed|led|dominated|made)$")
NATIONALITIES = frozenset(
    "syrian iraqi iranian jordanian lebanese turkish russian american israeli kurdish arab "
    "afghan pakistani saudi emirati qatari egyptian british french european western".split()
)


def _title_case(sentence: str) -> bool:
    words = re.findall(r"[A-Za-z]+", sentence)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) > 0.7


AREA_OF = re.compile(r"\b(desert|badia|countryside)\s+of\s+(?:the\s+)?$", re.IGNORECASE)


def _between_lists(text: str, mentions: list[PlaceMention]) -> None:
    """'between Busayrah, Shahil and Dhiban': every name of the list bounds an area."""
    for previous, mention in itertools.pairwise(mentions):
        joined = re.fullmatch(r"\s*(?:,|and|or|, and)\s*", text[previous.end : mention.start])
        if "place:between" in previous.rules and joined:
            mention.precision = Precision.AREA
            mention.rules.append("place:between")


def _with_place_words(text, run, matches, index):
    """Try "X desert", "X fortress", "desert of X" as one name when the gazetteer has it
    (Hamad desert, Al-Rahbah fortress, Desert of Homs)."""
    if len(matches) > 1:
        return matches
    start, end = (matches[0][0], matches[0][1]) if matches else (run[0].start, run[-1].end)
    after = re.match(
        r"\s+(desert|badia|countryside|valley|base|airbase|airport|(?:oil |gas )?field|camp|"
        r"prison|dam|bridge|station|crossing|fortress|castle|citadel)\b",
        text[end : end + 20],
        re.IGNORECASE,
    )
    if after:
        longer = _lookup(text[start : end + after.end()], index)
        if longer:
            return [(start, end + after.end(), longer)]
    before = re.search(AREA_OF, text[max(0, start - 30) : start])
    if before:
        word = before.group(1)
        for phrase in (f"{word} of {text[start:end]}", f"{text[start:end]} {word}"):
            longer = _lookup(phrase, index)
            if longer:  # "Badia of Homs" is the "Homs Badia"
                return [(start - len(before.group()), end, longer)]
    return matches


def _unresolved(text, run, sentence, found) -> PlaceMention | None:
    """A capitalised name after a place cue that the gazetteer lacks: kept for the editor."""
    words = [t.lower for t in run]
    if run[0].start == sentence.start or len(run) > 3:
        return None
    if any(w in NOT_PLACES or w in STOPLIST for w in words):
        return None
    if not LOCATIVE_CUE.search(text[max(sentence.start, run[0].start - 30) : run[0].start]):
        return None
    if all(t.text.isupper() for t in run):  # acronyms are organisations more often than places
        return None
    if any(part in NATIONALITIES for t in run for part in t.lower.split("-")):
        return None
    if ATTRIBUTIVE.search(run[-1].lower):  # "SDF-controlled areas"
        return None
    if _title_case(sentence.text):  # a headline: every word is capitalised
        return None
    start, end = run[0].start, run[-1].end
    return PlaceMention(start, end, text[start:end], [], rules=["place:unresolved"])


COORDINATED = re.compile(r"(?:,\s*|\s+and\s+|\s+or\s+)([A-Z][\w\u2019'-]+)\b")


def _coordinated_unresolved(text, sentence, mentions, skip) -> None:
    """'advancing at Hajin and Harse': a name listed with known places is a place too."""
    taken = [(m.start, m.end) for m in mentions]
    for m in [m for m in mentions if m.resolved]:
        match = COORDINATED.match(text, m.end, sentence.end)
        if not match:
            continue
        start, end = match.span(1)
        word = match.group(1)
        if any(s <= start < e for s, e in [*taken, *skip]):
            continue
        if word.lower() in NOT_PLACES or word.lower() in STOPLIST or word.isupper():
            continue
        if ATTRIBUTIVE.search(word.lower()) or _title_case(sentence.text):
            continue
        mentions.append(PlaceMention(start, end, word, [], rules=["place:unresolved"]))


def _mark_datelines(text, mentions: list[PlaceMention], datelines) -> None:
    """A dateline ('DAMASCUS (Reuters) –') near the start of the text names where the report
    was written."""
    for start, end in datelines:
        for m in mentions:
            if start <= m.start and m.end <= end and not m.dateline:
                m.dateline = True
                m.rules.append("place:dateline")


def _cued(text: str, m: PlaceMention, mentions: list[PlaceMention]) -> bool:
    """Keep a mention a reader would read as a place. A name that only villages bear, one
    word long, is kept only when the words around it say it is a place ('in X', 'the village
    of X', 'X countryside') or it is listed with other places: a village is called Jihad, one
    Qaani, one Eye."""
    if not m.candidates or m.dateline:
        return True
    if any(e.tier < 2 for e in m.candidates) or " " in m.surface.strip():
        return True
    before = text[max(0, m.start - 40) : m.start]
    if LOCATIVE_CUE.search(before) or NEAR_BEFORE.search(before) or AREA_BEFORE.search(before):
        return True
    if PLACE_WORD_AFTER.match(text, m.end):
        return True
    for other in mentions:
        if other is m or not other.candidates:  # listed with places the gazetteer knows
            continue
        gap = text[other.end : m.start] if other.end <= m.start else text[m.end : other.start]
        if len(gap) <= 7 and LISTED.fullmatch(gap):
            return True
    return False
