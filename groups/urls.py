from django.urls import path, register_converter

from groups import views


class IdConverter:
    """A database id: digits that fit a bigint, so an absurd number is a 404, not a crash."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class TokenConverter:
    """An invitation token (URL-safe base64); anything else never reaches the database."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IdConverter, "id")
register_converter(TokenConverter, "token")

app_name = "groups"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("nieuw/", views.create, name="create"),
    path("te-beoordelen/", views.review_queue, name="review_queue"),
    path("uitnodiging/<token:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/lid-worden/", views.join, name="join"),
    path("<slug:slug>/verlaten/", views.leave, name="leave"),
    path("<slug:slug>/aanvragen/", views.request_to_join, name="request"),
    path("<slug:slug>/aanvraag-intrekken/", views.withdraw_request, name="withdraw_request"),
    path("<slug:slug>/leden/", views.members, name="members"),
    path("<slug:slug>/aanvragen/<id:request_id>/", views.decide_request, name="decide_request"),
    path("<slug:slug>/leden/<id:user_id>/rol/", views.change_role, name="change_role"),
    path("<slug:slug>/leden/<id:user_id>/verwijderen/", views.remove_member, name="remove_member"),
    path("<slug:slug>/leden/<id:user_id>/dempen/", views.mute_member, name="mute_member"),
    path("<slug:slug>/leden/<id:user_id>/niet-dempen/", views.unmute_member, name="unmute_member"),
    path("<slug:slug>/uitnodigen/", views.invite, name="invite"),
    path(
        "<slug:slug>/uitnodigingen/<id:invitation_id>/intrekken/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("<slug:slug>/instellingen/", views.settings_page, name="settings"),
    path("<slug:slug>/archiveren/", views.archive, name="archive"),
    path("<slug:slug>/logboek/", views.moderation_log, name="moderation_log"),
    path("<slug:slug>/beoordelen/", views.review, name="review"),
]
