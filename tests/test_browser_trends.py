"""The trends panel in real Chromium: bars in the groups' colours, numbers on hover and in the
exports equal to the database's, filters, brush, deaths, phone width, hostile names."""

from __future__ import annotations

import base64
import csv
import io
import struct
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from pathlib import Path

from events.families import BY_KEY, actor_colours
from events.models import Event, EventType, Place
from tests.browser import COUNT_PIXELS, BrowserTestCase

HOSTILE = '<img src=x onerror="window.__hacked = 1">Deir'
TYPE_LABELS = dict(EventType.choices)
SVG = "{http://www.w3.org/2000/svg}"


def month(day: date) -> str:
    return day.strftime("%Y-%m")


def epoch_day(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def csv_counts(text: str) -> Counter:
    """The CSV's non-zero values by (period, group)."""
    rows = csv.DictReader(io.StringIO(text))
    return Counter(
        {(r["period"], r["group"]): float(r["value"]) for r in rows if r["value"] != "0"}
    )


class TrendsTests(BrowserTestCase):
    fixtures = ["places", "actors", "seed"]
    shared_fixtures = True  # the tests only read

    @classmethod
    def setUpSharedData(cls):
        # A governorate with a hostile name: it reaches the legend, the tooltip and the SVG.
        cls.events = list(Event.objects.published().exclude(latitude=None).select_related("admin1"))
        cls.governorate = Counter(e.admin1_id for e in cls.events).most_common(1)[0][0]
        Place.objects.filter(pk=cls.governorate).update(name=HOSTILE)

    # ---- the database's numbers

    def counts(self, key, *, deaths=False, events=None) -> Counter:
        """Events (or known deaths) per (month of the first day, group label)."""
        result = Counter()
        for e in self.events if events is None else events:
            if deaths and e.fatalities_best is None:
                continue
            result[(month(e.date_start), key(e))] += e.fatalities_best if deaths else 1
        return result

    def family_label(self, event) -> str:
        """The family of the event's actor 1 (else its first actor), as the page groups it."""
        roles = sorted(event.event_actors.all(), key=lambda r: (r.role, r.actor_id))
        key = self.families.get(roles[0].actor_id, ("",))[0] if roles else ""
        return BY_KEY[key or "unidentified"].label

    def chart_csv(self, page) -> Counter:
        return csv_counts(page.evaluate("window.atlas.trends.csvText()"))

    def chart_pixels(self, page, hex_colour: str) -> int:
        rgb = [int(hex_colour[k : k + 2], 16) for k in (1, 3, 5)]
        png = base64.b64encode(page.locator(".trends-chart").screenshot()).decode()
        return self.scratch.evaluate(COUNT_PIXELS, [png, rgb, 6])

    def hover(self, page, period: str, label: str) -> str:
        point = page.evaluate("([p, l]) => window.atlas.trends.segmentPoint(p, l)", [period, label])
        self.assertIsNotNone(point, (period, label))
        page.mouse.move(point["x"], point["y"])
        return page.locator(".trends-tip").inner_text()

    # ---- the tests

    def test_it_charts_events_with_the_databases_numbers_and_exports_them(self):
        page = self.open_page("/?trends=events.month.type.bars")
        self.assertTrue(page.locator("#trends").is_visible())
        self.assertEqual(page.locator("#toggle-trends").get_attribute("aria-expanded"), "true")
        by_type = self.counts(lambda e: TYPE_LABELS[e.event_type])
        self.assertEqual(self.chart_csv(page), by_type)

        # Every group in the legend is drawn in its colour; the legend's totals are the DB's.
        legend = page.evaluate(
            """[...document.querySelectorAll('.trends-legend li')].map((li) => [
                li.querySelector('.trends-label').textContent, li.querySelector('.n').textContent,
                getComputedStyle(li.querySelector('.trends-swatch')).backgroundColor])"""
        )
        type_totals = Counter(TYPE_LABELS[e.event_type] for e in self.events)
        self.assertEqual({label: int(n) for label, n, _ in legend}, dict(type_totals))
        for label, _, colour in legend:
            rgb = [int(v) for v in colour[4:-1].split(",")]
            hex_colour = "#" + "".join(f"{v:02x}" for v in rgb)
            self.assertGreater(self.chart_pixels(page, hex_colour), 20, label)

        # Hover: period, group, number and the period's total, as the database counts them.
        december = {label: n for (period, label), n in by_type.items() if period == "2023-12"}
        for label, n in december.items():
            tip = self.hover(page, "2023-12", label)
            self.assertIn("Dec 2023", tip)
            self.assertIn(f"{label}: {n}", tip)
            self.assertIn(f"Total: {sum(december.values())} events", tip)

        # The keyboard reads the same numbers, period by period.
        page.locator(".trends-chart").focus()
        page.keyboard.press("End")
        self.assertIn("Total:", page.locator(".trends-sr").text_content())

        # Stacked by actor family: the families of actor 1, from the same table.
        self.families = actor_colours()
        events = Event.objects.filter(pk__in=[e.pk for e in self.events])
        events = events.prefetch_related("event_actors")
        page.select_option("#trends-stack", "family")
        self.assertEqual(self.chart_csv(page), self.counts(self.family_label, events=events))
        self.assertIn("trends=events.month.family.bars", page.url)

        # Exports: the CSV's numbers, a standalone SVG with the bars, a PNG at twice the size.
        page.select_option("#trends-stack", "governorate")
        with page.expect_download() as info:
            page.get_by_role("button", name="Download the chart's numbers as CSV").click()
        name = info.value.suggested_filename
        self.assertRegex(
            name, r"^atlas-trends-events-per-month-by-governorate_\d{4}-\d\d-\d\d\.csv$"
        )
        exported = csv_counts(Path(info.value.path()).read_text(encoding="utf-8"))
        governorate = lambda e: e.admin1.name if e.admin1_id != self.governorate else HOSTILE  # noqa: E731
        self.assertEqual(exported, self.counts(governorate))
        with page.expect_download() as info:
            page.get_by_role("button", name="Download the chart as SVG").click()
        svg = ET.parse(info.value.path()).getroot()
        self.assertEqual(svg.tag, f"{SVG}svg")
        fills = {p.get("fill") for p in svg.iter(f"{SVG}path") if p.get("data-group")}
        colours = page.evaluate(
            "window.atlas.trends.agg.present.map((g) => window.atlas.trends.agg.groups[g].colour)"
        )
        self.assertEqual(fills, set(colours))
        texts = "".join(svg.itertext())
        self.assertIn(HOSTILE, texts)  # as text, escaped by the serialiser
        with page.expect_download() as info:
            page.get_by_role("button", name="Download the chart as PNG").click()
        png = Path(info.value.path()).read_bytes()
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        width = struct.unpack(">I", png[16:20])[0]
        self.assertEqual(width, 2 * int(svg.get("width")))

        # A hostile governorate name stays text in the legend and the tooltip.
        self.assertIn(HOSTILE, page.locator(".trends-legend").inner_text())
        first = next(p for (p, g) in exported if g == HOSTILE)
        self.assertIn(HOSTILE, self.hover(page, first, HOSTILE))
        self.assertEqual(page.locator("#trends img").count(), 0)
        self.assertIsNone(page.evaluate("window.__hacked"))
        self.assertEqual(self.console_errors, [])

    def test_filters_brush_and_deaths_change_the_bars(self):
        page = self.open_page("/?trends=events.month.type.bars")
        all_bars = self.chart_csv(page)
        battles = TYPE_LABELS[EventType.BATTLES]
        page.locator("#type-list input.type[value=battles]").check()
        page.wait_for_function("() => new URL(location).searchParams.get('type') === 'battles'")
        only = [e for e in self.events if e.event_type == EventType.BATTLES]
        self.assertEqual(self.chart_csv(page), self.counts(lambda e: battles, events=only))
        self.assertNotEqual(self.chart_csv(page), all_bars)
        self.assertEqual(page.locator(".trends-legend li").count(), 1)
        page.locator("#type-list input.type[value=battles]").uncheck()

        # The brush: the chart's periods are the window's; events are counted by first day.
        start, end = date(2018, 1, 1), date(2019, 12, 31)
        page.evaluate(f"window.atlas.brushStep({epoch_day(start)}, {epoch_day(end)})")
        inside = [e for e in self.events if start <= e.date_start <= end]
        brushed = self.chart_csv(page)
        self.assertEqual(brushed, self.counts(lambda e: TYPE_LABELS[e.event_type], events=inside))
        periods = page.evaluate("window.atlas.trends.csvText()").splitlines()[1:]
        self.assertEqual(periods[0].split(",")[0], "2018-01")
        self.assertEqual(periods[-1].split(",")[0], "2019-12")
        self.assertLess(page.evaluate("window.atlas.trendsUpdateMs"), 50)

        # Deaths: the sum of known tolls; events with none are left out, and the caption says
        # how many.
        page.select_option("#trends-measure", "deaths")
        deaths = self.counts(lambda e: TYPE_LABELS[e.event_type], deaths=True, events=inside)
        self.assertEqual(self.chart_csv(page), Counter({k: v for k, v in deaths.items() if v}))
        unknown = sum(1 for e in inside if e.fatalities_best is None)
        self.assertIn(f"{unknown} event", page.locator(".trends-caption").inner_text())
        self.assertIn("trends=deaths.month.type.bars", page.url)

    def test_it_fits_a_phone_and_opens_from_its_button(self):
        page = self.open_page("/", width=390, height=800)
        self.assertFalse(page.locator("#trends").is_visible())
        page.locator("#toggle-trends").click()
        self.assertTrue(page.locator("#trends").is_visible())
        self.assertIn("trends=events.month.family.bars", page.url)
        page.select_option("#trends-stack", "governorate")
        page.select_option("#trends-view", "multiples")
        page.locator("#trends").scroll_into_view_if_needed()
        overflow = page.evaluate(
            """() => [document.documentElement.scrollWidth,
                ...[...document.querySelectorAll('#trends *')]
                  .filter((n) => n.getClientRects().length)
                  .map((n) => n.getBoundingClientRect().right)]"""
        )
        self.assertLessEqual(max(overflow), 390)
        self.assertIn(HOSTILE, page.locator(".trends-chart").text_content())  # the rows' labels
        hostile = page.evaluate(
            "window.atlas.trends.agg.groups.find((g) => g.label.startsWith('<img')).colour"
        )
        self.assertGreater(self.chart_pixels(page, hostile), 20)
        box = page.locator(".trends-chart").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 30)
        tip = page.locator(".trends-tip")
        self.assertIn("Total:", tip.inner_text())
        tip_box = tip.bounding_box()
        self.assertLessEqual(tip_box["x"] + tip_box["width"], 390)
        page.get_by_role("button", name="Close the trends").click()
        self.assertFalse(page.locator("#trends").is_visible())
        self.assertNotIn("trends=", page.url)
        self.assertEqual(self.console_errors, [])
