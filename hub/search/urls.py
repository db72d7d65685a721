from django.urls import path

from hub.search import views

app_name = "search"
urlpatterns = [
    path("zoeken/", views.results, name="results"),
]
