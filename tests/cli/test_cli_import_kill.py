"""An import interrupted at any moment (kill -9) leaves the database as it
was: `guild import persons` of 300,000 rows is killed at several moments
after it has started writing (once it has written so many bytes: on SQLite
its write-ahead log, on PostgreSQL its INSERTs to the server; fixed amounts
and seeded random ones, all well before the end, whatever the build's
speed), while a server runs on the same database. After each
kill the persons table is the same row for row (a checksum), no count has
moved, the audit chain verifies and, on PostgreSQL, the server shows
nothing of the import once its connection is gone. Then the same import
runs to the end. Runs on PostgreSQL too (GUILD_TEST_PG)."""
import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from conftest import GUILD, PG_BASE, Factory, db_intact, db_query, serve, uniq  # noqa: E402

N_ROWS = 300_000


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    for s in serve():
        make = Factory(s.client)
        region, prefecture, county, township = make.tree()
        d = str(tmp_path_factory.mktemp("import-kill"))
        # what is there before: persons from an earlier import and from the API, an enrollment
        before = os.path.join(d, "before.csv")
        with open(before, "w") as f:
            f.write("sourced_id,given_name,family_name,home_area_code\n")
            f.writelines(f"B{i},Earlier {i},王,{township['code']}\n" for i in range(1, 201))
        r = subprocess.run([GUILD, "import", "persons", before, "--db", s.db], capture_output=True, timeout=120)
        assert r.returncode == 0, r.stderr
        make.enrollment(make.person(given_name="Api person"), make.cohort())
        big = os.path.join(d, "big.csv")
        p = uniq("K")
        with open(big, "w") as f:
            f.write("sourced_id,given_name,family_name,sex,birth_date,home_area_code\n")
            f.writelines(f"{p}{i},名{i % 97},李,{'female' if i % 2 else 'male'},19{70 + i % 30}-0{1 + i % 9}-1{i % 10},"
                         f"{township['code'] if i % 3 else ''}\n" for i in range(1, N_ROWS + 1))
        yield dict(server=s, db=s.db, dir=d, big=big, prefix=p)


def state(w):
    """Counts of the tables an import touches and a checksum of every persons row."""
    h = hashlib.sha256()
    for row in db_query(w["server"], "SELECT id, version, created_at, updated_at, sourced_id, given_name, family_name, "
                                     "sex, birth_date, home_area_id, phone, email, name_key, given_key "
                                     "FROM persons ORDER BY id"):
        h.update(repr(row).encode())
    counts = {t: db_query(w["server"], f"SELECT count(*) FROM {t}")[0][0]
              for t in ("persons", "enrollments", "areas", "audit_log")}
    return counts, h.hexdigest()


def written_so_far(w, pid):
    """Bytes written so far: on SQLite by the process (/proc/PID/io wchar:
    its write-ahead log), on PostgreSQL by the server to its WAL (the test
    server has no other work meanwhile)."""
    if PG_BASE:
        return int(db_query(w["server"], "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')")[0][0])
    try:
        with open(f"/proc/{pid}/io") as f:
            for line in f:
                if line.startswith("wchar:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def import_backends(w):
    """PostgreSQL backends of the test database still in a transaction of an import."""
    dbname = w["db"].rsplit("/", 1)[1]
    return db_query(w["server"], "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND xact_start IS NOT NULL "
                                 "AND query LIKE 'INSERT INTO persons%'", (dbname,))[0][0]


def kill_import(w, written):
    """Starts the big import and kills it (SIGKILL) once it has written
    `written` bytes; asserts it was still running. Returns the bytes
    written when killed."""
    base = written_so_far(w, None) if PG_BASE else 0
    proc = subprocess.Popen([GUILD, "import", "persons", w["big"], "--quiet", "--db", w["db"]],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 300
        while proc.poll() is None and time.time() < deadline and written_so_far(w, proc.pid) - base < written:
            time.sleep(0.005)
        assert proc.poll() is None, "the import ended before it could be interrupted: " + proc.stderr.read().decode()
        n = written_so_far(w, proc.pid) - base
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        return n
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_kill_9_changes_nothing_then_import_succeeds(world):
    w = world
    before = state(w)
    assert before[0]["persons"] >= 201
    rng = random.Random(6)
    # the whole import writes some 45 MB to SQLite's WAL, or 150 MB to PostgreSQL's
    moments = [1 << 20, 8 << 20, 24 << 20] + [rng.randrange(1 << 19, 30 << 20) for _ in range(2)]
    for moment in moments:
        n = kill_import(w, moment)
        assert n >= moment
        if PG_BASE:   # the server rolls back once it sees the connection gone
            deadline = time.time() + 60
            while import_backends(w) and time.time() < deadline:
                time.sleep(0.1)
            assert import_backends(w) == 0
        assert state(w) == before, f"killed at {moment} ({n} bytes written), the database changed"
        assert db_intact(w["server"])
        r = subprocess.run([GUILD, "audit", "verify", "--db", w["db"]], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and "intact" in r.stdout, r.stdout + r.stderr
    # the same import, left alone, succeeds
    r = subprocess.run([GUILD, "import", "persons", w["big"], "--quiet", "--db", w["db"]], capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert f"{N_ROWS} rows: {N_ROWS} created, 0 updated, 0 unchanged" in r.stdout
    counts, _ = state(w)
    assert counts["persons"] == before[0]["persons"] + N_ROWS
    assert counts["audit_log"] == before[0]["audit_log"] + 1
    assert db_query(w["server"], "SELECT count(*) FROM persons WHERE sourced_id LIKE ? AND home_area_id IS NOT NULL",
                    (w["prefix"] + "%",))[0][0] == N_ROWS - N_ROWS // 3
    r = subprocess.run([GUILD, "audit", "verify", "--db", w["db"]], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "intact" in r.stdout
