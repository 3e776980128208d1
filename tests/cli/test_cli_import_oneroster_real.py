"""`guild import oneroster` on sets as other systems write them (issue 16):
public sample sets (tests/data/oneroster/*/README.md names each source and
licence) import unedited, export, and re-import into the same database
changing nothing; schools and districts without a parentSourcedId go where
--area, --area-map or --create-areas say (and the message names these);
org types guild does not keep are resolved through or skipped with a
warning; a reference to an invalid row says which row and why; 1.1 sets
without manifest.csv (a directory or a .zip); a header repeated inside a
file.

Runs on SQLite, and on PostgreSQL when GUILD_TEST_PG names a server, as
test_cli_oneroster.py does."""
import os
import shutil

import pytest

from test_cli_oneroster import DATA, Db, guild, ok, write_csv, zip_dir  # noqa: F401 (fixtures below)

REGION = {"orgs.csv": [["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"],
                       ["XJ", "", "", "Xinjiang", "state", "650000", ""],
                       ["ILI", "", "", "Ili", "local", "654000", "XJ"]]}

ORG_HEADER = ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"]


@pytest.fixture
def db(tmp_path):
    return Db(str(tmp_path), "a.db")


def make_set(tmp_path, files, name="set"):
    """A set of files {name: rows} (no manifest unless given) in a new folder."""
    d = os.path.join(str(tmp_path), name)
    os.makedirs(d, exist_ok=True)
    for f, rows in files.items():
        write_csv(os.path.join(d, f), rows)
    return d


def with_region(d, tmp_path):
    """Gives d the region XJ (650000) and its prefecture ILI (654000)."""
    ok(guild(d, "import", "oneroster", make_set(tmp_path, REGION, "region")))


def snapshot(d):
    """What an import can change: each table's rows by sourcedId with their versions."""
    return {t: sorted(d.q(f"SELECT sourced_id, version FROM {t}")) for t in
            ("areas", "institutions", "programs", "cohorts", "persons", "enrollments")} | {
        "sessions": sorted(d.q("SELECT sourced_id, title, start_date, end_date FROM academic_sessions")),
        "trainers": sorted(d.q("SELECT owner_id, value FROM cohorts_trainers"))}


def changes_nothing(out):
    """Every file line of a summary says 0 created, 0 updated."""
    lines = [x for x in out.splitlines() if ".csv (" in x and "roles.csv" not in x]
    return lines and all(": 0 created, 0 updated," in x for x in lines)


SAMPLES = [
    ("roster-hub-en", ["--area", "654000", "--isco", "2512"], {"institutions": 1, "programs": 2, "cohorts": 5,
                                                               "persons": 20, "enrollments": 25}),
    ("roster-hub-ja", ["--create-areas", "--isco", "2512"], {"institutions": 1, "programs": 2, "cohorts": 5,
                                                             "persons": 20, "enrollments": 25}),
    ("moodle-1.2-delta", ["--create-areas", "--isco", "5412"], {"institutions": 1, "programs": 1, "cohorts": 1,
                                                                "persons": 1, "enrollments": 1}),
    ("rosterhub-japan", ["--area", "654000"], {"institutions": 5, "persons": 3}),
]


@pytest.mark.parametrize("name,opts,want", SAMPLES, ids=[s[0] for s in SAMPLES])
def test_public_samples_import_export_and_import_again(db, tmp_path, name, opts, want):
    with_region(db, tmp_path)
    src = os.path.join(DATA, name)
    out = ok(guild(db, "import", "oneroster", src, *opts))
    for table, n in want.items():
        assert db.one(f"SELECT count(*) FROM {table}") == n, (table, out)
    before = snapshot(db)
    # the set again, and the set guild exports, change nothing
    assert changes_nothing(ok(guild(db, "import", "oneroster", src, *opts))), out
    assert snapshot(db) == before
    exported = os.path.join(str(tmp_path), "export")
    ok(guild(db, "export", "oneroster", exported))
    again = ok(guild(db, "import", "oneroster", exported))
    assert changes_nothing(again), again
    assert snapshot(db) == before


def test_samples_say_what_they_need(db, tmp_path):
    """Unedited and without options, the samples fail on what guild needs,
    and say how to give it; a reference to the failed rows names them."""
    with_region(db, tmp_path)
    r = guild(db, "import", "oneroster", os.path.join(DATA, "roster-hub-en"))
    assert r.returncode == 1
    assert "orgs.csv: row 2, column parentSourcedId: a new institution needs its area, and parentSourcedId is empty" \
        in r.stderr
    for opt in ("--area CODE", "--area-map FILE", "--create-areas"):
        assert opt in r.stderr
    assert ("courses.csv: row 2, column orgSourcedId, value 'or0001': org or0001 is in orgs.csv row 2, which is "
            "invalid: parentSourcedId: a new institution needs its area") in r.stderr
    # a chain of invalid rows names the next one, not the whole chain
    assert ("classes.csv: row 2, column courseSourcedId, value 'co0001': course co0001 is in courses.csv row 2, "
            "which is invalid: orgSourcedId: org or0001 is in orgs.csv row 2, which is invalid (see there)") in r.stderr
    assert "no course has this sourcedId" not in r.stderr
    assert db.one("SELECT count(*) FROM institutions") == 0
    r = guild(db, "import", "oneroster", os.path.join(DATA, "roster-hub-en"), "--area", "654000")
    assert r.returncode == 1 and "among subjectCodes, or --isco CODE" in r.stderr


def test_area_options(db, tmp_path):
    """--area CODE places every new orphan; --area-map FILE per org (first);
    --create-areas makes an area under the region for a school (once) and
    puts an orphan district under the region; a district without a parent
    and without options is a region, as before."""
    rows = [ORG_HEADER, ["S1", "", "", "School one", "school", "S1", ""],
            ["S2", "", "", "School two", "school", "S2", ""],
            ["D1", "", "", "District one", "district", "700001", ""]]
    s = make_set(tmp_path, {"orgs.csv": rows})
    r = guild(db, "import", "oneroster", s, "--area", "654000")
    assert r.returncode == 1 and "--area names the area code '654000', which no area has" in r.stderr
    with_region(db, tmp_path)
    amap = os.path.join(str(tmp_path), "areas.csv")
    write_csv(amap, [["orgSourcedId", "areaCode"], ["S2", "650000"]])
    ok(guild(db, "import", "oneroster", s, "--area", "654000", "--area-map", amap))
    placed = dict(db.q("SELECT i.sourced_id, a.code FROM institutions i JOIN areas a ON a.id = i.area_id"))
    assert placed == {"S1": "654000", "S2": "650000"}
    assert db.q("SELECT a.level, p.code FROM areas a JOIN areas p ON p.id = a.parent_id WHERE a.sourced_id = 'D1'") \
        == [("county", "654000")]
    # a bad map file is a usage error naming it
    write_csv(amap, [["org", "where"], ["S2", "650000"]])
    r = guild(db, "import", "oneroster", s, "--area-map", amap)
    assert r.returncode == 2 and "--area-map" in r.stderr and "orgSourcedId and areaCode" in r.stderr


def test_create_areas(db, tmp_path):
    rows = [ORG_HEADER, ["S1", "", "", "School one", "school", "S1", ""],
            ["D1", "", "", "District one", "district", "700001", ""]]
    s = make_set(tmp_path, {"orgs.csv": rows})
    r = guild(db, "import", "oneroster", s, "--create-areas")
    assert r.returncode == 1 and "guild has no area yet: use --area CODE" in r.stderr
    with_region(db, tmp_path)
    out = ok(guild(db, "import", "oneroster", s, "--create-areas"))
    assert "1 areas created under the region for schools without a parent" in out
    area = db.q("SELECT a.code, a.name, a.level, p.code, a.sourced_id FROM institutions i JOIN areas a "
                "ON a.id = i.area_id JOIN areas p ON p.id = a.parent_id WHERE i.sourced_id = 'S1'")
    assert area == [("S1", "School one", "prefecture", "650000", "guild-area-for-S1")]
    assert db.q("SELECT a.level, p.code FROM areas a JOIN areas p ON p.id = a.parent_id WHERE a.sourced_id = 'D1'") \
        == [("prefecture", "650000")]
    n = db.one("SELECT count(*) FROM areas")
    assert changes_nothing(ok(guild(db, "import", "oneroster", s, "--create-areas")))
    assert db.one("SELECT count(*) FROM areas") == n
    # without options, a district without a parent is a region, as before
    s2 = make_set(tmp_path, {"orgs.csv": [ORG_HEADER, ["D2", "", "", "District two", "district", "700002", ""]]}, "s2")
    ok(guild(db, "import", "oneroster", s2))
    assert db.q("SELECT level, parent_id FROM areas WHERE sourced_id = 'D2'") == [("region", None)]


def test_org_types_guild_does_not_keep(db, tmp_path):
    """An ext: org (or any unknown type) is not written: a school below it
    goes into its parent's area, a role naming it gives no institution, a
    course naming it is an error that says so, and one nothing refers to is
    skipped with a warning; the rest of the set imports."""
    with_region(db, tmp_path)
    s = make_set(tmp_path, {
        "orgs.csv": [ORG_HEADER, ["CAMPUS", "", "", "North campus", "ext:campus", "", "ILI"],
                     ["SCH", "", "", "Campus school", "school", "SCH", "CAMPUS"],
                     ["LONE", "", "", "Alone", "ext:office", "", ""],
                     ["DEPT", "", "", "A department", "department", "", "SCH"]],
        "users.csv": [["sourcedId", "status", "dateLastModified", "enabledUser", "username", "givenName",
                       "familyName", "primaryOrgSourcedId"],
                      ["U1", "", "", "true", "u1", "Ali", "Kerim", "CAMPUS"]],
        "roles.csv": [["sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role", "orgSourcedId"],
                      ["R1", "", "", "U1", "primary", "student", "CAMPUS"]]})
    r = guild(db, "import", "oneroster", s)
    out = ok(r)
    assert "orgs.csv (bulk): 4 rows: 2 created, 0 updated, 0 unchanged, 2 skipped (not kept by guild), 1 warnings" \
        in out, out
    assert "orgs.csv: row 4, column type, value 'ext:office': warning: skipped" in r.stderr, r.stderr
    assert "CAMPUS" not in r.stderr
    assert dict(db.q("SELECT i.sourced_id, a.code FROM institutions i JOIN areas a ON a.id = i.area_id")) == \
        {"SCH": "654000", "DEPT": "654000"}
    assert db.q("SELECT institution_id FROM persons WHERE sourced_id = 'U1'") == [(None,)]
    s2 = make_set(tmp_path, {"courses.csv": [["sourcedId", "status", "dateLastModified", "title", "orgSourcedId",
                                              "subjectCodes"], ["C1", "", "", "Welding", "CAMPUS", "7212"]],
                             "orgs.csv": [ORG_HEADER, ["CAMPUS", "", "", "North campus", "ext:campus", "", "ILI"]]},
                  "s2")
    r = guild(db, "import", "oneroster", s2)
    assert r.returncode == 1 and "names an org of a type guild does not keep" in r.stderr


def test_reference_to_an_invalid_row(db, tmp_path):
    with_region(db, tmp_path)
    s = make_set(tmp_path, {
        "manifest.csv": [["propertyName", "value"], ["oneroster.version", "1.2"], ["file.orgs", "bulk"],
                         ["file.academicSessions", "bulk"], ["file.courses", "bulk"], ["file.classes", "bulk"]],
        "orgs.csv": [ORG_HEADER, ["SCH", "", "", "School", "school", "SCH", "ILI"]],
        "academicSessions.csv": [["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate",
                                  "parentSourcedId", "schoolYear"],
                                 ["T1", "", "", "Term", "term", "2026-09-01", "2026-01-01", "", "2026"]],
        "courses.csv": [["sourcedId", "status", "dateLastModified", "title", "orgSourcedId", "subjectCodes"],
                        ["c1", "", "", "Cooking", "SCH", ""]],
        "classes.csv": [["sourcedId", "status", "dateLastModified", "title", "courseSourcedId", "schoolSourcedId",
                         "termSourcedIds"], ["k1", "", "", "Cooking 1", "c1", "SCH", "T1"]]})
    r = guild(db, "import", "oneroster", s)
    assert r.returncode == 1
    assert "course c1 is in courses.csv row 2, which is invalid: subjectCodes: a new program needs" in r.stderr
    assert "no course has this sourcedId" not in r.stderr
    # the class's terms: checked once its course is fine
    r = guild(db, "import", "oneroster", s, "--isco", "5120")
    assert ("academic session T1 is in academicSessions.csv row 2, which is invalid: endDate: is before startDate"
            in r.stderr), r.stderr


def test_11_set_without_manifest(db, tmp_path):
    """1.1 did not require manifest.csv: the files there are read as bulk,
    from a directory or a .zip (in a folder of it)."""
    with_region(db, tmp_path)
    files = {"orgs.csv": [ORG_HEADER, ["SCH", "", "", "School", "school", "SCH", "ILI"]],
             "users.csv": [["sourcedId", "status", "dateLastModified", "orgSourcedIds", "role", "givenName",
                            "familyName"], ["U1", "active", "", "SCH", "student", "Ayla", "Osman"],
                           ["U2", "tobedeleted", "", "SCH", "student", "Gone", "Away"]]}
    s = make_set(tmp_path, files)
    out = ok(guild(db, "import", "oneroster", s))
    assert "OneRoster 1.1 (no manifest.csv: the files there read as bulk)" in out
    assert db.q("SELECT given_name FROM persons") == [("Ayla",)]
    z = zip_dir(s, os.path.join(str(tmp_path), "set.zip"), "export/")
    out = ok(guild(db, "import", "oneroster", z))
    assert "no manifest.csv" in out and changes_nothing(out)
    # a folder with none of the files is still refused
    empty = os.path.join(str(tmp_path), "empty")
    os.makedirs(empty)
    r = guild(db, "import", "oneroster", empty)
    assert r.returncode == 1 and "there is no manifest.csv, nor any of orgs.csv" in r.stderr


def test_header_repeated_in_a_file(db, tmp_path):
    with_region(db, tmp_path)
    s = make_set(tmp_path, {"orgs.csv": [ORG_HEADER, ["SCH", "", "", "School", "school", "SCH", "ILI"], ORG_HEADER,
                                         ["SCH2", "", "", "Other", "school", "SCH2", "ILI"]]})
    r = guild(db, "import", "oneroster", s)
    assert r.returncode == 1
    assert "orgs.csv: row 3: repeats the header (row 1)" in r.stderr
    assert "name" not in [x[0] for x in db.q("SELECT name FROM institutions")]


def test_japan_profile_cells(db, tmp_path):
    """The Japan Profile sample keeps its JSON cell and metadata columns out
    of guild, and its tobedeleted district (in a file without a manifest)
    deletes nothing guild has."""
    with_region(db, tmp_path)
    ok(guild(db, "import", "oneroster", os.path.join(DATA, "rosterhub-japan"), "--area", "654000"))
    assert sorted(db.q("SELECT sourced_id, given_name, family_name, email FROM persons")) == [
        ("csv-export-001", "太郎", "山田", "yamada.taro.export@example.jp"),
        ("user-e2e-001", "太郎", "山田", "yamada.taro@example.jp"),
        ("user-e2e-002", "花子", "佐藤", "sato.hanako@example.jp")]
    assert db.q("SELECT name FROM institutions WHERE sourced_id = 'org-e2e-001'") == [("東京都立高校",)]
    assert db.q("SELECT count(*) FROM areas WHERE sourced_id = 'org-e2e-003'") == [(0,)]


def test_encodings(db, tmp_path):
    """A UTF-16 file of a set is named with the command that converts it, a
    Windows-1252 one too; --encoding reads a whole set written so."""
    from test_cli_oneroster import BULK
    s = os.path.join(str(tmp_path), "set")
    shutil.copytree(BULK, s)
    users = os.path.join(s, "users.csv")
    with open(users, encoding="utf-8") as f:
        text = f.read()
    with open(users, "wb") as f:
        f.write(text.encode("utf-16"))
    r = guild(db, "import", "oneroster", s)
    assert r.returncode == 1 and "NUL" not in r.stderr
    assert ("users.csv: row 1: the file is UTF-16 (little-endian, with a byte-order mark), not UTF-8: convert it "
            "(iconv -f UTF-16 -t UTF-8 FILE > FILE-utf8.csv) or import it with --encoding UTF-16") in r.stderr, r.stderr
    for name in os.listdir(s):   # the whole set in UTF-16: read with --encoding
        p = os.path.join(s, name)
        if name != "users.csv":
            with open(p, encoding="utf-8") as f:
                t = f.read()
            with open(p, "wb") as f:
                f.write(t.encode("utf-16"))
    out = ok(guild(db, "import", "oneroster", s, "--encoding", "UTF-16"))
    assert "users.csv (bulk)" in out and db.one("SELECT count(*) FROM persons") > 0
    latin = make_set(tmp_path, {}, "latin")
    with open(os.path.join(latin, "orgs.csv"), "wb") as f:
        f.write(("\r\n".join(",".join(x) for x in [ORG_HEADER, ["S", "", "", "École", "school", "S", "ORG-ILI"]])
                 + "\r\n").encode("cp1252"))   # ORG-ILI: of the bulk set, imported above
    r = guild(db, "import", "oneroster", latin)
    assert r.returncode == 1 and "not valid UTF-8: the file looks like WINDOWS-1252" in r.stderr, r.stderr
    ok(guild(db, "import", "oneroster", latin, "--encoding", "WINDOWS-1252"))
    assert db.q("SELECT name FROM institutions WHERE sourced_id = 'S'") == [("École",)]
