"""Read reports from text files, folders, JSON Lines and standard input, and save them.

A text file may start with header lines (`URL:`, `TITLE:`, `SOURCE:`, `PUBLISHED:`) and a
blank line before the body; a JSON Lines file holds one report per line (url, title, source,
published, text). Each report is saved with its extraction in one transaction, so a failure
leaves nothing half-written; the same text twice is one report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dateparser.date import DateDataParser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from events.models import Report, Source, text_hash
from events.pipeline.dates import publication_date_find, reference_infer
from events.pipeline.extract import ExtractResult, report_extract
from events.pipeline.text import ReportTextError, text_clean, text_decode

HEADER = re.compile(r"^(URL|TITLE|SOURCE|PUBLISHED):[ \t]*(.*)$", re.IGNORECASE)
TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
UNKNOWN_SOURCE = "Unknown source"
# Lines that are page furniture, not a title.
FURNITURE = re.compile(
    r"^(?:skip to (?:main )?content|print|back to top|read more|share|menu|home|"
    r"the syrian observatory for human rights)$",
    re.IGNORECASE,
)


@dataclass
class ReportInput:
    """One report as read, before it is checked: where it came from, for messages."""

    origin: str
    text: str
    title: str = ""
    url: str = ""
    source: str = ""
    published: str = ""


@dataclass
class IngestResult:
    report: Report | None = None
    status: str = "failed"  # created, updated, skipped, failed
    reason: str = ""
    extraction: ExtractResult = field(default_factory=ExtractResult)


class InputError(ValueError):
    """An input that cannot be read, with where and why."""


# --------------------------------------------------------------------------- reading


def text_file_parse(raw: str, origin: str) -> ReportInput:
    """Header lines (optional), a blank line, then the body."""
    lines = raw.split("\n")
    fields: dict[str, str] = {}
    i = 0
    while i < len(lines) and (match := HEADER.match(lines[i].strip())):
        fields[match.group(1).lower()] = match.group(2).strip()
        i += 1
    body = "\n".join(lines[i + 1 if fields and i < len(lines) and not lines[i].strip() else i :])
    return ReportInput(origin=origin, text=body, **fields)


def jsonl_parse(raw: str, origin: str) -> Iterator[ReportInput | InputError]:
    """One report per line; a bad line is an InputError naming its line number."""
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputError(f"{where}: not valid JSON ({error.msg}, column {error.colno}).")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield InputError(f"{where}: expected an object with a 'text' string.")
            continue
        values = {k: obj.get(k) or "" for k in ("title", "url", "source", "published")}
        if any(not isinstance(v, str) for v in values.values()):
            yield InputError(f"{where}: title, url, source and published must be strings.")
            continue
        nul = [k for k, v in [*values.items(), ("text", obj["text"])] if "\x00" in v]
        if nul:  # PostgreSQL refuses NUL in text and SQLite would keep it: refused on both
            yield InputError(f"{where}: {', '.join(nul)} holds a NUL character (\\u0000).")
            continue
        yield ReportInput(origin=where, text=obj["text"], **values)


def inputs_read(paths: list[str], *, stdin=None) -> Iterator[ReportInput | InputError]:
    """Every report in the paths (files, folders, '-' for standard input), in order."""
    for name in paths:
        if name == "-":
            data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
            yield from _read_bytes(data, "<stdin>", jsonl=data.lstrip()[:1] == b"{")
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES
            )
            if not files:
                yield InputError(f"{path}: no .txt, .html or .jsonl files in this folder.")
            for file in files:
                yield from _read_file(file)
        elif path.is_file():
            yield from _read_file(path)
        else:
            yield InputError(f"{path}: no such file or folder.")


def _read_file(path: Path) -> Iterator[ReportInput | InputError]:
    try:
        data = path.read_bytes()
    except OSError as error:
        yield InputError(f"{path}: cannot be read ({error.strerror}).")
        return
    yield from _read_bytes(data, str(path), jsonl=path.suffix.lower() in JSONL_SUFFIXES)


def _read_bytes(data: bytes, origin: str, *, jsonl: bool) -> Iterator[ReportInput | InputError]:
    if jsonl:
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            yield InputError(f"{origin}: not UTF-8 text.")
            return
        yield from jsonl_parse(raw, origin)
        return
    try:
        raw = text_decode(data, name=origin)
    except ReportTextError as error:
        yield InputError(str(error))
        return
    yield text_file_parse(raw, origin)


# --------------------------------------------------------------------------- saving


def _title_from(text: str) -> str:
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(line.split()) >= 4 and not FURNITURE.match(line):
            return line[:500]
    return " ".join(text.split())[:120] or "Untitled report"


UNDATED = frozenset({"", "unknown", "n/a", "na", "none", "-", "?", "undated", "no date"})


def _published(value: str, origin: str) -> date | None:
    if value.strip().casefold() in UNDATED:  # the report gives none: dated from its text
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        found = DateDataParser(languages=["en"]).get_date_data(value)
        if found.date_obj is None:
            raise InputError(f"{origin}: PUBLISHED {value!r} is not a date.") from None
        return found.date_obj.date()


@dataclass
class Precomputed:
    """A report's candidates found ahead, in another process (ingest --jobs), with the
    reference day they were read against: used only if the saved report reads the same."""

    reference: date | None
    candidates: list


def item_candidates(item: ReportInput) -> Precomputed | None:
    """The candidates `report_ingest` will find for a new report, computed without touching
    the database's rows (for a worker process); None when the input will be refused."""
    from events.pipeline.candidates import report_candidates

    try:
        text = text_clean(item.text, name=item.origin)
        published = _published(item.published.strip(), item.origin)
    except (ReportTextError, InputError):
        return None
    published = published or publication_date_find(text)
    today = timezone.localdate()
    reference = published or reference_infer(text, item.url.strip(), today=today).day
    candidates = report_candidates(text, published=published, reference=reference, retrieved=today)
    return Precomputed(reference, candidates)


def report_ingest(
    item: ReportInput, *, source_name: str = "", precomputed: Precomputed | None = None
) -> IngestResult:
    """Check, save and extract one report, all or nothing. Raises InputError with a message
    for the person who sent it when the report cannot be used. `precomputed`: its candidates,
    found ahead in another process (item_candidates)."""
    try:
        text = text_clean(item.text, name=item.origin)
    except ReportTextError as error:
        raise InputError(str(error)) from None
    url = item.url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise InputError(f"{item.origin}: URL {url!r} is not an http(s) address.") from None
    published = _published(item.published.strip(), item.origin)
    dateline = publication_date_find(text) if published is None else None
    with transaction.atomic():
        report = Report.objects.filter(content_hash=text_hash(text)).first()
        if url:
            other = Report.objects.filter(url=url).exclude(pk=getattr(report, "pk", None))
            if other.exists():
                raise InputError(
                    f"{item.origin}: URL {url} already belongs to another report "
                    f"(#{other.first().pk}) with a different text."
                )
        status = "skipped"
        if report is None:
            source, _ = Source.objects.get_or_create(
                name=(item.source or source_name or UNKNOWN_SOURCE)[:200]
            )
            report = Report(source=source, text=text, retrieved_at=timezone.now())
            report.title = (item.title or _title_from(text))[:500]
            report.url = url
            report.published = published or dateline
            if report.published is None:
                reference = reference_infer(text, url, today=timezone.localdate())
                if reference.day is not None:
                    report.published_note = (
                        f"No publication date; relative dates are read against "
                        f"{reference.day:%Y-%m-%d}: {reference.how}."
                    )
                else:
                    report.published_note = (
                        "No publication date, and nothing in the report dates it: relative "
                        "dates ('on Monday', 'last week') are left unresolved (from 2011-03-15 "
                        f"to the day it was ingested, {timezone.localdate()}), flagged "
                        "date:undated-report."
                    )
            elif dateline:
                report.published_note = "Publication date read from the dateline."
            status = "created"
        else:
            # Details given now fill what the stored report lacks; nothing is overwritten.
            changed = False
            for name, value in (("title", item.title), ("url", url), ("published", published)):
                if value and not getattr(report, name):
                    setattr(report, name, value)
                    changed = True
            if changed:
                status = "updated"
        report.full_clean(exclude=["source", "content_hash"])
        report.save()
        extraction = report_extract(report, precomputed=precomputed)
        if status == "skipped" and extraction.changed:
            status = "updated"
    return IngestResult(report=report, status=status, extraction=extraction)
