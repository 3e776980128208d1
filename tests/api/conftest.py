"""Fixtures for the API tests: a live `guild serve` (the sanitizer build,
$GUILD_BIN) on a fresh temporary database and a free port, and a small
HTTP client. No mocks: every test talks HTTP to the real server."""
import contextlib
import http.client
import itertools
import json
import os
import re
import socket
import subprocess
import tempfile
import threading
import time

import pytest

GUILD = os.environ.get("GUILD_BIN") or os.path.join(os.path.dirname(__file__), "..", "..", "build", "san", "guild")


ADMIN_PASSWORD = "correct horse battery staple 42"


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

    def __init__(self, port, cookie=None, csrf=None, token=None):
        self.port = port
        self.cookie = cookie      # the session cookie value, when signed in
        self.csrf = csrf          # sent as X-CSRF-Token on every request
        self.token = token        # an API token, sent as Authorization: Bearer

    def login(self, username, password):
        """A new client signed in as username (asserts the sign-in worked)."""
        r = self.post("/api/v1/session", {"username": username, "password": password})
        assert r.status == 200, r
        cookie = r.header("Set-Cookie").split(";")[0].split("=", 1)[1]
        return Client(self.port, cookie=cookie, csrf=r.json["csrf_token"])

    def request(self, method, path, body=None, headers=None, raw=None, content_type="application/json"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = {}
        if self.cookie:
            h["Cookie"] = f"guild_session={self.cookie}"
        if self.csrf:
            h["X-CSRF-Token"] = self.csrf
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        h.update(headers or {})
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
        record_route(method, path, out.status)
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
        subprocess.run([GUILD, "init", "--db", self.db, "--password-stdin"], input=ADMIN_PASSWORD + "\n",
                       check=True, capture_output=True, text=True)
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
        self.anon = Client(self.port)
        self.client = self.anon.login("admin", ADMIN_PASSWORD)

    def signed_in(self):
        """Another client of the administrator's session (its own connections)."""
        return Client(self.port, cookie=self.client.cookie, csrf=self.client.csrf)

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


def assert_clean_log(log):
    """No sanitizer report and no 5xx in the access log."""
    assert "ERROR: AddressSanitizer" not in log and "runtime error" not in log, log[-4000:]
    assert "ERROR: LeakSanitizer" not in log, log[-4000:]
    bad = [l for l in log.splitlines() if re.match(r"access \S+ \S+ 5\d\d ", l)]
    assert not bad, "server errors (5xx) in the access log:\n" + "\n".join(bad[:20])


def serve(threads=2):
    """Generator for a module-scoped server fixture: a fresh server, stopped
    (and checked for a clean exit and a clean log) afterwards."""
    with tempfile.TemporaryDirectory() as d:
        s = Server(d, threads=threads)
        yield s
        rc = s.stop()
        log = s.read_log()
        assert rc == 0, "guild serve did not shut down cleanly:\n" + log[-4000:]
        assert_clean_log(log)


@pytest.fixture(scope="module")
def server():
    yield from serve()


@pytest.fixture(scope="module")
def api(server):
    return server.client


@pytest.fixture(scope="module")
def make(api):
    return Factory(api)


# ---------------------------------------------------------------------------
# Routes exercised: every request that got a 2xx answer is recorded as
# (method, path pattern), numeric path segments becoming {id}. The test in
# test_zz_route_coverage.py compares this set with the paths of openapi.json.

EXERCISED = set()
_exercised_lock = threading.Lock()


def route_pattern(path):
    path = path.split("?", 1)[0]
    return "/".join("{id}" if seg.isdigit() else seg for seg in path.split("/"))


def record_route(method, path, status):
    # HEAD is served by the GET route; percent-encoded paths are the
    # router tests' business (test_http.py), not route coverage
    if 200 <= status < 300 and method != "HEAD" and "%" not in path.split("?", 1)[0]:
        with _exercised_lock:
            EXERCISED.add((method, route_pattern(path)))


COLLECTED_MODULES = set()


def pytest_collection_modifyitems(session, config, items):
    """Runs the route-coverage test last, after every other test has had its
    requests recorded."""
    for it in items:
        COLLECTED_MODULES.add(os.path.basename(str(it.fspath)))
    last = [it for it in items if it.get_closest_marker("route_coverage")]
    rest = [it for it in items if not it.get_closest_marker("route_coverage")]
    items[:] = rest + last


def pytest_configure(config):
    config.addinivalue_line("markers", "route_coverage: compares exercised routes with openapi.json (runs last)")


# ---------------------------------------------------------------------------
# Assertions shared by the tests.

def assert_error(r, status, code, field=None, contains=()):
    """r is the one error format {"error": {"code", "message", "field"?}}
    with the given status and code (and field, when given)."""
    assert r.status == status, r
    ctype = r.header("Content-Type") or ""
    assert ctype.startswith("application/json"), ctype
    assert isinstance(r.json, dict) and set(r.json) == {"error"}, r
    err = r.json["error"]
    assert {"code", "message"} <= set(err) <= {"code", "message", "field"}, err
    assert err["code"] == code, err
    assert isinstance(err["message"], str) and err["message"].strip(), err
    if "field" in err:
        assert isinstance(err["field"], str) and err["field"], err
    if field is not None:
        assert err.get("field") == field, err
    for c in contains:
        assert c in err["message"], err
    return err


COLLECTIONS = ["areas", "institutions", "programs", "cohorts", "persons", "enrollments"]


def snapshot(api, *paths):
    """Totals of every collection plus the full body of each record path."""
    snap = {}
    for c in COLLECTIONS:
        r = api.get(f"/api/v1/{c}?limit=1")
        assert r.status == 200, r
        snap[c] = r.json["total"]
    for p in paths:
        r = api.get(p)
        snap[p] = (r.status, r.json, r.header("ETag"))
    return snap


@contextlib.contextmanager
def nothing_changes(api, *paths):
    """Asserts that the block changed no total and no given record."""
    before = snapshot(api, *paths)
    yield
    after = snapshot(api, *paths)
    assert after == before, "an invalid request changed data"


# ---------------------------------------------------------------------------
# Test data.

_seq = itertools.count(1)


def uniq(prefix="x"):
    return f"{prefix}{os.getpid()}-{next(_seq)}"


def created(r):
    assert r.status == 201, r
    assert r.header("ETag") == '"1"', r.headers
    assert r.header("Location") is not None
    return r.json


class Factory:
    """Creates valid records (each asserted 201) with unique codes."""

    def __init__(self, api):
        self.api = api

    def area(self, level="region", parent=None, name=None, **kw):
        body = {"code": uniq("A"), "name": name or uniq("Area "), "level": level}
        if parent is not None:
            body["parent_id"] = parent if isinstance(parent, int) else parent["id"]
        body.update(kw)
        return created(self.api.post("/api/v1/areas", body))

    def tree(self):
        """region > prefecture > county > township; returns the four."""
        r = self.area("region")
        p = self.area("prefecture", r)
        c = self.area("county", p)
        t = self.area("township", c)
        return r, p, c, t

    def institution(self, area=None, **kw):
        if area is None:
            area = self.tree()[2]
        body = {"name": uniq("Inst "), "kind": "vocational_college",
                "area_id": area if isinstance(area, int) else area["id"]}
        body.update(kw)
        return created(self.api.post("/api/v1/institutions", body))

    def program(self, institution=None, **kw):
        if institution is None:
            institution = self.institution()
        body = {"institution_id": institution if isinstance(institution, int) else institution["id"],
                "title": uniq("Pastry "), "isco_code": "7512", "hours": 600, "level": 2, "capacity": 40}
        body.update(kw)
        return created(self.api.post("/api/v1/programs", body))

    def cohort(self, program=None, **kw):
        if program is None:
            program = self.program()
        body = {"program_id": program if isinstance(program, int) else program["id"],
                "name": uniq("2026 spring "), "start_date": "2026-03-01", "end_date": "2026-07-15",
                "capacity": 30}
        body.update(kw)
        return created(self.api.post("/api/v1/cohorts", body))

    def person(self, **kw):
        body = {"given_name": uniq("Learner")}
        body.update(kw)
        return created(self.api.post("/api/v1/persons", body))

    def enrollment(self, person=None, cohort=None, **kw):
        if person is None:
            person = self.person()
        if cohort is None:
            cohort = self.cohort()
        body = {"person_id": person if isinstance(person, int) else person["id"],
                "cohort_id": cohort if isinstance(cohort, int) else cohort["id"], "consent": True}
        body.update(kw)
        return created(self.api.post("/api/v1/enrollments", body))
