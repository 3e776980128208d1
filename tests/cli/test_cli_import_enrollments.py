"""`guild import enrollments`: plain CSV into enrollments, by the same
engine as persons. The key is the person (person_sourced_id, or guild's
person_id) and the cohort (cohort_id); consent is required for a new
enrollment. A byte-order mark, CRLF, quoted commas and line breaks; --map;
each kind of row error with its reason (invalid UTF-8, a wrong number of
fields, an unknown person or cohort, the same person and cohort twice, no
consent, a status a new enrollment cannot have, a full cohort); all or
nothing, and --skip-invalid; idempotence (a second run changes nothing and
says so); updates of status (the consent already recorded stands); one
audit entry. Enrollments have no date and no area column: the bad date and
the unknown area code are persons' cases (test_cli_import.py). Runs on
PostgreSQL too (GUILD_TEST_PG)."""
import csv
import hashlib
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from conftest import GUILD, Factory, db_query, serve, uniq  # noqa: E402

HEADER = "person_sourced_id,cohort_id,status,consent"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    for s in serve():
        make = Factory(s.client)
        program = make.program()
        d = str(tmp_path_factory.mktemp("import-enr"))
        w = dict(server=s, db=s.db, api=s.client, dir=d, make=make, program=program)
        w["cohort"] = make.cohort(program, capacity=500)
        w["cohort2"] = make.cohort(program, capacity=500)
        w["small"] = make.cohort(program, capacity=2)
        yield w


def run(w, *args, kind="enrollments", stdin=None):
    return subprocess.run([GUILD, "import", kind, *args, "--db", w["db"]], input=stdin, capture_output=True,
                          timeout=120)


def write(w, text, raw=False):
    path = os.path.join(w["dir"], uniq("f") + ".csv")
    with open(path, "wb") as f:
        f.write(text if raw else text.encode())
    return path


def ok(r):
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    return r.stdout.decode()


def learners(w, n, prefix=None):
    """n new persons imported with sourced_ids prefix1..prefixN; returns the prefix."""
    p = prefix or uniq("L")
    text = "sourced_id,given_name\n" + "".join(f"{p}{i},Learner {i}\n" for i in range(1, n + 1))
    ok(run(w, write(w, text), kind="persons"))
    return p


def enrollments(w, prefix):
    """{(sourced_id, cohort_id): row} of the enrollments of the persons whose sourced_id starts with prefix."""
    rows = db_query(w["server"], "SELECT p.sourced_id, e.cohort_id, e.status, e.version, e.consent_at, e.consent_by, "
                                 "e.withdrawal_reason, e.updated_at FROM enrollments e JOIN persons p ON "
                                 "p.id = e.person_id WHERE p.sourced_id LIKE ? ORDER BY e.id", (prefix + "%",))
    keys = ["sourced_id", "cohort_id", "status", "version", "consent_at", "consent_by", "withdrawal_reason",
            "updated_at"]
    return {(r[0], r[1]): dict(zip(keys, r)) for r in rows}


def audit_count(w):
    return db_query(w["server"], "SELECT count(*) FROM audit_log")[0][0]


def audit_tail(w):
    return db_query(w["server"], "SELECT action, entity, entity_id, digest FROM audit_log ORDER BY id DESC LIMIT 1")[0]


def report(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_bom_crlf_quoting_and_map(world):
    w = world
    p = learners(w, 3)
    c1, c2 = w["cohort"]["id"], w["cohort2"]["id"]
    body = ("\ufeff" + "Student,Class,Status,Agreed,Notes\r\n"
            f"{p}1,{c1},enrolled,yes,\"moved here\r\nin May\"\r\n"
            f"{p}1,{c2},applied,TRUE,\"a, b and \"\"c\"\"\"\r\n"
            f"{p}2,{c1},,1,\r\n").encode()
    path = write(w, body, raw=True)
    r = run(w, path)
    assert r.returncode == 1 and b"row 1, column Student" in r.stderr and b"--map" in r.stderr
    out = ok(run(w, path, "--map", "Student=person_sourced_id,class=cohort_id,Status=status,Agreed=consent,Notes="))
    assert "3 rows: 3 created, 0 updated, 0 unchanged" in out
    got = enrollments(w, p)
    assert set(got) == {(p + "1", c1), (p + "1", c2), (p + "2", c1)}
    assert got[(p + "1", c1)]["status"] == "enrolled" and got[(p + "2", c1)]["status"] == "applied"
    assert all(g["consent_at"] > 0 and g["consent_by"] for g in got.values())
    # the API sees them as it sees its own
    pid = w["api"].get(f"/api/v1/persons?sourced_id={p}1").json["items"][0]["id"]
    r = w["api"].get(f"/api/v1/enrollments?person={pid}")
    assert r.status == 200 and r.json["total"] == 2
    # one audit entry: action import, entity enrollments, the count, the file's SHA-256
    assert audit_tail(w) == ("import", "enrollments", 3, hashlib.sha256(body).hexdigest())
    assert subprocess.run([GUILD, "audit", "verify", "--db", w["db"]], capture_output=True,
                          timeout=60).returncode == 0


def test_person_by_id_and_stdin(world):
    w = world
    a = w["make"].person()
    text = f"person_id,cohort_id,consent\n{a['id']},{w['cohort2']['id']},true\n"
    assert "1 rows: 1 created" in ok(run(w, "-", stdin=text.encode()))
    r = w["api"].get(f"/api/v1/enrollments?person={a['id']}")
    assert r.json["total"] == 1 and r.json["items"][0]["status"] == "applied"


def test_header_problems(world):
    w = world
    r = run(w, write(w, "cohort_id,consent\n1,true\n"))
    assert r.returncode == 1 and b"no person_sourced_id or person_id column" in r.stderr
    r = run(w, write(w, "person_sourced_id,consent\nx,true\n"))
    assert r.returncode == 1 and b"no cohort_id column" in r.stderr
    r = run(w, write(w, "person_sourced_id,person_id,cohort_id\nx,1,1\n"))
    assert r.returncode == 1 and b"row 1, column person_id" in r.stderr and b"a second column for person_id" in r.stderr
    r = run(w, write(w, "person_sourced_id,cohort_id,birth_date\nx,1,2000-01-01\n"))
    assert r.returncode == 1 and b"unknown column 'birth_date'" in r.stderr
    r = run(w, write(w, HEADER + "\n"), "--map", "A=given_name")
    assert r.returncode == 2 and b"--map" in r.stderr


def test_every_row_error_and_skip_invalid(world):
    w = world
    p = learners(w, 9)
    c1, small = w["cohort"]["id"], w["small"]["id"]
    lines = [HEADER.encode(),
             f"{p}1,{c1},enrolled,true".encode(),                     # 2: valid
             f"{p}2,{c1},".encode() + b"appl\xe9ed" + b",true",        # 3: invalid UTF-8
             f"{p}3,{c1},applied".encode(),                             # 4: wrong number of fields
             f"NOSUCH{p},{c1},applied,true".encode(),                   # 5: unknown person
             f"{p}4,999999999,applied,true".encode(),                   # 6: unknown cohort
             f"{p}5,first,applied,true".encode(),                       # 7: cohort not a number
             f"{p}1,{c1},applied,true".encode(),                        # 8: the same person and cohort again
             f"{p}6,{c1},applied,".encode(),                            # 9: no consent
             f"{p}7,{c1},applied,maybe".encode(),                       # 10: consent neither true nor false
             f"{p}8,{c1},completed,true".encode(),                      # 11: not a new enrollment's status
             f"{p}9,{c1},applied,false".encode(),                       # 12: consent refused
             f",{c1},applied,true".encode(),                            # 13: no person
             f"{p}2,{small},enrolled,true".encode(),                    # 14: valid
             f"{p}3,{small},enrolled,true".encode(),                    # 15: valid: the last place
             f"{p}4,{small},enrolled,true".encode(),                    # 16: the cohort is full
             f"{p}5,{c1},withdrawn,true".encode()]                      # 17: not a new enrollment's status
    path = write(w, b"\r\n".join(lines) + b"\r\n", raw=True)
    want = [(3, "status", "appl\\xe9ed", "not valid UTF-8"),
            (4, "", "", "3 fields, the header has 4"),
            (5, "person_sourced_id", f"NOSUCH{p}", "no person has this sourced_id"),
            (6, "cohort_id", "999999999", "no cohort has this id"),
            (7, "cohort_id", "first", "must be a whole number"),
            (8, "person_sourced_id", f"{p}1", "the same person and cohort are already on row 2"),
            (9, "consent", "", "needs the learner's own consent"),
            (10, "consent", "maybe", "must be true or false"),
            (11, "status", "completed", "a new enrollment is applied or enrolled"),
            (12, "consent", "false", "needs the learner's own consent"),
            (13, "person_sourced_id", "", "is required"),
            (16, "status", "enrolled", "is full"),
            (17, "status", "withdrawn", "a new enrollment is applied or enrolled")]
    rep = os.path.join(w["dir"], uniq("errors") + ".csv")
    n_audit = audit_count(w)
    r = run(w, path, "--errors", rep)
    err = r.stderr.decode()
    assert r.returncode == 1 and "nothing was imported" in err, err
    assert enrollments(w, p) == {} and audit_count(w) == n_audit
    got = report(rep)
    assert len(got) == len(want), got
    for g, (row, col, value, reason) in zip(got, want):
        assert (int(g["row"]), g["column"], g["value"]) == (row, col, value) and reason in g["reason"], g
        assert f"row {row}" + (f", column {col}" if col else "") in err
    assert "13 of 16 rows are invalid" in err
    # --skip-invalid: the valid rows only, the others reported the same way
    out = ok(run(w, path, "--skip-invalid", "--errors", rep))
    assert "16 rows: 3 created, 0 updated, 0 unchanged, 13 invalid (skipped)" in out
    assert set(enrollments(w, p)) == {(p + "1", c1), (p + "2", small), (p + "3", small)}
    assert len(report(rep)) == len(want)
    assert audit_tail(w)[:3] == ("import", "enrollments", 3)


def test_idempotent_and_updates(world):
    w = world
    p = learners(w, 4)
    c1, c2 = w["cohort"]["id"], w["cohort2"]["id"]
    text = HEADER + "\n" + "".join(f"{p}{i},{c},applied,true\n" for i in range(1, 5) for c in (c1, c2))
    path = write(w, text)
    assert "8 rows: 8 created, 0 updated, 0 unchanged" in ok(run(w, path))
    first = enrollments(w, p)
    n_audit = audit_count(w)
    assert "8 rows: 0 created, 0 updated, 8 unchanged" in ok(run(w, path))
    assert enrollments(w, p) == first                  # no new version, same times
    assert audit_count(w) == n_audit + 1               # the import itself is recorded
    # status moves as the API allows; the consent column of a stored enrollment is what was recorded
    text2 = text.replace(f"{p}1,{c1},applied,true", f"{p}1,{c1},enrolled,true")
    text2 = text2.replace(f"{p}2,{c1},applied,true", f"{p}2,{c1},withdrawn,true")
    assert "8 rows: 0 created, 2 updated, 6 unchanged" in ok(run(w, write(w, text2)))
    after = enrollments(w, p)
    assert after[(p + "1", c1)]["status"] == "enrolled" and after[(p + "1", c1)]["version"] == 2
    assert after[(p + "2", c1)]["status"] == "withdrawn"
    assert after[(p + "1", c1)]["consent_at"] == first[(p + "1", c1)]["consent_at"]
    assert all(after[k] == first[k] for k in first if k not in ((p + "1", c1), (p + "2", c1)))
    # a withdrawal reason; a move the API refuses is refused here (withdrawn is final)
    r = run(w, write(w, f"person_sourced_id,cohort_id,status,withdrawal_reason\n{p}3,{c2},withdrawn,moved\n"
                        f"{p}2,{c1},enrolled,\n"))
    assert r.returncode == 1 and b"row 3, column status" in r.stderr and b"cannot change from withdrawn" in r.stderr
    ok(run(w, write(w, f"person_sourced_id,cohort_id,status,withdrawal_reason\n{p}3,{c2},withdrawn,moved\n")))
    assert enrollments(w, p)[(p + "3", c2)]["withdrawal_reason"] == "moved"
    # consent cannot be taken back by a file: withdrawal is the way
    r = run(w, write(w, f"{HEADER}\n{p}4,{c2},applied,false\n"))
    assert r.returncode == 1 and b"column consent" in r.stderr and b"recorded when the enrollment is created" in r.stderr
    # a file without a status column leaves the status alone
    assert "1 rows: 0 created, 0 updated, 1 unchanged" in ok(run(w, write(w, f"person_sourced_id,cohort_id\n"
                                                                            f"{p}1,{c1}\n")))
