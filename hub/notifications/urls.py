from django.urls import path

from hub.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("gelezen/", views.mark_read, name="mark_read"),
    path("instellingen/", views.preferences, name="preferences"),
]
