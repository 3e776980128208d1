"""The command line: help from the command table, exit codes (0 done, 1 user
error, 2 usage), init/migrate, refusal of a newer database, and the demo
generator (deterministic for a seed, refuses a non-empty database)."""
import datetime
import os
import re
import sqlite3
import subprocess
import tempfile

import pytest

GUILD = os.environ.get("GUILD_BIN") or os.path.join(os.path.dirname(__file__), "..", "..", "build", "san", "guild")
COMMANDS = ["init", "migrate", "serve", "demo", "version", "help", "user", "audit", "person", "copy", "competition", "import"]


def run(*args, env=None):
    return subprocess.run([GUILD, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def tmp():
    with tempfile.TemporaryDirectory() as d:
        yield d


def test_help_lists_every_command():
    r = run("help")
    assert r.returncode == 0
    for c in COMMANDS:
        assert f"  {c} " in r.stdout


@pytest.mark.parametrize("cmd", COMMANDS)
def test_each_command_has_help(cmd):
    a = run("help", cmd)
    b = run(cmd, "--help")
    assert a.returncode == 0 and b.returncode == 0
    assert a.stdout == b.stdout
    assert a.stdout.startswith(f"usage: guild {cmd}")


def test_usage_errors_exit_2():
    assert run().returncode == 2
    r = run("frobnicate")
    assert r.returncode == 2 and "unknown command" in r.stderr
    r = run("serve", "--port", "notaport")
    assert r.returncode == 2 and "--port" in r.stderr
    r = run("demo", "--bogus")
    assert r.returncode == 2 and "unknown option" in r.stderr
    r = run("help", "nosuch")
    assert r.returncode == 2


def test_version():
    r = run("version")
    assert r.returncode == 0 and r.stdout.startswith("guild ")


def test_init_migrate_and_serve_refusals(tmp):
    db = os.path.join(tmp, "g.db")
    r = run("init", "--db", db)
    assert r.returncode == 0, r.stderr
    assert re.search(r"schema version \d+ \(\d+ migrations applied\)", r.stdout), r.stdout
    assert "administrator: admin" in r.stdout and "one-time password: " in r.stdout
    r = run("migrate", "--db", db)
    assert r.returncode == 0 and "0 migrations applied" in r.stdout
    # a database from a newer guild is refused, clearly, and left alone
    con = sqlite3.connect(db)
    con.execute("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 0)")
    con.commit()
    con.close()
    for cmd in (["migrate", "--db", db], ["serve", "--db", db, "--port", "0"]):
        r = run(*cmd)
        assert r.returncode == 1, (cmd, r.stderr)
        assert "newer" in r.stderr and "999" in r.stderr
    con = sqlite3.connect(db)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 999
    con.close()


def test_serve_refuses_uninitialised_database(tmp):
    db = os.path.join(tmp, "missing.db")
    r = run("serve", "--db", db, "--port", "0")
    assert r.returncode == 1
    assert not os.path.exists(db) or "guild init" in r.stderr


def test_db_from_environment(tmp):
    db = os.path.join(tmp, "env.db")
    r = run("init", env={**os.environ, "GUILD_DB": db})
    assert r.returncode == 0 and os.path.exists(db)


def dump(db):
    """Every row of the registry tables except the creation timestamps."""
    con = sqlite3.connect(db)
    out = {}
    for t in ["areas", "institutions", "programs", "programs_skills", "persons", "cohorts", "cohorts_trainers",
              "enrollments"]:
        cols = [c[1] for c in con.execute(f"PRAGMA table_info({t})") if c[1] not in ("created_at", "updated_at")]
        out[t] = con.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY 1, 2").fetchall()
    con.close()
    return out


def test_demo_is_deterministic_and_realistic(tmp):
    a, b, c = (os.path.join(tmp, n) for n in ("a.db", "b.db", "c.db"))
    for db, seed in ((a, "7"), (b, "7"), (c, "8")):
        r = run("demo", "--db", db, "--learners", "300", "--seed", seed)
        assert r.returncode == 0, r.stderr
    da, db_, dc = dump(a), dump(b), dump(c)
    assert da == db_
    assert da["persons"] != dc["persons"]
    assert len(da["persons"]) >= 300
    con = sqlite3.connect(a)
    levels = dict(con.execute("SELECT level, count(*) FROM areas GROUP BY level").fetchall())
    assert levels["region"] == 1 and levels["prefecture"] >= 3 and levels["township"] > levels["county"]
    kinds = {k for (k,) in con.execute("SELECT DISTINCT kind FROM institutions")}
    assert kinds == {"vocational_college", "training_centre"}
    assert con.execute("SELECT count(*) FROM programs WHERE title = 'Modern pastry-making'").fetchone()[0] > 0
    multi = con.execute("SELECT count(*) FROM (SELECT person_id FROM enrollments GROUP BY person_id "
                        "HAVING count(*) > 1)").fetchone()[0]
    assert multi > 0, "some learners take several programs"
    assert con.execute("SELECT count(*) FROM enrollments WHERE consent_at IS NULL").fetchone()[0] == 0
    over = con.execute("SELECT count(*) FROM cohorts c WHERE capacity < (SELECT count(*) FROM enrollments e "
                       "WHERE e.cohort_id = c.id AND status IN ('enrolled','completed','not_completed'))").fetchone()[0]
    assert over == 0, "no cohort over capacity"
    scripts = con.execute("SELECT sum(given_name GLOB '*[ا-ي]*'), sum(given_name GLOB '*[一-龥]*') "
                          "FROM persons").fetchone()
    assert scripts[0] > 0 and scripts[1] > 0, "Uyghur and Chinese names"
    same = con.execute("SELECT name FROM institutions GROUP BY name HAVING count(*) > 1").fetchall()
    assert same == [], "no two institutions share a name"
    # the demo trainer and learner have today's work: a cohort running today, the learner enrolled in it, a session today
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    now = con.execute("SELECT c.id FROM cohorts c JOIN cohorts_trainers t ON t.owner_id = c.id JOIN persons p "
                      "ON p.id = t.value WHERE p.sourced_id = 'T000001' AND c.start_date <= ? AND c.end_date >= ?",
                      (today, today)).fetchall()
    assert len(now) >= 1
    mine = con.execute("SELECT e.cohort_id FROM enrollments e JOIN persons p ON p.id = e.person_id "
                       "WHERE p.sourced_id = 'L0000001' AND e.status = 'enrolled'").fetchall()
    assert now[0] in mine
    assert con.execute("SELECT count(*) FROM training_sessions WHERE cohort_id = ? AND date = ?",
                       (now[0][0], today)).fetchone()[0] == 1
    con.close()


def test_demo_competition_has_real_names_in_three_languages(tmp):
    db = os.path.join(tmp, "comp.db")
    r = run("demo", "--db", db, "--learners", "1000")
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(db)
    year = datetime.datetime.now(datetime.timezone.utc).year
    # the editions run up to this year, the last one in marking
    editions = con.execute("SELECT year, name, state FROM editions ORDER BY year").fetchall()
    assert [e[0] for e in editions] == list(range(year - 4, year + 1)) and editions[-1][2] == "marking"
    three = lambda t: (re.search("[A-Za-z]", t) and re.search("[\u4e00-\u9fff]", t)
                       and re.search("[\u0600-\u06ff]", t))
    for table in ("editions", "categories", "criteria"):
        names = [n for (n,) in con.execute(f"SELECT name FROM {table}")]
        assert names and all(three(n) for n in names), (table, [n for n in names if not three(n)][:3])
    assert con.execute("SELECT count(*) FROM categories WHERE name LIKE 'Welding · 焊接 · كەپشەرلەش%'").fetchone()[0] > 0
    aspects = [d for (d,) in con.execute("SELECT DISTINCT description FROM aspects")]
    assert len(aspects) >= 20 and not any(re.fullmatch(r".* \d+", d) for d in aspects), aspects[:5]
    con.close()


def test_demo_refuses_non_empty_database(tmp):
    db = os.path.join(tmp, "d.db")
    assert run("demo", "--db", db, "--learners", "10").returncode == 0
    before = dump(db)
    r = run("demo", "--db", db, "--learners", "10")
    assert r.returncode == 1 and "already holds data" in r.stderr
    assert dump(db) == before
