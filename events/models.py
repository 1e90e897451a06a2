"""The Atlas domain: sources and reports, actors and places, events and their evidence.

Vocabulary follows what researchers already use (DESIGN.md decision 6): ACLED's event types,
sub-types and actor kinds; UCDP GED's location and date precision codes; best/low/high
fatalities. Integrity lives in the database as named constraints, so a bad row is refused by
SQLite and PostgreSQL alike, whatever code wrote it.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse

from events.families import FAMILY_CHOICES
from events.gazetteer.keys import APOSTROPHES, ARTICLES, place_key, strip_accents

# --------------------------------------------------------------------------- vocabularies


class EventType(models.TextChoices):
    """ACLED's six event types."""

    BATTLES = "battles", "Battles"
    EXPLOSIONS = "explosions", "Explosions/Remote violence"
    VIOLENCE_AGAINST_CIVILIANS = "violence_against_civilians", "Violence against civilians"
    PROTESTS = "protests", "Protests"
    RIOTS = "riots", "Riots"
    STRATEGIC = "strategic_developments", "Strategic developments"


class SubEventType(models.TextChoices):
    """ACLED's 25 sub-event types; `SUB_EVENT_PARENT` says which type each belongs to."""

    ARMED_CLASH = "armed_clash", "Armed clash"
    GOVERNMENT_REGAINS_TERRITORY = "government_regains_territory", "Government regains territory"
    NON_STATE_OVERTAKES_TERRITORY = (
        "non_state_actor_overtakes_territory",
        "Non-state actor overtakes territory",
    )
    CHEMICAL_WEAPON = "chemical_weapon", "Chemical weapon"
    AIR_DRONE_STRIKE = "air_drone_strike", "Air/drone strike"
    SUICIDE_BOMB = "suicide_bomb", "Suicide bomb"
    SHELLING = "shelling_artillery_missile_attack", "Shelling/artillery/missile attack"
    REMOTE_EXPLOSIVE = "remote_explosive_landmine_ied", "Remote explosive/landmine/IED"
    GRENADE = "grenade", "Grenade"
    SEXUAL_VIOLENCE = "sexual_violence", "Sexual violence"
    ATTACK = "attack", "Attack"
    ABDUCTION = "abduction_forced_disappearance", "Abduction/forced disappearance"
    PEACEFUL_PROTEST = "peaceful_protest", "Peaceful protest"
    PROTEST_WITH_INTERVENTION = "protest_with_intervention", "Protest with intervention"
    EXCESSIVE_FORCE = "excessive_force_against_protesters", "Excessive force against protesters"
    VIOLENT_DEMONSTRATION = "violent_demonstration", "Violent demonstration"
    MOB_VIOLENCE = "mob_violence", "Mob violence"
    AGREEMENT = "agreement", "Agreement"
    ARRESTS = "arrests", "Arrests"
    CHANGE_TO_GROUP = "change_to_group_activity", "Change to group/activity"
    DISRUPTED_WEAPONS_USE = "disrupted_weapons_use", "Disrupted weapons use"
    HEADQUARTERS_ESTABLISHED = (
        "headquarters_or_base_established",
        "Headquarters or base established",
    )
    LOOTING = "looting_property_destruction", "Looting/property destruction"
    NON_VIOLENT_TRANSFER = "non_violent_transfer_of_territory", "Non-violent transfer of territory"
    OTHER = "other", "Other"


SUB_EVENT_PARENT: dict[str, str] = {
    **dict.fromkeys(
        ["armed_clash", "government_regains_territory", "non_state_actor_overtakes_territory"],
        EventType.BATTLES,
    ),
    **dict.fromkeys(
        [
            "chemical_weapon",
            "air_drone_strike",
            "suicide_bomb",
            "shelling_artillery_missile_attack",
            "remote_explosive_landmine_ied",
            "grenade",
        ],
        EventType.EXPLOSIONS,
    ),
    **dict.fromkeys(
        ["sexual_violence", "attack", "abduction_forced_disappearance"],
        EventType.VIOLENCE_AGAINST_CIVILIANS,
    ),
    **dict.fromkeys(
        ["peaceful_protest", "protest_with_intervention", "excessive_force_against_protesters"],
        EventType.PROTESTS,
    ),
    **dict.fromkeys(["violent_demonstration", "mob_violence"], EventType.RIOTS),
    **dict.fromkeys(
        [
            "agreement",
            "arrests",
            "change_to_group_activity",
            "disrupted_weapons_use",
            "headquarters_or_base_established",
            "looting_property_destruction",
            "non_violent_transfer_of_territory",
            "other",
        ],
        EventType.STRATEGIC,
    ),
}


class DatePrecision(models.IntegerChoices):
    """UCDP GED `date_prec`: how well `date_start`..`date_end` pins the event down."""

    EXACT = 1, "1 · exact day"
    DAYS = 2, "2 · within 2-6 days"
    WEEK = 3, "3 · within a week"
    MONTH = 4, "4 · within a month"
    LONGER = 5, "5 · more than a month (up to a year or more)"


class LocationPrecision(models.IntegerChoices):
    """UCDP GED `where_prec`: how well the place pins the event down."""

    EXACT = 1, "1 · exact location"
    NEAR = 2, "2 · within about 25 km"
    DISTRICT = 3, "3 · district (second-order division)"
    GOVERNORATE = 4, "4 · governorate (first-order division)"
    AREA = 5, "5 · larger area: a desert, a border, a river, a road"
    COUNTRY = 6, "6 · country only"
    WATERS = 7, "7 · international waters or airspace"


def check_in(field: str, choices: type[models.Choices]) -> Q:
    """A Q object for a CheckConstraint that keeps `field` within a choices class."""
    return Q(**{f"{field}__in": choices.values})


# Words that never name a place or an actor on their own: English function words, the words
# for kinds of places and of forces, the English words that tell namesakes apart, and Arabic
# counterparts. An alias made only of these ("the", "of", "near the village", "eastern
# countryside", "forces", "القرية") would match text about anything; one that contains a real name
# ("the Islamic State", "al-Mayadin") is fine. Transliterated words are not listed: they are
# real names too (Ash Sharqiyah, At Tall, Al Wadi, Kabir are places).
STOP_WORDS = frozenset(
    "a an the of and or in on at to by for from with near into onto off over under upon about "
    "around between outside inside within across along beyond behind toward towards via per "
    "its this that these those village villages town towns city cities hamlet area areas "
    "region province governorate governorates district districts subdistrict subdistricts "
    "countryside desert outskirts suburb suburbs neighbourhood neighborhood quarter centre "
    "center camp base field river road highway street bridge border crossing mount mountain "
    "hill valley forces force militia militias fighters troops army group groups soldiers men "
    "people unit units east west north south eastern western northern southern upper lower "
    "big great small little middle "
    "ال في قرب من على و قرية قريه بلدة بلده مدينة مدينه ريف منطقة منطقه محافظة محافظه ناحية "
    "ناحيه".split()
)
LETTERS = re.compile(r"[^\W\d_]+")


def _common(word: str) -> bool:
    return word in STOP_WORDS or (word.startswith("ال") and word[2:] in STOP_WORDS)


def name_problem(name: str) -> str | None:
    """Why `name` cannot be an alias (too short, no letters, only common words), or None.
    The cheap rules, checked on every save; the ones that compare with other actors and
    places are in events/curation/aliases.py. The Arabic article alone ("al", "el-", "ash")
    is refused, but two articles may be a name (the village Al ʿAl)."""
    name = " ".join(name.split())
    text = APOSTROPHES.sub("", strip_accents(name))  # Az'ez is one word, not two articles
    words = [w.casefold() for w in LETTERS.findall(text)]
    if not words:
        return f"“{name}” has no letters: an alias is a name, not a number or a sign."
    if len(name) < 2:
        return f"“{name}” is too short to be a name."
    common = [_common(w) for w in words]
    articles = [w in ARTICLES for w in words]
    if all(c or a for c, a in zip(common, articles, strict=True)) and (
        len(words) == 1 or any(common)
    ):
        return (
            f"“{name}” is a common word, not a name: as an alias it would match text about "
            "anything."
        )
    return None


def validate_names(value: object) -> None:
    """Aliases are a JSON list of names: non-empty strings, each passing `name_problem`."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError("Aliases must be a list of names.")
    problems = [p for p in map(name_problem, value) if p]
    if problems:
        raise ValidationError(problems)


# --------------------------------------------------------------------------- sources, reports


class SourceManager(models.Manager):
    def get_by_natural_key(self, name: str) -> Source:
        return self.get(name=name)


class SourceScale(models.TextChoices):
    LOCAL = "local", "Local"
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Regional"
    INTERNATIONAL = "international", "International"


class Source(models.Model):
    """An outlet that publishes reports: a newspaper, a monitor, a think tank."""

    Scale = SourceScale

    name = models.CharField(max_length=200, unique=True)
    url = models.URLField(blank=True, help_text="The outlet's home page.")
    scale = models.CharField(max_length=20, choices=Scale.choices, default=Scale.INTERNATIONAL)
    notes = models.TextField(blank=True, help_text="Leaning, reliability, language, ...")
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = SourceManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=check_in("scale", SourceScale), name="source_scale_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.name,)


def text_hash(text: str) -> str:
    """The content hash of a report: the same text twice (up to white space) is one report."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


class ReportManager(models.Manager):
    def get_by_natural_key(self, content_hash: str) -> Report:
        return self.get(content_hash=content_hash)


class Report(models.Model):
    """One article as retrieved: the untrusted text that events are drawn from."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="reports")
    url = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=500)
    published = models.DateField(
        null=True, blank=True, help_text="The publication date the report gives, if any."
    )
    published_note = models.TextField(
        blank=True,
        help_text="Required when the publication date is blank: why, and what dates the events.",
    )
    retrieved_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=10, default="en")
    text = models.TextField(help_text="The full text as retrieved. Evidence spans index into it.")
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = ReportManager()

    class Meta:
        ordering = ["-published", "title"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="report_url_unique"),
            models.CheckConstraint(
                condition=Q(published__isnull=False) | ~Q(published_note=""),
                name="report_undated_has_note",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.content_hash = text_hash(self.text)
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str]:
        return (self.content_hash,)


# --------------------------------------------------------------------------- actors


class ActorQuerySet(models.QuerySet):
    def with_descendants(self) -> ActorQuerySet:
        """These actors and every unit within them (one query per level of the hierarchy)."""
        ids = set(self.values_list("pk", flat=True))
        frontier = ids
        while frontier:
            children = set(Actor.objects.filter(parent__in=frontier).values_list("pk", flat=True))
            frontier = children - ids
            ids |= frontier
        return Actor.objects.filter(pk__in=ids)


class ActorManager(models.Manager.from_queryset(ActorQuerySet)):
    def get_by_natural_key(self, slug: str) -> Actor:
        return self.get(slug=slug)


class ActorKind(models.IntegerChoices):
    """ACLED's actor types (`inter1`/`inter2` codes)."""

    STATE_FORCES = 1, "State forces"
    REBEL_GROUP = 2, "Rebel group"
    POLITICAL_MILITIA = 3, "Political militia"
    IDENTITY_MILITIA = 4, "Identity militia"
    RIOTERS = 5, "Rioters"
    PROTESTERS = 6, "Protesters"
    CIVILIANS = 7, "Civilians"
    EXTERNAL_OTHER = 8, "External/Other forces"


class Actor(models.Model):
    """A force, group or population that acts in or suffers events."""

    Kind = ActorKind

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The force or umbrella this actor belongs to (a unit within an army, a "
        "militia within 'Iran-backed militias'). Filtering by the parent includes it.",
    )
    country = models.CharField(
        max_length=2, blank=True, help_text="Country of affiliation, ISO 3166 code (SY, IQ, IR)."
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_names],
        help_text="Other names reports use, one per line. Extraction matches these.",
    )
    family = models.CharField(
        max_length=20,
        blank=True,
        choices=FAMILY_CHOICES,
        help_text="The side the map colours it with (events/families.py). Blank: its parent's, "
        "or guessed from its name, kind and country. Units are drawn in shades of it.",
    )
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = ActorManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=check_in("kind", ActorKind), name="actor_kind_valid"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="actor_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "An actor cannot sit within itself."})
            ancestor = ancestor.parent


# --------------------------------------------------------------------------- places


UNIT_KINDS = ("governorate", "district", "subdistrict")
BORDER_GOVERNORATES = ("IQ.01", "IQ.15")  # Anbar, Nineveh: the Iraqi side of the border


class PlaceQuerySet(models.QuerySet):
    def map_labels(self) -> PlaceQuerySet:
        """Towns the map names: Syria's, and the larger ones of the Iraqi border governorates."""
        return self.filter(kind=PlaceKind.CITY, population__gte=20000).filter(
            Q(country="SY") | Q(admin1__pcode__in=BORDER_GOVERNORATES, population__gte=50000)
        )

    def gazetteer(self) -> PlaceQuerySet:
        """The places of the open gazetteer (GeoNames, OCHA, the curated supplement): public
        whether or not an event uses them. A place an editor or the extraction added is public
        only once a published event uses it (events/api/public.py)."""
        return self.filter(
            Q(geonames_id__isnull=False) | ~Q(pcode="") | Q(source__startswith="Atlas supplement")
        )

    def units(self, level: int | None = None) -> PlaceQuerySet:
        """Governorates, districts and subdistricts (level 1, 2, 3)."""
        kinds = UNIT_KINDS if level is None else (UNIT_KINDS[level - 1],)
        return self.filter(kind__in=kinds)


class PlaceManager(models.Manager.from_queryset(PlaceQuerySet)):
    def get_by_natural_key(self, slug: str) -> Place:
        return self.get(slug=slug)


class PlaceKind(models.TextChoices):
    CITY = "city", "City or town"
    VILLAGE = "village", "Village"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
    BASE = "base", "Military base"
    AIRPORT = "airport", "Airport or airbase"
    OIL_GAS_FIELD = "oil_gas_field", "Oil or gas field"
    FACILITY = "facility", "Facility (station, dam, bridge, prison, landmark)"
    CAMP = "camp", "Camp"
    BORDER_CROSSING = "border_crossing", "Border crossing"
    AREA = "area", "Area (desert, region, countryside)"
    RIVER = "river", "River"
    GOVERNORATE = "governorate", "Governorate (first-order division)"
    DISTRICT = "district", "District (second-order division)"
    SUBDISTRICT = "subdistrict", "Subdistrict (third-order division)"


def unit_field(level: int, related_name: str = "+") -> models.ForeignKey:
    """A reference to the governorate (1), district (2) or subdistrict (3) something lies in.
    Derived from where it lies (events/gazetteer/load.py relinks), so a deleted unit empties
    the reference rather than blocking the delete."""
    return models.ForeignKey(
        "Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        limit_choices_to={"kind": UNIT_KINDS[level - 1]},
        verbose_name=UNIT_KINDS[level - 1],
    )


class Place(models.Model):
    """A named location from the gazetteer: a town, a village, a base, a field, a desert, or an
    administrative unit (governorate, district, subdistrict, with its outline). Every place
    knows the units it lies in by reference, never by a spelling."""

    Kind = PlaceKind

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200, help_text="The name researchers know it by.")
    name_ar = models.CharField("Arabic name", max_length=200, blank=True)
    aliases = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_names],
        help_text="Other spellings, one per line. The geocoder and extraction match these.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    latitude = models.FloatField()
    longitude = models.FloatField()
    country = models.CharField(max_length=2, help_text="ISO 3166 code: SY, IQ, JO, ...")
    pcode = models.CharField(
        "P-code",
        max_length=20,
        blank=True,
        help_text="OCHA's P-code of a Syrian community (C5175) or unit (SY09, SY0903, "
        "SY090300); an Iraqi governorate's GeoNames admin1 code (IQ.01).",
    )
    admin1 = unit_field(1)
    admin2 = unit_field(2)
    admin3 = unit_field(3)
    geonames_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    outline = models.JSONField(
        null=True, blank=True, help_text="Optional GeoJSON geometry for an area or a river."
    )
    source = models.CharField(
        max_length=300, help_text="Where the name and the coordinates come from."
    )
    search_keys = models.TextField(
        blank=True, editable=False, help_text="Transliteration keys of every name, for search."
    )
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = PlaceManager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="place_coordinates"),
            models.Index(fields=["kind"], name="place_kind"),
            # The in-memory indexes check count and max(updated_at) before every use: of all
            # places (the geocoder), of the units (their outlines).
            models.Index(fields=["updated_at"], name="place_updated"),
            models.Index(fields=["kind", "updated_at"], name="place_kind_updated"),
        ]
        constraints = [
            models.CheckConstraint(condition=check_in("kind", PlaceKind), name="place_kind_valid"),
            models.UniqueConstraint(fields=["pcode"], condition=~Q(pcode=""), name="place_pcode"),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90), name="place_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        if self.kind in UNIT_KINDS:
            return f"{self.name} {self.kind}"
        return f"{self.name} ({self.admin1.name})" if self.admin1_id else self.name

    def save(self, *args, **kwargs) -> None:
        keys = {place_key(n) for n in [self.name_ar, *self.all_names()] if n}
        self.search_keys = " ".join(sorted(keys - {""}))
        super().save(*args, **kwargs)
        # Events placed here without coordinates of their own follow the place when it moves.
        self.events.filter(own_coordinates=False).exclude(
            latitude=self.latitude, longitude=self.longitude
        ).update(latitude=self.latitude, longitude=self.longitude)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def is_unit(self) -> bool:
        return self.kind in UNIT_KINDS

    def unit_ids(self) -> tuple[int | None, int | None, int | None]:
        """The ids of its governorate, district and subdistrict (a unit is its own)."""
        own = {"governorate": 1, "district": 2, "subdistrict": 3}.get(self.kind, 0)
        ids = [self.admin1_id, self.admin2_id, self.admin3_id]
        if own:
            ids[own - 1] = self.pk
            ids[own:] = [None] * (3 - own)
        return tuple(ids)

    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]


class EventQuerySet(models.QuerySet):
    def published(self) -> EventQuerySet:
        return self.filter(status=Event.Status.PUBLISHED)

    def public(self) -> EventQuerySet:
        """What the public sees something of: published events, and the events merged into
        one (their sources are listed under the survivor)."""
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.MERGED])

    def between(self, start: date | None, end: date | None) -> EventQuerySet:
        """Events whose possible dates overlap [start, end] (either bound may be open)."""
        qs = self
        if start is not None:
            qs = qs.filter(date_end__gte=start)
        if end is not None:
            qs = qs.filter(date_start__lte=end)
        return qs

    def involving(self, *actors: Actor) -> EventQuerySet:
        """Events in which any of the actors, or any unit within them, takes part (any role)."""
        members = Actor.objects.filter(pk__in=[a.pk for a in actors]).with_descendants()
        roles = EventActor.objects.filter(actor__in=members).values("event_id")
        return self.filter(pk__in=roles)

    def in_units(self, *units: Place) -> EventQuerySet:
        """Events in any of these governorates, districts or subdistricts."""
        condition = Q()
        for unit in units:
            level = UNIT_KINDS.index(unit.kind) + 1
            condition |= Q(**{f"admin{level}": unit.pk})
        return self.filter(condition) if units else self

    def in_bbox(self, west: float, south: float, east: float, north: float) -> EventQuerySet:
        """Events whose coordinates fall in the box (uses the coordinates index)."""
        return self.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )

    def of_types(self, types: list[str], subtypes: list[str]) -> EventQuerySet:
        """Events of any of the types or any of the sub-types (an empty list does not filter)."""
        condition = Q()
        if types:
            condition |= Q(event_type__in=types)
        if subtypes:
            condition |= Q(sub_event_type__in=subtypes)
        return self.filter(condition) if condition else self

    def search(self, text: str) -> EventQuerySet:
        """Events whose title, description, evidence or sources hold every word (stemmed), a
        word naming a place in any spelling also finding the events there; ranked, best
        first, by `ranked_order` (events/search.py). May run a query per word naming a place."""
        from events.search import events_search

        return events_search(self, text)


NATIVE_DATASET = "atlas"  # events made in the admin, keyed by a UUID
EXTRACTION_DATASET = "extraction"  # candidates extracted from reports
# Atlas's own events, not a dataset file's rows (they have no dataset row nor a dataset's id).
OWN_DATASETS = frozenset({"", NATIVE_DATASET, EXTRACTION_DATASET})


class EventManager(models.Manager.from_queryset(EventQuerySet)):
    def get_by_natural_key(self, dataset: str, import_ref: str) -> Event:
        return self.get(dataset=dataset, import_ref=import_ref)


class EventStatus(models.TextChoices):
    EXTRACTED = "extracted", "Extracted"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    MERGED = "merged", "Merged into another"


class Event(models.Model):
    """Who did what to whom, where and when, with the evidence for it."""

    Status = EventStatus

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    sub_event_type = models.CharField(max_length=50, choices=SubEventType.choices)
    date_start = models.DateField(help_text="The earliest date the event can have happened.")
    date_end = models.DateField(help_text="The latest date; equal to the start for one day.")
    date_precision = models.PositiveSmallIntegerField(
        choices=DatePrecision.choices, default=DatePrecision.EXACT
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text="The gazetteer place the event happened at or nearest to.",
    )
    location_precision = models.PositiveSmallIntegerField(
        choices=LocationPrecision.choices, default=LocationPrecision.EXACT
    )
    own_coordinates = models.BooleanField(
        default=False,
        help_text="Tick when the event sits near, not at, its place and the coordinates below "
        "are its own; otherwise they follow the place.",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    admin1 = unit_field(1)
    admin2 = unit_field(2)
    admin3 = unit_field(3)
    actors = models.ManyToManyField(Actor, through="EventActor", related_name="events")
    fatalities_best = models.PositiveIntegerField(null=True, blank=True)
    fatalities_low = models.PositiveIntegerField(null=True, blank=True)
    fatalities_high = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.EXTRACTED)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_events",
        help_text="The event that survived a merge.",
    )
    confidence = models.FloatField(
        null=True, blank=True, help_text="0-1: how sure extraction (or the editor) is."
    )
    dataset = models.CharField(
        max_length=40, blank=True, help_text="Where a bulk-imported event comes from (ucdp, acled)."
    )
    import_ref = models.CharField(
        max_length=100, blank=True, help_text="The row's id in that dataset."
    )
    source_text = models.TextField(
        blank=True,
        help_text="The sources an imported row cites (UCDP source_article, ACLED source).",
    )
    dataset_row = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The imported row as its file gave it, every column and value as written "
        '({"layout": "acled" or "ucdp", "cells": [[column, value], ...]}): what an export in '
        "the dataset's layout gives back.",
    )
    rejection_reason = models.TextField(
        blank=True, help_text="Why a reviewer rejected it (shown to the editors)."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())
    edited_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor last saved it. Re-extraction never overwrites an edited event.",
    )

    objects = EventManager()

    class Meta:
        ordering = ["-date_start", "title"]
        permissions = [("publish_event", "Can publish or reject events")]
        indexes = [
            models.Index(fields=["status", "date_start", "date_end"], name="event_status_dates"),
            models.Index(fields=["latitude", "longitude"], name="event_coordinates"),
            models.Index(fields=["event_type", "sub_event_type"], name="event_types"),
            models.Index(fields=["updated_at"], name="event_updated"),
            models.Index(fields=["admin1", "status"], name="event_admin1"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_start__lte=models.F("date_end")), name="event_date_order"
            ),
            models.CheckConstraint(
                condition=check_in("event_type", EventType), name="event_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q.create(
                    [
                        Q(event_type=parent, sub_event_type=sub)
                        for sub, parent in SUB_EVENT_PARENT.items()
                    ],
                    connector=Q.OR,
                ),
                name="event_sub_type_matches_type",
            ),
            models.CheckConstraint(
                condition=check_in("date_precision", DatePrecision), name="event_date_prec_valid"
            ),
            models.CheckConstraint(
                condition=check_in("location_precision", LocationPrecision),
                name="event_location_prec_valid",
            ),
            models.CheckConstraint(
                condition=check_in("status", EventStatus), name="event_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="event_coordinates_range",
            ),
            models.CheckConstraint(
                condition=Q(fatalities_low__isnull=True)
                | Q(fatalities_best__isnull=True)
                | Q(fatalities_low__lte=models.F("fatalities_best")),
                name="event_fatalities_low_le_best",
            ),
            models.CheckConstraint(
                condition=Q(fatalities_high__isnull=True)
                | Q(fatalities_best__isnull=True)
                | Q(fatalities_best__lte=models.F("fatalities_high")),
                name="event_fatalities_best_le_high",
            ),
            models.CheckConstraint(
                condition=Q(fatalities_low__isnull=True)
                | Q(fatalities_high__isnull=True)
                | Q(fatalities_low__lte=models.F("fatalities_high")),
                name="event_fatalities_low_le_high",
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=0, confidence__lte=1),
                name="event_confidence_range",
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="event_merged_has_target",
            ),
            models.UniqueConstraint(
                fields=["dataset", "import_ref"],
                condition=~Q(import_ref=""),
                name="event_import_ref_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date_start:%Y-%m-%d} {self.title}"

    def save(self, *args, **kwargs) -> None:
        if not self.own_coordinates and self.place_id is not None:
            place = self.place
            self.latitude, self.longitude = place.latitude, place.longitude
        if not self.import_ref:  # made in the admin: Atlas is its dataset, a UUID its id
            self.dataset, self.import_ref = NATIVE_DATASET, uuid.uuid4().hex
        self.admin1_id, self.admin2_id, self.admin3_id = self.units_find()
        super().save(*args, **kwargs)

    def units_find(self) -> tuple[int | None, int | None, int | None]:
        """Its governorate, district and subdistrict: its place's, or, with coordinates of its
        own, those they lie in (but a governorate or district named as its place stays its
        own); only as deep as its location precision reaches (an event known to the governorate
        gets no district)."""
        from events.gazetteer.units import units_at

        place = self.place if self.place_id is not None else None
        if place is not None and (not self.own_coordinates or place.is_unit):
            ids = place.unit_ids()  # a unit the dataset named wins over its point
        else:
            ids = units_at(self.latitude, self.longitude)
        depth = {1: 3, 2: 3, 3: 2, 4: 1, 5: 1}.get(self.location_precision, 0)
        return tuple(ids[i] if i < depth else None for i in range(3))

    def natural_key(self) -> tuple[str, str]:
        """Every event is keyed by its dataset and its id there (the import's row id, the
        extraction's report and candidate key, a UUID for events made in the admin): unique,
        so fixtures and dumps load again without doubling."""
        return (self.dataset, self.import_ref)

    def get_admin_url(self) -> str:
        return reverse("admin:events_event_change", args=[self.pk])

    def merge_target(self) -> Event:
        """The event this one finally merged into (itself when not merged)."""
        event, seen = self, {self.pk}
        while event.merged_into_id is not None and event.merged_into_id not in seen:
            seen.add(event.merged_into_id)
            event = event.merged_into
        return event

    def merged_family(self) -> list[int]:
        """Its id and those of every event merged into it, directly or through another merge
        (their evidence is this event's evidence too). One query per level."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                Event.objects.filter(merged_into__in=frontier)
                .exclude(pk__in=ids)
                .values_list("pk", flat=True)
            )
            ids += frontier
        return ids

    def clean(self) -> None:
        errors = {}
        if self.sub_event_type and SUB_EVENT_PARENT.get(self.sub_event_type) != self.event_type:
            errors["sub_event_type"] = "This sub-type does not belong to the chosen event type."
        if self.date_start and self.date_end and self.date_start > self.date_end:
            errors["date_end"] = "The latest date cannot come before the earliest."
        if self.own_coordinates and (self.latitude is None or self.longitude is None):
            errors["latitude"] = "Give both coordinates, or untick 'own coordinates'."
        if not self.own_coordinates and self.place is None and self.status == "published":
            errors["place"] = "A published event needs a place or coordinates of its own."
        if errors:
            raise ValidationError(errors)


class ActorRole(models.TextChoices):
    ACTOR_1 = "actor1", "Actor 1 (initiator)"
    ACTOR_2 = "actor2", "Actor 2 (target or opponent)"
    ASSOCIATED_1 = "assoc1", "Associated with actor 1"
    ASSOCIATED_2 = "assoc2", "Associated with actor 2"


class EventActorManager(models.Manager):
    def get_by_natural_key(
        self, dataset: str, import_ref: str, actor: str, role: str
    ) -> EventActor:
        return self.get(
            event__dataset=dataset, event__import_ref=import_ref, actor__slug=actor, role=role
        )


class EventActor(models.Model):
    """An actor's part in an event, in ACLED's roles."""

    Role = ActorRole

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_actors")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="event_roles")
    role = models.CharField(max_length=10, choices=Role.choices)

    objects = EventActorManager()

    class Meta:
        ordering = ["role", "actor__name"]
        # "Events involving these actors" reads this index alone (the map's actor filter).
        indexes = [models.Index(fields=["actor", "event"], name="event_actor_by_actor")]
        constraints = [
            # A role is the data's, not the actor's: ACLED codes a clash of two unidentified
            # groups as actor1 = actor2, two units of one army, a group and its own associate.
            models.UniqueConstraint(
                fields=["event", "actor", "role"], name="event_actor_role_once"
            ),
            models.UniqueConstraint(
                fields=["event", "role"],
                condition=Q(role__in=["actor1", "actor2"]),
                name="event_one_primary_actor_per_side",
            ),
            models.CheckConstraint(
                condition=check_in("role", ActorRole), name="event_actor_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.actor}"

    def natural_key(self) -> tuple[str, str, str, str]:
        return (*self.event.natural_key(), self.actor.slug, self.role)

    natural_key.dependencies = ["events.event", "events.actor"]


class EvidenceManager(models.Manager):
    def get_by_natural_key(self, dataset: str, import_ref: str, report: str) -> Evidence:
        return self.get(
            event__dataset=dataset, event__import_ref=import_ref, report__content_hash=report
        )


class Evidence(models.Model):
    """The sentence(s) of a report that support an event, with their exact character span."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evidence")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="evidence")
    quote = models.TextField(help_text="Exactly report.text[start:end].")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    rules = models.JSONField(
        default=list, blank=True, help_text="The extraction rules that fired, or 'curated'."
    )

    objects = EvidenceManager()

    class Meta:
        ordering = ["report", "start"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="evidence_span_order"
            ),
            models.UniqueConstraint(
                fields=["event", "report"], name="evidence_one_span_per_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} [{self.start}:{self.end}]"

    def natural_key(self) -> tuple[str, str, str]:
        return (*self.event.natural_key(), self.report.content_hash)

    natural_key.dependencies = ["events.event", "events.report"]

    def clean(self) -> None:
        if self.report_id and self.report.text[self.start : self.end] != self.quote:
            raise ValidationError({"quote": "The quote must be the report's text at this span."})


# --------------------------------------------------------------------------- proposed changes


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Proposal(models.Model):
    """An editor's change to something the public sees, kept until a reviewer accepts it.

    A published event, a report a published event cites, an actor, place or outlet shown
    with one: an editor's save of any of them becomes a proposal, and the public keeps seeing
    the reviewed version until a reviewer accepts (the change is applied and recorded in the
    history) or declines it with a reason the editor reads (events/proposals.py).
    """

    Status = ProposalStatus

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    changes = models.JSONField(
        encoder=DjangoJSONEncoder,
        help_text="What would change: fields (by attname), an event's roles and evidence, or "
        "a merge into it.",
    )
    base = models.JSONField(
        encoder=DjangoJSONEncoder,
        default=dict,
        help_text="The target as it was when proposed (the changed fields, and updated_at).",
    )
    summary = models.TextField(blank=True, help_text="What the editor changed, in words.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_proposals",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was declined, for the editor.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "proposed change"
        indexes = [
            models.Index(fields=["content_type", "object_id", "status"], name="proposal_target")
        ]
        constraints = [
            models.CheckConstraint(
                condition=check_in("status", ProposalStatus), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", reviewer__isnull=True, decided_at__isnull=True)
                | (~Q(status="pending") & Q(reviewer__isnull=False, decided_at__isnull=False)),
                name="proposal_decided_by_a_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""),
                name="proposal_declined_with_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.name} #{self.object_id}: {self.summary or 'a change'}"


# --------------------------------------------------------------------------- history

# Every saved change to these is kept by django-reversion (events/history.py): an event's
# versions carry its actor roles and evidence, so reverting an event restores them too.
reversion.register(EventActor)
reversion.register(Evidence)
reversion.register(Event, follow=["event_actors", "evidence"])
reversion.register(Actor)
reversion.register(Place)
reversion.register(Report)
reversion.register(Source)


class ImportJob(models.Model):
    """A dataset file an editor uploaded in the admin, imported in the background by the task
    queue (events/importers/jobs.py) the same way `import_acled` / `import_ucdp` import it."""

    class Kind(models.TextChoices):
        ACLED = "acled", "ACLED export"
        UCDP = "ucdp", "UCDP GED"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="imports/%Y/%m/", help_text="A CSV file, UTF-8.")
    file_name = models.CharField(max_length=255, editable=False, blank=True)
    event_status = models.CharField(
        max_length=20,
        choices=[(s, label) for s, label in Event.Status.choices if s != Event.Status.MERGED],
        default=Event.Status.IN_REVIEW,
        help_text="What the file's new events start as (reviewers may publish them at once).",
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.QUEUED, editable=False
    )
    rows_total = models.PositiveIntegerField(default=0, editable=False)
    rows_done = models.PositiveIntegerField(default=0, editable=False)
    created = models.PositiveIntegerField(default=0, editable=False)
    updated = models.PositiveIntegerField(default=0, editable=False)
    unchanged = models.PositiveIntegerField(default=0, editable=False)
    kept = models.PositiveIntegerField(default=0, editable=False)
    failed = models.PositiveIntegerField(default=0, editable=False)
    report = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    started_at = models.DateTimeField(null=True, editable=False)
    finished_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name or self.file.name} ({self.state})"


# --------------------------------------------------------------------------- search


class EventSearch(models.Model):
    """The words an event is found by: its title, description, the quotes of its evidence and
    the titles of the reports they come from, and its imported sources (with those of the
    events merged into it), folded as events/search.py folds a query. Derived data, kept
    current by events/search.py and rebuilt by `manage.py rebuild_search`. The database
    indexes it: a weighted tsvector column with a GIN index on PostgreSQL, an FTS5 table fed by
    triggers on SQLite (migration 0016; neither is a model field)."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    sources = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Search document of event #{self.event_id}"
