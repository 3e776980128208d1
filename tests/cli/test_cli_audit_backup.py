"""`guild backup --to FILE` and `guild restore FILE` (issue 15, "Smaller
points"): backups taken while a server is writing (a bounded loop of
creates over loopback) are consistent snapshots whose audit log verifies;
a restore is refused while the server has the database open, and
otherwise replaces it with a verified backup; a backup that does not
verify is never restored; a backup never overwrites a file. On
PostgreSQL both are refused, naming pg_dump and pg_restore."""
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from conftest import GUILD, PG_BASE, Factory, Server, db_query  # noqa: E402

WRITES = 400   # the writer's bound: it stops sooner when the backups are done


def guild(*args):
    return subprocess.run([GUILD, *args], capture_output=True, text=True, timeout=300)


def count(path, table):
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


class Writer(threading.Thread):
    """Creates persons one after another through the API until told to stop
    (or WRITES are made); keeps every status it got."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.api = server.signed_in()
        self.stop = threading.Event()
        self.statuses = []

    def run(self):
        while not self.stop.is_set() and len(self.statuses) < WRITES:
            r = self.api.post("/api/v1/persons", {"given_name": f"Written {len(self.statuses)}"})
            self.statuses.append(r.status)


@pytest.mark.skipif(bool(PG_BASE), reason="SQLite backups; PostgreSQL is refused (test_postgres_is_refused)")
def test_backup_under_write_load_then_restore():
    with tempfile.TemporaryDirectory() as d:
        s = Server(d)
        try:
            Factory(s.client).tree()
            w = Writer(s)
            w.start()
            backups = []
            while len(w.statuses) < 20:   # writing has begun
                w.join(0.05)
            started = len(w.statuses)
            for i in range(3):
                path = os.path.join(d, f"backup-{i}.db")
                r = guild("backup", "--db", s.db, "--to", path)
                assert r.returncode == 0, r.stdout + r.stderr
                assert "intact" in r.stdout, r.stdout
                backups.append(path)
            written_during = len(w.statuses)
            assert written_during > started    # the server kept writing while the copies were taken
            w.stop.set()
            w.join(60)
            assert w.statuses and set(w.statuses) == {201}, sorted(set(w.statuses))
            # each backup is a snapshot of some moment of the writing: the later, the more persons
            n = [count(p, "persons") for p in backups]
            assert n == sorted(n) and 0 < n[0] and n[-1] <= written_during, (n, written_during)
            assert not [f for f in os.listdir(d) if ".part" in f]
            # never over a file
            r = guild("backup", "--db", s.db, "--to", backups[0])
            assert r.returncode == 1 and "never overwrites" in r.stderr, r
            # not while the server has the database open: nothing changes
            before = count(s.db, "persons")
            r = guild("restore", backups[0], "--db", s.db)
            assert r.returncode == 1 and "in use" in r.stderr and "guild serve" in r.stderr, r.stdout + r.stderr
            assert count(s.db, "persons") == before
            assert s.client.get("/api/v1/persons?limit=1").status == 200
        finally:
            assert s.stop() == 0
        # stopped: the restore puts the second backup in place, and it verifies
        r = guild("restore", backups[1], "--db", s.db)
        assert r.returncode == 0 and "restored" in r.stdout, r.stdout + r.stderr
        assert count(s.db, "persons") == n[1]
        r = guild("audit", "verify", "--db", s.db)
        assert r.returncode == 0 and "intact" in r.stdout, r.stdout + r.stderr
        assert not os.path.exists(s.db + "-journal")
        # a backup whose rows were changed after it was made is not restored
        con = sqlite3.connect(backups[2])
        con.execute("UPDATE persons SET given_name = 'Mallory' WHERE id = (SELECT max(id) FROM persons)")
        con.commit()
        con.close()
        r = guild("restore", backups[2], "--db", s.db)
        assert r.returncode == 1 and "does not verify" in r.stderr and "persons" in r.stdout, r.stdout + r.stderr
        assert count(s.db, "persons") == n[1]
        # into a new file
        fresh = os.path.join(d, "fresh.db")
        r = guild("restore", backups[0], "--db", fresh)
        assert r.returncode == 0, r.stdout + r.stderr
        assert count(fresh, "persons") == n[0]
        r = guild("audit", "verify", "--db", fresh)
        assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.skipif(not PG_BASE, reason="PostgreSQL only")
def test_postgres_is_refused():
    with tempfile.TemporaryDirectory() as d:
        s = Server(d)
        try:
            out = os.path.join(d, "b.db")
            r = guild("backup", "--db", s.db, "--to", out)
            assert r.returncode == 1 and "pg_dump" in r.stderr, r
            assert not os.path.exists(out)
            r = guild("restore", out, "--db", s.db)
            assert r.returncode == 1 and "pg_restore" in r.stderr, r
            assert db_query(s, "SELECT count(*) FROM audit_log")[0][0] > 0
        finally:
            assert s.stop() == 0


def test_help_and_usage():
    for cmd in ("backup", "restore"):
        r = guild("help", cmd)
        assert r.returncode == 0 and r.stdout.startswith(f"usage: guild {cmd}"), r
        assert f"  {cmd} " in guild("help").stdout
    r = guild("backup", "--db", "x.db")
    assert r.returncode == 2 and "--to FILE" in r.stderr, r
    r = guild("restore")
    assert r.returncode == 2 and "usage" in r.stderr, r
    r = guild("audit", "frobnicate")
    assert r.returncode == 2 and "keygen" in r.stderr, r
