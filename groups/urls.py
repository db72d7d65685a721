from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("nieuw/", views.create, name="create"),
    path("te-beoordelen/", views.review_queue, name="review_queue"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/lid-worden/", views.join, name="join"),
    path("<slug:slug>/verlaten/", views.leave, name="leave"),
    path("<slug:slug>/aanvragen/", views.request_to_join, name="request"),
    path("<slug:slug>/aanvraag-intrekken/", views.withdraw_request, name="withdraw_request"),
    path("<slug:slug>/leden/", views.members, name="members"),
    path("<slug:slug>/aanvragen/<int:request_id>/", views.decide_request, name="decide_request"),
    path("<slug:slug>/leden/<int:user_id>/rol/", views.change_role, name="change_role"),
    path("<slug:slug>/leden/<int:user_id>/verwijderen/", views.remove_member, name="remove_member"),
    path("<slug:slug>/leden/<int:user_id>/dempen/", views.mute_member, name="mute_member"),
    path("<slug:slug>/leden/<int:user_id>/niet-dempen/", views.unmute_member, name="unmute_member"),
    path("<slug:slug>/uitnodigen/", views.invite, name="invite"),
    path(
        "<slug:slug>/uitnodigingen/<int:invitation_id>/intrekken/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("<slug:slug>/instellingen/", views.settings_page, name="settings"),
    path("<slug:slug>/archiveren/", views.archive, name="archive"),
    path("<slug:slug>/logboek/", views.moderation_log, name="moderation_log"),
    path("<slug:slug>/beoordelen/", views.review, name="review"),
]
