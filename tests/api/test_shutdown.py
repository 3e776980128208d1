"""Graceful shutdown: SIGTERM (or SIGINT) makes `guild serve` finish, log
"stopped" and exit 0, with every committed write intact."""
import http.client
import os
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading

import pytest

from conftest import ADMIN_PASSWORD, db_intact, db_query, new_database, GUILD, Client, Factory, Server, assert_clean_log, free_port


def start_on(db, tmpdir, name="serve2.log", args=()):
    """A second server on an existing database (Server() always inits),
    with extra `guild serve` options args."""
    s = Server.__new__(Server)
    s.db = db
    s.port = free_port()
    s.log = open(os.path.join(tmpdir, name), "w+")
    s.proc = subprocess.Popen([GUILD, "serve", "--db", db, "--port", str(s.port), "--threads", "2", *args],
                              stdout=s.log, stderr=subprocess.STDOUT)
    import time
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", s.port), timeout=0.2):
                break
        except OSError:
            if s.proc.poll() is not None:
                raise RuntimeError(s.read_log())
            time.sleep(0.05)
    s.anon = Client(s.port)
    s.client = s.anon.login("admin", ADMIN_PASSWORD)
    return s


def populate(api):
    make = Factory(api)
    e = make.enrollment(status="enrolled")
    p = api.get(f"/api/v1/persons/{e['person_id']}").json
    r = api.patch(f"/api/v1/persons/{p['id']}", {"given_name": "古丽", "family_name": "ئابدۇللا"}, etag='"1"')
    assert r.status == 200
    w = api.post(f"/api/v1/enrollments/{e['id']}/withdraw", {"reason": "moved"})
    assert w.status == 200
    return {"person": r.json, "enrollment": w.json,
            "totals": {c: api.get(f"/api/v1/{c}?limit=1").json["total"]
                       for c in ["areas", "institutions", "programs", "cohorts", "persons", "enrollments"]}}


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_cleanly_and_data_survives(sig):
    with tempfile.TemporaryDirectory() as d:
        s = Server(d)
        try:
            state = populate(s.client)
            # an idle keep-alive connection must not hold the shutdown up
            idle = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
            idle.request("GET", "/api/v1/health")
            assert idle.getresponse().read()
            s.proc.send_signal(sig)
            rc = s.proc.wait(timeout=30)
            idle.close()
        finally:
            if s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait()
        log = s.read_log()
        assert rc == 0, log[-3000:]
        assert "stopped" in log
        assert_clean_log(log)
        # the port is free again
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", s.port), timeout=1).close()

        # the database is intact: the engine agrees, and a new server reads it all back
        assert db_intact(s)
        s2 = start_on(s.db, d)
        try:
            api = s2.client
            assert api.get("/api/v1/health").status == 200
            p = api.get(f"/api/v1/persons/{state['person']['id']}")
            assert p.json == state["person"]
            assert p.header("ETag") == '"2"'
            assert api.get(f"/api/v1/enrollments/{state['enrollment']['id']}").json == state["enrollment"]
            for c, n in state["totals"].items():
                assert api.get(f"/api/v1/{c}?limit=1").json["total"] == n
            # and keeps working
            assert Factory(api).area()["id"] > 0
        finally:
            assert s2.stop() == 0
        assert_clean_log(s2.read_log())


def test_shutdown_while_clients_are_busy():
    """SIGTERM while requests are streaming in: exits 0, and every write
    that was answered 201 is in the database afterwards."""
    with tempfile.TemporaryDirectory() as d:
        s = Server(d, threads=2)
        created, stop = [], threading.Event()

        def hammer():
            c = s.signed_in()
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    r = c.post("/api/v1/persons", {"given_name": f"T{threading.get_ident()}-{i}"})
                except (OSError, http.client.HTTPException):
                    return
                if r.status == 201:
                    created.append(r.json["id"])
                elif r.status != 503:
                    raise AssertionError(r)

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            while len(created) < 20:
                if not any(t.is_alive() for t in threads):
                    break
                threading.Event().wait(0.01)
            s.proc.send_signal(signal.SIGTERM)
            rc = s.proc.wait(timeout=30)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=30)
            if s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait()
        log = s.read_log()
        assert rc == 0, log[-3000:]
        assert "stopped" in log
        assert_clean_log(log)
        assert len(created) >= 20
        stored = {row[0] for row in db_query(s, "SELECT id FROM persons")}
        assert db_intact(s)
        assert set(created) <= stored


def test_second_server_on_same_port_is_refused():
    """A port already served by guild must not be shared by a second
    instance (which might even serve another database)."""
    with tempfile.TemporaryDirectory() as d:
        s = Server(d)
        try:
            other_db = new_database(d, "other.db")
            subprocess.run([GUILD, "init", "--db", other_db], check=True, capture_output=True)
            p = subprocess.Popen([GUILD, "serve", "--db", other_db, "--port", str(s.port), "--threads", "1"],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            try:
                rc = p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.terminate()
                p.wait(timeout=30)
                rc = None
            out = p.stdout.read().decode(errors="replace")
            assert rc is not None and rc != 0, "a second guild serve started on a port already in use:\n" + out
            assert str(s.port) in out
        finally:
            assert s.stop() == 0
