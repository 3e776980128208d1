"""`guild import persons`: plain CSV into persons. A byte-order mark, CRLF,
quoted commas and line breaks, Chinese and Uyghur names; --map; all or
nothing (a bad row in the middle writes nothing and is named by row and
column); each kind of row error with its reason, on stderr and in the
--errors CSV; --skip-invalid; idempotence (a second run changes no version);
one audit entry with the file's SHA-256; the progress line on a terminal
only. (csv-spectrum is checked against src/io/csv_in in
tests/unit/test_csv.c.) The reference data (areas) is made through the API
of a live server; the import runs beside it on the same database."""
import csv
import hashlib
import os
import subprocess
import sys
import urllib.parse

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from conftest import GUILD, Factory, db_query, run_on_tty, serve, uniq  # noqa: E402

HEADER = "sourced_id,given_name,family_name,sex,birth_date,home_area_code,phone,email"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    for s in serve():
        make = Factory(s.client)
        region, prefecture, county, township = make.tree()
        yield dict(server=s, db=s.db, api=s.client, dir=str(tmp_path_factory.mktemp("import")),
                   county=county, township=township)


def run(w, *args, stdin=None, **kw):
    return subprocess.run([GUILD, "import", "persons", *args, "--db", w["db"]], input=stdin, capture_output=True,
                          timeout=120, **kw)


def write(w, text, name=None, raw=False):
    path = os.path.join(w["dir"], name or uniq("f") + ".csv")
    with open(path, "wb") as f:
        f.write(text if raw else text.encode())
    return path


def persons(w, prefix):
    """{sourced_id: row} of the stored persons whose sourced_id starts with prefix."""
    rows = db_query(w["server"], "SELECT sourced_id, given_name, family_name, sex, birth_date, home_area_id, phone, "
                                 "email, version, updated_at FROM persons WHERE sourced_id LIKE ? ORDER BY id",
                    (prefix + "%",))
    keys = ["sourced_id", "given_name", "family_name", "sex", "birth_date", "home_area_id", "phone", "email",
            "version", "updated_at"]
    return {r[0]: dict(zip(keys, r)) for r in rows}


def audit_tail(w):
    return db_query(w["server"], "SELECT id, action, entity, entity_id, digest FROM audit_log ORDER BY id DESC LIMIT 1")[0]


def audit_count(w):
    return db_query(w["server"], "SELECT count(*) FROM audit_log")[0][0]


def ok(r):
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    return r.stdout.decode()


def test_bom_crlf_quoting_and_scripts(world):
    w, p = world, uniq("S")
    code = w["township"]["code"]
    text = ("\ufeff" + HEADER + ",Notes\r\n"
            f"{p}1,小明,王,male,2005-03-01,{code},+86 991 1234567,xiaoming@example.cn,\"line one\r\nline two\"\r\n"
            f"{p}2,مۇھەممەت,ئەخمەت,,,,,,\"a, b and \"\"c\"\"\"\r\n"
            f"{p}3,Ayşe,\"O'Neil, Jr.\",female,1999-12-31,{w['county']['code']},,,\r\n")
    out = ok(run(w, write(w, text), "--map", "Notes="))
    assert "3 rows: 3 created, 0 updated, 0 unchanged" in out
    got = persons(w, p)
    assert got[p + "1"]["given_name"] == "小明" and got[p + "1"]["family_name"] == "王"
    assert got[p + "1"]["home_area_id"] == w["township"]["id"] and got[p + "1"]["birth_date"] == "2005-03-01"
    assert got[p + "1"]["phone"] == "+86 991 1234567" and got[p + "1"]["sex"] == "male"
    assert got[p + "2"]["given_name"] == "مۇھەممەت" and got[p + "2"]["family_name"] == "ئەخمەت"
    assert got[p + "2"]["sex"] is None and got[p + "2"]["home_area_id"] is None
    assert got[p + "3"]["family_name"] == "O'Neil, Jr." and got[p + "3"]["home_area_id"] == w["county"]["id"]
    # the API sees them, names searchable as for any person
    r = w["api"].get(f"/api/v1/persons?sourced_id={p}2")
    assert r.status == 200 and r.json["items"][0]["given_name"] == "مۇھەممەت"
    assert w["api"].get("/api/v1/persons?q=" + urllib.parse.quote("王小明")).json["total"] >= 1


def test_lf_without_bom_and_stdin(world):
    w, p = world, uniq("L")
    text = f"given_name,sourced_id\n古丽,{p}1\nدىلنۇر,{p}2\n"
    out = ok(run(w, "-", stdin=text.encode()))
    assert "2 rows: 2 created" in out
    assert {k: v["given_name"] for k, v in persons(w, p).items()} == {p + "1": "古丽", p + "2": "دىلنۇر"}


def test_map_renames_headers(world):
    w, p = world, uniq("M")
    text = f"Student ID , First name,Surname,Area\n{p}1,Alim,Mamut,{w['township']['code']}\n"
    r = run(w, write(w, text))
    assert r.returncode == 1 and b"row 1, column Student ID," in r.stderr and b"--map" in r.stderr
    assert persons(w, p) == {}
    ok(run(w, write(w, text), "--map", "student id=sourced_id,First name=given_name,Surname=family_name,"
                                       "Area=home_area_code"))
    got = persons(w, p)[p + "1"]
    assert (got["given_name"], got["family_name"], got["home_area_id"]) == ("Alim", "Mamut", w["township"]["id"])
    # a --map that names no field is a usage error
    r = run(w, write(w, text), "--map", "Area=home_area")
    assert r.returncode == 2 and b"--map" in r.stderr


def test_header_problems(world):
    w = world
    r = run(w, write(w, "given_name,family_name\nA,B\n"))
    assert r.returncode == 1 and b"no sourced_id column" in r.stderr and b"nothing was imported" in r.stderr
    r = run(w, write(w, "sourced_id,given_name,GIVEN_NAME\nx,A,B\n"))
    assert r.returncode == 1 and b"row 1, column GIVEN_NAME" in r.stderr and b"second column" in r.stderr
    r = run(w, write(w, ""))
    assert r.returncode == 1 and b"empty" in r.stderr
    r = run(w, write(w, "sourced_id,given_name\nx,\"never closed\n"))
    assert r.returncode == 1 and b"row 2" in r.stderr and b"nothing was imported" in r.stderr
    r = run(w, os.path.join(w["dir"], "no-such-file.csv"))
    assert r.returncode == 1 and b"cannot open" in r.stderr


def test_all_or_nothing(world):
    w, p = world, uniq("A")
    rows = [f"{p}{i},Learner{i},,,2001-01-0{i},,," for i in range(1, 6)]
    rows[2] = f"{p}3,Learner3,,,2001-02-30,,,"   # row 4 of the file (the header is row 1)
    path = write(w, HEADER + "\n" + "\n".join(rows) + "\n")
    n_audit = audit_count(w)
    report = os.path.join(w["dir"], uniq("errors") + ".csv")
    r = run(w, path, "--errors", report)
    err = r.stderr.decode()
    assert r.returncode == 1, err
    assert f"{path}: row 4, column birth_date, value '2001-02-30':" in err and "nothing was imported" in err
    assert persons(w, p) == {} and audit_count(w) == n_audit
    with open(report, newline="") as f:
        got = list(csv.reader(f))
    assert got == [["file", "row", "column", "value", "reason"],
                   [path, "4", "birth_date", "2001-02-30",
                    "must be a date written YYYY-MM-DD between 1900 and 2199 (got '2001-02-30')"]]


def test_every_row_error_and_skip_invalid(world):
    w, p = world, uniq("E")
    code = w["township"]["code"]
    lines = [HEADER.encode(),
             f"{p}1,Good,,female,2000-01-01,{code},,".encode(),            # 2: valid
             f"{p}2,Bad".encode() + b"\xff\xfe" + b",,,,,,",                # 3: invalid UTF-8
             f"{p}3,Short,".encode(),                                        # 4: wrong number of fields
             f"{p}4,Date,,,2000-13-01,,,".encode(),                         # 5: bad date
             f"{p}5,Area,,,,no-such-area,,".encode(),                        # 6: unknown area code
             f"{p}1,Twice,,,,,,".encode(),                                   # 7: duplicate sourced_id
             f"{p}6,Sex,,other,,,,".encode(),                                # 8: not an allowed value
             f"{p}7,,,,,,,".encode(),                                        # 9: given_name missing
             f"{p}8,Mail,,,,,,not-an-address".encode(),                      # 10: rule from the domain
             f",Noid,,,,,,".encode(),                                        # 11: no sourced_id
             f"{p}9,Also good,,male,,,,".encode()]                           # 12: valid
    path = write(w, b"\n".join(lines) + b"\n", raw=True)
    want = [(3, "given_name", "Bad\\xff\\xfe", "not valid UTF-8"),
            (4, "", "", "3 fields, the header has 8"),
            (5, "birth_date", "2000-13-01", "must be a date"),
            (6, "home_area_code", "no-such-area", "no area has this code"),
            (7, "sourced_id", p + "1", "already on row 2"),
            (8, "sex", "other", "must be one of female, male"),
            (9, "given_name", "", "is required"),
            (10, "email", "not-an-address", "is not an e-mail address"),
            (11, "sourced_id", "", "is required")]
    report = os.path.join(w["dir"], uniq("errors") + ".csv")
    r = run(w, path, "--errors", report)
    assert r.returncode == 1 and persons(w, p) == {}
    err = r.stderr.decode()
    with open(report, newline="") as f:
        got = list(csv.DictReader(f))
    assert len(got) == len(want), got
    for g, (row, col, value, reason) in zip(got, want):
        assert (int(g["row"]), g["column"], g["value"]) == (row, col, value) and reason in g["reason"], g
        assert g["file"] == path
        assert f"row {row}" + (f", column {col}" if col else "") in err
    assert "9 of 11 rows are invalid" in err
    # --skip-invalid: the two valid rows are imported, the rest reported the same way
    r = run(w, path, "--skip-invalid", "--errors", report)
    out = ok(r)
    assert "11 rows: 2 created, 0 updated, 0 unchanged, 9 invalid (skipped)" in out
    assert sorted(persons(w, p)) == [p + "1", p + "9"]
    assert persons(w, p)[p + "1"]["given_name"] == "Good"   # not the later duplicate "Twice"
    with open(report, newline="") as f:
        assert len(list(csv.DictReader(f))) == len(want)
    assert audit_tail(w)[1:4] == ("import", "persons", 2)


def test_idempotent_upsert(world):
    w, p = world, uniq("I")
    code = w["township"]["code"]
    text = HEADER + "\n" + "".join(f"{p}{i},名{i},李,female,1990-01-0{i},{code},1380000000{i},\n" for i in range(1, 5))
    path = write(w, text)
    assert "4 rows: 4 created, 0 updated, 0 unchanged" in ok(run(w, path))
    first = persons(w, p)
    n_audit = audit_count(w)
    out = ok(run(w, path))
    assert "4 rows: 0 created, 0 updated, 4 unchanged" in out
    assert persons(w, p) == first                     # same versions, same times: nothing changed
    assert audit_count(w) == n_audit + 1              # the import itself is still recorded
    # one changed cell updates that person only; an empty optional cell clears the field
    text2 = text.replace(f"{p}2,名2,李,female,1990-01-02,{code},13800000002",
                         f"{p}2,名2,李,female,1990-01-02,,13800000009")
    assert "4 rows: 0 created, 1 updated, 3 unchanged" in ok(run(w, write(w, text2)))
    after = persons(w, p)
    assert after[p + "2"]["version"] == 2 and after[p + "2"]["phone"] == "13800000009"
    assert after[p + "2"]["home_area_id"] is None
    assert all(after[k] == first[k] for k in (p + "1", p + "3", p + "4"))
    # a file without a column leaves that field alone
    ok(run(w, write(w, f"sourced_id,phone\n{p}1,13900000001\n")))
    one = persons(w, p)[p + "1"]
    assert one["phone"] == "13900000001" and one["birth_date"] == "1990-01-01" and one["version"] == 2


def test_one_audit_entry_with_the_digest(world):
    w, p = world, uniq("D")
    body = ("\ufeff" + HEADER + "\r\n" + "".join(f"{p}{i},阿依古丽,,,,,,\r\n" for i in range(1, 51))).encode()
    path = write(w, body, raw=True)
    n_audit = audit_count(w)
    ok(run(w, path))
    assert audit_count(w) == n_audit + 1
    _, action, entity, count, digest = audit_tail(w)
    assert (action, entity, count, digest) == ("import", "persons", 50, hashlib.sha256(body).hexdigest())
    r = subprocess.run([GUILD, "audit", "verify", "--db", w["db"]], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "intact" in r.stdout


def test_progress_on_a_terminal_only(world):
    w, p = world, uniq("P")
    path = write(w, "sourced_id,given_name\n" + "".join(f"{p}{i},N{i}\n" for i in range(2500)))
    r = run(w, path)   # stderr is a pipe here: silent
    assert r.returncode == 0 and r.stderr == b""
    for extra, shown in (((), True), (("--quiet",), False)):
        rc, tty = run_on_tty([GUILD, "import", "persons", path, *extra, "--db", w["db"]])
        assert rc == 0
        assert ("2500/2500 rows (100%)" in tty and "rows/s" in tty) == shown, tty


def test_many_rows_with_duplicates_updates_and_errors(world):
    """A file longer than a batch (PostgreSQL writes 256 new rows with one
    statement): duplicates, updates of stored persons and invalid rows among
    the new ones are found as one by one, and reported in row order."""
    w, p = world, uniq("B")
    stored = uniq("S")
    ok(run(w, write(w, f"sourced_id,given_name\n{stored}1,Before\n{stored}2,Same\n")))
    rows = [f"{p}{i},N{i}" for i in range(1, 601)]
    rows[198] = f"{p}10,Again"           # row 200: the key of row 11 (in the first batch)
    rows[208] = f"{stored}1,After"       # row 210: updates a stored person
    rows[218] = f"{stored}2,Same"        # row 220: a stored person, unchanged
    rows[228] = f"{p}229,N,extra"        # row 230: a field too many, reported before the batch is written
    rows[399] = f"{p}400,"               # row 401: no given name
    rows[409] = f"{p}11,Twice"           # row 411: the key of row 12
    path = write(w, "sourced_id,given_name\n" + "\n".join(rows) + "\n")
    report = os.path.join(w["dir"], uniq("errors") + ".csv")
    r = run(w, path, "--skip-invalid", "--errors", report)
    assert "600 rows: 594 created, 1 updated, 1 unchanged, 4 invalid (skipped)" in ok(r)
    with open(report, newline="") as f:
        got = [(int(g["row"]), g["column"], g["reason"]) for g in csv.DictReader(f)]
    assert got == [(200, "sourced_id", "the same sourced_id is already on row 11"),
                   (230, "", "3 fields, the header has 2"),
                   (401, "given_name", "is required"),
                   (411, "sourced_id", "the same sourced_id is already on row 12")]
    assert persons(w, stored)[stored + "1"]["given_name"] == "After"
    assert persons(w, p)[p + "10"]["given_name"] == "N10" and len(persons(w, p)) == 594
    assert "600 rows: 0 created, 0 updated, 596 unchanged, 4 invalid" in ok(run(w, path, "--skip-invalid"))


def test_confined_to_an_institution(world):
    """--institution ID: new persons are registered to it; a stored person of
    another institution is left alone and its row is an error; a bad or
    unknown id is refused before anything is read."""
    w, p = world, uniq("I")
    make = Factory(w["api"])
    a, b = make.institution(), make.institution()
    other = make.person(given_name="Elsewhere", sourced_id=f"{p}b", institution_id=b["id"])
    path = write(w, f"sourced_id,given_name\n{p}1,Mine\n{p}b,Taken\n")
    r = run(w, path, "--institution", str(a["id"]))
    assert r.returncode == 1
    assert f"row 3, column sourced_id, value '{p}b': the stored person is not one of institution {a['id']}'s" \
        in r.stderr.decode()
    assert "1 rows: 1 created" not in r.stdout.decode() and persons(w, p + "1") == {}
    out = ok(run(w, path, "--institution", str(a["id"]), "--skip-invalid"))
    assert "2 rows: 1 created, 0 updated, 0 unchanged, 1 invalid (skipped)" in out
    assert db_query(w["server"], "SELECT institution_id FROM persons WHERE sourced_id = ?", (p + "1",)) == [(a["id"],)]
    assert persons(w, p + "b")[p + "b"]["given_name"] == "Elsewhere" and other["id"]
    for bad, why in (("x", "an institution's id"), ("99999999", "no such institution")):
        r = run(w, path, "--institution", bad)
        assert r.returncode != 0 and why in r.stderr.decode(), r.stderr
