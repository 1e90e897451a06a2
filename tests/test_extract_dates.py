"""Step 5: dates read against the publication date, with an honest precision."""

from datetime import date

from django.test import SimpleTestCase

from events.models import DatePrecision as Prec
from events.pipeline.dates import dates_find, publication_date_find, reference_infer

PUBLISHED = date(2023, 12, 29)  # a Friday


def first(text: str, published: date = PUBLISHED):
    found = dates_find(text, published)
    return (found[0].date_start, found[0].date_end, found[0].precision) if found else None


class DateTests(SimpleTestCase):
    def test_relative_phrases_resolve_against_publication(self):
        cases = {
            "On September 17, drills were held.": (
                date(2023, 9, 17),
                date(2023, 9, 17),
                Prec.EXACT,
            ),
            "Last month, ISIS announced a campaign.": (
                date(2023, 11, 1),
                date(2023, 11, 30),
                Prec.MONTH,
            ),
            "On Tuesday, a mine exploded.": (date(2023, 12, 26), date(2023, 12, 26), Prec.EXACT),
            "Throughout December the IRGC trained militias.": (
                date(2023, 12, 1),
                date(2023, 12, 29),
                Prec.MONTH,
            ),
            "Earlier this week, clashes broke out.": (
                date(2023, 12, 25),
                date(2023, 12, 29),
                Prec.DAYS,
            ),
            "Yesterday a drone struck a car.": (date(2023, 12, 28), date(2023, 12, 28), Prec.EXACT),
            "In May 2017, the SDF entered the town.": (
                date(2017, 5, 1),
                date(2017, 5, 31),
                Prec.MONTH,
            ),
            "A few days ago, drills were held.": (
                date(2023, 12, 24),
                date(2023, 12, 27),
                Prec.DAYS,
            ),
            "Two days ago gunmen killed a shepherd.": (
                date(2023, 12, 27),
                date(2023, 12, 27),
                Prec.EXACT,
            ),
            "On December 28, 2023, the outlet reported drills.": (
                date(2023, 12, 28),
                date(2023, 12, 28),
                Prec.EXACT,
            ),
        }
        for text, expected in cases.items():
            with self.subTest(text):
                self.assertEqual(first(text), expected)

    def test_a_month_later_in_the_year_is_last_years(self):
        self.assertEqual(
            first("On November 3, clashes.", date(2024, 2, 1)),
            (date(2023, 11, 3), date(2023, 11, 3), Prec.EXACT),
        )

    def test_nothing_is_dated_after_publication(self):
        start, end, _ = first("This month, patrols increased.")
        self.assertEqual((start, end), (date(2023, 12, 1), PUBLISHED))

    def test_numbers_and_words_that_are_not_dates_are_left_alone(self):
        for text in [
            "40% of the fighters left.",
            "The 17th Division moved to Raqqa.",
            "The militias may march on Hajin.",
            "They will march on the town on the 2nd road.",
            "A 30-second video showed trucks.",
        ]:
            with self.subTest(text):
                self.assertEqual(dates_find(text, PUBLISHED), [])

    def test_a_date_of_reporting_is_marked_as_such(self):
        found = dates_find(
            "A December 26 Eye of Euphrates article reported that trucks left.", PUBLISHED
        )
        self.assertTrue(found[0].reporting)

    def test_a_dateline_gives_the_publication_date(self):
        self.assertEqual(
            publication_date_find("Title\n\nprint\nDecember 29, 2023\n\nBody."), PUBLISHED
        )
        self.assertIsNone(publication_date_find("Title\n\nOn December 29, 2023 clashes.\n"))


class ReferenceInferenceTests(SimpleTestCase):
    """An undated report's reference day, from what the report itself says."""

    TODAY = date(2026, 12, 2)

    def infer(self, text: str, url: str = ""):
        found = reference_infer(text, url, today=self.TODAY)
        return found.day, found.how

    def test_each_clue_in_order_of_trust(self):
        cases = [
            ("DEIR EZ-ZOR\nJune 14, 2021\nGunmen attacked.", "", date(2021, 6, 14), "dateline"),
            ("Gunmen attacked on Monday.", "https://e.org/2021/06/14/x", date(2021, 6, 14), "URL"),
            (
                "Gunmen attacked on Monday.",
                "https://e.org/news-20190302-x",
                date(2019, 3, 2),
                "URL",
            ),
            (
                "A strike on 3 June 2022, then on 9 July 2022 another.",
                "",
                date(2022, 7, 9),
                "newest",
            ),
            ("On Monday, June 13, clashes; raids since 2022.", "", date(2022, 6, 13), "agrees"),
            ("Gunmen attacked on Monday.", "https://e.org/2019/03/x", date(2019, 3, 31), "month"),
        ]
        for text, url, day, how in cases:
            with self.subTest(text=text, url=url):
                found, said = self.infer(text, url)
                self.assertEqual(found, day)
                self.assertIn(how, said)

    def test_nothing_dates_a_report_and_today_is_never_used(self):
        for text in ("Gunmen attacked on Monday.", "A strike on 3 June 2031 is planned."):
            with self.subTest(text=text):
                self.assertEqual(self.infer(text), (None, "nothing in the report dates it"))


class ReportDayTests(SimpleTestCase):
    def test_the_weekday_of_the_report_is_its_day_and_last_weekday_the_week_before(self):
        (same,) = dates_find("On Friday, a mine exploded.", PUBLISHED)
        self.assertEqual(same.date_start, PUBLISHED)
        (last,) = dates_find("Last Friday, a mine exploded.", PUBLISHED)
        self.assertEqual(last.date_start, date(2023, 12, 22))

    def test_an_attribution_that_closes_the_sentence_leaves_the_date_to_the_event(self):
        (night,) = dates_find("A mine exploded last night, state television reported.", PUBLISHED)
        self.assertFalse(night.reporting)
        (said,) = dates_find("SOHR reported on Thursday that a mine exploded.", PUBLISHED)
        self.assertTrue(said.reporting)

    def test_a_date_stamp_opening_the_text_is_the_reference_not_an_event_date(self):
        text = " date 2023-12-29 A mine exploded on Thursday."
        reference = reference_infer(text)
        self.assertEqual(reference.day, PUBLISHED)
        self.assertEqual(reference.how, "the date stamp opening the text")
        self.assertEqual([m.surface for m in dates_find(text, PUBLISHED)], ["on Thursday"])
