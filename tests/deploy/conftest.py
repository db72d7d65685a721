"""The production layout of docs/deploy.md, run on this machine: nginx with the sample
nginx.conf (TLS with a throw-away certificate) in front of two daphne processes started
with the command line of the sample kring@.service, configured by environment variables
only, as production is, on the test database and a redis-server of the tests' own."""

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.groups.conftest import add_member, make_group, owner  # noqa: F401
from tests.helpers import free_port
from tests.realtime.conftest import colleague, group, member, own_redis_url, thread  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "docs" / "deploy"
START_TIMEOUT = 60  # seconds for a daphne process to import Django and listen


def required_binary(name: str, package: str) -> str:
    """The binary's path; skips (a failure in CI, where .ci/run installs it) when missing."""
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not path:
        pytest.skip(f"{name} is not installed (apt install {package})")
    return path


def replace_once(text: str, old: str, new: str) -> str:
    """Replace a line of the sample; fail if it is not there exactly once, so the test
    never quietly runs a config that differs from the documented one in other ways."""
    assert text.count(old) == 1, f"expected {old!r} exactly once in the sample"
    return text.replace(old, new)


# --- nginx --------------------------------------------------------------------------


def nginx_main_conf(prefix: Path, site: str) -> str:
    """A main nginx.conf of the test's own around the site config: own pid file, logs and
    temp folders, no daemon, one process (it runs as the test's user; no worker users)."""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
daemon off;
master_process off;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {prefix / "access.log"};
{temp}
{site}
}}
"""


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    openssl = required_binary("openssl", "openssl")
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
         "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def with_certificate(site: str, cert: Path, key: Path) -> str:
    site = replace_once(site, "/etc/ssl/kring/fullchain.pem", str(cert))
    return replace_once(site, "/etc/ssl/kring/privkey.pem", str(key))


def nginx_test(nginx: str, prefix: Path, site: str) -> subprocess.CompletedProcess:
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "nginx.conf").write_text(nginx_main_conf(prefix, site))
    return subprocess.run(
        [nginx, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        capture_output=True,
        text=True,
    )


def wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                output = log.read_text() if log.exists() else ""
                pytest.fail(f"{what} did not listen on port {port}\n{output[-3000:]}")
            time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    """Stop one process this test started (by its own handle, nothing else)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- daphne as kring@.service starts it ---------------------------------------------


def unit_exec_start() -> list[str]:
    """ExecStart of the sample unit, continuation lines joined, as a list of words."""
    text = (SAMPLES / "kring@.service").read_text().replace("\\\n", " ")
    (line,) = re.findall(r"^ExecStart=(.*)$", text, flags=re.MULTILINE)
    return line.split()


def database_url() -> str:
    """The test database (created by pytest-django) as a DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    assert connection.vendor == "postgresql", connection.vendor
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def production_env(redis_url: str, static_root: Path) -> dict[str, str]:
    """The environment of docs/deploy.md, pointed at the test's database and Redis."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KRING_"))}
    env.update(
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        # The test process signs the session cookies: the same key.
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="kring.provincie.nl,127.0.0.1",
        DJANGO_BEHIND_PROXY="1",
        DJANGO_SECURE_TLS="1",
        KRING_STATIC_FROM_SOURCE="0",
        DJANGO_STATIC_ROOT=str(static_root),
        KRING_DATA_DIR=str(static_root.parent / "var"),
        PYTHONUNBUFFERED="1",  # daphne's access log reaches its file at once
    )
    return env


@dataclass
class Daphne:
    port: int
    log: Path
    process: subprocess.Popen | None = None

    def start(self, env: dict[str, str]) -> None:
        words = [w.replace("%i", str(self.port)) for w in unit_exec_start()]
        assert words[0] == "/srv/kring/.venv/bin/daphne", words[0]
        command = [str(Path(sys.executable).parent / "daphne"), *words[1:]]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        wait_for_port(self.port, self.process, "daphne", self.log)

    def stop(self) -> None:
        stop(self.process)

    def access_log(self) -> str:
        return self.log.read_text()


@dataclass
class Deployment:
    https_port: int
    http_port: int
    daphnes: list[Daphne]
    static_root: Path
    cert: Path
    env: dict[str, str]

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def tls(self) -> ssl.SSLContext:
        """A client that trusts the throw-away certificate and nothing else."""
        return ssl.create_default_context(cafile=str(self.cert))


@pytest.fixture(scope="module")
def deployment(django_db_setup, django_db_blocker, own_redis_url, tmp_path_factory):  # noqa: F811
    nginx = required_binary("nginx", "nginx-light")
    folder = tmp_path_factory.mktemp("deploy")
    static_root = folder / "staticfiles"
    with django_db_blocker.unblock():
        env = production_env(own_redis_url, static_root)

    # Upgrade steps of docs/deploy.md that touch files: collectstatic.
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert collect.returncode == 0, collect.stderr

    cert, key = self_signed_certificate(folder)
    daphnes = [Daphne(free_port(), folder / f"daphne-{n}.log") for n in (1, 2)]
    https_port, http_port = free_port(), free_port()

    site = with_certificate((SAMPLES / "nginx.conf").read_text(), cert, key)
    site = replace_once(site, "server 127.0.0.1:8001 ", f"server 127.0.0.1:{daphnes[0].port} ")
    site = replace_once(site, "server 127.0.0.1:8002 ", f"server 127.0.0.1:{daphnes[1].port} ")
    site = replace_once(site, "listen 80;", f"listen 127.0.0.1:{http_port};")
    site = replace_once(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = replace_once(site, "listen [::]:80;\n", "")  # the sandbox may have no IPv6
    site = replace_once(site, "listen [::]:443 ssl http2;\n", "")
    site = replace_once(site, "alias /srv/kring/staticfiles/;", f"alias {static_root}/;")
    prefix = folder / "nginx"
    checked = nginx_test(nginx, prefix, site)
    assert checked.returncode == 0, checked.stderr

    process = None
    try:
        for daphne in daphnes:
            daphne.start(env)
        process = subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(https_port, process, "nginx", prefix / "error.log")
        yield Deployment(https_port, http_port, daphnes, static_root, cert, env)
    finally:
        if process is not None:
            stop(process)
        for daphne in daphnes:
            if daphne.process is not None:
                daphne.stop()
