"""Mails the groups app sends. In-app notifications arrive with the notifications issue."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from hub.urls_absolute import absolute_url


def send_invitation_mail(invitation) -> None:
    language = (invitation.user.language if invitation.user_id else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "invitation": invitation,
            "group": invitation.group,
            "inviter": invitation.invited_by,
            "url": absolute_url(invitation.get_absolute_url()),
        }
        subject = render_to_string("groups/email/invitation_subject.txt", context).strip()
        body = render_to_string("groups/email/invitation_message.txt", context)
    send_mail(subject, body, None, [invitation.email])
