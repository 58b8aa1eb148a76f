"""The production deployment as it runs (issue 22): scripts/deployed-stack.sh brings up deploy/'s nginx
(TLS, self-signed certificate made at start), two gunicorn web nodes, two Celery workers and one beat
on the PostgreSQL and Redis of DATABASE_URL/REDIS_URL, in a database of its own (<db>_stack, made
afresh here) and a Redis database of its own (REDIS_URL's index + 1). Everything below goes over HTTPS
through nginx, the certificate verified, from client addresses of the loopback range other than nginx's
127.0.0.1, so the audit trail and the lockout must see the client, not the proxy.

Needs nginx (WITH_SERVICES=1 bash scripts/system-deps.sh) and PostgreSQL + Redis
(scripts/start-services.sh): skipped on a developer machine without them, a failure in CI (CI set).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import time
import uuid
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "deployed-stack.sh"
PASSWORD = "Demo-2026-registry"  # discipline.demo.seed.DEMO_PASSWORD
pytestmark = pytest.mark.deployed


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the deployed-stack drill")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Stack:
    def __init__(self, folder: Path, database_url: str, redis_url: str):
        self.folder = folder
        self.database_url = database_url
        self.https_port, self.http_port = _free_port(), _free_port()
        self.web_ports = [_free_port(), _free_port()]
        self.env = {
            **{key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
            "DATABASE_URL": database_url, "REDIS_URL": redis_url, "CACHE_URL": redis_url,
            "STACK_HTTPS_PORT": str(self.https_port), "STACK_HTTP_PORT": str(self.http_port),
            "STACK_WEB_PORTS": " ".join(map(str, self.web_ports)), "GUNICORN_WORKERS": "2",
            # The worker answers the beat's pulse within seconds, and beat's first sweeps come within
            # 20 s (readiness waits for both; the beat runs an interval's task after one interval).
            "WORKER_PULSE_SECONDS": "5", "REMINDER_SWEEP_SECONDS": "20", "REPORT_SWEEP_SECONDS": "20",
        }  # fmt: skip
        self.ca = folder / "tls" / "cert.pem"

    def run(self, *args: str, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", str(SCRIPT), *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout, check=check)  # noqa: S603, S607

    def logs(self) -> str:
        return "\n".join(f"== {path.name}\n{path.read_text(errors='replace')[-3000:]}" for path in sorted((self.folder / "logs").glob("*.log")))

    def log(self, name: str) -> str:
        return (self.folder / "logs" / f"{name}.log").read_text(errors="replace")

    def sql(self, statement: str, *params):
        import psycopg2

        with psycopg2.connect(self.database_url) as connection, connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        _unavailable("nginx is not installed (WITH_SERVICES=1 bash scripts/system-deps.sh)")
    if not shutil.which("openssl"):
        _unavailable("openssl is not installed (WITH_SERVICES=1 bash scripts/system-deps.sh)")
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url.startswith("redis"):
        _unavailable("the deployed stack needs PostgreSQL and Redis: eval \"$(bash scripts/start-services.sh)\"")
    import psycopg2
    import redis

    # A database of its own, made afresh (the stack migrates it), never the tests' database.
    parts = urlsplit(database_url)
    name = f"{parts.path.lstrip('/') or 'registry'}_stack"
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    # A Redis database of its own: the stack's workers must not take the test suite's tasks.
    redis_parts = urlsplit(redis_url)
    index = (int(redis_parts.path.lstrip("/") or 0) + 1) % 16
    stack_redis = urlunsplit(redis_parts._replace(path=f"/{index}"))
    redis.Redis.from_url(stack_redis).flushdb()

    started = Stack(tmp_path_factory.mktemp("stack"), urlunsplit(parts._replace(path=f"/{name}")), stack_redis)
    try:
        begun = time.monotonic()
        result = started.run("start", started.folder.as_posix(), check=False)
        assert result.returncode == 0, f"deployed-stack.sh start failed:\n{result.stdout}\n{result.stderr}\n{started.logs()}"
        started.run("manage", started.folder.as_posix(), "seed_demo")
        print(f"deployed stack up and seeded in {time.monotonic() - begun:.1f} s")
        yield started
    finally:
        started.run("stop", started.folder.as_posix(), check=False, timeout=120)


class Browser:
    """A signed-in user's browser, over HTTPS to nginx from `source` (an address of the loopback range),
    the certificate verified against the stack's own."""

    def __init__(self, stack: Stack, source: str):
        self.stack, self.source = stack, source
        self.cookies: dict[str, str] = {}
        self.context = ssl.create_default_context(cafile=str(stack.ca))
        self.origin = f"https://127.0.0.1:{stack.https_port}"

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPSConnection("127.0.0.1", self.stack.https_port, context=self.context, source_address=(self.source, 0), timeout=60)
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Referer": self.origin + path, "Origin": self.origin}
        try:
            connection.request(method, path, body=body, headers={**sent, **(headers or {})})
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response, data

    def get(self, path: str):
        return self.request("GET", path)

    def hidden_fields(self, path: str) -> dict[str, str]:
        response, html = self.get(path)
        assert response.status == 200, (path, response.status)
        return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html.decode()))

    def post(self, path: str, fields: dict, files: dict | None = None):
        if files is None:
            return self.request("POST", path, urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        chunks = []
        for key, value in fields.items():
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        for key, (filename, content, content_type) in files.items():
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                + content + b"\r\n"
            )
        chunks.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(chunks), {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def sign_in(self, username: str, password: str = PASSWORD):
        fields = self.hidden_fields("/login/")
        return self.post("/login/", {**fields, "username": username, "password": password})


def _wait_json(browser: Browser, path: str, *, timeout: float) -> tuple[int, dict]:
    deadline = time.monotonic() + timeout
    while True:
        response, body = browser.get(path)
        if response.status == 200 or time.monotonic() > deadline:
            assert response.getheader("Content-Type", "").startswith("application/json"), (path, response.status, body[:300])
            return response.status, json.loads(body)
        time.sleep(2)


def test_health_endpoints_answer_through_nginx(stack):
    browser = Browser(stack, "127.0.0.2")
    response, body = browser.get("/health/live")
    assert (response.status, body) == (200, b"ok")
    # Ready once the database, the broker, a worker's heartbeat, beat's sweep and the storage are fine.
    status, ready = _wait_json(browser, "/health/ready", timeout=90)
    assert status == 200, ready
    assert set(ready["checks"]) == {"database", "broker", "worker", "reminder_sweep", "report_sweep", "storage"}
    assert all(check["ok"] for check in ready["checks"].values()), ready


def test_signed_in_journey_with_evidence_through_nginx(stack):
    browser = Browser(stack, "127.0.0.2")
    response, _ = browser.sign_in("zhangwei")
    assert response.status == 302, "the officer could not sign in through nginx"
    assert browser.get("/records/")[0].status == 200

    evidence = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 24 + secrets.token_bytes(300_000)
    occurred = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(hours=1)
    fields = browser.hidden_fields("/records/new/")
    assert "csrfmiddlewaretoken" in fields and "submission_key" in fields
    fields |= {
        "matter": "部署演练事项", "occurred_at": f"{occurred:%Y-%m-%dT%H:%M}", "place": "办公室", "channel": "phone",
        "interferer_kind": "insider", "interferer_name": "李某", "interferer_position": "科长", "content": "来电要求从轻处罚。",
        "nature": "procedural", "response": "refused", "intent": "draft", "kind_1": "",
    }  # fmt: skip
    response, body = browser.post("/records/new/", fields, {"file_1": ("通话录音.wav", evidence, "audio/wav")})
    assert response.status == 302, body.decode(errors="replace")[:2000]
    record_path = urlsplit(response.getheader("Location")).path
    pk = int(re.fullmatch(r"/records/(\d+)/", record_path).group(1))
    response, html = browser.get(record_path)
    assert response.status == 200
    download = re.search(r'href="(/records/evidence/\d+/)"', html.decode()).group(1)

    # Through nginx: the very bytes, as an attachment, never cached.
    response, data = browser.get(download)
    assert response.status == 200
    assert data == evidence
    assert response.getheader("Content-Disposition", "").startswith("attachment;")
    assert "no-store" in response.getheader("Cache-Control", "")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Accel-Redirect") is None  # consumed by nginx

    # The same request to a web node directly: evidence is encrypted at rest (SM4), so Django checked
    # and streamed the decrypted bytes itself; X-Accel-Redirect would have made nginx send ciphertext.
    node = http.client.HTTPConnection("127.0.0.1", stack.web_ports[0], timeout=30)
    cookie = f"sessionid={browser.cookies['sessionid']}"
    node.request("GET", download, headers={"Cookie": cookie, "X-Forwarded-Proto": "https", "Host": "127.0.0.1"})
    direct = node.getresponse()
    body = direct.read()
    node.close()
    assert direct.status == 200
    assert direct.getheader("X-Accel-Redirect") is None
    assert body == evidence
    assert "no-store" in direct.getheader("Cache-Control", "")
    # On disk only ciphertext; nginx's internal location answers nobody from outside either way.
    stored = list((stack.folder / "private" / "evidence").rglob("*"))
    assert [p for p in stored if p.is_file()] and all(evidence[-4096:] not in p.read_bytes() for p in stored if p.is_file())
    assert browser.get("/protected/evidence/x")[0].status == 404

    # Both web nodes served requests through the upstream.
    for port in stack.web_ports:
        assert '"GET ' in stack.log(f"web-{port}") or '"POST ' in stack.log(f"web-{port}"), f"web node {port} got no request"

    # The audit trail has the client's address (through X-Forwarded-For and TRUSTED_PROXY_COUNT=1),
    # not nginx's 127.0.0.1.
    rows = stack.sql("SELECT ip FROM cases_auditevent WHERE type = 'record.created' AND object_id = %s", str(pk))
    assert rows == [("127.0.0.2",)], rows
    assert ("127.0.0.2",) in stack.sql("SELECT ip FROM cases_auditevent WHERE type = 'evidence.downloaded' AND data->>'record' = %s", str(pk))


def test_a_lockout_locks_the_address_it_came_from_not_another_user(stack):
    attacker = Browser(stack, "127.0.0.3")
    statuses = [attacker.sign_in("liuyang", "wrong-password-123")[0].status for _ in range(5)]  # AXES_FAILURE_LIMIT
    assert statuses == [200, 200, 200, 200, 429]
    # Locked: even the right password is refused from there.
    response, body = attacker.sign_in("liuyang")
    assert response.status == 429 and "账号已暂时锁定" in body.decode()
    # Another user, elsewhere, signs in as ever.
    response, _ = Browser(stack, "127.0.0.4").sign_in("wangfang")
    assert response.status == 302
    # django-axes counted the failures against the client's address, not nginx's.
    assert stack.sql("SELECT ip_address FROM axes_accessattempt WHERE username = 'liuyang'") == [("127.0.0.3",)]


def test_exactly_one_beat(stack):
    begun = time.monotonic()
    second = stack.run("exec", stack.folder.as_posix(), "registry-beat.service", timeout=60, check=False)
    assert second.returncode == 75, second.stdout + second.stderr
    assert "Another Celery beat already runs" in second.stdout + second.stderr
    assert time.monotonic() - begun < 30
    first = int((stack.folder / "pids" / "beat.pid").read_text())
    os.kill(first, 0)  # the first beat still runs
    assert "holds the single-beat lock" in stack.log("beat")
    # Both workers came up beside it (each logs "workerN@host ready.").
    deadline = time.monotonic() + 30
    while not all(f"worker{n}@" in stack.log(f"worker-{n}") and "ready." in stack.log(f"worker-{n}") for n in (1, 2)):
        assert time.monotonic() < deadline, stack.logs()
        time.sleep(1)


def test_nginx_refuses_a_body_no_form_can_send(stack):
    connection = http.client.HTTPSConnection("127.0.0.1", stack.https_port, context=ssl.create_default_context(cafile=str(stack.ca)), timeout=30)
    connection.putrequest("POST", "/records/new/")
    connection.putheader("Content-Type", "application/octet-stream")
    connection.putheader("Content-Length", str(700 * 1024 * 1024))
    connection.endheaders()
    response = connection.getresponse()
    connection.close()
    assert response.status == 413
