"""``python manage.py send_digests``: the daily notification emails, once a day from cron.

Safe to run again (also at the same time elsewhere): each person gets at most one digest
per day. A mail that failed is retried by the next run, and the command exits with an
error so the scheduler reports it.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from hub.notifications import emails


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--day must be a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Send each person the daily email with their digest notifications."

    def add_arguments(self, parser):
        parser.add_argument(
            "--day",
            help="The day the digest is for, as YYYY-MM-DD (default: today, local time). "
            "Everyone gets at most one digest per day.",
        )

    def handle(self, *args, day=None, **options):
        run = emails.send_digests(_day(day) if day else None)
        self.stdout.write(f"Sent {run.sent} digest email{'' if run.sent == 1 else 's'}.")
        if run.failed:
            raise CommandError(
                f"{run.failed} digest email{'' if run.failed == 1 else 's'} could not be sent; "
                "run the command again to retry."
            )
