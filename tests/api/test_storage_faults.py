"""A full disk, on a server of its own: the test build's SQLite fails every
write while the file $GUILD_TEST_DISK_FULL exists (src/store/db_fault.h).
A write is answered 503 "nothing was saved" with Retry-After (not 500 with
the database's text), nothing is saved, /api/v1/health says the storage is
degraded and why, reads go on; once space returns, writes work again and
health is ok. On PostgreSQL (its own pass), the same for a database made
read-only (SQLSTATE 25006), the class of db_postgres.c's storage faults
that a test can bring about without filling a disk."""
import os
import tempfile

import pytest

from conftest import ENGINE, PG_BASE, Server, assert_clean_log, assert_error


def assert_refused_and_degraded(api, r, why, engine):
    """r, a write during the fault, is 503 "nothing was saved" saying why
    (not in the engine's words) with Retry-After; health is degraded for
    that reason; reads go on (the one area made before)."""
    assert_error(r, 503, "unavailable")
    assert "nothing was saved" in r.json["error"]["message"] and why in r.json["error"]["message"]
    assert engine not in r.json["error"]["message"]   # the engine's words go to the log
    assert int(r.header("Retry-After")) > 0
    h = api.get("/api/v1/health")
    assert h.status == 200 and h.json["status"] == "degraded", h
    assert h.json["storage"]["status"] == "not_writable" and why in h.json["storage"]["reason"]
    assert [a["code"] for a in api.get("/api/v1/areas").json["items"]] == ["before"]


@pytest.mark.skipif(ENGINE != "sqlite", reason="the fault is SQLite's (PostgreSQL keeps its own disk)")
def test_full_disk_is_503_and_health_degraded():
    with tempfile.TemporaryDirectory() as d:
        full = os.path.join(d, "disk-full")
        s = Server(d, env=dict(os.environ, GUILD_TEST_DISK_FULL=full))
        try:
            api = s.client
            assert api.post("/api/v1/areas", {"code": "before", "name": "Before", "level": "region"}).status == 201
            assert api.get("/api/v1/health").json["status"] == "ok"
            open(full, "w").close()
            r = api.post("/api/v1/areas", {"code": "during", "name": "During", "level": "region"})
            assert_refused_and_degraded(api, r, "full", "SQLite")
            os.unlink(full)
            assert api.post("/api/v1/areas", {"code": "after", "name": "After", "level": "region"}).status == 201
            assert api.get("/api/v1/health").json["status"] == "ok"
            assert sorted(a["code"] for a in api.get("/api/v1/areas").json["items"]) == ["after", "before"]
        finally:
            assert s.stop() == 0
            log = s.read_log()
            assert "the disk holding the database is full" in log
            assert_clean_log("\n".join(l for l in log.splitlines() if " 503 " not in l))


def pg_admin(sql):
    """Runs sql on the PostgreSQL server's own database (not the server's)."""
    import psycopg2
    con = psycopg2.connect(PG_BASE + "/postgres")
    con.autocommit = True
    try:
        con.cursor().execute(sql)
    finally:
        con.close()


def pg_set_read_only(server, on):
    """Makes the server's database read-only (or writable) for new sessions,
    and ends guild's sessions so that its connections reconnect under it."""
    name = server.db.rsplit("/", 1)[1]
    pg_admin(f'ALTER DATABASE "{name}" ' + ("SET default_transaction_read_only = on" if on else
                                             "RESET default_transaction_read_only"))
    pg_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
             "AND pid <> pg_backend_pid()")


def lost(r):
    return r.status == 503 and "connection was lost" in r.json["error"]["message"]


def again_if_lost(call):
    """The first answer of call() that is not "connection was lost" (each
    of guild's connections answers that once after its session ended)."""
    for _ in range(8):
        r = call()
        if not lost(r):
            return r
    return r


def reconnected(api):
    """Reads until each of guild's connections has met the end of its
    session (answered once "connection was lost", then reconnected): four
    answers in a row that are not that one (bounded)."""
    ok = 0
    for _ in range(20):
        ok = 0 if lost(api.get("/api/v1/areas")) else ok + 1
        if ok == 4:
            return
    raise AssertionError("guild did not reconnect")


@pytest.mark.skipif(ENGINE != "postgres", reason="PostgreSQL's read-only database")
def test_pg_read_only_database_is_503_and_health_degraded():
    with tempfile.TemporaryDirectory() as d:
        s = Server(d)
        try:
            api = s.client
            area = lambda code: api.post("/api/v1/areas", {"code": code, "name": code.title(), "level": "region"})
            assert area("before").status == 201
            pg_set_read_only(s, True)
            reconnected(api)
            r = area("during")
            assert_refused_and_degraded(api, r, "read-only", "PostgreSQL")
            pg_set_read_only(s, False)
            reconnected(api)
            # a connection the reads did not meet (another thread's, the health
            # probe's) answers "lost" once, nothing saved: a client tries again
            r = again_if_lost(lambda: area("after"))
            assert r.status == 201, r
            assert again_if_lost(lambda: api.get("/api/v1/health")).json["status"] == "ok"
            areas = again_if_lost(lambda: api.get("/api/v1/areas")).json["items"]
            assert sorted(a["code"] for a in areas) == ["after", "before"]
        finally:
            assert s.stop() == 0
            log = s.read_log()
            assert "25006" in log and "the database is read-only" in log
