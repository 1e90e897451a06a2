"""The timeline in real Chromium: axes and tooltips with counts the database confirms, date
inputs, presets ending on the data's last date or today, Play, and phone width."""

import math
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

from django.db.models import Max, Min

from events.models import Actor, Event
from tests.browser import BrowserTestCase

PLAY_INTERVAL = 600  # ms per step at 1x (playback.js)
TIP = re.compile(
    r"^(?P<dates>.+): (?P<total>under 0\.1|[\d.,]+) events?"
    r"(?: — (?P<certain>[\d.,]+) dated to the day, (?P<share>under 0\.1|[\d.,]+)"
    r" spread from (?P<spread>\d+))?"
)


def histogram(events) -> tuple[date, int, list[tuple[float, float, int]]]:
    """The timeline's bins, from the database: an event known to the day counts 1 in its bin;
    one known to a range of days is spread evenly over it. (first day, days per bin, bins of
    (to the day, spread share, events spread))."""
    rows = list(Event.objects.published().values_list("date_start", "date_end"))
    first = min(s for s, _ in rows)
    days = (max(e for _, e in rows) - first).days + 1
    bin_days = max(1, math.ceil(days / 160))
    bins = [[0.0, 0.0, 0] for _ in range(math.ceil(days / bin_days))]
    for start, end in events.values_list("date_start", "date_end"):
        s, e = (start - first).days, (end - first).days
        if s == e:
            bins[s // bin_days][0] += 1
            continue
        for d in range(s, e + 1):
            bins[d // bin_days][1] += 1 / (e - s + 1)
        for b in range(s // bin_days, e // bin_days + 1):
            bins[b][2] += 1
    return first, bin_days, [tuple(b) for b in bins]


class TimelineTests(BrowserTestCase):
    fixtures = ["places", "actors", "seed"]
    shared_fixtures = True  # the tests only read

    def window(self, page) -> tuple[date, date] | None:
        params = parse_qs(urlparse(page.url).query)
        if "start" not in params:
            return None
        return date.fromisoformat(params["start"][0]), date.fromisoformat(params["end"][0])

    def count(self, page) -> int:
        return int(page.locator("#count").inner_text().split(" of ")[0].replace(",", ""))

    def top_tick(self, page) -> int:
        return int(page.locator("#histogram .y-axis .tick").last.get_attribute("data-value"))

    def hover_bin(self, page, index: int) -> re.Match:
        bar = page.locator("#histogram rect.bar:not(.uncertain)").nth(index).bounding_box()
        svg = page.locator("#histogram").bounding_box()
        page.mouse.move(bar["x"] + bar["width"] / 2, svg["y"] + svg["height"] / 3)
        tip = page.locator("#histogram-tip")
        tip.wait_for(state="visible")
        # Text only: the tooltip holds no elements.
        self.assertEqual(tip.evaluate("node => node.children.length"), 0)
        match = TIP.match(tip.inner_text())
        self.assertIsNotNone(match, tip.inner_text())
        return match

    def assert_bin(self, match: re.Match, expected: tuple[float, float, int]) -> None:
        certain, share, spread = expected

        def number(key: str) -> float:  # "under 0.1" is a share between 0 and 0.05
            return 0.025 if match[key].startswith("under") else float(match[key].replace(",", ""))

        self.assertAlmostEqual(number("total"), certain + share, delta=0.051)
        if spread:
            self.assertEqual(number("certain"), certain)
            self.assertAlmostEqual(number("share"), share, delta=0.051)
            self.assertEqual(int(match["spread"]), spread)
        else:
            self.assertIsNone(match["spread"])

    def test_the_axis_and_tooltips_give_the_counts_and_follow_a_filter(self):
        page = self.open_page("/")
        first, bin_days, bins = histogram(Event.objects.published())
        totals = [c + u for c, u, _ in bins]
        tallest = max(range(len(bins)), key=lambda i: totals[i])
        # The top tick bounds the tallest bar, at a scale that reads (not 10 times too high).
        self.assertGreaterEqual(self.top_tick(page), totals[tallest])
        self.assertLess(self.top_tick(page), 2 * totals[tallest] + 1)
        match = self.hover_bin(page, tallest)
        self.assert_bin(match, bins[tallest])
        self.assertIn(str((first + timedelta(days=tallest * bin_days)).year), match["dates"])
        exact = next(i for i, (c, _, _) in enumerate(bins) if c)  # a bar with an exact date
        self.assert_bin(self.hover_bin(page, exact), bins[exact])

        # Filtered to the SDF: a handful of events, and the axis says so.
        page.mouse.move(0, 0)
        page.get_by_label("Syrian Democratic Forces (SDF)").check()
        page.wait_for_function(
            "() => document.querySelector('#count').textContent.startsWith('6 of')"
        )
        sdf = Event.objects.published().involving(Actor.objects.get(slug="sdf"))
        _, _, bins = histogram(sdf)
        totals = [c + u for c, u, _ in bins]
        tallest = max(range(len(bins)), key=lambda i: totals[i])
        self.assertGreaterEqual(self.top_tick(page), totals[tallest])
        self.assertLessEqual(self.top_tick(page), max(1, math.ceil(2 * totals[tallest])))
        self.assert_bin(self.hover_bin(page, tallest), bins[tallest])

        # Keyboard: with focus, the arrows walk the bars (no window) and the tooltip follows.
        page.mouse.move(0, 0)
        page.locator("#histogram").focus()
        page.keyboard.press("ArrowLeft")
        self.assertTrue(page.locator("#histogram-tip").is_visible())
        self.assertEqual(self.console_errors, [])

    def test_dates_presets_and_arrow_keys_set_the_window(self):
        page = self.open_page("/")
        published = Event.objects.published()
        start, end = page.locator("#window-start"), page.locator("#window-end")
        # All dates: the inputs show the data's span.
        span = published.aggregate(first=Min("date_start"), last=Max("date_end"))
        self.assertEqual(start.input_value(), span["first"].isoformat())
        self.assertEqual(end.input_value(), span["last"].isoformat())

        # Typed dates set the window, the URL and the count.
        start.fill("2023-09-01")
        end.fill("2023-09-30")
        self.assertEqual(self.window(page), (date(2023, 9, 1), date(2023, 9, 30)))
        self.assertEqual(
            self.count(page), published.between(date(2023, 9, 1), date(2023, 9, 30)).count()
        )
        # A start after the end is refused with a message; the inputs return on leaving.
        start.fill("2023-10-15")
        self.assertIn("on or before", page.locator("#window-message").inner_text())
        self.assertEqual(self.window(page), (date(2023, 9, 1), date(2023, 9, 30)))
        page.locator("#play-step").focus()
        self.assertEqual(start.input_value(), "2023-09-01")

        # A brush drag moves the inputs with it.
        box = page.locator("#histogram").bounding_box()
        y = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + box["width"] * 0.3, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=4)
        page.mouse.up()
        dragged = self.window(page)
        self.assertEqual((start.input_value(), end.input_value()), tuple(map(str, dragged)))

        # Presets end on the data's last date by default, and say so.
        last = span["last"]
        anchor = page.locator("#preset-anchor")
        self.assertIn(f"{last.day} {last:%b %Y}", anchor.locator("option:checked").inner_text())
        page.locator(".presets button", has_text="Week").click()
        self.assertEqual(self.window(page), (last - timedelta(days=6), last))
        self.assertEqual(
            self.count(page), published.between(last - timedelta(days=6), last).count()
        )
        self.assertEqual(start.input_value(), str(last - timedelta(days=6)))
        # ... or on today, which moves the chosen preset; a window with no data counts 0.
        anchor.select_option("today")
        today = date.today()
        self.assertEqual(self.window(page), (today - timedelta(days=6), today))
        page.locator(".presets button", has_text="Year").click()
        self.assertEqual(self.window(page), (today - timedelta(days=364), today))
        self.assertEqual(
            self.count(page), published.between(today - timedelta(days=364), today).count()
        )
        self.assertEqual(
            page.locator(".presets button", has_text="Year").get_attribute("aria-pressed"), "true"
        )

        # With focus on the histogram, the arrow keys move the window by the chosen step.
        page.locator("#play-step").select_option("week")
        page.locator("#histogram").focus()
        page.keyboard.press("ArrowLeft")
        self.assertEqual(
            self.window(page), (today - timedelta(days=371), today - timedelta(days=7))
        )
        self.assertEqual(self.console_errors, [])

    def test_play_starts_at_the_data_steps_at_its_speed_and_pauses(self):
        page = self.browser.new_page(viewport={"width": 1280, "height": 860})
        self.addCleanup(page.close)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.clock.install()
        self.goto(page, "/?actor=irgc")
        page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)
        irgc = Event.objects.published().involving(Actor.objects.get(slug="irgc"))
        span = irgc.aggregate(first=Min("date_start"), last=Max("date_end"))
        play = page.locator("#play")
        self.assertEqual(play.get_attribute("aria-pressed"), "false")
        self.assertEqual(play.inner_text().strip(), "Play")  # the glyph is drawn, not a character
        self.assertTrue(page.locator("#play svg .glyph-play").is_visible())

        # Play (Enter on the button): a week from the first IRGC event, not an empty year.
        page.locator("#play-step").select_option("week")
        play.focus()
        page.keyboard.press("Enter")
        self.assertEqual(play.get_attribute("aria-pressed"), "true")
        self.assertTrue(page.locator("#play svg .glyph-pause").is_visible())
        self.assertFalse(page.locator("#play svg .glyph-play").is_visible())
        first = span["first"]
        self.assertEqual(self.window(page), (first, first + timedelta(days=6)))

        # One step a week, every PLAY_INTERVAL ms at 1x; twice as often at 2x.
        page.clock.run_for(PLAY_INTERVAL - 1)
        self.assertEqual(self.window(page)[0], first)
        page.clock.run_for(1)
        self.assertEqual(self.window(page)[0], first + timedelta(days=7))
        page.locator("#play-speed").select_option("2")
        page.clock.run_for(PLAY_INTERVAL // 2)
        self.assertEqual(self.window(page)[0], first + timedelta(days=14))

        # Space pauses: time passes, the window stays.
        play.focus()
        page.keyboard.press("Space")
        self.assertEqual(play.get_attribute("aria-pressed"), "false")
        page.clock.run_for(PLAY_INTERVAL * 5)
        self.assertEqual(self.window(page)[0], first + timedelta(days=14))

        # Played on, it stops at the end of the data.
        page.locator("#play-speed").select_option("4")
        play.click()
        # From the third week, the steps until a week reaches the last day.
        steps = math.ceil(((span["last"] - first).days - 6) / 7) - 2
        page.clock.run_for(PLAY_INTERVAL // 4 * (steps - 1))
        self.assertEqual(play.get_attribute("aria-pressed"), "true")
        page.clock.run_for(PLAY_INTERVAL // 4)
        self.assertEqual(play.get_attribute("aria-pressed"), "false")
        self.assertEqual(self.window(page)[0], first + timedelta(days=7 * (steps + 2)))
        self.assertGreaterEqual(self.window(page)[1], span["last"])
        self.assertEqual(errors, [])

    def test_it_fits_a_phone(self):
        page = self.open_page("/", width=390, height=800)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        self.assertLessEqual(overflow, 0)
        for selector in ("#play", "#preset-anchor", "#window-start", "#window-end", "#histogram"):
            box = page.locator(selector).bounding_box()
            self.assertGreaterEqual(box["x"], 0, selector)
            self.assertLessEqual(box["x"] + box["width"], 390, selector)
        self.assertGreater(page.locator("#histogram").bounding_box()["width"], 330)
        self.assert_bin(self.hover_bin(page, 0), histogram(Event.objects.published())[2][0])
        self.assertEqual(self.console_errors, [])
