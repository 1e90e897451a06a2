"""The editors' admin site: members of the `editor` and `reviewer` groups may use it.

Staff status follows the groups: putting someone in one of them is all it takes to let them
in (with that group's permissions), and taking them out locks them out again. Superusers and
users marked staff by hand keep Django's usual access.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

EDITOR_GROUPS = ("editor", "reviewer")


def may_use_admin(user) -> bool:
    """Active, and staff or in an editors' group. One query, remembered on the user object."""
    if not (user.is_active and user.is_authenticated):
        return False
    if user.is_staff:
        return True
    if not hasattr(user, "_atlas_editor"):
        user._atlas_editor = user.groups.filter(name__in=EDITOR_GROUPS).exists()
    return user._atlas_editor


class EditorAuthenticationForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)
        if not may_use_admin(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class AtlasAdminSite(AdminSite):
    site_header = "Atlas editors"
    site_title = "Atlas"
    index_title = "Curate reports, events, actors and places"
    enable_nav_sidebar = False  # the event list needs the width
    login_form = EditorAuthenticationForm

    def has_permission(self, request) -> bool:
        return may_use_admin(request.user)

    def index(self, request, extra_context=None):
        """The home page leads with the review queue and its count (events/curation/home.py)."""
        from events.curation.home import home_summary  # the site loads before the models

        context = {"atlas_queue": home_summary(request.user), **(extra_context or {})}
        return super().index(request, context)
