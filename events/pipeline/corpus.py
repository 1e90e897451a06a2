"""The development corpus: real reports rebuilt on this machine (never committed), and the
annotations the project holds for them (fixtures/gold/corpus/: offsets, labels and a hash of
each text, following GUIDELINES.md there).

A rebuilt report is `NNN.txt`: `URL:`, `TITLE:`, `SOURCE:`, `PUBLISHED:` header lines, a blank
line, the body. The split is fixed by file number, written down before any tuning: 001-100 are
the development split (rules and lexicons are tuned on them), 101-150 the test split (scores
are reported on them; their errors are never read to write a rule).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from events.models import EventType, SubEventType

SPLITS = {"dev": range(1, 101), "test": range(101, 151)}
ROLES = ("actor1", "actor2", "assoc1", "assoc2")


@dataclass(frozen=True)
class CorpusReport:
    file: str
    url: str
    title: str
    source: str
    published: date | None  # None: empty or "unknown"
    body: str

    @property
    def number(self) -> int:
        return int(re.match(r"\d+", self.file).group())

    @property
    def body_sha256(self) -> str:
        return body_hash(self.body)


def body_hash(body: str) -> str:
    """SHA-256 of the body as UTF-8, surrounding white space stripped."""
    return hashlib.sha256(body.strip().encode("utf-8")).hexdigest()


def report_read(path: Path) -> CorpusReport:
    """A rebuilt report: its header fields and its body (offsets count from the body's start)."""
    text = path.read_text(encoding="utf-8")
    header, _, body = text.partition("\n\n")
    fields = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip().upper()] = value.strip()
    published = None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields.get("PUBLISHED", "")):
        published = date.fromisoformat(fields["PUBLISHED"])
    return CorpusReport(
        file=path.name,
        url=fields.get("URL", ""),
        title=fields.get("TITLE", ""),
        source=fields.get("SOURCE", ""),
        published=published,
        body=body,
    )


def corpus_reports(folder: Path, split: str | None = None) -> list[CorpusReport]:
    """The rebuilt reports in `folder`, those of `split` only when named, by file number."""
    numbers = SPLITS[split] if split else None
    reports = []
    for path in sorted(folder.glob("[0-9][0-9][0-9].txt")):
        report = report_read(path)
        if numbers is None or report.number in numbers:
            reports.append(report)
    return reports


def annotations_load(path: Path) -> dict[str, dict]:
    """file name -> its annotation, from a JSON Lines file, or from every adjudicated file
    (gold.*.jsonl) of a folder such as fixtures/gold/corpus."""
    if path.is_dir():
        pooled = {}
        for part in sorted(path.glob("gold.*.jsonl")):
            pooled.update(annotations_load(part))
        return pooled
    annotations = {}
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}, line {line_number}: not JSON ({error})") from None
            annotations[item["file"]] = item
    return annotations


def annotation_problems(annotation: dict, report: CorpusReport) -> list[str]:
    """What is wrong with an annotation of this report, in words (nothing: it is usable)."""
    problems = []
    if annotation.get("body_sha256") != report.body_sha256:
        problems.append(
            f"{report.file}: the text differs from the annotated one (body_sha256 "
            f"{str(annotation.get('body_sha256'))[:16]}… annotated, {report.body_sha256[:16]}… "
            "here): rebuild it from the same stored page"
        )
        return problems
    for holder, key in annotation_notes(annotation):
        if note_quotes(holder[key], report.body):
            problems.append(
                f"{report.file}: a {key} copies the report's text (`corpus clean` turns it into "
                "offsets)"
            )
    for n, event in enumerate(annotation.get("events", []), start=1):
        where = f"{report.file} event {n}"
        if event.get("event_type") not in EventType.values:
            problems.append(f"{where}: event_type {event.get('event_type')!r} is not ACLED's")
        if event.get("sub_event_type") not in SubEventType.values:
            problems.append(f"{where}: sub_event_type {event.get('sub_event_type')!r} unknown")
        for key in ("date_start", "date_end"):
            value = event.get(key)
            if value is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
                problems.append(f"{where}: {key} {value!r} is not YYYY-MM-DD")
        if not set(event.get("actors", {})) <= set(ROLES):
            problems.append(f"{where}: roles are {', '.join(ROLES)}")
        spans = event.get("evidence") or []
        if not spans:
            problems.append(f"{where}: no evidence span")
        for start, end in spans:
            if not (0 <= start < end <= len(report.body)):
                problems.append(f"{where}: evidence [{start}, {end}] is outside the body")
    return problems


QUOTE_MIN = 25  # characters of a report a note may not copy (offsets say it instead)


def note_quotes(note: str, body: str) -> list[tuple[int, int, int]]:
    """Stretches of `note` copied from the report: (start in note, end in note, start in
    body), each at least QUOTE_MIN characters, longest first."""
    found, i = [], 0
    while i + QUOTE_MIN <= len(note):
        at = body.find(note[i : i + QUOTE_MIN])
        if at < 0:
            i += 1
            continue
        end = i + QUOTE_MIN
        while end < len(note) and body.find(note[i : end + 1]) >= 0:
            end += 1
        found.append((i, end, body.find(note[i:end])))
        i = end
    return found


def note_clean(note: str, body: str) -> str:
    """The note with each copied stretch of the report replaced by its offsets: the project
    keeps annotations, never the publishers' text."""
    for start, end, at in reversed(note_quotes(note, body)):
        note = f"{note[:start]}[body {at}:{at + end - start}]{note[end:]}"
    return note


def annotation_notes(annotation: dict) -> list[tuple[dict, str]]:
    """(the object holding it, key) of every free-text field of an annotation."""
    fields = [(annotation, key) for key in ("note", "reference_how")]
    for event in annotation.get("events", []):
        fields.append((event, "note"))
    return [(holder, key) for holder, key in fields if holder.get(key)]
