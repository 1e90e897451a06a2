"""Fatalities and injuries in a sentence: numbers in words or digits, killed kept apart from
wounded ("killing three soldiers and wounding 12" is 3 killed, 12 wounded).

A vague count ("dozens", "several") gives a range with no best figure, the way ACLED and UCDP
record an uncertain toll: "dozens killed" is low 24, high 99, best unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Vague amounts as (low, high).
VAGUE = {
    "several": (3, 9),
    "a few": (2, 5),
    "a couple of": (2, 3),
    "couple of": (2, 3),
    "few": (2, 5),
    "some": (2, 9),
    "dozens of": (24, 99),
    "dozens": (24, 99),
    "a dozen": (12, 12),
    "scores of": (40, 99),
    "hundreds of": (200, 999),
    "hundreds": (200, 999),
    "at least": None,  # handled with the number after it
}
NUMBER = (
    r"(?:\d{1,4}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three"
    r"|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten|an?|several|"
    r"a few|dozens of|dozens|a dozen|scores of|hundreds of|hundreds|some)"
)
QUALIFIER = r"(?:at least|more than|over|nearly|about|around|up to|some)?\s*"
# Who can be counted: people, with their adjectives ("three Syrian soldiers").
PEOPLE = (
    r"(?:[A-Za-z-]+\s+){0,3}?(?:people|persons|civilians?|soldiers?|troops|members?|fighters?|"
    r"militants?|militiam[ae]n|gunmen|personnel|officers?|elements?|men|women|children|child|"
    r"boys?|girls?|shepherds?|farmers?|workers?|hunters?|residents?|individuals?|guards?|"
    r"jihadists?|recruits?|commanders?|leaders?|policem[ae]n|cadres?|youths?|students?|"
    r"drivers?|journalists?|teachers?|doctors?|nurses?|traders?|merchants?|mukhtars?|sheikhs?|"
    r"employees?|engineers?|herders?|smugglers?|suspects?|collaborators?|informants?|"
    r"civilians?|others?|of (?:them|whom))"
)
# "five members of the Syrian Democratic Forces were killed": whose they were, then the verb.
OF_WHOM = r"(?:\s+of\s+(?:the\s+)?(?:[\w'\u2019()-]+\s+){0,5}?[\w'\u2019()-]+)?"
KILL = (
    r"(?:killed|dead|died|slain|lost their lives|were killed|was killed|killing|deaths?|fatalities)"  # noqa: E501
)
WOUND = r"(?:wounded|injured|hurt|wounding|injuring|injuries)"

KILLED = [
    re.compile(p, re.IGNORECASE)
    for p in [
        rf"\b(?:killing|kills|killed|(?:shot|shooting) dead|left|leaving|claimed the lives of)\s+{QUALIFIER}(?P<n>{NUMBER})(?:\s+{PEOPLE}|\b(?!\s+(?!in |at |near |on )[a-z]))",  # noqa: E501
        rf"\b{QUALIFIER}(?P<n>{NUMBER})\s+{PEOPLE}?{OF_WHOM}\s*(?:were|was|have been|had been|are)?\s*(?:killed|dead|died|slain|lost their lives)",  # noqa: E501
        rf"\b(?:death toll|toll)\s+(?:\w+\s+){{0,3}}?(?:to|of|at)\s+{QUALIFIER}(?P<n>{NUMBER})\b",
        rf"\b(?P<n>{NUMBER})\s+(?:deaths|fatalities|dead)\b",
    ]
]
WOUNDED = [
    re.compile(p, re.IGNORECASE)
    for p in [
        rf"\b(?:wounding|injuring|wounded|injured)\s+{QUALIFIER}(?P<n>{NUMBER})(?:\s+{PEOPLE}|\b(?!\s+[a-z]))",
        rf"\b{QUALIFIER}(?P<n>{NUMBER})\s+{PEOPLE}?{OF_WHOM}\s*(?:were|was|have been|had been|are)?\s*(?:wounded|injured|hurt)",  # noqa: E501
        rf"\b(?:and|,)\s+{QUALIFIER}(?P<n>{NUMBER})\s+(?:others\s+)?(?:wounded|injured)",
    ]
]
# "No casualties were reported", "without causing injuries": a toll of zero (GUIDELINES.md §10).
NO_CASUALTIES = re.compile(
    r"\b(?:no (?:casualties|fatalities|deaths|injuries|losses|one was (?:hurt|killed|injured))|"
    r"without (?:causing |any )?(?:casualties|injuries|losses)|"
    r"(?:did not|didn't) (?:result in|cause) (?:any )?(?:casualties|injuries|deaths|losses)|"
    r"no (?:human )?(?:casualties|losses) (?:were|was) (?:reported|recorded)|"
    r"no reports? of (?:any )?(?:casualties|injuries|deaths))",
    re.IGNORECASE,
)
# "Qassim Al-Soleimany, who was killed", "a soldier was killed": one person.
ONE_KILLED = re.compile(r"\b(?:who|he|she) was (?:killed|assassinated|shot dead)\b", re.I)


@dataclass(frozen=True)
class Casualties:
    killed_low: int | None = None
    killed_best: int | None = None
    killed_high: int | None = None
    wounded: int | None = None
    rules: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return self.killed_high is not None or self.wounded is not None


def number_value(words: str) -> tuple[int | None, int, int] | None:
    """(best, low, high) of a number in words or digits; best is None for a vague amount."""
    words = words.lower().strip()
    if words.isdigit():
        n = int(words)
        return n, n, n
    if VAGUE.get(words):
        low, high = VAGUE[words]
        return (low if low == high else None), low, high
    parts = re.split(r"[- ]", words)
    total = 0
    for part in parts:
        if part in TENS:
            total += TENS[part]
        elif part in UNITS:
            total += UNITS[part]
        else:
            return None
    return total, total, total


def _first(patterns: list[re.Pattern], text: str):
    for pattern in patterns:
        for match in pattern.finditer(text):
            value = number_value(match.group("n"))
            if value is not None:
                qualifier = match.group().lower()
                return value, qualifier
    return None, ""


def fatalities_find(text: str) -> Casualties:
    """Killed (best, low, high) and wounded in one sentence; empty when it gives none."""
    killed, qualifier = _first(KILLED, text)
    wounded, _ = _first(WOUNDED, text)
    rules = []
    low = best = high = None
    if killed is not None:
        best, low, high = killed
        if "at least" in qualifier or "more than" in qualifier or "over" in qualifier:
            best = low
            high = None if "at least" in qualifier else high
            rules.append("fatalities:at-least")
        rules.append("fatalities:count")
    elif ONE_KILLED.search(text):
        best = low = high = 1
        rules.append("fatalities:one-person")
    elif NO_CASUALTIES.search(text):
        best = low = high = 0
        rules.append("fatalities:none")
    wounded_n = None
    if wounded is not None:
        wounded_n = wounded[0] if wounded[0] is not None else wounded[1]
        rules.append("injuries:count")
    return Casualties(low, best, high, wounded_n, tuple(rules))
