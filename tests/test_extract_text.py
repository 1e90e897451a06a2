"""Step 1: what comes in is checked, HTML keeps its text, sentences keep their spans."""

from django.test import SimpleTestCase, override_settings

from events.pipeline.text import ReportTextError, sentences_split, text_clean, text_decode

PARAGRAPH = (
    "On Sept. 17 the U.S.-led coalition said Lt. Col. Smith met SDF commanders at 5 p.m. "
    "near Al-Omar. ISIS cells attacked a checkpoint in Hajin."
)


class TextTests(SimpleTestCase):
    def test_it_splits_a_hard_paragraph_into_sentences_with_exact_spans(self):
        text = "Title line\n\n" + PARAGRAPH
        sentences = sentences_split(text)
        self.assertEqual([s.text for s in sentences][1:], [
            "On Sept. 17 the U.S.-led coalition said Lt. Col. Smith met SDF commanders at 5 p.m. "
            "near Al-Omar.",
            "ISIS cells attacked a checkpoint in Hajin.",
        ])  # fmt: skip
        for s in sentences:
            self.assertEqual(text[s.start : s.end], s.text)
        self.assertEqual(sentences[0].text, "Title line")  # a line break ends a sentence

    def test_it_keeps_the_text_of_pasted_html_and_drops_scripts(self):
        html = (
            "<html><head><title>SOHR</title><script>alert('x')</script></head><body>"
            "<p>ISIS cells <b>attacked</b> a checkpoint in Hajin.</p><p>Two soldiers were "
            "killed &amp; three wounded.</p></body></html>"
        )
        text = text_clean(html)
        self.assertIn("ISIS cells attacked a checkpoint in Hajin.", text)
        self.assertIn("Two soldiers were killed & three wounded.", text)
        self.assertNotIn("alert", text)
        self.assertNotIn("<", text)

    def test_it_refuses_empty_binary_and_oversized_input_with_a_message(self):
        with self.assertRaisesMessage(ReportTextError, "is empty"):
            text_clean("   \n\t ")
        with self.assertRaisesMessage(ReportTextError, "binary file"):
            text_decode(b"PK\x03\x04\x00\x00binary", name="a.zip")
        with self.assertRaisesMessage(ReportTextError, "not UTF-8"):
            text_decode("Dayr az-Zawr café".encode("latin-1"), name="latin1.txt")
        with (
            override_settings(ATLAS_REPORT_MAX_BYTES=1_000_000),
            self.assertRaisesMessage(ReportTextError, "5.0 MB"),
        ):
            text_decode(b"a" * 5_000_000, name="big.txt")

    def test_it_refuses_text_that_is_not_english(self):
        arabic = "هاجمت خلايا داعش حاجزا لقوات النظام في بادية دير الزور وقتل ثلاثة جنود"
        with self.assertRaisesMessage(ReportTextError, "mostly Arabic script"):
            text_clean(arabic)
        french = (
            "Des cellules de l'organisation ont attaqué un poste de l'armée syrienne près de "
            "Deir ez-Zor, tuant trois soldats selon une source locale."
        )
        with self.assertRaisesMessage(ReportTextError, "does not read as English"):
            text_clean(french)
        self.assertTrue(text_clean(PARAGRAPH))
