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
import sqlite3
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
        try:
            self.json = json.loads(body) if body else None
        except ValueError:   # a CSV answer (?format=csv)
            self.json = None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Client:
    """Minimal HTTP client: one new connection per request unless keep=True."""

    def __init__(self, port, cookie=None, csrf=None, token=None, source=None):
        self.port = port
        self.cookie = cookie      # the session cookie value, when signed in
        self.csrf = csrf          # sent as X-CSRF-Token on every request
        self.token = token        # an API token, sent as Authorization: Bearer
        self.source = source      # local address to connect from (e.g. 127.0.0.2), None: any

    def login(self, username, password):
        """A new client signed in as username (asserts the sign-in worked)."""
        r = self.post("/api/v1/session", {"username": username, "password": password})
        assert r.status == 200, r
        cookie = r.header("Set-Cookie").split(";")[0].split("=", 1)[1]
        return Client(self.port, cookie=cookie, csrf=r.json["csrf_token"], source=self.source)

    def first_login(self, username, one_time_password):
        """A new client signed in with a one-time password, which it changes
        first (until then only /me and the change are open); its new
        password is user_password(username)."""
        c = self.login(username, one_time_password)
        r = c.post("/api/v1/me/password", {"current_password": one_time_password,
                                           "new_password": user_password(username)})
        assert r.status == 200, r
        return self.login(username, user_password(username))

    def request(self, method, path, body=None, headers=None, raw=None, content_type="application/json"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                          source_address=(self.source, 0) if self.source else None)
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
        check_reason(method, path, out)
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


# The engine under test: SQLite files by default; a PostgreSQL server when
# GUILD_TEST_PG names one (postgres://user@host:port), each server getting a
# database of its own. scripts/test.sh runs the suite both ways.
PG_BASE = os.environ.get("GUILD_TEST_PG")
ENGINE = "postgres" if PG_BASE else "sqlite"
if PG_BASE:
    import psycopg2
    DB_ERRORS = (sqlite3.DatabaseError, psycopg2.Error)
else:
    DB_ERRORS = (sqlite3.DatabaseError,)
_db_counter = itertools.count(1)


def new_database(tmpdir, name="api.db"):
    """A fresh, empty database for a server: a file, or a new PostgreSQL database."""
    if not PG_BASE:
        return os.path.join(tmpdir, name)
    dbname = f"guild_test_{os.getpid()}_{next(_db_counter)}"
    con = psycopg2.connect(PG_BASE + "/postgres")
    con.autocommit = True
    con.cursor().execute(f'CREATE DATABASE "{dbname}"')
    con.close()
    return f"{PG_BASE}/{dbname}"


class Server:
    def __init__(self, tmpdir, threads=2, session_cache=0, args=(), env=None):
        """session_cache: `--session-cache` seconds. 0 by default, because many
        tests change sessions behind guild's back (in the database) and look
        at once; test_session_cache.py runs with the cache on."""
        self.db = new_database(tmpdir)
        self.port = free_port()
        subprocess.run([GUILD, "init", "--db", self.db, "--password-stdin"], input=ADMIN_PASSWORD + "\n",
                       check=True, capture_output=True, text=True)
        self.log = open(os.path.join(tmpdir, "serve.log"), "w+")
        self.proc = subprocess.Popen(
            [GUILD, "serve", "--db", self.db, "--port", str(self.port), "--threads", str(threads),
             "--session-cache", str(session_cache), *args],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
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


def serve(threads=2, session_cache=0):
    """Generator for a module-scoped server fixture: a fresh server, stopped
    (and checked for a clean exit and a clean log) afterwards."""
    with tempfile.TemporaryDirectory() as d:
        s = Server(d, threads=threads, session_cache=session_cache)
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


def _reasons():
    """The reasons of src/core/reasons.def (their machine names)."""
    here = os.path.dirname(__file__)
    with open(os.path.join(here, "..", "..", "src", "core", "reasons.def"), encoding="utf-8") as f:
        return {m.group(1) for m in re.finditer(r'^XX\(\w+,\s*"(\w+)"', f.read(), re.M)}


REASONS = _reasons()
# the class's general reasons (gerr_set without a rule): every error the API
# answers names its own rule, so a general reason fails the test that meets it
# (GUILD_TEST_STRICT_REASONS=0 only lists them, in build/general-reasons.txt at
# the end of the run, to find them all at once)
GENERAL_REASONS = {"invalid", "refused", "forbidden", "no_such", "usage", "bad_request"}
GENERAL_SEEN = set()
STRICT_REASONS = os.environ.get("GUILD_TEST_STRICT_REASONS", "1") != "0"


def pytest_sessionfinish(session, exitstatus):
    """Writes the errors that named only their class's general reason."""
    if not GENERAL_SEEN:
        return
    out = os.path.join(os.path.dirname(__file__), "..", "..", "build", "general-reasons.txt")
    with contextlib.suppress(OSError), open(out, "w", encoding="utf-8") as f:
        for row in sorted(GENERAL_SEEN):
            f.write("\t".join(row) + "\n")


def check_reason(method, path, r):
    """Every error answer of the API names the rule that refused: a
    "reason" of reasons.def, and its "params" (an object of numbers and
    texts) when it has any; each refused row of rows_refused too. So every
    test that meets a 4xx checks this."""
    if r.status < 400 or not path.startswith("/api/") or not isinstance(r.json, dict) or "error" not in r.json:
        return
    err = r.json["error"]
    for e in [err] + list(err.get("rows", [])):
        assert e.get("reason") in REASONS, f"{method} {path}: an error without a known reason: {r.body[:400]}"
        if e["reason"] in GENERAL_REASONS:
            with _exercised_lock:
                GENERAL_SEEN.add((method, route_pattern(path), e["code"], e["reason"], e["message"][:120]))
            assert not STRICT_REASONS, f"{method} {path}: names no rule of its own ({e['reason']}): {e}"
        params = e.get("params", {})
        assert isinstance(params, dict) and "params" not in e or params, f"{method} {path}: params must be a non-empty object when given: {e}"
        assert all(isinstance(v, (int, float, str)) and not isinstance(v, bool) for v in params.values()), e


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
    """r is the one error format {"error": {"code", "reason", "message",
    "field"?, "params"?}} with the given status and code (and field, when
    given); an all-or-nothing operation's refusal (rows_refused) also lists
    its refused rows, each {"code", "reason", "message", "index" or "row",
    "field"?, "params"?}."""
    assert r.status == status, r
    ctype = r.header("Content-Type") or ""
    assert ctype.startswith("application/json"), ctype
    assert isinstance(r.json, dict) and set(r.json) == {"error"}, r
    err = r.json["error"]
    assert {"code", "message", "reason"} <= set(err) <= {"code", "message", "field", "rows", "reason", "params"}, err
    assert ("rows" in err) == (err["code"] == "rows_refused"), err
    for row in err.get("rows", []):
        assert {"code", "message", "reason"} <= set(row) <= {"code", "message", "field", "index", "row", "reason", "params"}, row
        assert ("index" in row) != ("row" in row) and row["message"], row
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


# ---------------------------------------------------------------------------
# Accounts: users with roles, the database file, and a small world with one
# user of every role (tests/api/test_authz_matrix.py, test_self_service.py).

def user_password(username):
    """The password the helpers give username (long, not common, not the name)."""
    return f"pass phrase of {username} 2026"


def make_user(api, username, role=None, institution=None, person=None, password=None):
    """Creates a user through the API (and a grant of role, when given)."""
    body = {"username": username, "display_name": username, "password": password or user_password(username)}
    if person is not None:
        body["person_id"] = person if isinstance(person, int) else person["id"]
    u = created(api.post("/api/v1/users", body))
    if role:
        g = {"user_id": u["id"], "role": role}
        if institution is not None:
            g["institution_id"] = institution if isinstance(institution, int) else institution["id"]
        u["grant"] = created(api.post("/api/v1/grants", g))
    return u


_sources = itertools.count(1)


def fresh_source():
    """A loopback address no other test connects from (127.0.100.1 on): a
    separate client to the server, so failed sign-ins made from it count
    against it alone, not against 127.0.0.1 that the other tests use."""
    n = next(_sources)
    return f"127.0.{100 + n // 250}.{n % 250 + 1}"


# SQLite statements the tests use, in PostgreSQL's words.
_PG_SQL = {
    "DROP TRIGGER audit_log_no_update": "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
    "DROP TRIGGER audit_log_no_delete": "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
}


def db_query(server, sql, params=()):
    """Runs sql on the server's database directly (committed), behind guild's
    back; returns the rows. '?' marks parameters on both engines."""
    if not PG_BASE:
        con = sqlite3.connect(server.db, timeout=10)
        try:
            rows = con.execute(sql, params).fetchall()
            con.commit()
            return rows
        finally:
            con.close()
    con = psycopg2.connect(server.db)
    try:
        cur = con.cursor()
        sql = _PG_SQL.get(sql, sql)
        if params:
            cur.execute(sql.replace("%", "%%").replace("?", "%s"), params)
        else:
            cur.execute(sql)
        rows = [tuple(r) for r in cur.fetchall()] if cur.description else []
        con.commit()
        return rows
    finally:
        con.close()


def db_intact(server):
    """The engine's own integrity checks pass (SQLite: integrity and foreign
    keys; PostgreSQL enforces both on every write, so: it answers)."""
    if not PG_BASE:
        return db_query(server, "PRAGMA integrity_check") == [("ok",)] and db_query(server, "PRAGMA foreign_key_check") == []
    return db_query(server, "SELECT 1") == [(1,)]


def guild_cli(server, *args, stdin=None):
    """Runs `guild ARGS --db server.db`; returns the CompletedProcess."""
    return subprocess.run([GUILD, *args, "--db", server.db], input=stdin, capture_output=True, text=True,
                          timeout=60)


CALLERS = ["anonymous", "region_admin", "staff_a", "staff_b", "trainer", "other_trainer", "judge", "learner",
           "other_learner"]


class World:
    """Two institutions A and B in one county; program pa (A) with cohorts
    ca1 and ca3 (trained by person t1) and ca2 (trained by t2); program pb (B)
    with cohort cb. Learner l1 (registered by A) is enrolled in ca1 (e1,
    enrolled) and ca3 (e1w, applied); l2 (A) in ca2 (e2); lb (B) in cb (eb).
    One user per caller of CALLERS, signed in: self.c[caller]."""

    def __init__(self, server):
        api = server.client
        make = Factory(api)
        self.server, self.api, self.make = server, api, make
        self.region, self.pref, self.county, self.town = make.tree()
        self.A = make.institution(self.county, name=uniq("Inst A "))
        self.B = make.institution(self.county, name=uniq("Inst B "))
        self.pa = make.program(self.A)
        self.pb = make.program(self.B)
        self.t1 = make.person(given_name=uniq("Trainer1-"), institution_id=self.A["id"])
        self.t2 = make.person(given_name=uniq("Trainer2-"), institution_id=self.A["id"])
        self.j = make.person(given_name=uniq("Judge-"))
        self.l1 = make.person(given_name=uniq("Gulnar"), family_name=uniq("Abdulla"), sex="female",
                              birth_date="2004-05-06", home_area_id=self.town["id"], phone="+86 991 555 0101",
                              email="gulnar@example.org", sourced_id=uniq("SIS-"), institution_id=self.A["id"])
        self.l2 = make.person(given_name=uniq("Otherlearner"), family_name=uniq("Secret"),
                              institution_id=self.A["id"])
        self.lb = make.person(given_name=uniq("Blearner"), institution_id=self.B["id"])
        self.ca1 = make.cohort(self.pa, trainers=[self.t1["id"]])
        self.ca2 = make.cohort(self.pa, trainers=[self.t2["id"]])
        self.ca3 = make.cohort(self.pa, trainers=[self.t1["id"]])
        self.cb = make.cohort(self.pb)
        self.e1 = make.enrollment(self.l1, self.ca1, status="enrolled")
        self.e1w = make.enrollment(self.l1, self.ca3)
        self.e2 = make.enrollment(self.l2, self.ca2, status="enrolled")
        self.eb = make.enrollment(self.lb, self.cb, status="enrolled")
        tag = uniq("w").replace("-", "")
        self.users = {
            "region_admin": None,
            "staff_a": make_user(api, f"staffa{tag}", "institution_staff", institution=self.A),
            "staff_b": make_user(api, f"staffb{tag}", "institution_staff", institution=self.B),
            "trainer": make_user(api, f"trainer{tag}", "trainer", person=self.t1),
            "other_trainer": make_user(api, f"otrainer{tag}", "trainer", person=self.t2),
            "judge": make_user(api, f"judge{tag}", "judge", person=self.j),
            "learner": make_user(api, f"learner{tag}", "learner", person=self.l1),
            "other_learner": make_user(api, f"olearner{tag}", "learner", person=self.l2),
        }
        self.c = {"anonymous": server.anon, "region_admin": api}
        for k, u in self.users.items():
            if u is not None:
                self.c[k] = self.login(k)

    def username(self, caller):
        return "admin" if caller == "region_admin" else self.users[caller]["username"]

    def login(self, caller):
        """A new session of caller."""
        name = self.username(caller)
        return self.server.anon.login(name, ADMIN_PASSWORD if caller == "region_admin" else user_password(name))


def run_on_tty(argv, timeout=120):
    """Runs argv with its stderr on a pseudo-terminal (stdout a pipe), as a
    user at a terminal would; returns (exit code, what it wrote there)."""
    import pty
    master, slave = pty.openpty()
    try:
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=slave, timeout=timeout)
        os.close(slave)
        slave = None
        chunks = []
        while True:
            try:
                b = os.read(master, 4096)
            except OSError:   # EIO: the terminal's other end is closed
                break
            if not b:
                break
            chunks.append(b)
        return proc.returncode, b"".join(chunks).decode()
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)
