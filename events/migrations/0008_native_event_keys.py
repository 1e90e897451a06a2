"""Events made in the admin get a unique key (dataset "atlas", a UUID), so every event has a
natural key of its own and a dump loads back (before, all of them were ("", ""))."""

import uuid

from django.db import migrations


def key_native_events(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event.objects.filter(import_ref="").only("pk"):
        Event.objects.filter(pk=event.pk).update(dataset="atlas", import_ref=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [("events", "0007_source_updated_at")]

    operations = [migrations.RunPython(key_native_events, migrations.RunPython.noop)]
