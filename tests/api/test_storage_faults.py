"""A full disk, on a server of its own: the test build's SQLite fails every
write while the file $GUILD_TEST_DISK_FULL exists (src/store/db_fault.h).
A write is answered 503 "nothing was saved" with Retry-After (not 500 with
the database's text), nothing is saved, /api/v1/health says the storage is
degraded and why, reads go on; once space returns, writes work again and
health is ok."""
import os
import tempfile

import pytest

from conftest import ENGINE, Server, assert_clean_log, assert_error

pytestmark = pytest.mark.skipif(ENGINE != "sqlite", reason="the fault is SQLite's (PostgreSQL keeps its own disk)")


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
            assert_error(r, 503, "unavailable")
            assert "nothing was saved" in r.json["error"]["message"] and "full" in r.json["error"]["message"]
            assert "SQLite" not in r.json["error"]["message"]   # the engine's words go to the log
            assert int(r.header("Retry-After")) > 0
            h = api.get("/api/v1/health")
            assert h.status == 200 and h.json["status"] == "degraded", h
            assert h.json["storage"]["status"] == "not_writable" and "full" in h.json["storage"]["reason"]
            assert [a["code"] for a in api.get("/api/v1/areas").json["items"]] == ["before"]   # reads go on
            os.unlink(full)
            assert api.post("/api/v1/areas", {"code": "after", "name": "After", "level": "region"}).status == 201
            assert api.get("/api/v1/health").json["status"] == "ok"
            assert sorted(a["code"] for a in api.get("/api/v1/areas").json["items"]) == ["after", "before"]
        finally:
            assert s.stop() == 0
            log = s.read_log()
            assert "the disk holding the database is full" in log
            assert_clean_log("\n".join(l for l in log.splitlines() if " 503 " not in l))
