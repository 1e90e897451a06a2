"""The incident sentence classifier: the shipped model read without scikit-learn gives
scikit-learn's scores, it separates incidents from what is not one on sentences written
here (never from the reports it was trained on), and training never sees the test split."""

import json
import tempfile
from pathlib import Path

from events.pipeline.classifier import (
    INCIDENT_FLOOR,
    MODEL_PATH,
    Example,
    IncidentModel,
    examples_from_corpus,
    features_of,
    incident_export,
    incident_fit,
    incident_model,
)
from events.pipeline.corpus import body_hash, corpus_reports
from tests.base import AtlasTestCase

# Written for this test, in the style of the monitors' reports; none is from the corpus.
INCIDENTS = [
    "Unknown gunmen shot dead a member of the SDF in the town of Diban on Tuesday evening.",
    "An ISIS cell attacked an SDF checkpoint near al-Busayrah, killing two fighters.",
    "A drone struck a vehicle belonging to Iranian militias near Al-Bukamal at dawn today.",
    "A landmine left over from the war exploded in the desert of Al-Mayadin, killing a shepherd.",
    "Regime forces shelled the outskirts of the village of Al-Salihiyah overnight.",
]
NOT_INCIDENTS = [
    "The Syrian Observatory has documented the deaths of 320 people since the beginning of 2024.",
    "Analysts say the group has been trying to rebuild its networks across the Badia for years.",
    "The coalition said it remains committed to the lasting defeat of the group in the region.",
    "Residents fear that the security vacuum will allow cells to return to the villages.",
    "The town was captured from ISIS in 2017 after a months-long campaign.",
]


class ShippedModelTest(AtlasTestCase):
    def test_it_is_shipped_and_says_what_it_was_trained_on(self):
        self.assertTrue(MODEL_PATH.exists(), "run manage.py train_classifier")
        model = incident_model()
        self.assertIn("dev reports", model.trained_on)
        self.assertNotIn("101", model.trained_on.split(" of ")[0])

    def test_it_scores_incidents_above_the_floor_and_the_rest_below(self):
        model = incident_model()
        for sentence in INCIDENTS:
            with self.subTest(sentence=sentence):
                self.assertGreaterEqual(model.probability(sentence), INCIDENT_FLOOR)
        below = [s for s in NOT_INCIDENTS if model.probability(s) < INCIDENT_FLOOR]
        self.assertGreaterEqual(len(below), 3, "most non-incidents fall under the floor")
        self.assertLess(
            max(model.probability(s) for s in NOT_INCIDENTS[:2]),
            min(model.probability(s) for s in INCIDENTS),
        )

    def test_it_says_which_words_weighed(self):
        reasons = incident_model().reasons(INCIDENTS[0])
        self.assertEqual(len(reasons), 3)
        self.assertTrue(all(r[0] in "+-" for r in reasons))


class ReaderParityTest(AtlasTestCase):
    def test_the_json_reader_gives_scikit_learns_probabilities(self):
        examples = [Example(s, 1, "x") for s in INCIDENTS] + [
            Example(s, 0, "y") for s in NOT_INCIDENTS
        ]
        # min_df=2 needs repeats: each sentence twice, as two reports would.
        vectorizer, model = incident_fit(examples + examples)
        data = json.loads(json.dumps(incident_export(vectorizer, model, "here")))
        reader = IncidentModel(
            weights={f: (w, idf) for f, w, idf in data["features"]},
            bias=data["bias"],
            trained_on=data["trained_on"],
        )
        probe = [*INCIDENTS, *NOT_INCIDENTS, "Clashes broke out in Hajin 0 words unseen zzz."]
        expected = model.predict_proba(vectorizer.transform(probe))[:, 1]
        for sentence, want in zip(probe, expected, strict=True):
            self.assertAlmostEqual(reader.probability(sentence), want, places=4)

    def test_features_are_words_and_pairs_with_digits_folded(self):
        self.assertEqual(
            features_of("ISIS killed 12 men."),
            ["isis", "killed", "00", "men", "isis killed", "killed 00", "00 men"],
        )


class TrainingSplitTest(AtlasTestCase):
    def test_training_examples_come_from_dev_reports_only(self):
        body = "Gunmen attacked a checkpoint in Hajin.\n\nThe region has long been poor."
        with tempfile.TemporaryDirectory() as folder:
            for name in ("005.txt", "105.txt"):
                Path(folder, name).write_text(
                    f"URL: https://example.org/{name}\nTITLE: t\nSOURCE: s\nPUBLISHED: \n\n{body}",
                    encoding="utf-8",
                )
            annotation = {
                "body_sha256": body_hash(body),
                "events": [{"evidence": [[0, 38]]}],
            }
            annotations = [{"005.txt": annotation, "105.txt": annotation}]
            examples = examples_from_corpus(corpus_reports(Path(folder), "dev"), annotations)
        self.assertEqual({e.group for e in examples}, {"005.txt"})
        self.assertEqual([e.label for e in examples], [1, 0])
