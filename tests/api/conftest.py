"""Fixtures for the API tests: a live `guild serve` (the sanitizer build,
$GUILD_BIN) on a fresh temporary database and a free port, and a small
HTTP client. No mocks: every test talks HTTP to the real server."""
import http.client
import json
import os
import socket
import subprocess
import tempfile
import time

import pytest

GUILD = os.environ.get("GUILD_BIN") or os.path.join(os.path.dirname(__file__), "..", "..", "build", "san", "guild")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.json = json.loads(body) if body else None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Client:
    """Minimal HTTP client: one new connection per request unless keep=True."""

    def __init__(self, port):
        self.port = port

    def request(self, method, path, body=None, headers=None, raw=None, content_type="application/json"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        data = None
        if raw is not None:
            data = raw if isinstance(raw, bytes) else raw.encode()
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
        if data is not None and content_type and "Content-Type" not in h:
            h["Content-Type"] = content_type
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        out = Response(r.status, r.getheaders(), r.read().decode())
        conn.close()
        return out

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body, etag=None, **kw):
        h = kw.pop("headers", {}) or {}
        if etag is not None:
            h["If-Match"] = etag
        return self.request("PATCH", path, body=body, headers=h, **kw)

    def delete(self, path, etag=None):
        return self.request("DELETE", path, headers={"If-Match": etag} if etag else None)


class Server:
    def __init__(self, tmpdir, threads=2):
        self.db = os.path.join(tmpdir, "api.db")
        self.port = free_port()
        subprocess.run([GUILD, "init", "--db", self.db], check=True, capture_output=True)
        self.log = open(os.path.join(tmpdir, "serve.log"), "w+")
        self.proc = subprocess.Popen(
            [GUILD, "serve", "--db", self.db, "--port", str(self.port), "--threads", str(threads)],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("guild serve exited: " + self.read_log())
                time.sleep(0.05)
        self.client = Client(self.port)

    def read_log(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        """SIGTERM, wait, and return the exit code (0 = clean shutdown)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@pytest.fixture(scope="module")
def server():
    with tempfile.TemporaryDirectory() as d:
        s = Server(d)
        yield s
        rc = s.stop()
        log = s.read_log()
        assert rc == 0, "guild serve did not shut down cleanly:\n" + log[-4000:]
        assert "ERROR: AddressSanitizer" not in log and "runtime error" not in log, log[-4000:]


@pytest.fixture(scope="module")
def api(server):
    return server.client
