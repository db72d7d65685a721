from django.urls import path

from hub.review import views

app_name = "review"
urlpatterns = [
    path("leiding/", views.dashboard, name="dashboard"),
    path("leiding/ideeen/<int:idea_id>/", views.decide, name="decide"),
    path("besluiten/", views.decisions, name="decisions"),
    path("besluiten.csv", views.decisions_csv, name="decisions_csv"),
    path("besluiten/feed/", views.decisions_feed, name="decisions_feed"),
    path("besluiten/feed/<str:token>/", views.decisions_feed_token, name="decisions_feed_token"),
    path("besluiten/feedlink/", views.feed_token, name="feed_token"),
    path("cijfers/", views.charts, name="charts"),
    path("open-data/ideeen.json", views.open_data, name="open_data"),
]
