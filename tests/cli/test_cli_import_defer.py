"""A large import builds some index entries after its rows (import_defer.c):
on SQLite, a file big enough for 50,000 rows or more (by its size) going into
a table that holds fewer rows drops the persons' search-key indexes (or the
enrollments' cohort index) inside its transaction and creates them again at
the end, or before the first row whose rules read them (an enrollment that
enters "enrolled" counts the cohort's places). The files here are made big
by a column guild is told to ignore (--map padding=), so that few rows
trigger it.

What must hold: afterwards the indexes are there with the same definitions
and the engine's integrity check passes; searches find the imported persons;
a refused import (one bad row) leaves the indexes and the table as they
were; a full cohort is still refused in the middle of such a file; an import
killed late (after most of its writes, while the indexes are rebuilt or
committed) changes nothing. On PostgreSQL nothing is deferred and the same
results hold (GUILD_TEST_PG)."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from conftest import GUILD, PG_BASE, Factory, db_intact, db_query, serve, uniq  # noqa: E402

PAD = "x" * 9000   # an ignored column: 1,000 rows make a 9 MB file


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    for s in serve():
        make = Factory(s.client)
        region, prefecture, county, township = make.tree()
        program = make.program()
        d = str(tmp_path_factory.mktemp("import-defer"))
        yield dict(server=s, db=s.db, api=s.client, dir=d, make=make, township=township, program=program)


def indexes(w, table):
    """The table's index definitions, by name."""
    if PG_BASE:
        rows = db_query(w["server"], "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ?", (table,))
    else:
        rows = db_query(w["server"], "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                        (table,))
    return dict(rows)


def persons_file(w, n, prefix, bad_row=None):
    path = os.path.join(w["dir"], uniq("p") + ".csv")
    with open(path, "w") as f:
        f.write("sourced_id,given_name,family_name,home_area_code,padding\n")
        for i in range(1, n + 1):
            area = "not-a-code" if i == bad_row else w["township"]["code"]
            f.write(f"{prefix}{i},Given{prefix}n{i % 7},Zhou{prefix}n,{area},{PAD}\n")
    assert os.path.getsize(path) > 8_000_000   # 50,000 rows at 160 bytes: big enough to defer
    return path


def run(w, kind, path, *more):
    """`guild import KIND PATH`, the padding column ignored."""
    return subprocess.run([GUILD, "import", kind, path, "--quiet", "--map", "padding=", "--db", w["db"], *more],
                          capture_output=True, text=True, timeout=300)


def search(w, q):
    r = w["api"].get(f"/api/v1/persons?q={q}&limit=1")
    assert r.status == 200, r
    return r.json["total"]


def test_indexes_are_rebuilt_the_same_and_searches_find_the_rows(world):
    w = world
    before = indexes(w, "persons")
    assert "persons_name_key" in before and "persons_given_key" in before
    p = uniq("D")
    r = run(w, "persons", persons_file(w, 1000, p))
    assert r.returncode == 0, r.stderr
    assert "1000 rows: 1000 created" in r.stdout
    assert indexes(w, "persons") == before
    assert db_intact(w["server"])
    assert search(w, f"Given{p}n") == 1000             # given name, by the given-name key
    assert search(w, f"Given{p}n3") == 143             # i % 7 == 3
    assert search(w, f"Zhou{p}n") == 1000              # family name first, by the name key
    assert search(w, f"Zhou{p}nGiven{p}n6") == 143


def test_a_refused_large_import_leaves_table_and_indexes_as_they_were(world):
    w = world
    before = indexes(w, "persons")
    count = db_query(w["server"], "SELECT count(*) FROM persons")[0][0]
    p = uniq("R")
    r = run(w, "persons", persons_file(w, 1000, p, bad_row=777))
    assert r.returncode != 0
    assert "no area has this code" in r.stdout + r.stderr
    assert indexes(w, "persons") == before
    assert db_query(w["server"], "SELECT count(*) FROM persons")[0][0] == count
    assert search(w, f"Given{p}n") == 0
    assert db_intact(w["server"])


def test_a_full_cohort_is_refused_in_the_middle_of_a_large_file(world):
    """Rows entering "enrolled" read the cohort's index: it is built before
    the first of them, and the capacity is counted right."""
    w = world
    make = w["make"]
    small = make.cohort(w["program"], capacity=2)
    big = make.cohort(w["program"], capacity=5000)
    before = indexes(w, "enrollments")
    assert "enrollments_cohort" in before
    p = uniq("E")
    r = run(w, "persons", persons_file(w, 1000, p))
    assert r.returncode == 0, r.stderr
    path = os.path.join(w["dir"], uniq("e") + ".csv")
    with open(path, "w") as f:
        f.write("person_sourced_id,cohort_id,status,consent,padding\n")
        for i in range(1, 1001):
            if i in (500, 501, 502):   # three want the two places of the small cohort
                f.write(f"{p}{i},{small['id']},enrolled,true,{PAD}\n")
            else:
                f.write(f"{p}{i},{big['id']},{'enrolled' if i > 900 else 'applied'},true,{PAD}\n")
    r = run(w, "enrollments", path, "--skip-invalid")
    assert r.returncode == 0, r.stderr
    assert "999 created" in r.stdout and "1 invalid" in r.stdout, r.stdout
    assert "cohort %d is full (2 of 2 places taken)" % small["id"] in r.stdout + r.stderr
    assert indexes(w, "enrollments") == before
    assert db_query(w["server"], "SELECT count(*) FROM enrollments WHERE cohort_id = ? AND status = 'enrolled'",
                    (big["id"],))[0][0] == 100
    assert db_intact(w["server"])


def copy_of(w, name):
    """A copy of the test database (SQLite's backup), for an import alone."""
    path = os.path.join(w["dir"], name)
    src, dst = sqlite3.connect(w["db"]), sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    return path


def persons_state(db):
    """Count, largest id and index definitions of persons in database db; its integrity."""
    con = sqlite3.connect(db)
    try:
        return (con.execute("SELECT count(*), coalesce(max(id), 0) FROM persons").fetchone(),
                con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'persons' "
                            "ORDER BY name").fetchall(),
                con.execute("PRAGMA integrity_check").fetchall())
    finally:
        con.close()


@pytest.mark.skipif(bool(PG_BASE), reason="SQLite's deferral; PostgreSQL imports are killed in test_cli_import_kill")
def test_killed_late_leaves_all_or_nothing(world):
    """Killed at moments up to its end (timed by a whole run of the same
    import; the last ones where the rows are done and the indexes are built
    and committed), an import leaves its database as it was or wholly
    imported, never between; at least one kill lands before the commit."""
    w = world
    n = 60_000
    p = uniq("K")
    path = os.path.join(w["dir"], uniq("k") + ".csv")
    with open(path, "w") as f:   # real rows, many of them, so that building the indexes takes a while
        f.write("sourced_id,given_name,family_name,padding\n")
        f.writelines(f"{p}{i},Late{i % 911},Wu{i % 313},{'y' * 110}\n" for i in range(1, n + 1))
    assert os.path.getsize(path) > 8_000_000
    argv = [GUILD, "import", "persons", path, "--quiet", "--map", "padding="]
    took = []
    for k in range(2):   # the quicker of two whole runs: what the kills are timed by
        db = copy_of(w, f"whole{k}.db")
        before = persons_state(db)
        t0 = time.monotonic()
        r = subprocess.run(argv + ["--db", db], capture_output=True, text=True, timeout=300)
        took.append(time.monotonic() - t0)
        assert r.returncode == 0, r.stderr
        whole = persons_state(db)
        assert whole[0][0] == before[0][0] + n and whole[1] == before[1] and whole[2] == [("ok",)]
    took = min(took)
    outcomes = []
    for k, share in enumerate((0.3, 0.6, 0.8, 0.88, 0.94, 0.98)):
        db = copy_of(w, f"killed{k}.db")
        proc = subprocess.Popen(argv + ["--db", db], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=share * took)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        after = persons_state(db)
        assert after in (before, whole), f"killed at {share:.0%} of its {took:.1f} s: {after[0]}, not all or nothing"
        outcomes.append("before" if after == before else "whole")
    assert "before" in outcomes, outcomes
