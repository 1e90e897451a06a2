"""UCDP and ACLED imports, the shipped UCDP file, and export -> import round trips."""

import csv
import io
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from events.curation.history import State
from events.importers.datasets import _location_kind, acled_row, csv_rows, ucdp_row
from events.models import Actor, Event, EventActor, Evidence, Place
from tests.base import AtlasTestCase

UCDP_FILE = Path(settings.BASE_DIR) / "fixtures" / "ucdp" / "ucdp_ged_syria_2020.csv"


def run(command: str, *args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


class FileTestCase(AtlasTestCase):
    def write(self, text: str, suffix: str = ".csv") -> Path:
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder)
        path = Path(folder) / f"data{suffix}"
        path.write_text(text, encoding="utf-8")
        return path

    def signature(self) -> list[tuple]:
        """Every event as the researcher sees it, independent of database ids."""
        rows = []
        for e in Event.objects.select_related("place").order_by("date_start", "title"):
            roles = sorted(e.event_actors.values_list("actor__name", "role"))
            rows.append(
                (
                    *(e.title, e.event_type, e.sub_event_type, e.date_start, e.date_end),
                    *(e.date_precision, e.location_precision, e.place and e.place.name),
                    *(round(e.latitude, 5), round(e.longitude, 5), e.fatalities_best),
                    *(e.fatalities_low, e.fatalities_high, e.description, tuple(roles)),
                )
            )
        return rows


class ShippedUcdpFileTests(FileTestCase):
    """The real UCDP GED file `make run` loads: 1,140 rows of Syria in 2020."""

    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.out, cls.err = run("import_ucdp", str(UCDP_FILE))

    def test_every_row_becomes_a_published_event_with_its_provenance(self):
        self.assertIn("Rows: 1140 read, 0 failed. Events: 1140 created", self.out)
        events = Event.objects.filter(dataset="ucdp")
        self.assertEqual(events.published().count(), 1140)
        self.assertEqual(events.values("import_ref").distinct().count(), 1140)
        first = events.get(date_start=date(2020, 1, 19), latitude=34.97, longitude=39.55)
        self.assertIn("ISIS resurgence: 20 regime soldiers killed", first.source_text)
        self.assertEqual(
            sorted(first.event_actors.values_list("actor__slug", "role")),
            [("islamic-state", "actor2"), ("syrian-army", "actor1")],
        )
        self.assertEqual((first.place.kind, first.place.pcode), ("governorate", "SY09"))
        self.assertEqual(first.admin1.name, "Deir ez-Zor")
        self.assertIsNone(first.admin3)  # known to the governorate only: no subdistrict
        self.assertEqual(first.location_precision, 4)  # 'Western Deir ez Zor governorate'
        self.assertTrue(first.own_coordinates)  # western Deir ez-Zor, not the centroid
        self.assertEqual((first.fatalities_best, first.event_type), (1, "battles"))

    def test_actors_are_matched_by_alias_or_created(self):
        created = set(
            Actor.objects.filter(description__contains="ucdp import").values_list("name", flat=True)
        )
        self.assertEqual(
            created,
            {
                *("Syrian insurgents", "Ahrar al-Sharqiya", "PIJ"),
                # UCDP's two-party side is its two parties.
                *("Tanzim Hurras ad-Din", "al-Moutasem Brigade", "Hamza Division"),
            },
        )
        self.assertIn("Actors created: 6.", self.out)
        # UCDP's "SNA" and "HTS" are the lexicon's (fixtures/actors.json), not new actors.
        for slug in ("syrian-national-army", "hts"):
            self.assertTrue(Event.objects.filter(dataset="ucdp", actors__slug=slug).exists())
        attacks = Event.objects.filter(dataset="ucdp", event_type="violence_against_civilians")
        self.assertEqual(attacks.count(), 57)  # and 3 one-sided landmines, strikes or shelling
        one_sided = Event.objects.filter(dataset="ucdp", description__contains="one-sided")
        self.assertEqual(one_sided.count(), 60)
        self.assertFalse(one_sided.exclude(event_actors__actor__slug="civilians-syria").exists())

    def test_sub_types_are_inferred_from_the_headlines_and_say_so(self):
        inferred = Event.objects.filter(dataset="ucdp", description__contains="inferred from")
        counts = dict(inferred.values_list("sub_event_type").annotate(n=Count("pk")).order_by())
        self.assertEqual(counts, {
            "air_drone_strike": 188, "remote_explosive_landmine_ied": 175,
            "shelling_artillery_missile_attack": 85, "suicide_bomb": 2, "grenade": 1,
        })  # fmt: skip
        mine = inferred.filter(description__contains="'Landmine'").first()
        self.assertEqual(mine.event_type, "explosions")

    def test_places_are_matched_to_the_gazetteer_near_the_coordinates_or_created(self):
        hajin = Event.objects.filter(dataset="ucdp", place__slug="hajin")
        self.assertGreater(hajin.count(), 0)
        created = Place.objects.filter(source__startswith="ucdp import")
        # The gazetteer knows the villages now: most rows find theirs.
        self.assertLess(created.count(), 100)
        self.assertFalse(created.filter(admin1=None).exists())
        self.assertFalse(created.filter(kind__in=["governorate", "district"]).exists())
        east = Event.objects.filter(dataset="ucdp", admin1__pcode__in=["SY09", "SY08", "SY11"])
        self.assertGreater(east.count(), 300)
        # Whatever UCDP writes, every event of Deir ez-Zor is found under its governorate.
        spelled = {"Deir ez Zor", "Dayr az Zawr", "Deir-ez-Zor", "SY09", "دير الزور"}
        for spelling in spelled:
            response = self.client.get(
                reverse("api-events"), {"format": "ids", "governorate": spelling}
            )
            self.assertEqual(
                len(response.json()["ids"]),
                Event.objects.filter(dataset="ucdp", admin1__pcode="SY09").count(),
                spelling,
            )

    def test_inconsistent_fatality_ranges_keep_ucdps_best_estimate_and_say_so(self):
        self.assertIn("Rows with a warning: 15.", self.out)
        self.assertIn("line 22: warning: fatalities: low: 23 is more than high 22", self.err)
        event = Event.objects.filter(dataset="ucdp", description__contains="disagree").first()
        self.assertIsNotNone(event.fatalities_best)
        self.assertIsNone(event.fatalities_high)

    def test_a_second_import_changes_nothing(self):
        before = list(Event.objects.order_by("pk").values_list("pk", "updated_at"))
        counts = (Actor.objects.count(), Place.objects.count(), Version.objects.count())
        out, _ = run("import_ucdp", str(UCDP_FILE))
        self.assertIn("0 created, 0 updated, 1140 unchanged", out)
        self.assertEqual(list(Event.objects.order_by("pk").values_list("pk", "updated_at")), before)
        self.assertEqual(
            (Actor.objects.count(), Place.objects.count(), Version.objects.count()), counts
        )

    def test_the_import_is_recorded_in_each_events_history(self):
        event = Event.objects.filter(dataset="ucdp").first()
        version = Version.objects.get_for_object(event).get()
        self.assertEqual(version.revision.get_comment(), "import_ucdp ucdp_ged_syria_2020.csv")
        # The version holds its actor roles too (what a revert restores).
        self.assertEqual(
            sorted(State.of_version(version).roles),
            sorted(event.event_actors.values_list("actor_id", "role")),
        )

    def test_the_real_file_comes_back_out_value_for_value(self):
        path = self.write("")
        run("export_events", output=str(path), layout="ucdp")
        with (
            path.open(encoding="utf-8", newline="") as exported,
            UCDP_FILE.open(encoding="utf-8", newline="") as original,
        ):
            got, want = list(csv.reader(exported)), list(csv.reader(original))
        self.assertEqual(got[0], want[0])  # the shipped file's own (partial) columns
        # Row for row, every value as the file wrote it (the export's order is by date).
        self.assertEqual(sorted(got[1:]), sorted(want[1:]))

    def test_the_map_api_serves_them(self):
        response = self.client.get(reverse("api-events"), {"format": "compact"})
        self.assertEqual(response.json()["count"], 1140)


FULL_UCDP_HEADER = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
    "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
    "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
    "source_date,source_headline,source_original,where_prec,where_coordinates,"
    "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,"
    "deaths_unknown,best,high,low,gwnoa,gwnob"
)


def full_ucdp_row(**values) -> str:
    row = dict.fromkeys(FULL_UCDP_HEADER.split(","), "")
    row.update(
        id="354020",
        year="2020",
        type_of_violence="1",
        dyad_name="Government of Syria - IS",
        side_a="Government of Syria",
        side_b="IS",
        source_article='"SOHR,2020-03-02,ISIS attack near al-Mayadin"',
        where_prec="2",
        where_coordinates="Al Mayadin town",
        adm_1="Dayr az Zawr governorate",
        latitude="35.019",
        longitude="40.452",
        country="Syria",
        date_prec="2",
        date_start="2020-03-01",
        date_end="2020-03-02",
        best="5",
        high="7",
        low="4",
    )
    row.update(values)
    buffer = io.StringIO()
    csv.writer(buffer).writerow(row.values())
    return buffer.getvalue()


class UcdpImportTests(FileTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def test_a_row_written_differently_is_the_same_row(self):
        """The shipped file (no id column) re-saved by a spreadsheet: numbers with trailing
        zeros, dates with a time, other spacing and case. Nothing is created or updated."""
        with UCDP_FILE.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))[:40]
        original = self.write(self.csv_text(rows))
        out, _ = run("import_ucdp", str(original))
        self.assertIn("Rows: 40 read, 0 failed. Events: 40 created", out)
        for row in rows:
            row["latitude"] += "00" if "." in row["latitude"] else ".000"  # 34.97 -> 34.9700
            row["longitude"] = f" {row['longitude']}{'0' if '.' in row['longitude'] else '.0'} "
            row["date_start"] += " 00:00:00.000"
            row["date_end"] += " 00:00:00.000"
            row["side_a"] = "  " + row["side_a"].upper()
            row["side_b"] = row["side_b"].lower().replace(" ", "  ")
            row["best"] = f"{row['best']}.0"
        reformatted = self.write(self.csv_text(rows))
        out, _ = run("import_ucdp", str(reformatted))
        self.assertIn("Events: 0 created, 0 updated, 40 unchanged", out)
        self.assertEqual(Event.objects.filter(dataset="ucdp").count(), 40)

    @staticmethod
    def csv_text(rows: list[dict]) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()

    def test_bad_cells_are_their_rows_errors_and_the_rest_goes_on(self):
        """A huge cell, a NUL character, too few or too many cells, bytes that are not UTF-8:
        each is its row's error with its line, on SQLite and PostgreSQL alike."""
        header = FULL_UCDP_HEADER.encode() + b"\n"
        good = [full_ucdp_row(id=str(n)).encode() for n in range(1, 6)]
        huge = full_ucdp_row(id="10", source_article="x" * 200_000).encode()
        nul = full_ucdp_row(id="11", side_b="Syrian\x00insurgents").encode()
        short = b"12,1,2020\n"
        long = full_ucdp_row(id="13").encode().rstrip(b"\r\n") + b",extra\n"
        latin1 = full_ucdp_row(id="14", side_b="Liwa al-Quds").encode().replace(b"Quds", b"Q\xfbds")
        path = self.write("")
        path.write_bytes(
            header
            + b"".join([good[0], huge, good[1], nul, good[2], short])
            + long
            + latin1
            + good[3]
            + good[4]
        )
        out, err = run("import_ucdp", str(path))
        self.assertIn("Rows: 10 read, 5 failed. Events: 5 created", out)
        self.assertIn("line 3: source_article: 200,000 characters, more than a cell may hold", err)
        self.assertIn("line 5: side_b: holds a NUL character", err)
        self.assertIn("line 7: 3 cells, fewer than the 49 columns of the header", err)
        self.assertIn("line 8: 50 cells, more than the 49 columns of the header", err)
        self.assertIn("line 9: line 9, column", err)
        self.assertIn("re-save the file as UTF-8", err)
        self.assertEqual(
            sorted(Event.objects.filter(dataset="ucdp").values_list("import_ref", flat=True)),
            ["1", "2", "3", "4", "5"],
        )
        self.assertFalse(Actor.objects.filter(name__contains="insurgents").exists())

    def test_a_file_whose_header_is_not_utf8_is_refused_with_a_hint(self):
        path = self.write("")
        path.write_bytes(FULL_UCDP_HEADER.replace("side_a", "s\xeede_a").encode("latin-1") + b"\n")
        with self.assertRaisesMessage(CommandError, "re-save the file as UTF-8"):
            run("import_ucdp", str(path))

    def test_the_full_ged_column_set_uses_its_id_and_precision_codes(self):
        path = self.write(FULL_UCDP_HEADER + "\n" + full_ucdp_row())
        run("import_ucdp", str(path))
        event = Event.objects.get(dataset="ucdp", import_ref="354020")
        self.assertEqual((event.location_precision, event.date_precision), (2, 2))
        self.assertEqual(event.place.slug, "al-mayadin")
        self.assertEqual(
            (event.fatalities_low, event.fatalities_best, event.fatalities_high), (4, 5, 7)
        )
        self.assertIn("Dyad: Government of Syria - IS.", event.description)

    def test_type_codes_as_numbers_or_words(self):
        for code, expected in (
            ("3", "violence_against_civilians"),
            ("One-sided", "violence_against_civilians"),
            ("state-based", "battles"),
            ("2", "battles"),
        ):
            cells = next(
                csv_rows(self.write(FULL_UCDP_HEADER + "\n" + full_ucdp_row(type_of_violence=code)))
            )[1]
            self.assertEqual(ucdp_row(cells).event_type, expected, code)

    def test_bad_rows_are_reported_with_their_line_and_the_rest_is_imported(self):
        rows = [
            full_ucdp_row(id="1"),
            full_ucdp_row(id="2", date_start="2020-02-30"),
            full_ucdp_row(id="3", type_of_violence="7"),
            # A quoted cell over two lines: the next row starts on line 6.
            full_ucdp_row(
                id="4", source_article='"SOHR report,\nsecond line"', side_b="PIJ new group"
            ),
            full_ucdp_row(id="5", latitude=""),
            full_ucdp_row(id="6", best="-3"),
            full_ucdp_row(id="7", side_b="A group seen only in a bad row", latitude="95"),
            full_ucdp_row(id="8"),
        ]
        path = self.write(FULL_UCDP_HEADER + "\n" + "".join(rows))
        out, err = run("import_ucdp", str(path))
        self.assertIn("Rows: 8 read, 5 failed. Events: 3 created", out)
        self.assertIn("line 3: date_start: '2020-02-30' is not a date", err)
        self.assertIn("line 4: type_of_violence: '7' is not 1, 2, 3", err)
        self.assertIn("line 7: latitude: missing", err)
        self.assertIn("line 8: best: '-3' is not a whole number of 0 or more", err)
        self.assertIn("line 9: latitude/longitude: 95.0, 40.452 is not a point on Earth", err)
        self.assertEqual(
            sorted(Event.objects.filter(dataset="ucdp").values_list("import_ref", flat=True)),
            ["1", "4", "8"],
        )
        # Nothing of a failed row is left behind, not even the actor it would have created.
        self.assertFalse(Actor.objects.filter(name="A group seen only in a bad row").exists())

    def test_a_file_that_is_not_ucdp_is_refused_before_anything_is_written(self):
        path = self.write("name,place\nx,y\n")
        with self.assertRaisesMessage(CommandError, "missing column(s) type_of_violence"):
            run("import_ucdp", str(path))
        with self.assertRaisesMessage(CommandError, "no such file"):
            run("import_ucdp", "/nonexistent.csv")

    def test_changed_rows_update_and_edited_events_are_kept(self):
        path = self.write(FULL_UCDP_HEADER + "\n" + full_ucdp_row() + full_ucdp_row(id="9"))
        run("import_ucdp", str(path))
        edited = Event.objects.get(import_ref="9")
        edited.title, edited.edited_at = "An editor's title", timezone.now()
        edited.save()
        path = self.write(
            FULL_UCDP_HEADER + "\n" + full_ucdp_row(best="6") + full_ucdp_row(id="9", best="6")
        )
        out, _ = run("import_ucdp", str(path))
        self.assertIn("0 created, 1 updated, 0 unchanged, 1 kept as edited", out)
        self.assertEqual(Event.objects.get(import_ref="354020").fatalities_best, 6)
        self.assertEqual(Event.objects.get(import_ref="9").title, "An editor's title")
        self.assertEqual(Event.objects.filter(dataset="ucdp").count(), 2)

    def test_status_chooses_what_new_events_start_as(self):
        path = self.write(FULL_UCDP_HEADER + "\n" + full_ucdp_row())
        run("import_ucdp", str(path), status="in_review")
        self.assertEqual(Event.objects.get(import_ref="354020").status, "in_review")
        self.assertEqual(self.client.get(reverse("api-events")).json()["features"], [])

    def test_where_coordinates_give_the_name_kind_and_precision(self):
        self.assertEqual(_location_kind("Al Busayrah town"), ("Al Busayrah", "city", 1))
        self.assertEqual(
            _location_kind("Western Deir ez Zor governorate"), ("Deir ez Zor", "governorate", 4)
        )
        self.assertEqual(_location_kind("Mayadin district"), ("Mayadin", "district", 3))
        self.assertEqual(_location_kind("Syria"), ("Syria", "", 6))  # the country only
        self.assertEqual(
            _location_kind("Jabal Bishri (Raqqa governorate)"), ("Jabal Bishri", "village", 1)
        )


ACLED_UPPER = (
    "EVENT_ID_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,SUB_EVENT_TYPE,ACTOR1,ASSOC_ACTOR_1,"
    "INTER1,ACTOR2,ASSOC_ACTOR_2,INTER2,COUNTRY,LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,"
    "SOURCE,FATALITIES\n"
    "SYR101,15-Jan-22,2022,1,Explosions/Remote violence,Air/drone strike,"
    "Military Forces of Russia (2015-),,8,Islamic State (Syria),,2,Syria,Palmyra,34.5601,"
    "38.2779,2,SOHR,3\n"
    "SYR102,16-Jan-22,2022,2,Battles,Armed clash,SDF: Syrian Democratic Forces,"
    "Deir ez-Zor Military Council,2,Unidentified Armed Group (Syria),,3,Syria,Hajin,"
    "34.69508,40.83138,1,Deir Ezzor 24,0\n"
)
ACLED_LOWER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp\n"
    "SYR201,2022-03-05,2022,3,Political violence,Violence against civilians,Attack,"
    "Unidentified Armed Group (Syria),,Political militia,Civilians (Syria),,Civilians,"
    "37,Civilian targeting,760,Middle East,Syria,Deir ez-Zor,Al Mayadin,,Al Mayadin,35.0207,"
    '40.4525,1,SOHR,Other,"On 5 March 2022, gunmen killed a man in Al Mayadin.",1,,1646900000\n'
)


class AcledImportTests(FileTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def test_upper_case_headers_and_15_jan_22_dates(self):
        out, err = run("import_acled", str(self.write(ACLED_UPPER)))
        self.assertIn("Rows: 2 read, 0 failed. Events: 2 created", out, err)
        strike = Event.objects.get(dataset="acled", import_ref="SYR101")
        self.assertEqual(
            (strike.date_start, strike.sub_event_type), (date(2022, 1, 15), "air_drone_strike")
        )
        self.assertEqual(strike.place.slug, "palmyra")
        self.assertEqual(strike.location_precision, 2)
        self.assertEqual(
            sorted(strike.event_actors.values_list("actor__slug", "role")),
            [("islamic-state", "actor2"), ("russian-forces", "actor1")],
        )
        clash = Event.objects.get(import_ref="SYR102")
        # time_precision 2: the week around the date ACLED gives.
        self.assertEqual(
            (clash.date_start, clash.date_end, clash.date_precision),
            (date(2022, 1, 13), date(2022, 1, 19), 3),
        )
        self.assertEqual(
            sorted(clash.event_actors.values_list("actor__slug", "role")),
            [
                ("deir-ez-zor-military-council", "assoc1"),
                ("sdf", "actor1"),
                ("unidentified-armed-group", "actor2"),
            ],
        )
        self.assertEqual(clash.source_text, "Deir Ezzor 24")

    def test_lower_case_headers_with_notes_admin_columns_and_actor_types_in_words(self):
        run("import_acled", str(self.write(ACLED_LOWER)))
        event = Event.objects.get(import_ref="SYR201")
        self.assertEqual(event.description, "On 5 March 2022, gunmen killed a man in Al Mayadin.")
        self.assertEqual(
            (event.date_start, event.date_end, event.date_precision),
            (date(2022, 3, 1), date(2022, 3, 31), 4),
        )
        self.assertEqual(event.place.slug, "al-mayadin")
        roles = dict(event.event_actors.values_list("role", "actor__slug"))
        self.assertEqual(roles, {"actor1": "unidentified-armed-group", "actor2": "civilians-syria"})

    def test_every_role_is_kept_whatever_actors_repeat(self):
        # ACLED's own codings: two unidentified groups clash; farmers are civilians' associates.
        text = ACLED_UPPER.replace(
            "SDF: Syrian Democratic Forces,Deir ez-Zor Military Council,2",
            "Unidentified Armed Group (Syria),,3",
        ).replace(
            "Military Forces of Russia (2015-),,8,Islamic State (Syria),,2",
            "Islamic State (Syria),,2,Civilians (Syria),Farmers (Syria),7",
        )
        out, err = run("import_acled", str(self.write(text)))
        self.assertIn("Rows: 2 read, 0 failed", out, err)
        clash = Event.objects.get(import_ref="SYR102")
        self.assertEqual(
            sorted(clash.event_actors.values_list("actor__slug", "role")),
            [("unidentified-armed-group", "actor1"), ("unidentified-armed-group", "actor2")],
        )
        strike = Event.objects.get(import_ref="SYR101")
        self.assertEqual(
            sorted(strike.event_actors.values_list("actor__slug", "role")),
            [("civilians-syria", "actor2"), ("civilians-syria", "assoc2"),
             ("islamic-state", "actor1")],
        )  # fmt: skip
        out, _ = run("import_acled", str(self.write(text)))
        self.assertIn("0 created, 0 updated, 2 unchanged", out)

    def test_a_new_actor_takes_its_acled_type(self):
        text = ACLED_UPPER.replace("Unidentified Armed Group (Syria)", "Liwa al-Baqir")
        run("import_acled", str(self.write(text)))
        self.assertEqual(Actor.objects.get(name="Liwa al-Baqir").kind, 3)

    def test_a_second_import_changes_nothing(self):
        path = self.write(ACLED_UPPER + ACLED_LOWER.split("\n", 1)[1].replace("SYR201", "SYR9"))
        run("import_acled", str(path))
        versions = Version.objects.count()
        out, _ = run("import_acled", str(path))
        self.assertIn("0 created, 0 updated, 2 unchanged", out)
        self.assertEqual(Version.objects.count(), versions)

    def test_a_bad_type_is_reported_and_the_rest_imported(self):
        text = ACLED_UPPER.replace("Air/drone strike", "Drone party")
        out, err = run("import_acled", str(self.write(text)))
        self.assertIn("line 2: sub_event_type: 'Drone party' is not one of ACLED's", err)
        self.assertIn("1 failed. Events: 1 created", out)

    def test_rows_are_read_by_a_function_too(self):
        cells = next(csv_rows(self.write(ACLED_LOWER)))[1]
        self.assertEqual(acled_row(cells).ref, "SYR201")


class ExportTests(FileTestCase):
    fixtures = ["actors", "seed"]  # the gazetteer is loaded once for the session (conftest)

    def test_export_then_import_into_an_empty_database_gives_the_same_events(self):
        run("import_acled", str(self.write(ACLED_UPPER)))
        before = self.signature()
        self.assertGreater(len(before), 30)
        path = self.write("", suffix=".csv")
        run("export_events", format="csv", output=str(path))
        Evidence.objects.all().delete()
        EventActor.objects.all().delete()
        Event.objects.all().delete()
        out, err = run("import_acled", str(path))
        self.assertIn(f"Events: {len(before)} created", out, err)
        self.assertEqual(self.signature(), before)

    def test_the_round_trip_needs_no_gazetteer_or_actors_either(self):
        before = self.signature()
        path = self.write("", suffix=".csv")
        run("export_events", format="csv", output=str(path))
        Evidence.objects.all().delete()
        EventActor.objects.all().delete()
        Event.objects.all().delete()
        Place.objects.all().delete()
        Actor.objects.filter(parent__isnull=False).delete()
        Actor.objects.all().delete()
        out, err = run("import_acled", str(path))
        self.assertIn(f"Events: {len(before)} created", out, err)
        self.assertEqual(self.signature(), before)

    def test_csv_uses_acled_column_names(self):
        path = self.write("", suffix=".csv")
        run("export_events", format="csv", output=str(path), governorate="Deir ez-Zor")
        with path.open() as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
        for column in (
            "event_id_cnty",
            "event_date",
            "event_type",
            "actor1",
            "admin1",
            "fatalities",
        ):
            self.assertIn(column, reader.fieldnames)
        self.assertEqual({r["admin1"] for r in rows}, {"Deir ez-Zor"})
        api = self.client.get(
            reverse("api-events"), {"format": "csv", "governorate": "Deir ez-Zor"}
        )
        self.assertEqual(b"".join(api.streaming_content), path.read_bytes())

    def test_geojson_with_the_maps_filters(self):
        path = self.write("", suffix=".geojson")
        run(
            "export_events",
            format="geojson",
            output=str(path),
            actor="islamic-state",
            start="2018-09-01",
        )
        data = json.loads(path.read_text())
        api = self.client.get(
            reverse("api-events"), {"actor": "islamic-state", "start": "2018-09-01"}
        ).json()
        self.assertEqual(len(data["features"]), len(api["features"]))
        self.assertGreater(len(data["features"]), 0)

    def test_a_bad_filter_names_itself(self):
        with self.assertRaisesMessage(CommandError, "--actor: unknown actor: nobody"):
            run("export_events", actor="nobody")
