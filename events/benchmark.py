"""The speed benchmark: synthetic events in a throwaway database, timed on the server and in
headless Chromium. `manage.py benchmark` runs `benchmark_run` in a child process pointed at
a database it creates and drops, so the real database is never touched.
"""

from __future__ import annotations

import gzip
import io
import os
import random
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from events.api.serializers import database_analyze
from events.gazetteer.load import gazetteer_load
from events.models import SUB_EVENT_PARENT, UNIT_KINDS, Actor, Event, EventActor, Place
from events.search import search_refresh

TARGETS_MS = {
    "map format, all events": 300,
    "filtered query": 50,
    "page ready": 1000,  # issue 14: at 100,000 events
    "brush step": 20,  # filter, map, legend, list and (closed) trends: issue 14
    "brush step, trends open": 20,
    "extraction, per report": 20,  # 50 reports of 500 words a second, one core
    "geocoder lookup": 0.5,
}


# Words for the synthetic descriptions, so that a search has something to find (invented).
PHRASES = [
    "an ambush on a patrol road",
    "a landmine exploded under a truck",
    "a drone struck a checkpoint",
    "shelling of farmland at night",
    "truffle hunters were attacked in the desert",
    "clashes near a bridge",
    "arrests during a raid on a village",
    "a protest in the market square",
]


def events_fill(*, count: int, seed: int = 7) -> None:
    """Add `count` published synthetic events over 2014-2024, spread over the region's places."""
    rng = random.Random(seed)
    places = list(
        Place.objects.filter(country="SY")
        .exclude(kind__in=UNIT_KINDS)
        .values_list("pk", "latitude", "longitude", "admin1__pcode", "admin1", "admin2", "admin3")
    )
    east = [p for p in places if p[3] in ("SY09", "SY04", "SY11", "SY08")]
    actors = list(Actor.objects.values_list("pk", flat=True))
    subtypes = list(SUB_EVENT_PARENT.items())
    first = date(2014, 1, 1)
    precisions = [(1, 0), (1, 0), (1, 0), (1, 0), (1, 0), (1, 0), (2, 4), (3, 6), (4, 29), (5, 200)]
    batch = 5000
    words = random.Random(seed + 1)  # apart: the events' other fields stay as they were
    for offset in range(0, count, batch):
        events = []
        for n in range(offset, min(count, offset + batch)):
            pk, lat, lon, _, admin1, admin2, admin3 = rng.choice(
                east if rng.random() < 0.8 else places
            )
            sub, etype = rng.choice(subtypes)
            date_prec, span = rng.choice(precisions)
            start = first + timedelta(days=rng.randrange(0, 3800))
            events.append(
                Event(
                    title=f"Synthetic event {n}",
                    description=f"Benchmark data: {words.choice(PHRASES)}.",
                    event_type=etype,
                    sub_event_type=sub,
                    date_start=start,
                    date_end=start + timedelta(days=span),
                    date_precision=date_prec,
                    place_id=pk,
                    admin1_id=admin1,
                    admin2_id=admin2,
                    admin3_id=admin3,
                    location_precision=rng.choice([1, 1, 1, 2, 2, 3, 4]),
                    latitude=round(lat + rng.uniform(-0.05, 0.05), 5),
                    longitude=round(lon + rng.uniform(-0.05, 0.05), 5),
                    own_coordinates=True,
                    fatalities_best=rng.choice([None, 0, 1, 2, 5]),
                    status=Event.Status.PUBLISHED,
                    dataset="benchmark",
                    import_ref=str(n),
                )
            )
        with transaction.atomic():
            created = Event.objects.bulk_create(events)
            if created[0].pk is None:  # backends that do not return ids
                created = list(
                    Event.objects.filter(dataset="benchmark").order_by("-pk")[: len(events)]
                )
            roles = []
            for event in created:
                chosen = rng.sample(actors, rng.choice([1, 2, 2, 3]))
                for actor_id, role in zip(chosen, ["actor1", "actor2", "assoc1"], strict=False):
                    roles.append(EventActor(event_id=event.pk, actor_id=actor_id, role=role))
            EventActor.objects.bulk_create(roles)
            search_refresh(event.pk for event in created)  # bulk_create sends no signals


def median_ms(fn: Callable[[], object], runs: int = 5) -> float:
    timings = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - t) * 1000)
    return statistics.median(timings)


def server_figures(client: Client) -> dict[str, tuple[float, str]]:
    """Median server times (the full Django stack, in process) and body sizes."""
    figures: dict[str, tuple[float, str]] = {}

    def get(params: dict, **headers):
        response = client.get("/api/events", params, **headers)
        assert response.status_code == 200, response.status_code
        return response

    def cold():
        cache.clear()
        return get({"format": "compact"}, HTTP_ACCEPT_ENCODING="gzip")

    body = cold().content
    raw = len(gzip.decompress(body))
    figures["map format, all events"] = (
        median_ms(cold),
        f"{raw / 1e6:.1f} MB, {len(body) / 1e6:.1f} MB gzipped",
    )
    cached = lambda: get({"format": "compact"}, HTTP_ACCEPT_ENCODING="gzip")  # noqa: E731
    figures["map format, cached body"] = (median_ms(cached), "per data version")
    size = len(get({}).content)
    figures["GeoJSON, all events"] = (median_ms(lambda: get({}), runs=3), f"{size / 1e6:.1f} MB")
    filtered = {"actor": "irgc", "start": "2020-01-01", "end": "2020-12-31", "type": "battles"}
    count = len(get({**filtered, "format": "ids"}).json()["ids"])
    figures["filtered query"] = (median_ms(lambda: get(filtered)), f"{count} events, GeoJSON")
    for q in ("ambush", "Mayadeen drone"):  # a word; a place in another spelling and a word
        search = {"q": q, "format": "ids"}
        count = len(get(search).json()["ids"])
        figures[f'search "{q}"'] = (
            median_ms(lambda search=search: get(search)),
            f"{count} events, ids best first",
        )
    week = lambda: client.get("/api/timeline", {"interval": "week"})  # noqa: E731
    figures["timeline counts per week"] = (median_ms(week), "all events")
    etag = get({"format": "compact"})["ETag"]
    figures["conditional GET (304)"] = (
        median_ms(
            lambda: client.get("/api/events", {"format": "compact"}, HTTP_IF_NONE_MATCH=etag)
        ),
        "ETag matched",
    )
    return figures


def browser_figures(url: str, chromium: str) -> dict[str, tuple[float, str]]:
    """Page-ready time and brush steps in headless Chromium against a live server."""
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        readies = []
        for _ in range(3):
            page.goto(url)
            page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60000)
            readies.append(page.evaluate("window.atlas.readyAt"))
        first, last = page.evaluate("window.atlas.extent")
        steps_ms = page.evaluate("window.atlas.timings")
        steps = page.evaluate(
            """([first, last]) => {
                const out = [];
                for (let a = first; a + 365 < last; a += 90) {
                  out.push(window.atlas.brushStep(a, a + 365));
                }
                return out;
            }""",
            [first, last],
        )
        shown = page.evaluate("window.atlas.visibleCount()")
        # The same steps with the trends chart open: the step, and the chart's part of it.
        page.goto(url + "?trends=events.month.family.bars")
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60000)
        with_chart = page.evaluate(
            """([first, last]) => {
                const out = [];
                for (let a = first; a + 365 < last; a += 90) {
                  const step = window.atlas.brushStep(a, a + 365);
                  out.push([step, window.atlas.trendsUpdateMs, window.atlas.listUpdateMs]);
                }
                return out;
            }""",
            [first, last],
        )
        browser.close()
    phases = ", ".join(f"{k} {v}" for k, v in steps_ms.items())
    return {
        "page ready": (statistics.median(readies), f"navigation to drawn ({phases})"),
        "brush step": (
            statistics.median(steps),
            f"one-year window, {len(steps)} steps, last {shown} shown",
        ),
        "brush step, trends open": (
            statistics.median(s[0] for s in with_chart),
            "the same steps with the chart of events per month by family",
        ),
        "chart update": (
            statistics.median(s[1] for s in with_chart),
            "its part of each step (count and draw)",
        ),
        "list update": (
            statistics.median(s[2] for s in with_chart),
            "the list's part of each step (filter its order, draw rows)",
        ),
    }


def reports_make(*, count: int, words: int = 500, seed: int = 7) -> list[str]:
    """`count` distinct reports of about `words` words, from the seed reports' paragraphs."""
    import json

    from django.conf import settings

    rng = random.Random(seed)
    fixture = json.loads((settings.BASE_DIR / "fixtures" / "seed.json").read_text())
    paragraphs = [
        p.strip()
        for obj in fixture
        if obj["model"] == "events.report"
        for p in obj["fields"]["text"].split("\n")
        if len(p.split()) > 12
    ]
    reports = []
    for n in range(count):
        body: list[str] = []
        while sum(len(p.split()) for p in body) < words:
            body.append(rng.choice(paragraphs))
        reports.append(f"Bulletin {n}\n\n" + "\n\n".join(body))
    return reports


def extraction_figures(count: int = 200) -> dict[str, tuple[float, str]]:
    """Extraction speed: the pipeline alone, and ingest (pipeline + writing candidates)."""
    from events.pipeline.candidates import report_candidates
    from events.pipeline.ingest import ReportInput, report_ingest

    texts = reports_make(count=count)
    words = statistics.mean(len(t.split()) for t in texts)
    published = date(2023, 12, 29)
    report_candidates(texts[0], published=published, reference=published)  # warm the indexes
    t = time.perf_counter()
    found = sum(
        len(report_candidates(t_, published=published, reference=published)) for t_ in texts
    )
    pipeline = (time.perf_counter() - t) * 1000 / count
    t = time.perf_counter()
    for n, text in enumerate(texts):
        report_ingest(ReportInput(origin=f"bench-{n}", text=text, published="2023-12-29"))
    ingest = (time.perf_counter() - t) * 1000 / count
    jobs = os.cpu_count() or 1
    folder = Path(tempfile.mkdtemp())
    for n, text in enumerate(reports_make(count=count, seed=11)):
        (folder / f"{n:04}.txt").write_text(f"PUBLISHED: 2023-12-29\n\n{text}\n", encoding="utf-8")
    t = time.perf_counter()
    call_command("ingest", str(folder), jobs=jobs, stdout=io.StringIO())
    parallel = (time.perf_counter() - t) * 1000 / count
    shutil.rmtree(folder)
    return {
        "extraction, per report": (
            pipeline,
            f"{1000 / pipeline:.0f} reports/s, {words:.0f} words, {found / count:.1f} candidates",
        ),
        "ingest, per report": (ingest, f"{1000 / ingest:.0f} reports/s, saved with candidates"),
        f"ingest --jobs {jobs}, per report": (
            parallel,
            f"{1000 / parallel:.0f} reports/s, {jobs} processes find candidates, one saves",
        ),
    }


def geocoder_figures() -> dict[str, tuple[float, str]]:
    """One offline lookup (every real spelling of the gold list, English and Arabic, in the
    governorate the report names), and the memory the place indexes take in this process."""
    import csv

    from django.conf import settings

    from events.gazetteer.geocoder import Gazetteer

    before = rss_mb()
    geocoder = Gazetteer()
    geocoder.geocode("Hajin")  # builds the index
    index_mb = rss_mb() - before
    path = Path(settings.BASE_DIR) / "fixtures" / "gold" / "place_spellings.tsv"
    with path.open(encoding="utf-8") as handle:
        rows = [(r["spelling"], r["admin1"]) for r in csv.DictReader(handle, delimiter="\t")]
    t = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for spelling, admin1 in rows:
            geocoder.geocode(spelling, within=admin1)
            geocoder.geocode(spelling)
    ms = (time.perf_counter() - t) * 1000 / (rounds * len(rows) * 2)
    places = Place.objects.count()
    return {
        "geocoder lookup": (ms, f"{len(rows)} real spellings, {places} places, +{index_mb:.0f} MB"),
    }


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux; peak elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def curation_figures() -> dict[str, tuple[float, str]]:
    """The UCDP import (the shipped file, then again: nothing to change) and the search for
    likely duplicates among all the events in the database."""
    from django.conf import settings

    from events.curation.duplicates import duplicates_find
    from events.importers.datasets import csv_rows, events_import, ucdp_row

    path = Path(settings.BASE_DIR) / "fixtures" / "ucdp" / "ucdp_ged_syria_2020.csv"
    figures = {}
    for label in ("UCDP import, per row", "UCDP import again, per row"):
        t = time.perf_counter()
        result = events_import(csv_rows(path), ucdp_row, "ucdp")
        seconds = time.perf_counter() - t
        figures[label] = (
            seconds * 1000 / result.rows,
            f"{result.rows} rows in {seconds:.1f} s: {result.created} created, "
            f"{result.unchanged} unchanged",
        )
    ids = list(Event.objects.values_list("pk", flat=True))
    events = list(Event.objects.filter(pk__in=random.Random(3).sample(ids, 20)))
    found = []
    ms = median_ms(lambda: found.append(len(duplicates_find(events[len(found) % 20]))), runs=20)
    figures["likely duplicates, per event"] = (
        ms,
        f"among {len(ids)} events, {statistics.mean(found):.1f} found on average",
    )
    return figures


ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp"
)


def acled_file_make(path: Path, rows: int, seed: int = 11) -> int:
    """A synthetic ACLED export (the current layout) of `rows` distinct events at the
    gazetteer's eastern places, with notes of ACLED's usual length; its size in bytes."""
    import csv

    rng = random.Random(seed)
    places = list(
        Place.objects.filter(country="SY", admin1__pcode__in=["SY09", "SY04", "SY11", "SY08"])
        .exclude(kind__in=UNIT_KINDS)
        .values_list("name", "latitude", "longitude")[:3000]
    )
    pairs = [
        ("Islamic State (Syria)", "Rebel group", "SDF: Syrian Democratic Forces", "Rebel group"),
        ("Military Forces of Syria (2024-)", "State forces",
         "Islamic State (Syria)", "Rebel group"),
        ("Unidentified Armed Group (Syria)", "Political militia", "Civilians (Syria)", "Civilians"),
        ("Military Forces of the United States", "External/Other forces",
         "Militia (Pro-Iran)", "Political militia"),
    ]  # fmt: skip
    types = [
        ("Political violence", "Battles", "Armed clash"),
        ("Political violence", "Explosions/Remote violence", "Air/drone strike"),
        ("Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("Political violence", "Violence against civilians", "Attack"),
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ACLED_HEADER.split(","))
        for n in range(rows):
            name, lat, lon = rng.choice(places)
            actor1, inter1, actor2, inter2 = rng.choice(pairs)
            disorder, event_type, sub = rng.choice(types)
            day = date(2017, 1, 1) + timedelta(days=rng.randrange(3000))
            notes = (
                f"On {day:%d %B %Y}, {actor1} attacked {actor2} in {name} (Deir ez-Zor). "
                + "The source reports casualties on both sides and damage to property. " * 4
            )
            writer.writerow([
                f"SYR{100000 + n}", day.isoformat(), day.year, rng.choice([1, 1, 1, 2, 3]),
                disorder, event_type, sub, actor1, "", inter1, actor2, "", inter2,
                f"{inter1}-{inter2}", "", 760, "Middle East", "Syria", "Deir ez Zor", "", "",
                name, f"{lat + rng.uniform(-0.003, 0.003):.4f}",
                f"{lon + rng.uniform(-0.003, 0.003):.4f}", rng.choice([1, 1, 2]),
                "Syrian Observatory for Human Rights", "Other", notes, rng.randrange(6), "",
                1700000000 + n,
            ])  # fmt: skip
    return path.stat().st_size


def dataset_import_figures(sizes: list[int]) -> dict[str, tuple[float, str]]:
    """import_acled of synthetic files of each size, each in a fresh process (as an editor runs
    it): milliseconds a row, rows a second and the process's peak memory, which should not grow
    with the file (rows are read, compared and written a batch at a time)."""
    import subprocess
    import sys

    from django.conf import settings

    figures = {}
    folder = Path(tempfile.mkdtemp())
    try:
        for rows in sizes:
            path = folder / f"acled-{rows}.csv"
            size = acled_file_make(path, rows)
            command = [sys.executable, "manage.py", "import_acled", str(path)]
            command += ["--dataset", f"bench-{rows}", "--verbosity", "0"]
            started = time.perf_counter()
            child = subprocess.Popen(command, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - started
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode:
                raise RuntimeError(f"import_acled of {rows} rows failed ({child.returncode})")
            figures[f"ACLED import, {rows} rows"] = (
                seconds * 1000 / rows,
                f"{rows / seconds:.0f} rows/s, {size / 1e6:.0f} MB file, peak "
                f"{usage.ru_maxrss / 1e3:.0f} MB",
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def benchmark_run(*, count: int, chromium: str, stdout, import_rows=(10_000, 100_000)) -> bool:
    """Fill this (throwaway) database and print the figures; True when every target is met."""
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    gazetteer_load()
    call_command("loaddata", "actors", verbosity=0)
    events_fill(count=count)
    database_analyze()
    stdout.write(f"{count} synthetic events written in {time.perf_counter() - t:.1f} s")
    figures = server_figures(Client())
    figures |= geocoder_figures()
    figures |= extraction_figures()
    figures["process memory"] = (None, f"{rss_mb():.0f} MB resident after the above")
    figures |= curation_figures()
    figures |= dataset_import_figures(list(import_rows))

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    try:
        figures |= browser_figures(f"http://127.0.0.1:{server.port}/", chromium)
    finally:
        server.terminate()

    ok = True
    for name, (ms, note) in figures.items():
        target = TARGETS_MS.get(name)
        verdict = ""
        if target is not None:
            met = ms <= target
            ok &= met
            verdict = f"target {target} ms: {'met' if met else 'MISSED'}"
        timing = "" if ms is None else f"{ms:8.2f} ms"
        stdout.write(f"  {name:28} {timing:>11}   {note:45} {verdict}")
    return ok
