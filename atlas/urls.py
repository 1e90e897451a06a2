import django.contrib.auth.admin  # noqa: F401  (registers users and groups)
from django.contrib import admin
from django.urls import path, re_path

import events.curation.admin  # registers the Atlas models (SimpleAdminConfig in settings)
import events.importers.admin  # noqa: F401  (dataset uploads)
from events.api import views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("about/", views.about_page, name="about"),
    path("api/events", views.api_events, name="api-events"),
    path("api/events/<int:pk>", views.api_event, name="api-event"),
    path("api/actors", views.api_actors, name="api-actors"),
    path("api/event-types", views.api_event_types, name="api-event-types"),
    path("api/timeline", views.api_timeline, name="api-timeline"),
    path("api/places", views.api_places, name="api-places"),
    path("api/units/<str:pcode>", views.api_unit, name="api-unit"),
    path("api/openapi.json", views.api_openapi, name="api-openapi"),
    re_path(r"^api/(?P<path>.*)$", views.api_not_found),
    path("admin/", admin.site.urls),
]
