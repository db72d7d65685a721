from django.urls import path

from hub.personal import views

app_name = "personal"
urlpatterns = [
    path("mijn-kring/", views.dashboard, name="dashboard"),
    path("profiel/mijn-gegevens/", views.export, name="export"),
    path("profiel/account-verwijderen/", views.delete_account, name="delete"),
]
