"""Dates in a report, resolved against its publication date, with an honest precision.

NOTES.md: `search_dates` over whole sentences invents dates ("40% of the" -> 1940) and misses
others. So date phrases are found by patterns first, and only those spans are parsed, by
dateparser with `RELATIVE_BASE` = the publication date and `PREFER_DATES_FROM='past'` for
the explicit forms ("September 17", "on Tuesday", "December 2023") and by plain calendar
arithmetic for the relative ones dateparser does not read ("earlier this week", "in recent
days", "throughout December"). Every date is a window (earliest, latest) no later than the
publication date, and its UCDP precision follows from the window's length.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from dateparser.date import DateDataParser

from events.models import DatePrecision
from events.pipeline.fatalities import number_value

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
# "May" and "March" are also English words: as a month they need a day, a year or a cue.
AMBIGUOUS_MONTHS = ("may", "march", "mar")
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19[89]\d|20\d\d)"
COUNT = r"(?:\d{1,2}|a couple of|couple of|a few|few|several|one|two|three|four|five|six|seven|eight|nine|ten|a)"  # noqa: E501

# (rule name, pattern); the first pattern to match a stretch of text wins, so longer go first.
PATTERNS: list[tuple[str, re.Pattern]] = [
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in [
        ("iso", rf"\b{YEAR}-[01]\d-[0-3]\d\b"),
        (
            "day-range",
            rf"\b(?:between\s+)?{MONTH}\s+{DAY}\s*(?:-|–|and|to)\s*{DAY}(?:,?\s+{YEAR})?\b",
        ),
        ("day-range", rf"\b{DAY}\s*(?:-|–|and|to)\s*{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?\b"),
        ("month-day", rf"\b{MONTH}\s+{DAY}(?:,?\s+{YEAR})?\b(?!\s*(?:%|km|kilomet))"),
        ("day-month", rf"\b{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?\b"),
        (
            "part-month",
            rf"\b(?:early|mid|late|the end of|end of|the beginning of|beginning of|the start of|start of|the middle of)[\s-]+{MONTH}(?:,?\s+{YEAR})?\b",
        ),  # noqa: E501
        ("month-year", rf"\b{MONTH},?\s+{YEAR}\b"),
        (
            "month",
            rf"\b(?:in|during|throughout|since|from|until|by|of|last|this|past)\s+{MONTH}\b(?!\s+{DAY})",
        ),  # noqa: E501
        (
            "weekday",
            rf"\b(?:on\s+|last\s+|this\s+|early\s+|late\s+)?(?:the\s+)?{WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?\b",
        ),  # noqa: E501
        (
            "day-word",
            r"\b(?:yesterday|today|tonight|last night|this morning|this afternoon|this evening|on the same day)\b",
        ),  # noqa: E501
        ("days-ago", rf"\b{COUNT}\s+days?\s+ago\b"),
        ("weeks-ago", rf"\b{COUNT}\s+weeks?\s+ago\b"),
        ("months-ago", rf"\b{COUNT}\s+months?\s+ago\b"),
        (
            "recent-days",
            r"\b(?:in\s+)?(?:the\s+)?(?:past|last|recent|previous|coming)\s+(?:few\s+|several\s+|couple of\s+)?days\b|\brecent days\b",
        ),  # noqa: E501
        ("week", r"\b(?:earlier this|this|last|past|the past|the previous|previous)\s+week\b"),
        (
            "month-rel",
            r"\b(?:earlier this|this|last|past|the past|the previous|previous)\s+month\b",
        ),  # noqa: E501
        ("year-rel", r"\b(?:earlier this|this|last|past|the past|the previous|previous)\s+year\b"),
        ("year", rf"\b(?:in|during|throughout|since|by|of|early|late|mid)[\s-]+{YEAR}\b"),
    ]
]
REPORTING = re.compile(
    r"[^.;:]{0,80}?\b(?:article|report|statement|video|post|publication|bulletin|"
    r"reported|said|stated|announced|published|claimed|according)\b",
    re.IGNORECASE,
)


REPORTED_BEFORE = re.compile(
    r"\b(?:said|stated|announced|reported|claimed|published|posted|added|confirmed|told|"
    r"statement|report|video|bulletin|article)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
# "..., the observatory said." / "..., state television reported on its website.": the
# attribution closes the sentence.
ATTRIBUTION_END = re.compile(r"(?:(?!\bthat\b)[^.;:\n]){0,30}[.\n]|\s*$")


@dataclass(frozen=True)
class DateMention:
    """A date phrase and the window it stands for."""

    start: int
    end: int
    surface: str
    date_start: date
    date_end: date
    precision: int
    rule: str
    reporting: bool = False  # the date of a report or statement, not of the event itself


def precision_for(start: date, end: date) -> int:
    """UCDP date_prec from a window's length."""
    days = (end - start).days + 1
    if days <= 1:
        return DatePrecision.EXACT
    if days <= 6:
        return DatePrecision.DAYS
    if days <= 8:
        return DatePrecision.WEEK
    if days <= 31:
        return DatePrecision.MONTH
    return DatePrecision.LONGER


@cache
def _parser(published: date) -> DateDataParser:
    base = datetime(published.year, published.month, published.day, 12)
    return DateDataParser(
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"},
    )


def _month_window(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _past_month(month: int, published: date) -> int:
    """The year of the latest such month not after publication."""
    return published.year if month <= published.month else published.year - 1


def _count(phrase: str) -> tuple[int, int]:
    """(fewest, most) of "two days ago", "a few weeks ago": the count read as fatalities are."""
    value = number_value(phrase.split(" day")[0].split(" week")[0].split(" month")[0])
    if value is None:
        return 1, 1
    best, low, high = value
    return (best, best) if best is not None else (low, high)


def _months_in(text: str) -> list[int]:
    return [MONTHS[m.group().lower().rstrip(".")] for m in re.finditer(MONTH, text, re.I)]


def _years_in(text: str) -> list[int]:
    return [int(y) for y in re.findall(YEAR, text)]


def _days_in(text: str) -> list[int]:
    without_years = re.sub(YEAR, " ", text)
    return [int(d) for d in re.findall(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", without_years)]


def _resolve(rule: str, phrase: str, published: date) -> tuple[date, date] | None:
    """The window (earliest, latest) a phrase stands for, or None when it is not a date."""
    low = phrase.lower()
    months, years = _months_in(phrase), _years_in(phrase)
    if rule == "iso":
        day = date.fromisoformat(phrase)
        return day, day
    if rule in ("month-day", "day-month"):
        found = _parser(published).get_date_data(phrase)
        if found.date_obj is None:
            return None
        day = found.date_obj.date()
        return day, day
    if rule == "day-range":
        days = _days_in(phrase)
        year = years[0] if years else _past_month(months[0], published)
        try:
            return date(year, months[0], min(days)), date(year, months[0], max(days))
        except ValueError:
            return None
    if rule in ("part-month", "month-year", "month"):
        if not months:
            return None
        month = months[0]
        year = years[0] if years else _past_month(month, published)
        first, last = _month_window(year, month)
        if rule == "part-month":
            if low.startswith(("early", "the beginning", "beginning", "the start", "start")):
                return first, first + timedelta(days=9)
            if low.startswith(("mid", "the middle")):
                return first + timedelta(days=10), first + timedelta(days=19)
            return first + timedelta(days=20), last
        if low.startswith("since"):
            return first, published
        return first, last
    if rule == "weekday":
        # "on Tuesday" in a Tuesday report is that day (news tells the day's events); "last
        # Tuesday" is the week before; any other weekday, the latest one before the report.
        name = re.search(WEEKDAY, phrase, re.IGNORECASE).group().capitalize()
        back = (published.weekday() - WEEKDAYS.index(name)) % 7
        if back == 0 and low.startswith("last"):
            back = 7
        day = published - timedelta(days=back)
        return day, day
    if rule == "day-word":
        back = 1 if low in ("yesterday", "last night") else 0
        day = published - timedelta(days=back)
        return day, day
    if rule == "days-ago":
        fewest, most = _count(low)
        return published - timedelta(days=most), published - timedelta(days=fewest)
    if rule == "weeks-ago":
        n = _count(low)[1]
        end = published - timedelta(days=7 * n)
        return end - timedelta(days=6), end
    if rule == "months-ago":
        n = _count(low)[1]
        end = published - timedelta(days=30 * n)
        return end - timedelta(days=29), end
    if rule == "recent-days":
        if "coming" in low:
            return None
        return published - timedelta(days=6), published
    if rule == "week":
        monday = published - timedelta(days=published.weekday())
        if low.startswith(("last", "previous", "the previous")):
            return monday - timedelta(days=7), monday - timedelta(days=1)
        if "past" in low:
            return published - timedelta(days=7), published
        return monday, published
    if rule == "month-rel":
        if low.startswith(("last", "previous", "the previous")):
            end = published.replace(day=1) - timedelta(days=1)
            return _month_window(end.year, end.month)
        if "past" in low:
            return published - timedelta(days=30), published
        return published.replace(day=1), published
    if rule == "year-rel":
        if low.startswith(("last", "previous", "the previous")):
            return date(published.year - 1, 1, 1), date(published.year - 1, 12, 31)
        if "past" in low:
            return published - timedelta(days=365), published
        return date(published.year, 1, 1), published
    if rule == "year":
        year = years[0]
        if low.startswith("since"):
            return date(year, 1, 1), published
        return date(year, 1, 1), date(year, 12, 31)
    return None


def dates_find(text: str, published: date, start: int = 0, end: int | None = None):
    """Date phrases in text[start:end] with their windows, in order of appearance. A date
    stamp opening the text dates the page, never an event in it."""
    end = len(text) if end is None else end
    stamp = STAMP.match(text)
    taken: list[tuple[int, int]] = [stamp.span()] if stamp else []
    mentions: list[DateMention] = []
    for rule, pattern in PATTERNS:
        for match in pattern.finditer(text, start, end):
            s, e = match.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            phrase = match.group().strip()
            if _ambiguous_month(rule, phrase):
                continue
            window = _resolve(rule, phrase, published)
            if window is None:
                continue
            first, last = window
            last = min(last, published)  # nothing reported happened after the report
            first = min(first, last)
            reporting = _reporting(text, s, e, end) and rule != "recent-days"
            taken.append((s, e))
            mentions.append(
                DateMention(
                    s, e, phrase, first, last, precision_for(first, last), f"date:{rule}", reporting
                )
            )
    return sorted(mentions, key=lambda m: m.start)


def _reporting(text: str, s: int, e: int, end: int) -> bool:
    """Whether a date phrase dates a report or a statement ("SOHR reported on Monday that",
    "in a statement on Monday"), not the incident: a reporting word just before it, or one
    after it that introduces what was said. "... last night, state television reported." ends
    on its attribution: the date is the incident's."""
    if REPORTED_BEFORE.search(text, max(0, s - 40), s):
        return True
    after = REPORTING.match(text, e, end)
    if not after:
        return False
    verb = after.group().split()[-1].lower() in ("reported", "said", "stated", "according")
    return not (verb and ATTRIBUTION_END.match(text, after.end(), end))


def _ambiguous_month(rule: str, phrase: str) -> bool:
    """'may' and 'march' read as months only with a day, a year or a cue word before them."""
    if rule not in ("month",):
        return False
    word = phrase.split()[-1].lower().rstrip(".")
    cue = phrase.split()[0].lower()
    return word in AMBIGUOUS_MONTHS and cue not in ("in", "during", "throughout", "since", "of")


def publication_date_find(text: str) -> date | None:
    """A dateline among the first lines of a text ("December 29, 2023" on a line of its own)."""
    for line in text.splitlines()[:12]:
        line = line.strip().rstrip(".")
        if re.fullmatch(rf"(?:{WEEKDAY},?\s+)?{MONTH}\s+{DAY},?\s+{YEAR}", line, re.I) or (
            re.fullmatch(rf"{DAY}\s+{MONTH},?\s+{YEAR}", line, re.I)
            or re.fullmatch(rf"{YEAR}-[01]\d-[0-3]\d", line)
        ):
            found = _parser(date.today()).get_date_data(line)
            if found.date_obj is not None:
                return found.date_obj.date()
    return None


# --------------------------------------------------------------------------- undated reports

# " date 2024-08-14 (MENAFN) DAMASCUS, Aug 14 -": a stamp some pages open with: the day the
# page was dated, the report's reference when nothing else gives one.
STAMP = re.compile(r"\A\s*date\s+(\d{4}-[01]\d-[0-3]\d)\b")
WAR_START = date(2011, 3, 15)  # no event Atlas records is older; an undated window starts here
URL_DAY = re.compile(r"(?<!\d)(20[12]\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)")
URL_MONTH = re.compile(r"/(20[12]\d)/(0[1-9]|1[0-2])/")
FULL_DATE = re.compile(
    rf"\b(?:{MONTH}\s+{DAY},?\s+{YEAR}|{DAY}\s+{MONTH},?\s+{YEAR}|{YEAR}-[01]\d-[0-3]\d)\b",
    re.IGNORECASE,
)
WEEKDAY_DATE = re.compile(
    rf"\b({WEEKDAY}),?\s+(?:({MONTH})\s+({DAY})|({DAY})\s+({MONTH}))\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Reference:
    """The day a report's relative dates are read against, and how it was found."""

    day: date | None
    how: str


def reference_infer(text: str, url: str = "", *, today: date | None = None) -> Reference:
    """For a report without a publication date: a dateline; a date in its URL; the newest full
    date (with its year) the text gives; a weekday that agrees with a day of the month in a
    year the text names. None when nothing dates it (never today's date)."""
    today = today or date.today()
    if found := publication_date_find(text):
        return Reference(found, "the dateline")
    if match := URL_DAY.search(url or ""):
        try:
            return Reference(date(*map(int, match.groups())), "the date in the URL")
        except ValueError:
            pass
    if match := STAMP.match(text):
        try:
            stamped = date.fromisoformat(match[1])
        except ValueError:
            stamped = None
        if stamped and WAR_START <= stamped <= today:
            return Reference(stamped, "the date stamp opening the text")
    days = []
    for match in FULL_DATE.finditer(text):
        parsed = _parser(today).get_date_data(match.group())
        if parsed.date_obj is not None and WAR_START <= parsed.date_obj.date() <= today:
            days.append(parsed.date_obj.date())
    if days:
        newest = max(days)
        return Reference(newest, f"the newest full date in the text ({newest:%B %-d, %Y})")
    years = sorted({int(y) for y in re.findall(rf"\b{YEAR}\b", text) if int(y) >= 2011})
    for match in WEEKDAY_DATE.finditer(text):
        weekday = match.group(1).capitalize()
        month = MONTHS.get((match.group(2) or match.group(5)).lower().rstrip("."))
        day = int(re.match(r"\d+", match.group(3) or match.group(4)).group())
        for year in reversed(years):
            try:
                candidate = date(year, month, day)
            except (TypeError, ValueError):
                continue
            if f"{candidate:%A}" == weekday and candidate <= today:
                return Reference(candidate, f"{weekday} {day} agrees with {candidate:%B %Y}")
    if match := URL_MONTH.search(url or ""):
        year, month = map(int, match.groups())
        last = date(year, month, calendar.monthrange(year, month)[1])
        return Reference(last, f"the month in the URL ({last:%B %Y})")
    return Reference(None, "nothing in the report dates it")


def dates_undated(text: str, retrieved: date) -> list[DateMention]:
    """Date phrases of a report nothing dates: a phrase that says its year keeps its window; a
    relative one ('on Monday', 'last week') gets the widest window, from the war's start to
    the day the report was retrieved, with the rule date:undated-report for the editor."""
    # Read against two days 400 days apart: a phrase whose window moves is relative.
    early = {(m.start, m.end): m for m in dates_find(text, retrieved + timedelta(days=400))}
    mentions = []
    for m in dates_find(text, retrieved):
        other = early.get((m.start, m.end))
        if other is not None and (other.date_start, other.date_end) == (m.date_start, m.date_end):
            mentions.append(m)  # absolute: the same whatever the reference
        else:
            mentions.append(
                DateMention(
                    m.start,
                    m.end,
                    m.surface,
                    WAR_START,
                    retrieved,
                    precision_for(WAR_START, retrieved),
                    "date:undated-report",
                    m.reporting,
                )
            )
    return mentions
