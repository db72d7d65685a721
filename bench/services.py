"""Processes the benchmarks start for themselves: redis-server, a scratch PostgreSQL
database, and what /proc says about a server process. The machine's shared Redis and
PostgreSQL databases are never touched."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
POSTGRES = os.environ.get("BENCH_POSTGRES", f"postgres://postgres@{HOST}:5432")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start on port {port}") from None
            time.sleep(0.05)


def stop(process: subprocess.Popen | None) -> None:
    """SIGINT first (daphne shuts down cleanly, a profiler writes its file), then kill."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def redis_server():
    """``(process, url)`` of a redis-server of our own on a free port."""
    binary = shutil.which("redis-server")
    if not binary:
        raise RuntimeError("redis-server is not installed (apt install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process, "redis-server", timeout=10)
        yield process, f"redis://{HOST}:{port}/0"
    finally:
        process.kill()
        process.wait()


def run_python(args: list[str], env: dict, what: str) -> str:
    """Run ``python args`` in the project with ``env``: its output, or an error that shows
    the end of what it wrote to stderr."""
    result = subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def scratch_database(name: str) -> str:
    """Drop and create the PostgreSQL database ``name``; its URL."""
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES}/{name}"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of the line: 12 and 13 after "(comm)".
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_of_command(name: str) -> float:
    """User + system CPU time so far of every running process called ``name`` (PostgreSQL's
    backends, say). A process that exits between two readings takes its time with it."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as f:
                if f.read().strip() != name:
                    continue
            total += cpu_seconds(int(entry))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def machine_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy (not idle, not waiting for I/O) so far."""
    with open("/proc/stat") as f:
        fields = [int(n) for n in f.readline().split()[1:]]
    busy = sum(fields) - fields[3] - fields[4]  # idle, iowait
    return busy / os.sysconf("SC_CLK_TCK")


def host_speed_ms() -> float:
    """A marker of this machine's speed on one core, to tell hosts apart: the best of five
    timings of sorting 10,000 short strings, in ms. Shared hosts of the same size have
    differed by two times (bench/README.md); compare runs only on one marker."""
    import timeit

    best = min(timeit.repeat("sorted(str(i) for i in range(10000))", number=20, repeat=5))
    return round(best / 20 * 1000, 3)
