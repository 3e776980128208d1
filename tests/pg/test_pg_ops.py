"""Operating guild on PostgreSQL: reconnecting after the server restarts
(503 meanwhile, nothing half-written), two guild servers on one database
behind nginx (every write exactly once, stale updates refused, sessions on
either server), and `guild copy` between the engines in both directions."""
import os
import subprocess
import tempfile
import threading

import pytest

from pghelp import (ADMIN_PASSWORD, GUILD, PG_DIR, Client, Nginx, Server, assert_error, db_query, free_port,
                    new_database, pg_ctl, uniq)

pytestmark = pytest.mark.skipif(not os.environ.get("GUILD_TEST_PG"), reason="needs GUILD_TEST_PG (scripts/test.sh)")


def stop_checked(s):
    rc = s.stop()
    log = s.read_log()
    assert rc == 0, log[-3000:]
    assert "ERROR: AddressSanitizer" not in log and "runtime error" not in log, log[-3000:]
    return log


def test_outage_gives_503_then_recovers():
    assert PG_DIR, "scripts/test.sh sets GUILD_TEST_PG_DIR"
    with tempfile.TemporaryDirectory() as d:
        s = Server(d)
        try:
            api = s.client
            before = api.get("/api/v1/areas").json["total"]
            pg_ctl("stop")
            try:
                r = api.post("/api/v1/areas", {"code": uniq("OUT"), "name": "during the outage", "level": "region"})
                assert r.status == 503, r
                assert r.json["error"]["code"] == "unavailable"
                assert "try again" in r.json["error"]["message"]
                assert api.get("/api/v1/areas").status == 503
            finally:
                pg_ctl("start")
            # the next requests reconnect (one per thread may still see 503 while it resets)
            for _ in range(6):
                r = api.get("/api/v1/areas")
                if r.status == 200:
                    break
            assert r.status == 200, r
            assert r.json["total"] == before, "nothing from the outage was written"
            made = api.post("/api/v1/areas", {"code": uniq("BACK"), "name": "after", "level": "region"})
            for _ in range(3):
                if made.status == 201:
                    break
                made = api.post("/api/v1/areas", {"code": uniq("BACK"), "name": "after", "level": "region"})
            assert made.status == 201, made
        finally:
            log = stop_checked(s)
        assert "access POST /api/v1/areas 503" in log


def start_second(db, tmpdir):
    """Another guild server on the same database (no init)."""
    s = Server.__new__(Server)
    s.db = db
    s.port = free_port()
    s.log = open(os.path.join(tmpdir, "second.log"), "w+")
    s.proc = subprocess.Popen([GUILD, "serve", "--db", db, "--port", str(s.port), "--threads", "2"],
                              stdout=s.log, stderr=subprocess.STDOUT)
    import socket
    import time
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", s.port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    s.anon = Client(s.port)
    s.client = s.anon.login("admin", ADMIN_PASSWORD)
    return s


def test_two_servers_behind_nginx():
    with tempfile.TemporaryDirectory() as d:
        a = Server(d)
        b = start_second(a.db, d)
        lb = Nginx(d, [a.port, b.port])
        try:
            # a session made through one server works on the other and through the balancer
            c = Client(lb.port).login("admin", ADMIN_PASSWORD)
            for port in (a.port, b.port, lb.port):
                r = Client(port, cookie=c.cookie, csrf=c.csrf).get("/api/v1/me")
                assert r.status == 200 and r.json["name"] == "admin"
            # load from both servers at once: every write lands exactly once
            codes = [uniq("LB") for _ in range(60)]
            results = {}

            def worker(chunk, port):
                cl = Client(port, cookie=c.cookie, csrf=c.csrf)
                for code in chunk:
                    results[code] = cl.post("/api/v1/areas", {"code": code, "name": code, "level": "region"}).status

            threads = [threading.Thread(target=worker, args=(codes[i::3], port))
                       for i, port in enumerate((a.port, b.port, lb.port))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(results.values()) == [201] * 60
            rows = db_query(a, "SELECT code, count(*) FROM areas WHERE code LIKE 'LB%' GROUP BY code")
            assert len(rows) == 60 and all(n == 1 for _, n in rows)
            # optimistic concurrency across servers: the stale writer gets 412
            ca, cb = a.client, b.client
            area = ca.post("/api/v1/areas", {"code": uniq("OC"), "name": "v1", "level": "region"}).json
            path = f"/api/v1/areas/{area['id']}"
            assert ca.patch(path, {"name": "from a"}, etag='"1"').status == 200
            assert_error(cb.patch(path, {"name": "from b"}, etag='"1"'), 412, "precondition_failed")
            assert cb.get(path).json["name"] == "from a"
            # the audit chain stays whole with two writers
            assert cb.get("/api/v1/audit/verify").json["intact"] is True
        finally:
            lb.stop()
            stop_checked(b)
            stop_checked(a)


def run(*args, stdin=None):
    return subprocess.run([GUILD, *args], capture_output=True, text=True, input=stdin, timeout=300)


def test_copy_both_ways():
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "src.db")
        assert run("demo", "--db", src, "--learners", "300").returncode == 0
        pg = new_database(d, "unused")
        r = run("copy", "--from", src, "--to", pg)
        assert r.returncode == 0, r.stderr
        assert "verified" in r.stdout and "persons" in r.stdout
        assert run("audit", "verify", "--db", pg).returncode == 0
        # a target with data is refused unless told --replace
        r = run("copy", "--from", src, "--to", pg)
        assert r.returncode == 1 and "--replace" in r.stderr
        # change something on PostgreSQL, then copy back into a new SQLite file
        assert run("person", "erase", "5", "--db", pg).returncode == 0
        back = os.path.join(d, "back.db")
        r = run("copy", "--from", pg, "--to", back)
        assert r.returncode == 0, r.stderr
        assert run("audit", "verify", "--db", back).returncode == 0
        import sqlite3
        con = sqlite3.connect(back)
        assert con.execute("SELECT given_name FROM persons WHERE id = 5").fetchone()[0] == "(erased)"
        n_back = con.execute("SELECT count(*) FROM enrollments").fetchone()[0]
        con.close()
        con = sqlite3.connect(src)
        assert con.execute("SELECT count(*) FROM enrollments").fetchone()[0] == n_back
        con.close()
        # --replace overwrites the PostgreSQL copy with the original again
        r = run("copy", "--from", src, "--to", pg, "--replace")
        assert r.returncode == 0, r.stderr
        rows = __import__("psycopg2").connect(pg).cursor()
        rows.execute("SELECT given_name FROM persons WHERE id = 5")
        assert rows.fetchone()[0] != "(erased)"
