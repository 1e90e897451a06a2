"""Create the `editor` and `reviewer` groups with their permissions.

Editors correct events, actors and places and submit events for review; reviewers can do all
that and also publish, reject and delete. Publishing is the `publish_event` permission, checked
by the admin's form and actions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED = ["report", "source", "event", "eventactor", "evidence", "actor", "place"]
EDITOR = [f"{action}_{model}" for model in CURATED for action in ("view", "add", "change")] + [
    "delete_eventactor",
    "delete_evidence",
]
REVIEWER = EDITOR + ["publish_event", "delete_event", "delete_report"]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("editor", EDITOR), ("reviewer", REVIEWER)):
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label="events", codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions missing: {sorted(missing)}")
        group.permissions.set(perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["editor", "reviewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
