import django.contrib.auth.admin  # noqa: F401  (registers users and groups)
from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

import events.admin  # noqa: F401  (registers the Atlas models; see SimpleAdminConfig in settings)

admin.site.site_header = "Atlas editors"
admin.site.site_title = "Atlas"
admin.site.index_title = "Curate reports, events, actors and places"
admin.site.enable_nav_sidebar = False  # the event list needs the width

urlpatterns = [
    # Until the researchers' map lands, the front page is the editors' admin.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
]
