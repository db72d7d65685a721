"""docs/deploy.md's layout, run: nginx (sample nginx.conf, TLS) → two daphne processes
(the sample unit's command line, settings from the environment) → the test database and
a Redis of the tests' own. Everything below goes through nginx, as a browser would."""

import asyncio
import gzip
import http.client
import json
import re
import shutil
import subprocess
import urllib.parse
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.urls import reverse
from websockets.asyncio.client import connect

from tests.deploy.conftest import (
    SAMPLES,
    nginx_test,
    required_binary,
    self_signed_certificate,
    with_certificate,
)
from tests.realtime.conftest import TIMEOUT, run, session_cookie, thread_path
from tests.realtime.test_multiprocess import until

pytestmark = pytest.mark.django_db(transaction=True)

HSTS = "max-age=31536000; includeSubDomains; preload"
FAR_FUTURE = "public, max-age=31536000, immutable"
HOST = "kring.provincie.nl"  # the sample's server_name, in DJANGO_ALLOWED_HOSTS


def request(deployment, method, path, *, cookies=None, data=None, headers=None):
    """One HTTPS request through nginx, no redirects followed: (status, headers, body)."""
    conn = http.client.HTTPSConnection(
        "127.0.0.1", deployment.https_port, context=deployment.tls(), timeout=TIMEOUT * 2
    )
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if data is not None:
        body = urllib.parse.urlencode(data)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = deployment.origin  # what a browser sends with a form post
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def reply_through_nginx(deployment, thread, session: str, body: str) -> None:
    """A browser replying: open the thread page (CSRF cookie), post the reply form."""
    cookies = {settings.SESSION_COOKIE_NAME: session}
    status, headers, html = request(deployment, "GET", thread.get_absolute_url(), cookies=cookies)
    assert status == 200, html[:2000]
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    token = jar[settings.CSRF_COOKIE_NAME].value
    cookies[settings.CSRF_COOKIE_NAME] = token
    url = reverse("discussions:reply", args=[thread.group.slug, thread.pk])
    status, _headers, html = request(
        deployment, "POST", url, cookies=cookies, data={"body": body, "csrfmiddlewaretoken": token}
    )
    assert status in (201, 302, 303), html[:2000]


@asynccontextmanager
async def websocket(deployment, path: str, session: str):
    async with connect(
        f"wss://127.0.0.1:{deployment.https_port}{path}",
        ssl=deployment.tls(),
        origin=deployment.origin,
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        proxy=None,
        open_timeout=TIMEOUT * 2,
    ) as socket:
        yield socket


# --- The samples as shipped -----------------------------------------------------------


def test_the_sample_nginx_conf_passes_nginx_t(tmp_path):
    """The sample unchanged but for the certificate paths, including its IPv6 listeners."""
    nginx = required_binary("nginx", "nginx-light")
    cert, key = self_signed_certificate(tmp_path)
    site = with_certificate((SAMPLES / "nginx.conf").read_text(), cert, key)
    checked = nginx_test(nginx, tmp_path / "nginx", site)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
    assert "[warn]" not in checked.stderr, checked.stderr


def test_the_sample_unit_passes_systemd_analyze_verify(tmp_path):
    analyze = required_binary("systemd-analyze", "systemd")
    unit = (SAMPLES / "kring@.service").read_text()
    # verify checks that the daphne binary exists: point it at this checkout's.
    daphne = shutil.which("daphne", path=str(settings.BASE_DIR / ".venv" / "bin"))
    assert daphne, "no daphne in .venv/bin"
    (tmp_path / "kring@.service").write_text(unit.replace("/srv/kring/.venv/bin/daphne", daphne))
    checked = subprocess.run(
        [analyze, "verify", str(tmp_path / "kring@8001.service")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.strip() == "", checked.stderr  # unknown keys are only warned about


def test_the_backup_script_is_valid_sh():
    checked = subprocess.run(["sh", "-n", str(SAMPLES / "backup.sh")], capture_output=True)
    assert checked.returncode == 0, checked.stderr


# --- Through nginx --------------------------------------------------------------------


def test_a_member_reads_a_page_over_tls_with_hsts(deployment, thread, member):
    session = session_cookie(member)
    status, headers, html = request(
        deployment,
        "GET",
        thread.get_absolute_url(),
        cookies={settings.SESSION_COOKIE_NAME: session},
    )
    assert status == 200, html[:2000]
    assert "Fietsenstalling" in html.decode()
    # Django saw https (X-Forwarded-Proto from nginx, DJANGO_BEHIND_PROXY): no redirect
    # loop, and the HSTS header that Django only sends on a secure request.
    assert headers["Strict-Transport-Security"] == HSTS


def test_plain_http_is_redirected_to_https(deployment):
    conn = http.client.HTTPConnection("127.0.0.1", deployment.http_port, timeout=TIMEOUT)
    try:
        conn.request("GET", "/groepen/?x=1")
        response = conn.getresponse()
        assert response.status == 301
        assert response.headers["Location"] == "https://127.0.0.1/groepen/?x=1"
    finally:
        conn.close()


def test_static_files_come_from_collectstatic_with_far_future_headers(deployment, thread, member):
    session = session_cookie(member)
    _status, _headers, html = request(
        deployment, "GET", "/", cookies={settings.SESSION_COOKIE_NAME: session}
    )
    # The page links the hashed name collectstatic wrote (KRING_STATIC_FROM_SOURCE=0).
    (href,) = re.findall(r'href="(/static/css/kring\.[0-9a-f]{12}\.css)"', html.decode())
    status, headers, body = request(deployment, "GET", href, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == FAR_FUTURE
    collected = deployment.static_root / href.removeprefix("/static/")
    # The .gz collectstatic made, sent as a file, not compressed on the fly.
    assert headers["Content-Encoding"] == "gzip"
    assert int(headers["Content-Length"]) == collected.with_suffix(".css.gz").stat().st_size
    assert gzip.decompress(body) == collected.read_bytes()

    # A name without a hash may change under the same URL: a short cache only.
    status, headers, _body = request(deployment, "GET", "/static/img/kring.svg")
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=60"


def test_healthz_through_nginx(deployment):
    status, headers, body = request(deployment, "GET", "/healthz")
    assert status == 200, body
    health = json.loads(body)
    assert health["status"] == "ok"
    assert health["database"]["ok"] and health["channel_layer"]["ok"]
    assert "no-cache" in headers["Cache-Control"]


async def test_a_post_over_http_reaches_websockets_on_both_processes(
    deployment, thread, member, colleague
):
    reader, writer = await run(session_cookie, member), await run(session_cookie, colleague)
    async with (
        websocket(deployment, thread_path(thread), reader) as first,
        websocket(deployment, thread_path(thread), reader) as second,
    ):
        assert (await until(first, "ready"))["seq"] == 1
        await until(second, "ready")
        # least_conn: with one socket open on one process, the next went to the other.
        for daphne in deployment.daphnes:
            assert f"WSCONNECT {thread_path(thread)}" in daphne.access_log()

        await asyncio.to_thread(reply_through_nginx, deployment, thread, writer, "Via nginx")

        for socket in (first, second):
            frame = await until(socket, "post.created")
            assert frame["seq"] == 2
            assert frame["author"] == colleague.pk
            assert "Via nginx" in frame["html"]


def direct_health(daphne) -> int:
    """docs/deploy.md's check of one process, bypassing nginx (as the proxy would call it)."""
    conn = http.client.HTTPConnection("127.0.0.1", daphne.port, timeout=TIMEOUT)
    try:
        conn.request("GET", "/healthz", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        return conn.getresponse().status
    finally:
        conn.close()


def fail_timeout() -> int:
    """How long nginx leaves a process alone after it refused a connection."""
    (seconds,) = set(re.findall(r"fail_timeout=(\d+)s", (SAMPLES / "nginx.conf").read_text()))
    return int(seconds)


async def test_rolling_restart_one_process_at_a_time(deployment, thread, member, colleague):
    """docs/deploy.md's upgrade: while one process restarts, nginx sends every request,
    posts included, to the other; a socket opened meanwhile catches up on what it missed."""
    reader, writer = await run(session_cookie, member), await run(session_cookie, colleague)
    for n, daphne in enumerate(deployment.daphnes):
        daphne.stop()
        try:
            await asyncio.to_thread(reply_through_nginx, deployment, thread, writer, f"Tijdens {n}")
            status, _headers, body = await asyncio.to_thread(request, deployment, "GET", "/healthz")
            assert status == 200, body
            async with websocket(deployment, thread_path(thread, after=1 + n), reader) as socket:
                frame = await until(socket, "post.created")
                assert f"Tijdens {n}" in frame["html"]
        finally:
            await asyncio.to_thread(daphne.start, deployment.env)
        assert await asyncio.to_thread(direct_health, daphne) == 200
        # The documented pause before the next process: nginx tries this one again.
        await asyncio.sleep(fail_timeout() + 1)
