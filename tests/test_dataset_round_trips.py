"""What ACLED or UCDP said goes in and comes back out unchanged (issue 13): a file imported,
exported in its dataset's layout and compared with the original, value by value, on files
shaped like the real ones (ACLED's old upper-case and current lower-case exports, UCDP GED's
full column set)."""

import csv
import io

from django.urls import reverse

from events.curation.workflow import event_merge
from events.models import Actor, Event, EventActor, Evidence, Place
from tests.test_imports import FULL_UCDP_HEADER, FileTestCase, full_ucdp_row, run

# ACLED's old layout: upper-case headers, 15-Jan-22 dates, types as numbers; a week-precision
# and a month-precision row, actor1 = actor2, an actor with its own associate, a note with
# commas, quotes and markup.
ACLED_OLD = (
    "EVENT_ID_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,SUB_EVENT_TYPE,ACTOR1,ASSOC_ACTOR_1,"
    "INTER1,ACTOR2,ASSOC_ACTOR_2,INTER2,INTERACTION,REGION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,"
    "LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,SOURCE_SCALE,NOTES,FATALITIES\n"
    "SYR8801,15-Jan-22,2022,1,Explosions/Remote violence,Air/drone strike,"
    "Military Forces of Russia (2015-),,8,Islamic State (Syria),,2,28,Middle East,Syria,Homs,"
    "Tadmor,Tadmor,Tadmor,34.5601,38.2779,1,SOHR,Other,"
    '"Russian jets struck IS positions near Tadmor, killing 3 ""fighters"".",3\n'
    "SYR8802,16-Jan-22,2022,2,Battles,Armed clash,Unidentified Armed Group (Syria),,3,"
    "Unidentified Armed Group (Syria),,3,33,Middle East,Syria,Deir ez Zor,Abu Kamal,Hajin,"
    "Hajin,34.69508,40.83138,1,Deir Ezzor 24,Subnational,"
    '"Two armed groups clashed in Hajin. <script>alert(1)</script>",0\n'
    "SYR8803,20-Jan-22,2022,3,Violence against civilians,Attack,Islamic State (Syria),,2,"
    "Civilians (Syria),Farmers (Syria),7,27,Middle East,Syria,Deir ez Zor,Deir ez Zor,"
    "Deir ez Zor,Deir ez-Zor,35.3359,40.1408,3,Syrians for Truth and Justice,Other,"
    "In January 2022 IS gunmen killed a farmer in the Deir ez-Zor countryside.,1\n"
)
# ACLED's current layout: lower-case, ISO dates, actor types in words, tags and timestamps.
ACLED_NEW_COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp"
).split(",")


def csv_text(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


ACLED_NEW = csv_text(
    ACLED_NEW_COLUMNS,
    [
        {
            **dict(event_id_cnty="SYR9901", event_date="2024-03-05", year="2024"),
            **dict(time_precision="1", disorder_type="Political violence"),
            **dict(event_type="Violence against civilians", sub_event_type="Attack"),
            **dict(actor1="Unidentified Armed Group (Syria)", inter1="Political militia"),
            **dict(actor2="Civilians (Syria)", inter2="Civilians"),
            **dict(
                interaction="Political militia-Civilians", civilian_targeting="Civilian targeting"
            ),
            **dict(iso="760", region="Middle East", country="Syria", admin1="Deir ez Zor"),
            **dict(admin2="Al Mayadin", admin3="Al Mayadin", location="Al Mayadin"),
            **dict(latitude="35.0207", longitude="40.4525", geo_precision="1", source="SOHR"),
            **dict(
                source_scale="Other", notes="On 5 March 2024, gunmen killed a man in Al Mayadin."
            ),
            **dict(fatalities="1", tags="", timestamp="1709900000"),
        },
        {
            **dict(event_id_cnty="SYR9902", event_date="2024-03-07", year="2024"),
            **dict(time_precision="1", disorder_type="Political violence"),
            **dict(event_type="Battles", sub_event_type="Armed clash"),
            **dict(actor1="SDF: Syrian Democratic Forces", inter1="Rebel group"),
            **dict(assoc_actor_1="Deir ez-Zor Military Council"),
            **dict(actor2="Islamic State (Syria)", inter2="Rebel group"),
            **dict(interaction="Rebel group-Rebel group", civilian_targeting=""),
            **dict(iso="760", region="Middle East", country="Syria", admin1="Deir ez Zor"),
            **dict(admin2="Al Mayadin", admin3="Thiban", location="Diban"),
            **dict(latitude="35.0112", longitude="40.5534", geo_precision="1"),
            **dict(source="North Press Agency", source_scale="National"),
            **dict(notes='SDF and IS clashed in Diban; "heavy" losses, <b>2</b> killed.'),
            **dict(fatalities="2", tags="local administrators", timestamp="1709990000"),
        },
    ],
)


def ucdp_file() -> str:
    rows = [
        full_ucdp_row(),
        full_ucdp_row(
            id="354021",
            type_of_violence="3",
            dyad_name="IS - Civilians",
            side_a="IS",
            side_b="Civilians",
            where_coordinates="Hajin town",
            source_headline="Landmine kills truffle hunters near Hajin",
            latitude="34.695",
            longitude="40.831",
            best="4",
            high="4",
            low="4",
        ),
    ]
    return FULL_UCDP_HEADER + "\n" + "".join(rows)


def table(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """(header, {first cell: the row}) of a CSV text."""
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], {row[0]: row for row in rows[1:]}


class LayoutTestCase(FileTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def export(self, layout: str, **filters) -> str:
        path = self.write("")
        run("export_events", output=str(path), layout=layout, **filters)
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()

    def assertSameFile(self, exported: str, original: str) -> None:
        header, rows = table(exported)
        want_header, want_rows = table(original)
        self.assertEqual(header, want_header)
        self.assertEqual(rows, want_rows)


class DatasetLayoutTests(LayoutTestCase):
    def test_each_acled_layout_comes_back_as_it_went_in(self):
        for original in (ACLED_OLD, ACLED_NEW):
            with self.subTest(layout=original[:5]):
                Event.objects.all().delete()
                out, err = run("import_acled", str(self.write(original)))
                self.assertIn("0 failed", out, err)
                self.assertSameFile(self.export("acled"), original)

    def test_ucdp_comes_back_as_it_went_in(self):
        run("import_ucdp", str(self.write(ucdp_file())))
        self.assertSameFile(self.export("ucdp"), ucdp_file())
        api = self.client.get(reverse("api-events"), {"format": "csv", "layout": "ucdp"})
        self.assertEqual(b"".join(api.streaming_content).decode(), self.export("ucdp"))

    def test_an_export_imported_again_is_the_same_events(self):
        run("import_acled", str(self.write(ACLED_OLD)))
        run("import_ucdp", str(self.write(ucdp_file())))
        count = Event.objects.count()
        for layout, command in (("acled", "import_acled"), ("ucdp", "import_ucdp")):
            out, err = run(command, str(self.write(self.export(layout))))
            self.assertIn("0 failed", out, err)
            self.assertIn("0 created, 0 updated", out)
        out, err = run("import_acled", str(self.write(self.export("atlas"))))
        self.assertIn("0 created, 0 updated, 5 unchanged", out, err)
        self.assertEqual(Event.objects.count(), count)

    def test_the_round_trip_through_an_empty_database(self):
        run("import_acled", str(self.write(ACLED_NEW)))
        exported = self.write(self.export("acled"))
        Evidence.objects.all().delete()
        EventActor.objects.all().delete()
        Event.objects.all().delete()
        out, err = run("import_acled", str(exported))
        self.assertIn("2 created", out, err)
        self.assertSameFile(self.export("acled"), ACLED_NEW)

    def test_events_of_another_dataset_fill_the_layouts_columns(self):
        run("import_acled", str(self.write(ACLED_NEW)))
        run("import_ucdp", str(self.write(ucdp_file())))
        header, rows = table(self.export("acled"))
        self.assertEqual(header, ACLED_NEW.split("\n", 1)[0].split(","))
        ucdp = next(r for key, r in rows.items() if key.startswith("ATLAS"))
        row = dict(zip(header, ucdp, strict=True))
        self.assertEqual(
            (row["event_date"], row["country"], row["iso"]), ("2020-03-01", "Syria", "760")
        )
        self.assertEqual((row["actor1"], row["fatalities"]), ("Syrian Arab Army (SAA)", "5"))
        self.assertEqual(row["tags"], "")  # nothing Atlas could say

    def test_an_editors_correction_shows_in_the_datasets_layout(self):
        run("import_acled", str(self.write(ACLED_NEW)))
        event = Event.objects.get(import_ref="SYR9902")
        event.fatalities_best = 3
        event.save()
        Event.objects.filter(pk=event.pk).update(edited_at=event.updated_at)
        header, rows = table(self.export("acled"))
        row = dict(zip(header, rows["SYR9902"], strict=True))
        self.assertEqual((row["fatalities"], row["tags"]), ("3", "local administrators"))

    def test_a_second_import_of_every_file_changes_nothing(self):
        files = [("import_acled", ACLED_OLD), ("import_acled", ACLED_NEW),
                 ("import_ucdp", ucdp_file()), ("import_acled", MULTI_COUNTRY)]  # fmt: skip
        for command, text in files:
            with self.subTest(text[:30]):
                path = self.write(text)
                first, _ = run(command, str(path))
                self.assertIn(" 0 updated", first)
                again, err = run(command, str(path))
                self.assertIn("0 created, 0 updated", again, err)
                self.assertIn(" 0 failed", again)

    def test_a_layout_is_only_a_csvs(self):
        response = self.client.get(reverse("api-events"), {"layout": "acled"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("layout", response.json()["parameters"])


MULTI_COUNTRY = csv_text(
    ACLED_NEW_COLUMNS,
    [
        {
            **dict(event_id_cnty="AFG1", event_date="2024-03-05", year="2024", time_precision="1"),
            **dict(event_type="Battles", sub_event_type="Armed clash"),
            **dict(actor1="Islamic State (Afghanistan)", inter1="Rebel group"),
            **dict(actor2="Military Forces of Afghanistan (2021-)", inter2="State forces"),
            **dict(iso="4", country="Afghanistan", admin1="Nangarhar", location="Jalalabad"),
            **dict(latitude="34.4265", longitude="70.4515", geo_precision="1", fatalities="2"),
        },
        {
            **dict(event_id_cnty="SYR77", event_date="2024-03-06", year="2024", time_precision="1"),
            **dict(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike"),
            **dict(actor1="Unidentified Military Forces", inter1="External/Other forces"),
            **dict(iso="760", country="Syria", admin1="Ar Raqqah governorate"),
            **dict(location="Raqqa countryside", latitude="35.95", longitude="39.01"),
            **dict(geo_precision="3", fatalities="0"),
        },
        {
            **dict(event_id_cnty="SYR78", event_date="2024-03-06", year="2024", time_precision="1"),
            **dict(event_type="Battles", sub_event_type="Armed clash"),
            **dict(actor1="Islamic State (Syria)", inter1="Rebel group"),
            **dict(iso="760", country="Syria", admin1="Homs", location="Tadmor"),
            **dict(latitude="34.5601", longitude="38.2779", geo_precision="3", fatalities="1"),
        },
    ],
)


class CountriesAndUnitsTests(FileTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def test_rows_land_in_their_country_and_units_however_spelled(self):
        places = Place.objects.count()
        out, err = run("import_acled", str(self.write(MULTI_COUNTRY)))
        self.assertIn("3 read, 0 failed", out, err)
        afghan = Event.objects.get(import_ref="AFG1")
        self.assertEqual((afghan.place.country, afghan.admin1), ("AF", None))
        raqqa = Event.objects.get(import_ref="SYR77")
        self.assertEqual(raqqa.admin1.pcode, "SY11")
        tadmor = Event.objects.get(import_ref="SYR78")
        self.assertEqual(tadmor.admin1.pcode, "SY04")
        # Known to its region only (geo_precision 3): the governorate itself, no new "Tadmor".
        self.assertEqual((tadmor.place.kind, tadmor.place.pcode), ("governorate", "SY04"))
        created = Place.objects.filter(source__startswith="acled import")
        self.assertFalse(
            created.filter(kind__in=["governorate", "district", "subdistrict"]).exists()
        )
        self.assertEqual(Place.objects.count(), places + created.count())

    def test_a_row_of_another_country_may_be_refused_with_its_line(self):
        out, err = run("import_acled", str(self.write(MULTI_COUNTRY)), refuse_outside=True)
        self.assertIn("3 read, 1 failed", out)
        self.assertIn("line 2: country: AF is outside the gazetteer's countries", err)
        self.assertFalse(Event.objects.filter(import_ref="AFG1").exists())

    def test_ucdps_syria_is_the_country_not_a_village(self):
        text = FULL_UCDP_HEADER + "\n" + full_ucdp_row(where_coordinates="Syria", where_prec="6")
        run("import_ucdp", str(self.write(text)))
        event = Event.objects.get(dataset="ucdp")
        self.assertIsNone(event.place)
        self.assertFalse(Place.objects.filter(name="Syria").exists())


class DatasetActorTests(FileTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def test_an_associates_type_comes_from_the_first_row_that_gives_it(self):
        first = csv_text(
            ACLED_NEW_COLUMNS,
            [
                {
                    **dict(event_id_cnty="SYR1", event_date="2024-03-07", year="2024"),
                    **dict(time_precision="1", event_type="Battles", sub_event_type="Armed clash"),
                    **dict(actor1="Islamic State (Syria)", inter1="Rebel group"),
                    **dict(actor2="Military Forces of Syria (2024-)", inter2="State forces"),
                    **dict(assoc_actor_2="JWS: Syrian National Army; Liwa al-Baqir"),
                    **dict(country="Syria", location="Hajin", latitude="34.69508"),
                    **dict(longitude="40.83138", geo_precision="1", fatalities="0"),
                },
                {
                    **dict(event_id_cnty="SYR2", event_date="2024-03-08", year="2024"),
                    **dict(time_precision="1", event_type="Battles", sub_event_type="Armed clash"),
                    **dict(actor1="Liwa al-Baqir", inter1="Identity militia"),
                    **dict(actor2="Civilians (Iraq)", inter2="Civilians", country="Iraq"),
                    **dict(location="Al Qaim", latitude="34.3769", longitude="41.0943"),
                    **dict(geo_precision="1", fatalities="0"),
                },
            ],
        )
        out, err = run("import_acled", str(self.write(first)))
        self.assertIn("2 read, 0 failed", out, err)
        baqir = Actor.objects.get(name="Liwa al-Baqir")
        self.assertEqual(baqir.kind, 4)  # first seen as an associate, typed by the second row
        self.assertNotIn("not given", baqir.description)
        # "JWS: Syrian National Army" is the lexicon's SNA; Iraq's civilians are not Syria's.
        sna = Event.objects.get(import_ref="SYR1").event_actors.filter(role="assoc2")
        self.assertIn("syrian-national-army", sna.values_list("actor__slug", flat=True))
        iraqis = Event.objects.get(import_ref="SYR2").event_actors.get(role="actor2").actor
        self.assertEqual((iraqis.name, iraqis.kind), ("Civilians (Iraq)", 7))

    def test_a_multi_party_side_is_its_parties_and_a_long_name_survives_a_second_run(self):
        parties = ", ".join(f"Brigade number {n} of the eastern front" for n in range(8))
        text = FULL_UCDP_HEADER + "\n" + full_ucdp_row(side_b=f"IS, {parties}")
        long_name = "Tribal " + "x" * 250
        text += full_ucdp_row(id="9", side_a=long_name, side_b="Civilians", type_of_violence="3")
        path = self.write(text)
        out, err = run("import_ucdp", str(path))
        self.assertIn("2 read, 0 failed", out, err)
        event = Event.objects.get(import_ref="354020")
        roles = sorted(event.event_actors.values_list("actor__name", "role"))
        self.assertIn(("Islamic State (ISIS)", "actor2"), roles)
        self.assertIn(("Brigade number 7 of the eastern front", "assoc2"), roles)
        self.assertEqual(len(roles), 10)
        self.assertIn(f"IS, {parties}", [v for _, v in event.dataset_row["cells"]])
        out, err = run("import_ucdp", str(path))
        self.assertIn("0 created, 0 updated, 2 unchanged", out, err)


class ImportedSourcesTests(FileTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def test_an_imported_event_shows_its_datasets_sources_and_sides(self):
        text = (
            FULL_UCDP_HEADER
            + "\n"
            + full_ucdp_row(
                source_article="",
                source_office="SOHR;Enab Baladi",
                source_date="2020-03-02;2020-03-03",
                source_headline="IED kills soldiers near al-Mayadin;Roadside bomb hits army bus",
                number_of_sources="2",
            )
        )
        run("import_ucdp", str(self.write(text)))
        event = Event.objects.get(dataset="ucdp")
        self.assertEqual(event.sub_event_type, "remote_explosive_landmine_ied")
        self.assertIn("inferred from UCDP's source headlines ('IED'", event.description)
        body = self.client.get(reverse("api-event", args=[event.pk])).json()
        self.assertEqual(body["dataset"]["number_of_sources"], "2")
        self.assertEqual(
            body["dataset"]["sources"][1],
            {
                "outlet": "Enab Baladi",
                "date": "2020-03-03",
                "headline": "Roadside bomb hits army bus",
            },
        )
        self.assertEqual({a["role_label"] for a in body["actors"]}, {"Side A", "Side B"})

    def test_acleds_sources_too(self):
        run("import_acled", str(self.write(ACLED_NEW)))
        event = Event.objects.get(import_ref="SYR9902")
        body = self.client.get(reverse("api-event", args=[event.pk])).json()
        self.assertEqual(body["dataset"]["sources"][0]["outlet"], "North Press Agency")
        self.assertEqual(body["dataset"]["source_scale"], "National")
        self.assertIn("initiator", body["actors"][0]["role_label"])


# ACLED's record of the incident UCDP's full_ucdp_row() describes.
ACLED_MAYADIN = csv_text(
    ACLED_NEW_COLUMNS,
    [
        {
            **dict(event_id_cnty="SYR5501", event_date="2020-03-01", year="2020"),
            **dict(time_precision="1", event_type="Battles", sub_event_type="Armed clash"),
            **dict(actor1="Military Forces of Syria (2000-)", inter1="State forces"),
            **dict(actor2="Islamic State (Syria)", inter2="Rebel group", country="Syria"),
            **dict(location="Al Mayadin", latitude="35.0207", longitude="40.4525"),
            **dict(geo_precision="1", source="SOHR", fatalities="5"),
        }
    ],
)


class CrossDatasetDuplicateTests(LayoutTestCase):
    def test_the_same_incident_in_two_datasets_is_proposed_then_merged_once(self):
        run("import_acled", str(self.write(ACLED_MAYADIN)))
        run("import_ucdp", str(self.write(FULL_UCDP_HEADER + "\n" + full_ucdp_row())))
        out, _ = run("find_duplicates")
        self.assertIn("1 likely duplicate pairs.", out)
        self.assertIn("ACLED SYR5501", out)
        self.assertIn("another dataset's record (UCDP 354020)", out)
        acled = Event.objects.get(dataset="acled")
        ucdp = Event.objects.get(dataset="ucdp")
        event_merge(ucdp, acled, self.reviewer)
        _, rows = table(self.export("acled"))
        self.assertEqual(list(rows), ["SYR5501"])  # the survivor, once
        ucdp.refresh_from_db()
        self.assertEqual(dict(ucdp.dataset_row["cells"])["id"], "354020")  # kept
        body = self.client.get(reverse("api-event", args=[acled.pk])).json()
        self.assertEqual([r["id"] for r in body["merged_records"]], ["354020"])
        out, _ = run("import_ucdp", str(self.write(FULL_UCDP_HEADER + "\n" + full_ucdp_row())))
        self.assertIn("1 kept as edited", out)  # a merged record stays merged
