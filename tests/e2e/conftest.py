"""Browser tests: Debian's Chromium, driven by Playwright, against the real ASGI app.

The site runs as it does in production: ``hub.asgi.application`` (HTTP and
WebSocket routing, WhiteNoise for the static files) served by daphne, in a
process forked from the test process. That process uses the same test
database, so every test that talks to it commits its data: the ``browser_page``
fixture pulls in pytest-django's ``transactional_db`` for that reason.

Fixture names avoid pytest-playwright's (``browser``, ``page``, ...) so the two
can coexist if that plugin is ever installed.
"""

import email
import email.policy
import functools
import os
import re
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOST = "127.0.0.1"
SERVER_START_TIMEOUT = 30  # seconds
DEFAULT_TIMEOUT_MS = 10_000  # for every Playwright action and wait


# --- The daphne server -------------------------------------------------------
# The two functions below run in the forked server process, so they live at
# module level (picklable, should multiprocessing ever spawn instead of fork).


def _server_application():
    from hub.asgi import application

    return application


def _prepare_server_process(mail_dir: str):
    """Runs in the server process just before daphne starts serving."""
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import SyncToAsync
    from django.conf import settings

    # Threads do not survive a fork, but asgiref's executor for database calls
    # thinks a worker started by earlier async tests is still there and would
    # queue work for it forever: give the server its own.
    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
    # The test process sets this while Playwright runs (see e2e_browser); the
    # server must keep Django's async-safety checks, as in production.
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # pytest-django switched the test process to the locmem backend, whose
    # outbox the test could not see from here: write mails to files instead.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = mail_dir
    # pytest-django (or DJANGO_ALLOWED_HOSTS) may leave only 'testserver'.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST, "localhost"]


@dataclass(frozen=True)
class LiveServer:
    url: str
    mail_dir: Path

    def reverse(self, viewname: str, *args, **kwargs) -> str:
        """Absolute URL of a named route on the live server."""
        return self.url + reverse(viewname, args=args or None, kwargs=kwargs or None)


@pytest.fixture(scope="package")
def daphne_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """``hub.asgi.application`` under daphne on a free port, for the e2e package."""
    from daphne.testing import DaphneProcess

    for connection in connections.all():
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            pytest.fail("the browser tests need a file or server test database")
    # The child inherits open sockets: a connection shared across fork would
    # be closed (or used) by both processes. Start the server with none open.
    connections.close_all()

    mail_dir = tmp_path_factory.mktemp("mail")
    process = DaphneProcess(
        HOST,
        _server_application,
        setup=functools.partial(_prepare_server_process, str(mail_dir)),
    )
    process.daemon = True  # never outlive the test run
    # pytest-django blocks database access outside db fixtures by patching
    # Django; the forked server inherits whatever state the patch is in, so
    # fork while it is lifted.
    with django_db_blocker.unblock():
        process.start()
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while not process.ready.wait(timeout=0.1):
        if not process.is_alive() or time.monotonic() > deadline:
            detail = "" if process.errors.empty() else process.errors.get_nowait()[1]
            process.terminate()
            pytest.fail(f"daphne did not start\n{detail}")
    try:
        yield LiveServer(url=f"http://{HOST}:{process.port.value}", mail_dir=mail_dir)
    finally:
        process.terminate()
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join()


# --- Mail ----------------------------------------------------------------------


class Mailbox:
    """The mails the server process wrote with Django's file-based backend."""

    separator = re.compile(rb"^-{79}$\n?", re.MULTILINE)

    def __init__(self, directory: Path):
        self.directory = directory

    def clear(self) -> None:
        for path in self.directory.glob("*.log"):
            path.unlink()

    def messages(self) -> list[EmailMessage]:
        """All messages, oldest first."""
        found = []
        for path in sorted(self.directory.glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
            for chunk in self.separator.split(path.read_bytes()):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return found

    def latest(self, *, to: str | None = None, timeout: float = 5) -> EmailMessage:
        """The newest message (to ``to``), waiting a little for the server to write it."""
        deadline = time.monotonic() + timeout
        while True:
            messages = [m for m in self.messages() if to is None or to in m.get("To", "")]
            if messages:
                return messages[-1]
            if time.monotonic() > deadline:
                pytest.fail(f"no mail{f' to {to}' if to else ''} arrived within {timeout} s")
            time.sleep(0.05)

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain", "html")).get_content()

    def links(self, message: EmailMessage) -> list[str]:
        return re.findall(r"https?://[^\s<>\"']+", self.text(message))


@pytest.fixture
def mailbox(daphne_server):
    box = Mailbox(daphne_server.mail_dir)
    box.clear()
    return box


# --- The browser -----------------------------------------------------------------


@pytest.fixture(scope="package")
def chromium_executable():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt install chromium)")
    return str(CHROMIUM)


@pytest.fixture(scope="package")
def e2e_browser(chromium_executable, daphne_server):
    """One headless Chromium for the e2e package.

    Requests ``daphne_server`` first on purpose: the server is forked before
    Playwright starts its driver and event loop, so the child inherits neither.
    """
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in this thread
    # from start() to stop(). Django sees that loop and refuses ORM calls from
    # here ("SynchronousOnlyOperation: You cannot call this from an async
    # context"), although the tests and pytest-django's fixtures (creating rows,
    # flushing the database) never run inside it. So allow them, but only while
    # Playwright is running: the flag is removed again when the e2e package is
    # done, so the rest of the suite keeps the check, and the server process
    # drops it too (_prepare_server_process).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_browser_page(e2e_browser, daphne_server, transactional_db):
    """Factory: each call opens a page in a fresh browser context (no cookies).

    For tests with more than one person at once (a member and a moderator,
    each logged in in their own context). Relative URLs go to the server; the
    browser asks for English (``Accept-Language: en-GB``) on purpose: many of
    the province's machines do, and Kring must still start in Dutch.
    Depending on ``transactional_db`` makes the contexts close before the
    database is flushed after the test.
    """
    contexts = []
    # A server error or a script error fails the test even when the page
    # "looks" fine to it (axe happily checks a 500 page).
    problems = []

    def new_page():
        context = e2e_browser.new_context(base_url=daphne_server.url, locale="en-GB")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "response",
            lambda r: r.status >= 500 and problems.append(f"{r.status} {r.request.method} {r.url}"),
        )
        page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
        return page

    yield new_page
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("the browser saw errors:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def browser_page(new_browser_page):
    """A page in a fresh browser context (see ``new_browser_page``)."""
    return new_browser_page()


# --- Data that the database flush between browser tests takes away --------------------


@pytest.fixture
def leadership_group(transactional_db):
    """The 'Leiding' group with the leadership permission, for ``make_user(leadership=True)``.

    A data migration makes it, but the flush after each transactional test removes it
    (permissions and content types come back on their own): make it again when missing.
    """
    from django.conf import settings
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=settings.KRING_LEADERSHIP_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="hub", codename="review_ideas")
    )
    return group
