from django.contrib import admin
from django.urls import include, path

from hub import views

urlpatterns = [
    path("", views.home, name="home"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("profiel/", views.profile, name="profile"),
    path("taal/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("groepen/", include("groups.urls")),
    path("", include("discussions.urls")),
    path("", include("ideas.urls")),
    path("meldingen/", include("hub.notifications.urls")),
    path("", include("hub.review.urls")),
    path("", include("hub.search.urls")),
    path("", include("hub.personal.urls")),
    path("accounts/", include("allauth.urls")),
    path("beheer/", admin.site.urls),
]
