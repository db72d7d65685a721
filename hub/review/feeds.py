"""The decision log as an Atom feed: for the signed-in person (session), or by the
personal secret link for feed readers, which cannot log in. Either way the feed holds
exactly what that person may see in the decision log."""

import re

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from hub.models import User
from hub.review import selectors
from ideas.models import Idea

FEED_SIZE = 50
# What services.reset_feed_token makes (secrets.token_urlsafe); anything else is no token,
# and never reaches the database (PostgreSQL refuses a NUL byte with an error).
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


class DecisionFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return request.user

    def title(self, user):
        return _("Kring: decisions on ideas")

    def subtitle(self, user):
        return _("Status decisions and official responses on ideas in the groups you can see.")

    def link(self, user):
        return reverse("review:decisions")

    def items(self, user):
        return selectors.decisions(user)[:FEED_SIZE]

    def item_title(self, change):
        return _("%(title)s: %(from)s → %(to)s") % {
            "title": change.idea.title,
            "from": Idea.Status(change.from_status).label,
            "to": Idea.Status(change.to_status).label,
        }

    def item_description(self, change):
        return change.response_html  # rendered and sanitised once, on save

    def item_link(self, change):
        return f"{change.idea.get_absolute_url()}#decision-{change.pk}"

    def item_pubdate(self, change):
        return change.created_at

    def item_updateddate(self, change):
        return change.created_at

    def item_author_name(self, change):
        return change.actor.name if change.actor else _("former colleague")

    def item_categories(self, change):
        return [change.idea.board.group.name]


class TokenDecisionFeed(DecisionFeed):
    """The same feed for whoever holds the person's secret link (a feed reader)."""

    def get_object(self, request, token=""):
        if not TOKEN.fullmatch(token or ""):
            raise Http404
        user = User.objects.filter(
            feed_token=token, is_active=True, deleted_at__isnull=True
        ).first()
        if user is None:
            raise Http404
        return user
