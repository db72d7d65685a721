"""Issue 6 pages at scale: the leadership dashboard over 100 groups, the decision log, the
charts, search, Mijn Kring and the notification list, for a leader and a member.

Runs after the 10,000-idea board exists (bench/__main__.py), adds 99 more groups with a
board of 20 ideas each, some decisions and notifications, then measures each page.
"""

import json
import random
from datetime import timedelta


def _more_groups(count: int, ideas_each: int, voters: list) -> None:
    from django.db import transaction
    from django.utils import timezone

    from groups.models import Group
    from hub.markdown import render_markdown
    from ideas.models import Board, Idea, StatusChange, Vote

    rng = random.Random(6)
    now = timezone.now()
    body = "Een voorstel om **samen** beter te werken."
    html = render_markdown(body)
    with transaction.atomic():
        groups = Group.objects.bulk_create(
            Group(name=f"Benchgroep {n}", slug=f"benchgroep-{n}", kind="improvement")
            for n in range(count)
        )
        boards = Board.objects.bulk_create(Board(group=g, title="Ideeën") for g in groups)
        rows = []
        for board in boards:
            for n in range(ideas_each):
                rows.append(
                    Idea(
                        board=board,
                        author=voters[n],
                        title=f"Voorstel {n} over vergaderingen en thuiswerken",
                        body=body,
                        body_html=html,
                        vote_count=rng.randrange(0, 25),
                        created_at=now - timedelta(days=rng.uniform(0, 120)),
                    )
                )
        made = Idea.objects.bulk_create(rows, batch_size=2000)
        Vote.objects.bulk_create(
            (
                Vote(idea=idea, user=voters[v], created_at=now - timedelta(days=rng.uniform(0, 40)))
                for idea in made
                for v in range(idea.vote_count)
            ),
            batch_size=10_000,
        )
        StatusChange.objects.bulk_create(
            StatusChange(
                idea=idea,
                from_status="new",
                to_status="under_review",
                response="We kijken ernaar.",
                response_html="<p>We kijken ernaar.</p>",
                created_at=now - timedelta(days=rng.uniform(0, 30)),
            )
            for idea in made[::7]
        )
        for idea in made:
            if idea.vote_count >= 10:
                idea.threshold_reached_at = idea.created_at + timedelta(days=1)
        Idea.objects.bulk_update(made, ["threshold_reached_at"], batch_size=2000)


def run(measure_page, busiest) -> None:
    from django.test import Client

    from groups.models import Membership
    from hub.models import Notification, User

    voters = list(User.objects.filter(username__startswith="stemmer").order_by("pk")[:30])
    _more_groups(99, 20, voters)
    from bench.pages import analyze

    analyze()
    leader = User.objects.filter(groups__name="Leiding").order_by("pk").first()
    member = Membership.objects.filter(group=busiest).select_related("user").first().user
    Notification.objects.bulk_create(
        Notification(recipient=member, kind="reply", url="/", excerpt=f"Bericht {n}")
        for n in range(500)
    )
    print(json.dumps({"benchmark": "world for issue 6 pages", "groups": 100 + 12, "ideas": 12_000}))
    lead = Client()
    lead.force_login(leader)
    for path in (
        "/leiding/",
        "/leiding/?sortering=trending",
        "/leiding/?wacht=1",
        "/besluiten/",
        "/cijfers/",
    ):
        print(json.dumps({**measure_page(lead, path, runs=50), "who": "leadership"}))
    reader = Client()
    reader.force_login(member)
    for path in (
        "/zoeken/?q=vergaderingen",
        "/zoeken/?q=vergaderingen&soort=ideeen",
        "/mijn-kring/",
        "/meldingen/",
    ):
        print(json.dumps({**measure_page(reader, path, runs=50), "who": "member"}))
