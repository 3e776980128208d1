"""The demo's training sessions and attendance (deterministic for a seed,
realistic gaps, within the rules) and `guild attendance export` on it."""
import csv
import datetime
import io
import os
import sqlite3
import subprocess
import tempfile

import pytest

GUILD = os.environ.get("GUILD_BIN") or os.path.join(os.path.dirname(__file__), "..", "..", "build", "san", "guild")


def run(*args):
    return subprocess.run([GUILD, *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo():
    with tempfile.TemporaryDirectory() as d:
        a, b = os.path.join(d, "a.db"), os.path.join(d, "b.db")
        for db in (a, b):
            r = run("demo", "--db", db, "--learners", "300", "--seed", "5")
            assert r.returncode == 0, r.stderr
        yield a, b


def rows(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_demo_attendance_is_deterministic(demo):
    a, b = demo
    sessions = "SELECT id, cohort_id, date, start_time, end_time, place, topic, trainer_id FROM training_sessions ORDER BY id"
    marks = "SELECT training_session_id, person_id, status, source, set_at, set_by FROM attendance_marks ORDER BY id"
    assert rows(a, sessions) == rows(b, sessions) and rows(a, marks) == rows(b, marks)
    assert len(rows(a, sessions)) > 50 and len(rows(a, marks)) > 1000
    # but every session has a secret of its own
    secrets = [s for (s,) in rows(a, "SELECT checkin_secret FROM training_sessions")]
    assert len(set(secrets)) == len(secrets) and all(len(s) == 64 for s in secrets)
    assert rows(a, "SELECT checkin_secret FROM training_sessions ORDER BY id LIMIT 1") != \
        rows(b, "SELECT checkin_secret FROM training_sessions ORDER BY id LIMIT 1")


def test_demo_attendance_is_realistic_and_within_the_rules(demo):
    a, _ = demo
    statuses = dict(rows(a, "SELECT status, count(*) FROM attendance_marks GROUP BY status"))
    assert set(statuses) == {"present", "late", "excused", "absent"}
    assert statuses["present"] > 5 * (statuses["absent"] + statuses["excused"])
    assert rows(a, "SELECT count(*) FROM attendance_marks WHERE source = 'check_in'")[0][0] > 0
    assert rows(a, "SELECT count(*) FROM attendance_changes WHERE reason = 'absence_excused'")[0][0] > 0
    # sessions within their cohort's term, on the program's skills, given by a trainer of the cohort
    assert rows(a, "SELECT count(*) FROM training_sessions s JOIN cohorts c ON c.id = s.cohort_id "
                   "WHERE s.date < c.start_date OR s.date > c.end_date")[0][0] == 0
    assert rows(a, "SELECT count(*) FROM training_sessions_skills k JOIN training_sessions s ON s.id = k.owner_id "
                   "JOIN cohorts c ON c.id = s.cohort_id WHERE k.value NOT IN "
                   "(SELECT value FROM programs_skills WHERE owner_id = c.program_id)")[0][0] == 0
    assert rows(a, "SELECT count(*) FROM training_sessions s WHERE trainer_id NOT IN "
                   "(SELECT value FROM cohorts_trainers WHERE owner_id = s.cohort_id)")[0][0] == 0
    # nobody marked who had not been admitted, or after they withdrew; today's sessions not marked yet
    assert rows(a, "SELECT count(*) FROM attendance_marks m JOIN training_sessions s ON s.id = m.training_session_id "
                   "JOIN enrollments e ON e.person_id = m.person_id AND e.cohort_id = s.cohort_id "
                   "WHERE e.status = 'applied' OR (e.withdrawn_at IS NOT NULL AND m.set_at > e.withdrawn_at + 86400)"
                   )[0][0] == 0
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    assert rows(a, "SELECT count(*) FROM attendance_marks m JOIN training_sessions s ON s.id = m.training_session_id "
                   f"WHERE s.date >= '{today}'")[0][0] == 0


def test_attendance_export_of_the_demo(demo):
    a, _ = demo
    r = run("attendance", "export", "--db", a)
    assert r.returncode == 0, r.stderr
    out = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(out) == rows(a, "SELECT count(*) FROM enrollments WHERE status <> 'applied'")[0][0]
    counted = [x for x in out if int(x["counted"]) > 0]
    assert counted and any(x["below_threshold"] == "true" for x in counted), "some learners need support"
    assert sum(x["below_threshold"] == "true" for x in counted) < len(counted) / 3
    for x in counted[:50]:   # the formula, again, from the counts
        n = dict((s.rsplit(" ", 1)[0], int(s.rsplit(" ", 1)[1])) for s in x["statuses"].split("; "))
        weight = 100 * n.get("present", 0) + 50 * n.get("late", 0)
        denominator = n.get("present", 0) + n.get("late", 0) + n.get("absent", 0)
        assert int(x["weight_sum"]) == weight and int(x["counted"]) == denominator
        assert float(x["rate_percent"]) == round(100 * weight / (100 * denominator), 1)
    r = run("attendance", "export", "--db", a, "--cohort", "999999")
    assert r.returncode == 1 and "not found" in r.stderr, (r.returncode, r.stderr)
    assert run("help", "attendance").returncode == 0
