"""The outbox with a real Celery worker and the real Redis server (not eager mode), sending to
a real SMTP server that refuses its first connections: every decision's notification is sent
exactly once, and a worker killed mid-batch loses none.

The worker is another process, which must see the test's committed rows: the test runs on
PostgreSQL (the second half of CI), whose test database any process can open; on SQLite the
test database lives in the test process's memory, and the test is skipped.
"""

import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from chamber import tasks
from chamber.models import Delivery, DeliveryState
from cooperatives import services
from portal.celery import app
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as probe:
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Smtp(socketserver.ThreadingTCPServer):
    """A small SMTP server: refuses its first `refusals` connections (421, as a server that is
    down or overloaded), then records each message's Message-ID, after `delay` seconds."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, refusals=0, delay=0.0):
        super().__init__(("127.0.0.1", 0), SmtpSession)
        self.refusals, self.delay = refusals, delay
        self.received: Counter = Counter()
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]


class SmtpSession(socketserver.StreamRequestHandler):
    def say(self, line: str):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        server = self.server
        with server.lock:
            refuse = server.refusals > 0
            server.refusals -= refuse
        if refuse:
            self.say("421 try again later")
            return
        self.say("220 test ESMTP")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().upper()
            if verb.startswith(("EHLO", "HELO")):
                self.say("250 test")
            elif verb.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.say("250 ok")
            elif verb == "DATA":
                self.say("354 go on")
                message_id = ""
                while (body := self.rfile.readline()) not in (b".\r\n", b""):
                    if body.lower().startswith(b"message-id:"):
                        message_id = body.split(b":", 1)[1].strip().decode()
                time.sleep(server.delay)
                with server.lock:
                    server.received[message_id] += 1
                self.say("250 queued")
            elif verb == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("500 what")


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not _redis_answers(), reason="needs the Redis server on 127.0.0.1:6379"),
]


@pytest.fixture
def worker_setup(settings):
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs PostgreSQL's test database")
    queue = f"test-{uuid.uuid4().hex[:12]}"
    broker = "redis://127.0.0.1:6379/14"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=broker, task_always_eager=False, task_default_queue=queue)
    _forget_connections()
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url = f"postgres://{db['USER'] or 'postgres'}@{host}/{db['NAME']}"
    workers = []

    def start(smtp: Smtp) -> subprocess.Popen:
        env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": url,
            "CELERY_BROKER_URL": broker,
            "CELERY_QUEUE": queue,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "OUTBOX_FIRST_RETRY_SECONDS": "1",
            "OUTBOX_LEASE_SECONDS": "4",
            "SITE_URL": settings.SITE_URL,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", queue]
            + ["-c", "2", "--without-gossip", "--without-mingle", "-l", "warning"],
            cwd=ROOT,
            env=env,
            start_new_session=True,  # its pool's children die with it
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        workers.append(process)
        return process

    yield start
    for process in workers:
        kill(process)
    app.conf.update(saved)
    _forget_connections()


def _forget_connections():
    """The app keeps its queues and its broker's connection pool from its first use (an
    earlier test's eager task makes them): made again from the settings just changed, or the
    test's messages would go to the default queue, which no worker of this test reads."""
    app.__dict__.pop("amqp", None)
    app._pool = None  # kombu keeps one pool per broker address: it is found again, open


def kill(process: subprocess.Popen) -> None:
    """As a machine that loses power would: no warm shutdown, no acknowledgement."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def decide(count: int) -> list[int]:
    """`count` decisions, each in its own transaction: representatives verified, each told."""
    cooperative = factories.CooperativeFactory()
    staff = factories.StaffFactory()
    pending = [
        factories.RepresentativeFactory(cooperative=cooperative, status="pending")
        for _n in range(count)
    ]
    for representative in pending:
        services.verify_representative(representative.pk, actor=staff)
    return list(Delivery.objects.values_list("pk", flat=True))


def wait_until_sent(ids, *, seconds, sweep=False) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sent = Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENT).count()
        if sent == len(ids):
            return sent
        if sweep:
            tasks.send_due.delay()  # what beat does every minute
        time.sleep(1)
    return Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENT).count()


def test_a_hundred_decisions_are_each_told_once_though_the_mail_server_refuses_at_first(
    worker_setup,
):
    smtp = Smtp(refusals=30)
    worker_setup(smtp)
    ids = decide(100)
    assert len(ids) == 100
    assert wait_until_sent(ids, seconds=120, sweep=True) == 100
    assert len(smtp.received) == 100
    assert set(smtp.received.values()) == {1}  # exactly once each
    retried = Delivery.objects.filter(pk__in=ids, attempts__gt=1).count()
    assert retried >= 15  # the refused connections were tried again


def test_a_worker_killed_mid_batch_loses_nothing(worker_setup):
    smtp = Smtp(delay=0.05)
    first = worker_setup(smtp)
    ids = decide(100)
    deadline = time.monotonic() + 60
    while len(smtp.received) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    kill(first)
    sent_before = len(smtp.received)
    assert 20 <= sent_before < 100  # killed mid-batch
    worker_setup(smtp)
    assert wait_until_sent(ids, seconds=120, sweep=True) == 100
    assert len(smtp.received) == 100  # every message arrived
    # at least once: only those in flight when the worker died may have gone twice
    assert sum(smtp.received.values()) - 100 <= 2
    assert settings.CELERY_TASK_ACKS_LATE
