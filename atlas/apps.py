from django.contrib.admin.apps import SimpleAdminConfig


class AtlasAdminConfig(SimpleAdminConfig):
    """Django's admin without autodiscovery, on Atlas's own site (atlas/admin.py)."""

    default_site = "atlas.admin.AtlasAdminSite"
