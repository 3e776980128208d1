"""`guild import oneroster` and `guild export oneroster`: the OneRoster 1.2
sample set (tests/data/oneroster/bulk) from a directory and from a .zip, the
mapping onto areas, institutions, programs, cohorts, persons and enrollments
(read back from the database), a delta set (tests/data/oneroster/delta) with
tobedeleted rows, a 1.1 set (role and orgSourcedIds in users.csv) built as a
.zip here, header errors naming the file and column, files the manifest
marks absent, unknown columns, bad rows (each reported with file, row,
column, value and reason, and nothing written), --skip-invalid,
idempotence, the round trip import -> export -> import (table contents
compared), and one audit entry per import.

Runs on SQLite, and on PostgreSQL when GUILD_TEST_PG names a server (as
scripts/test.sh's api-pg group does): each test gets a database of its own
made with `guild init`."""
import csv
import hashlib
import io
import os
import pty
import shutil
import subprocess
import sys
import zipfile

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from conftest import ADMIN_PASSWORD, GUILD, db_query, new_database, run_on_tty  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster")
BULK = os.path.join(DATA, "bulk")
DELTA = os.path.join(DATA, "delta")


class Db:
    """A fresh guild database (db_query takes anything with .db)."""

    def __init__(self, tmpdir, name):
        self.db = new_database(tmpdir, name)
        subprocess.run([GUILD, "init", "--db", self.db, "--password-stdin"], input=ADMIN_PASSWORD + "\n",
                       check=True, capture_output=True, text=True, timeout=60)

    def q(self, sql, params=()):
        return db_query(self, sql, params)

    def one(self, sql, params=()):
        return self.q(sql, params)[0][0]


@pytest.fixture
def db(tmp_path):
    return Db(str(tmp_path), "a.db")


@pytest.fixture
def db2(tmp_path):
    return Db(str(tmp_path), "b.db")


def guild(d, *args):
    return subprocess.run([GUILD, *args, "--db", d.db], capture_output=True, text=True, timeout=600)


def ok(r):
    assert r.returncode == 0, r.stderr
    assert "runtime error" not in r.stderr and "Sanitizer" not in r.stderr, r.stderr
    return r.stdout


def copy_set(tmp_path, src=BULK, name="set"):
    dst = os.path.join(str(tmp_path), name)
    shutil.copytree(src, dst)
    return dst


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def edit(path, fn):
    """Rewrites the CSV file at path with fn(rows)."""
    rows = read_csv(path)
    write_csv(path, fn(rows))


def zip_dir(src, path, folder=""):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(os.listdir(src)):
            z.write(os.path.join(src, name), folder + name)
    return path


COUNTED = ["areas", "institutions", "programs", "academic_sessions", "cohorts", "persons", "enrollments"]


def counts(d):
    return {t: d.one(f"SELECT count(*) FROM {t}") for t in COUNTED}


def audit_count(d):
    return d.one("SELECT count(*) FROM audit_log")


def snapshot(d):
    """Every table the import writes, keyed by sourcedIds (references too),
    without ids and times: two databases with the same snapshot hold the
    same registry."""
    s = {}
    s["areas"] = d.q("SELECT a.sourced_id, a.code, a.name, a.level, p.sourced_id, a.version FROM areas a "
                     "LEFT JOIN areas p ON p.id = a.parent_id")
    s["institutions"] = d.q("SELECT i.sourced_id, i.code, i.name, i.kind, a.sourced_id, i.address, i.phone, i.email, "
                            "i.version FROM institutions i JOIN areas a ON a.id = i.area_id")
    s["programs"] = d.q("SELECT p.sourced_id, i.sourced_id, p.title, p.isco_code, p.hours, p.level, p.capacity, "
                        "p.version FROM programs p JOIN institutions i ON i.id = p.institution_id")
    s["academic_sessions"] = d.q("SELECT sourced_id, title, type, start_date, end_date, parent_sourced_id, "
                                 "school_year FROM academic_sessions")
    s["cohorts"] = d.q("SELECT c.sourced_id, p.sourced_id, c.name, c.start_date, c.end_date, c.capacity, c.version "
                       "FROM cohorts c JOIN programs p ON p.id = c.program_id")
    s["trainers"] = d.q("SELECT c.sourced_id, t.pos, p.sourced_id FROM cohorts_trainers t "
                        "JOIN cohorts c ON c.id = t.owner_id JOIN persons p ON p.id = t.value")
    s["terms"] = d.q("SELECT c.sourced_id, l.pos, s.sourced_id FROM cohorts_academic_sessions l "
                     "JOIN cohorts c ON c.id = l.owner_id JOIN academic_sessions s ON s.id = l.value")
    s["persons"] = d.q("SELECT p.sourced_id, p.given_name, p.family_name, p.sex, p.birth_date, p.phone, p.email, "
                       "i.sourced_id, p.version FROM persons p LEFT JOIN institutions i ON i.id = p.institution_id")
    s["enrollments"] = d.q("SELECT e.sourced_id, p.sourced_id, c.sourced_id, e.status, e.consent_by, "
                           "e.withdrawal_reason, e.version FROM enrollments e JOIN persons p ON p.id = e.person_id "
                           "JOIN cohorts c ON c.id = e.cohort_id")
    return {k: sorted(v, key=repr) for k, v in s.items()}


def versions(d):
    return {t: d.q(f"SELECT sourced_id, version, updated_at FROM {t} ORDER BY id")
            for t in ["areas", "institutions", "programs", "cohorts", "persons", "enrollments"]}


# ---------------------------------------------------------------------------


def test_bulk_directory_maps_onto_the_registry(db):
    before = audit_count(db)
    out = ok(guild(db, "import", "oneroster", BULK))
    assert "OneRoster 1.2" in out
    assert "orgs.csv (bulk): 6 rows: 6 created, 0 updated, 0 unchanged" in out
    assert "users.csv (bulk): 8 rows: 6 created, 0 updated, 0 unchanged, 2 skipped (not kept by guild)" in out
    assert "enrollments.csv (bulk): 9 rows: 8 created" in out and "1 skipped" in out
    # orgs: national/state/local/district -> areas by depth; school, department -> institutions
    areas = {r[0]: r[1:] for r in db.q("SELECT a.sourced_id, a.code, a.level, p.sourced_id FROM areas a "
                                       "LEFT JOIN areas p ON p.id = a.parent_id")}
    assert areas == {"ORG-XJ": ("650000", "region", None), "ORG-ILI": ("654000", "prefecture", "ORG-XJ"),
                     "ORG-YN": ("654021", "county", "ORG-ILI")}
    inst = {r[0]: r[1:] for r in db.q("SELECT i.sourced_id, i.code, i.name, i.kind, a.sourced_id FROM institutions i "
                                      "JOIN areas a ON a.id = i.area_id")}
    assert inst == {"SCH-1": ("YVC", "Yining Vocational College", "vocational_college", "ORG-YN"),
                    "SCH-2": ("ITC", "Ili Training Centre", "vocational_college", "ORG-YN"),
                    "DEP-1": (None, "Culinary Department", "vocational_college", "ORG-YN")}
    # courses -> programs: ISCO-08 from subjectCodes (the first code that is one)
    progs = {r[0]: r[1:] for r in db.q("SELECT p.sourced_id, i.sourced_id, p.title, p.isco_code FROM programs p "
                                       "JOIN institutions i ON i.id = p.institution_id")}
    assert progs == {"C-PASTRY": ("SCH-1", "Modern pastry-making", "7512"),
                     "C-WELD": ("SCH-2", "Welding and fabrication", "7212"),
                     "C-COOK": ("DEP-1", "Chinese cooking", "5120")}
    # classes -> cohorts dated by their terms; places for the students enrolled
    cohorts = {r[0]: r[1:] for r in db.q("SELECT c.sourced_id, p.sourced_id, c.name, c.start_date, c.end_date, "
                                         "c.capacity FROM cohorts c JOIN programs p ON p.id = c.program_id")}
    assert cohorts["CL-PASTRY-S"] == ("C-PASTRY", "Pastry 2026 spring", "2026-03-01", "2026-07-15", 2)
    assert cohorts["CL-PASTRY-Y"][2:] == ("2026-03-01", "2027-01-15", 1)
    assert cohorts["CL-WELD-A"][2:4] == ("2026-09-01", "2027-01-15")
    terms = db.q("SELECT s.sourced_id FROM cohorts_academic_sessions l JOIN cohorts c ON c.id = l.owner_id "
                 "JOIN academic_sessions s ON s.id = l.value WHERE c.sourced_id = 'CL-PASTRY-Y' ORDER BY l.pos")
    assert [t[0] for t in terms] == ["T-2026S", "T-2026A"]
    # users with roles student, teacher, aide -> persons; a parent and an administrator are not kept
    persons = {r[0]: r[1:] for r in db.q("SELECT p.sourced_id, p.given_name, p.family_name, p.phone, p.email, "
                                         "i.sourced_id FROM persons p LEFT JOIN institutions i "
                                         "ON i.id = p.institution_id")}
    assert set(persons) == {"U-S1", "U-S2", "U-S3", "U-S4", "U-T1", "U-A1"}
    assert persons["U-S2"] == ("小明", "王", "+86 999 555 0102", None, "SCH-1")   # sms stands in for phone
    assert persons["U-S3"][:2] == ("Ayşe", "O'Neil, Jr.")
    assert persons["U-S4"] == ("مۇھەممەت", None, None, None, "DEP-1")
    assert persons["U-A1"][-1] == "SCH-2"
    # student enrollments -> enrollments with consent recorded as the importer's act
    enr = db.q("SELECT e.sourced_id, p.sourced_id, c.sourced_id, e.status, e.consent_by FROM enrollments e "
               "JOIN persons p ON p.id = e.person_id JOIN cohorts c ON c.id = e.cohort_id ORDER BY e.sourced_id")
    assert [r[:4] for r in enr] == [("E1", "U-S1", "CL-PASTRY-S", "enrolled"), ("E2", "U-S2", "CL-PASTRY-S", "enrolled"),
                                    ("E3", "U-S1", "CL-PASTRY-Y", "enrolled"), ("E4", "U-S3", "CL-WELD-A", "enrolled"),
                                    ("E5", "U-S4", "CL-COOK", "enrolled")]
    assert all(r[4].startswith("cli:") for r in enr)
    # teacher and aide enrollments -> the cohort's trainers, in file order
    trainers = db.q("SELECT c.sourced_id, p.sourced_id FROM cohorts_trainers t JOIN cohorts c ON c.id = t.owner_id "
                    "JOIN persons p ON p.id = t.value ORDER BY c.sourced_id, t.pos")
    assert trainers == [("CL-PASTRY-S", "U-T1"), ("CL-WELD-A", "U-T1"), ("CL-WELD-A", "U-A1")]
    # one audit entry: entity oneroster, the records written, a digest
    assert audit_count(db) == before + 1
    action, entity, n, digest = db.q("SELECT action, entity, entity_id, digest FROM audit_log ORDER BY id DESC")[0]
    assert (action, entity, n) == ("import", "oneroster", 6 + 3 + 3 + 4 + 6 + 8) and len(digest) == 64
    assert "intact" in ok(guild(db, "audit", "verify"))


def test_zip_in_a_folder_gives_what_the_directory_gives(db, db2, tmp_path):
    ok(guild(db, "import", "oneroster", BULK))
    path = zip_dir(BULK, os.path.join(str(tmp_path), "roster.zip"), folder="roster/")
    out = ok(guild(db2, "import", "oneroster", path))
    assert "orgs.csv (bulk): 6 rows: 6 created" in out
    assert snapshot(db2) == snapshot(db)
    with open(path, "rb") as f:
        assert db2.one("SELECT digest FROM audit_log ORDER BY id DESC") == hashlib.sha256(f.read()).hexdigest()


def test_a_second_import_changes_nothing(db):
    ok(guild(db, "import", "oneroster", BULK))
    before, n = versions(db), audit_count(db)
    out = ok(guild(db, "import", "oneroster", BULK))
    for name in ["orgs", "academicSessions", "courses", "classes", "users", "enrollments"]:
        assert f"{name}.csv (bulk)" in out and ": 0 created, 0 updated," in out.split(f"{name}.csv")[1].split("\n")[0]
    assert versions(db) == before
    assert audit_count(db) == n + 1   # the import itself is still recorded


def test_delta_updates_adds_and_tobedeleted(db):
    ok(guild(db, "import", "oneroster", BULK))
    out = ok(guild(db, "import", "oneroster", DELTA))
    assert "orgs.csv (delta): 2 rows: 1 created, 0 updated, 0 unchanged, 1 kept (still in use)" in out
    assert "enrollments.csv (delta): 5 rows: 3 created, 0 updated, 0 unchanged, 2 withdrawn or removed" in out
    # a new school under an area only guild knows (not in this delta)
    assert db.q("SELECT a.sourced_id FROM institutions i JOIN areas a ON a.id = i.area_id "
                "WHERE i.sourced_id = 'SCH-3'") == [("ORG-YN",)]
    # a department still teaching a program is kept; a class with an enrollment too
    assert db.one("SELECT count(*) FROM institutions WHERE sourced_id = 'DEP-1'") == 1
    assert db.one("SELECT count(*) FROM cohorts WHERE sourced_id = 'CL-COOK'") == 1
    # a term's new end date moves its cohorts
    assert dict(db.q("SELECT sourced_id, end_date FROM cohorts WHERE sourced_id IN ('CL-WELD-A', 'CL-PASTRY-Y')")) == \
        {"CL-WELD-A": "2027-01-20", "CL-PASTRY-Y": "2027-01-20"}
    # a new class names a term only guild knows
    assert db.q("SELECT start_date, end_date FROM cohorts WHERE sourced_id = 'CL-WELD-S'") == \
        [("2026-03-01", "2026-07-15")]
    # users: updated, added (its role in the same delta), a guardian skipped, a role moving a person
    p = dict(db.q("SELECT sourced_id, email FROM persons"))
    assert p["U-S2"] == "xiaoming@example.cn" and "U-S5" in p and "U-P2" not in p
    assert db.q("SELECT i.sourced_id FROM persons p JOIN institutions i ON i.id = p.institution_id "
                "WHERE p.sourced_id = 'U-S3'") == [("SCH-1",)]
    # tobedeleted enrollment: the student withdrawn (history kept); a teacher leaves the trainers
    assert dict(db.q("SELECT sourced_id, status FROM enrollments WHERE sourced_id IN ('E2', 'E10', 'E11')")) == \
        {"E2": "withdrawn", "E10": "enrolled", "E11": "enrolled"}
    assert db.q("SELECT t.value FROM cohorts_trainers t JOIN cohorts c ON c.id = t.owner_id "
                "WHERE c.sourced_id = 'CL-PASTRY-S'") == []
    # the full cohort grew to hold the roster's new student
    assert db.one("SELECT capacity FROM cohorts WHERE sourced_id = 'CL-PASTRY-S'") == 3
    before = versions(db)
    out = ok(guild(db, "import", "oneroster", DELTA))
    assert versions(db) == before, out


def test_delta_needs_status_and_a_time(db, tmp_path):
    ok(guild(db, "import", "oneroster", BULK))
    path = copy_set(tmp_path, DELTA)
    edit(os.path.join(path, "users.csv"), lambda rows: rows[:1] + [rows[1][:2] + ["yesterday"] + rows[1][3:]] +
         [rows[2][:1] + [""] + rows[2][2:]] + rows[3:])
    r = guild(db, "import", "oneroster", path)
    assert r.returncode == 1
    assert "users.csv: row 2, column dateLastModified, value 'yesterday': is not a date and time in a delta file" \
        in r.stderr, r.stderr
    assert "users.csv: row 3, column status: is required in a delta file" in r.stderr
    edit(os.path.join(path, "users.csv"), lambda rows: [[c for i, c in enumerate(row) if i != 2] for row in rows])
    r = guild(db, "import", "oneroster", path)
    assert r.returncode == 1
    assert "users.csv: row 1, column dateLastModified: users.csv has no dateLastModified column: it is required " \
           "in a delta file" in r.stderr, r.stderr


def test_tobedeleted_belongs_in_a_delta(db, tmp_path):
    path = copy_set(tmp_path)
    edit(os.path.join(path, "courses.csv"), lambda rows: rows[:3] + [rows[3][:1] + ["tobedeleted"] + rows[3][2:]])
    r = guild(db, "import", "oneroster", path)
    assert r.returncode == 1 and "courses.csv: row 4, column status, value 'tobedeleted': tobedeleted belongs in a " \
                                 "delta file" in r.stderr, r.stderr


def v11_zip(tmp_path, users_header=None):
    """A OneRoster 1.1 set: role and orgSourcedIds are columns of users.csv,
    there is no roles.csv."""
    files = {
        "manifest.csv": "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.orgs,bulk\n"
                        "file.academicSessions,bulk\nfile.courses,bulk\nfile.classes,bulk\nfile.users,bulk\n"
                        "file.enrollments,bulk\nfile.demographics,absent\n",
        "orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
                    "V-D,,,Karamay District,district,650200,\nV-S,,,Karamay Technical School,school,KTS,V-D\n",
        "academicSessions.csv": "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,"
                                "schoolYear\nV-T,,,Autumn 2026,term,2026-09-01,2027-01-10,,2027\n",
        "courses.csv": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,"
                       "subjects,subjectCodes\nV-C,,,,Electrical installation,,,V-S,,7411\n",
        "classes.csv": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,"
                       "schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n"
                       "V-K,,,Electricians autumn,,V-C,,scheduled,,V-S,V-T,,,\n",
        "users.csv": (users_header or "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,"
                      "userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,"
                      "password") + "\n"
                     "V-U1,,,true,\"V-S,V-D\",student,u1,,Erkin,Tohti,,,erkin@example.org,,,V-U3,12,pw\n"
                     "V-U2,,,true,V-S,teacher,u2,,Mahire,Ismail,,,,,+86 990 1,,,pw\n"
                     "V-U3,,,true,V-S,parent,u3,,Tohti,Niyaz,,,,,,,,pw\n",
        "enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,"
                           "primary,beginDate,endDate\nV-E1,,,V-K,V-S,V-U1,student,false,,\n"
                           "V-E2,,,V-K,V-S,V-U2,teacher,true,,\n",
    }
    path = os.path.join(str(tmp_path), "v11.zip")
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def test_oneroster_1_1_users_carry_role_and_orgs(db, tmp_path):
    out = ok(guild(db, "import", "oneroster", v11_zip(tmp_path)))
    assert "OneRoster 1.1" in out and "users.csv (bulk): 3 rows: 2 created, 0 updated, 0 unchanged, 1 skipped" in out
    persons = dict(db.q("SELECT p.sourced_id, i.sourced_id FROM persons p LEFT JOIN institutions i "
                        "ON i.id = p.institution_id"))
    assert persons == {"V-U1": "V-S", "V-U2": "V-S"}   # the parent is not kept
    assert db.q("SELECT p.sourced_id, e.status FROM enrollments e JOIN persons p ON p.id = e.person_id") == \
        [("V-U1", "enrolled")]
    assert db.q("SELECT p.sourced_id FROM cohorts_trainers t JOIN persons p ON p.id = t.value") == [("V-U2",)]
    assert db.one("SELECT level FROM areas WHERE sourced_id = 'V-D'") == "region"   # a root org: the region


def test_1_1_users_without_role_column_name_it(db, tmp_path):
    header = "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,username,userIds,givenName,familyName," \
             "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,extra"
    r = guild(db, "import", "oneroster", v11_zip(tmp_path, users_header=header))
    assert r.returncode == 1
    assert "users.csv: row 1, column role: users.csv has no role column: it is required" in r.stderr, r.stderr
    assert counts(db)["areas"] == 0


def test_missing_required_column_names_file_and_column(db, tmp_path):
    path = copy_set(tmp_path)
    edit(os.path.join(path, "classes.csv"), lambda rows: [row[:3] + row[4:] for row in rows])   # no title
    edit(os.path.join(path, "roles.csv"), lambda rows: [row[:8] + row[9:] for row in rows])     # no orgSourcedId
    before, n = counts(db), audit_count(db)
    r = guild(db, "import", "oneroster", path, "--errors", os.path.join(str(tmp_path), "err.csv"))
    assert r.returncode == 1
    assert "classes.csv: row 1, column title: classes.csv has no title column: it is required" in r.stderr
    assert "roles.csv: row 1, column orgSourcedId: roles.csv has no orgSourcedId column: it is required" in r.stderr
    assert "nothing was imported" in r.stderr
    assert counts(db) == before and audit_count(db) == n
    rows = read_csv(os.path.join(str(tmp_path), "err.csv"))
    assert rows[0] == ["file", "row", "column", "value", "reason"]
    assert ["classes.csv", "1", "title", "", "classes.csv has no title column: it is required"] in rows


def test_files_marked_absent_are_not_required_or_read(db, tmp_path):
    path = copy_set(tmp_path)
    for name in ["classes", "enrollments"]:
        edit(os.path.join(path, "manifest.csv"),
             lambda rows: [[k, "absent" if k == f"file.{name}" else v] for k, v in rows])
    os.remove(os.path.join(path, "enrollments.csv"))
    with open(os.path.join(path, "classes.csv"), "w") as f:
        f.write("this is not,read\n\"at all")   # absent: never opened
    out = ok(guild(db, "import", "oneroster", path))
    assert "classes.csv" not in out and "enrollments.csv" not in out
    c = counts(db)
    assert (c["persons"], c["cohorts"], c["enrollments"]) == (6, 0, 0)
    # a file the manifest lists but the set lacks is an error of the manifest
    edit(os.path.join(path, "manifest.csv"),
         lambda rows: [[k, "bulk" if k == "file.enrollments" else v] for k, v in rows])
    r = guild(db, "import", "oneroster", path)
    assert r.returncode == 1
    assert "manifest.csv: row 11, column value, value 'bulk': the manifest lists enrollments.csv, but there is no " \
           "such file" in r.stderr, r.stderr


def test_unknown_columns_are_ignored(db, tmp_path):
    path = copy_set(tmp_path)
    edit(os.path.join(path, "users.csv"),
         lambda rows: [row + (["metadata.jp.homeClass", "Notes"] if i == 0 else ["3-A", "anything at all"])
                       for i, row in enumerate(rows)])
    edit(os.path.join(path, "orgs.csv"), lambda rows: [["x-extra"] + row for row in rows])
    ok(guild(db, "import", "oneroster", path))
    assert counts(db)["persons"] == 6 and counts(db)["areas"] == 3


def bad_set(tmp_path):
    path = copy_set(tmp_path)
    edit(os.path.join(path, "academicSessions.csv"),
         lambda rows: rows[:2] + [rows[2][:5] + ["2026-02-30"] + rows[2][6:]] + rows[3:])        # row 3
    edit(os.path.join(path, "courses.csv"),
         lambda rows: rows[:3] + [rows[3][:7] + ["NOPE"] + rows[3][8:]])                          # row 4
    edit(os.path.join(path, "users.csv"), lambda rows: rows + [rows[1][:]])                      # row 10: U-S1 again
    with open(os.path.join(path, "users.csv"), "ab") as f:                                        # row 11
        f.write(b"U-BAD,,,true,bad,,Bad\xff\xfename,X,,,,,,,,,,,,,,SCH-1,\n")
    with open(os.path.join(path, "roles.csv"), "a") as f:
        f.write("R-BAD,,,U-BAD,primary,student,,,SCH-1,\n")
    return path


BAD_ERRORS = [
    ["academicSessions.csv", "3", "startDate", "2026-02-30", "is not a date (YYYY-MM-DD)"],
    ["courses.csv", "4", "orgSourcedId", "NOPE", "no org has this sourcedId, neither in orgs.csv nor in guild"],
    ["users.csv", "10", "sourcedId", "U-S1", "the same sourcedId is already on row 2"],
    ["users.csv", "11", "givenName", "Bad\\xff\\xfename",
     "not valid UTF-8: the file looks like WINDOWS-1252; convert it (iconv -f WINDOWS-1252 -t UTF-8 FILE > "
     "FILE-utf8.csv) or import it with --encoding WINDOWS-1252"],
]


def test_bad_rows_are_reported_and_nothing_is_written(db, tmp_path):
    path = bad_set(tmp_path)
    err = os.path.join(str(tmp_path), "errors.csv")
    before, n = counts(db), audit_count(db)
    r = guild(db, "import", "oneroster", path, "--errors", err)
    assert r.returncode == 1
    rows = read_csv(err)
    for want in BAD_ERRORS:
        assert want in rows, rows
        assert f"{want[0]}: row {want[1]}, column {want[2]}, value '{want[3]}': {want[4]}" in r.stderr, r.stderr
    # what refers to a bad row fails too, and says so
    assert ["classes.csv", "5", "courseSourcedId", "C-COOK",
            "course C-COOK is in courses.csv row 4, which is invalid: orgSourcedId: no org has this sourcedId, "
            "neither in orgs.csv nor in guild"] in rows, rows
    assert ["enrollments.csv", "2", "classSourcedId", "CL-PASTRY-S",
            "class CL-PASTRY-S is in classes.csv row 2, which is invalid: termSourcedIds: academic session T-2026S "
            "is in academicSessions.csv row 3, which is invalid (see there)"] in rows, rows
    assert "rows are invalid; nothing was imported" in r.stderr
    assert counts(db) == before and audit_count(db) == n


def test_skip_invalid_imports_the_valid_rows(db, tmp_path):
    path = bad_set(tmp_path)
    r = guild(db, "import", "oneroster", path, "--skip-invalid")
    out = ok(r)
    for want in BAD_ERRORS:
        assert f"{want[0]}: row {want[1]}, column {want[2]}" in r.stderr
    assert "courses.csv (bulk): 3 rows: 2 created, 0 updated, 0 unchanged, 1 invalid (skipped)" in out
    got = {t[0] for t in db.q("SELECT sourced_id FROM academic_sessions")}
    assert got == {"AY-2026", "T-2026A"}
    assert db.one("SELECT count(*) FROM programs WHERE sourced_id = 'C-COOK'") == 0
    assert db.one("SELECT count(*) FROM persons WHERE sourced_id IN ('U-S1', 'U-BAD')") == 1
    assert db.q("SELECT given_name FROM persons WHERE sourced_id = 'U-S1'") == [("Gulnar",)]   # the first row's
    assert db.one("SELECT count(*) FROM audit_log WHERE entity = 'oneroster'") == 1


def test_round_trip_gives_the_same_database(db, db2, tmp_path):
    ok(guild(db, "import", "oneroster", BULK))
    ok(guild(db, "import", "oneroster", DELTA))
    zpath, dpath = os.path.join(str(tmp_path), "out.zip"), os.path.join(str(tmp_path), "out")
    out = ok(guild(db, "export", "oneroster", zpath))
    assert "OneRoster 1.2 (bulk)" in out and "7 users.csv" in out
    ok(guild(db, "export", "oneroster", dpath))
    with zipfile.ZipFile(zpath) as z:
        assert sorted(z.namelist()) == sorted(os.listdir(dpath))
        for name in z.namelist():
            assert read_csv(os.path.join(dpath, name))[0] == next(csv.reader(io.TextIOWrapper(z.open(name), "utf-8")))
    manifest = dict(read_csv(os.path.join(dpath, "manifest.csv"))[1:])
    assert manifest["oneroster.version"] == "1.2" and manifest["file.users"] == "bulk"
    assert manifest["file.demographics"] == "absent"
    # an ended enrollment (E2, withdrawn) is not on a roster any more: the
    # fresh database cannot hold it; everything else is the same
    ok(guild(db2, "import", "oneroster", zpath))
    a, b = snapshot(db), snapshot(db2)
    a["enrollments"] = [e for e in a["enrollments"] if e[0] != "E2"]
    b_persons = {p[0] for p in b["persons"]}
    assert b_persons == {p[0] for p in a["persons"]}
    for k in a:
        if k in ("persons", "enrollments", "cohorts"):
            continue
        assert a[k] == b[k], k
    strip = lambda rows: sorted(r[:-1] for r in rows)   # noqa: E731 (versions: the history differs)
    assert strip(a["persons"]) == strip(b["persons"])
    assert strip(a["enrollments"]) == strip(b["enrollments"])
    assert strip(a["cohorts"]) == strip(b["cohorts"])
    # and the export read back into the database it came from changes nothing
    before = versions(db)
    ok(guild(db, "import", "oneroster", dpath))
    assert versions(db) == before


def test_round_trip_of_the_bulk_set_is_exact(db, db2, tmp_path):
    ok(guild(db, "import", "oneroster", BULK))
    dpath = os.path.join(str(tmp_path), "out")
    ok(guild(db, "export", "oneroster", dpath))
    ok(guild(db2, "import", "oneroster", dpath))
    assert snapshot(db2) == snapshot(db)
    # and once more: export of the copy, into a third form, the same files
    dpath2 = os.path.join(str(tmp_path), "out2")
    ok(guild(db2, "export", "oneroster", dpath2))
    for name in sorted(os.listdir(dpath)):
        strip = lambda rows: [r[:2] + r[3:] for r in rows]   # noqa: E731 (dateLastModified: when written)
        assert strip(read_csv(os.path.join(dpath, name))) == strip(read_csv(os.path.join(dpath2, name))), name


def test_usage_errors(db, tmp_path):
    assert guild(db, "export").returncode == 2
    assert guild(db, "export", "nonsense", "x").returncode == 2
    assert guild(db, "import", "oneroster").returncode == 2
    r = guild(db, "import", "oneroster", BULK, "--isco", "12")
    assert r.returncode == 2 and "--isco" in r.stderr
    r = guild(db, "import", "oneroster", os.path.join(str(tmp_path), "missing"))
    assert r.returncode == 1 and "cannot open" in r.stderr
    notzip = os.path.join(str(tmp_path), "x.zip")
    with open(notzip, "w") as f:
        f.write("not a zip")
    r = guild(db, "import", "oneroster", notzip)
    assert r.returncode == 1 and "x.zip" in r.stderr


def test_isco_option_for_courses_without_one(db, tmp_path):
    path = copy_set(tmp_path)
    edit(os.path.join(path, "courses.csv"), lambda rows: [row[:9] + ([row[9]] if i == 0 else ["ART"])
                                                          for i, row in enumerate(rows)])
    r = guild(db, "import", "oneroster", path)
    assert r.returncode == 1 and "courses.csv: row 2, column subjectCodes, value 'ART': a new program needs the " \
                                 "ISCO-08 unit group" in r.stderr, r.stderr
    ok(guild(db, "import", "oneroster", path, "--isco", "7512"))
    assert {r[0] for r in db.q("SELECT isco_code FROM programs")} == {"7512"}


def test_progress_on_a_terminal(db):
    rc, tty = run_on_tty([GUILD, "import", "oneroster", BULK, "--db", db.db])
    assert rc == 0
    assert "users.csv: 8/8 rows (100%)" in tty and "enrollments.csv: 9/9 rows (100%)" in tty, tty
    rc, tty = run_on_tty([GUILD, "import", "oneroster", BULK, "--quiet", "--db", db.db])
    assert rc == 0 and "rows" not in tty, tty


def big_set(tmp_path, n):
    """A set of one school, one class and n students."""
    path = os.path.join(str(tmp_path), "big")
    os.makedirs(path)
    shutil.copy(os.path.join(BULK, "manifest.csv"), path)
    files = {
        "orgs.csv": [["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"],
                     ["B-D", "", "", "Big District", "district", "B-D", ""],
                     ["B-S", "", "", "Big School", "school", "B-S", "B-D"]],
        "academicSessions.csv": [["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate",
                                  "parentSourcedId", "schoolYear"],
                                 ["B-T", "", "", "Term", "term", "2026-03-01", "2026-07-01", "", "2026"]],
        "courses.csv": [["sourcedId", "status", "dateLastModified", "title", "orgSourcedId", "subjectCodes"],
                        ["B-C", "", "", "Bricklaying", "B-S", "7112"]],
        "classes.csv": [["sourcedId", "status", "dateLastModified", "title", "courseSourcedId", "schoolSourcedId",
                         "termSourcedIds"], ["B-K", "", "", "Bricklayers", "B-C", "B-S", "B-T"]],
        "users.csv": [["sourcedId", "status", "dateLastModified", "givenName", "familyName"]] +
                     [[f"B-U{i}", "", "", f"Learner{i}", "Big"] for i in range(n)],
        "roles.csv": [["userSourcedId", "roleType", "role", "orgSourcedId"]] +
                     [[f"B-U{i}", "primary", "student", "B-S"] for i in range(n)],
        "enrollments.csv": [["sourcedId", "classSourcedId", "userSourcedId", "role"]] +
                           [[f"B-E{i}", "B-K", f"B-U{i}", "student"] for i in range(n)],
    }
    for name, rows in files.items():
        write_csv(os.path.join(path, name), rows)
    return path


def test_killed_import_leaves_the_database_as_it_was(db, tmp_path):
    ok(guild(db, "import", "oneroster", BULK))
    path = big_set(tmp_path, 4000)
    before, n = snapshot(db), audit_count(db)
    master, slave = pty.openpty()
    proc = subprocess.Popen([GUILD, "import", "oneroster", path, "--db", db.db], stdout=subprocess.DEVNULL,
                            stderr=slave)
    os.close(slave)
    seen = b""
    try:
        while b"users.csv: 1000 rows" not in seen:   # the first users, enrollments still to come: not committed
            chunk = os.read(master, 4096)
            assert chunk, seen
            seen += chunk
        proc.kill()   # SIGKILL
        proc.wait(timeout=60)
    finally:
        os.close(master)
    assert proc.returncode == -9
    assert snapshot(db) == before and audit_count(db) == n
    assert "intact" in ok(guild(db, "audit", "verify"))
    out = ok(guild(db, "import", "oneroster", path))   # and the same import runs through afterwards
    assert "enrollments.csv (bulk): 4000 rows: 4000 created" in out
    assert db.one("SELECT capacity FROM cohorts WHERE sourced_id = 'B-K'") == 4000
