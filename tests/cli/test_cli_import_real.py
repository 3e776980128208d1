"""`guild import persons` on CSV files as people write them (issue 16), each
case with the file that triggered it (tests/data/import/): OneRoster's
column names beside guild's; sex and dates in their common spellings, an
ambiguous date refused with both readings; UTF-16 (with or without a
byte-order mark), Windows-1252 and GB18030 files named with the command
that converts them, and read with --encoding; a header repeated in the
middle; control characters escaped and long headers cut in messages and
the --errors file; a missing required column named; --map with a comma or
'=' in a header (quoted); an unclosed quote with the row it opened on; the
limit of 256 columns.

Runs on SQLite, and on PostgreSQL when GUILD_TEST_PG names a server (the
database is made with `guild init`, as test_cli_oneroster.py does)."""
import csv
import hashlib
import os
import subprocess

import pytest

from test_cli_oneroster import Db  # noqa: I001 (puts tests/api on the path, for conftest)
from conftest import GUILD  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "import")


@pytest.fixture
def db(tmp_path):
    return Db(str(tmp_path), "a.db")


def run(d, name, *args):
    """guild import persons FILE (a file of tests/data/import, or a path) ...: bytes out."""
    path = name if os.path.isabs(name) else os.path.join(DATA, name)
    r = subprocess.run([GUILD, "import", "persons", path, *args, "--db", d.db], capture_output=True, timeout=120)
    assert b"Sanitizer" not in r.stderr and b"runtime error" not in r.stderr, r.stderr
    return r


def persons(d, prefix):
    return {r[0]: r[1:] for r in d.q("SELECT sourced_id, given_name, family_name, sex, birth_date FROM persons "
                                     "WHERE sourced_id LIKE ?", (prefix + "%",))}


def report(tmp_path):
    return os.path.join(str(tmp_path), "errors.csv")


def read_report(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name,encoding,named", [
    ("utf16le-bom.csv", "UTF-16", "the file is UTF-16 (little-endian, with a byte-order mark), not UTF-8"),
    ("utf16be-bom.csv", "UTF-16", "the file is UTF-16 (big-endian, with a byte-order mark), not UTF-8"),
    ("utf16le.csv", "UTF-16LE", "the file is UTF-16 (little-endian), not UTF-8"),
])
def test_utf16_is_named_and_read_with_encoding(db, name, encoding, named):
    r = run(db, name)
    err = r.stderr.decode()
    assert r.returncode == 1 and named in err, err
    assert f"iconv -f {encoding} -t UTF-8" in err and f"--encoding {encoding}" in err
    assert "NUL" not in err and persons(db, "ENC") == {}
    r = run(db, name, "--encoding", encoding)
    assert r.returncode == 0, r.stderr
    assert persons(db, "ENC") == {"ENC-1": ("小明", "王", None, None), "ENC-2": ("Ayşe", "Öztürk", None, None)}
    # the audit entry's digest is of the file's own bytes
    with open(os.path.join(DATA, name), "rb") as f:
        assert db.one("SELECT digest FROM audit_log ORDER BY id DESC LIMIT 1") == hashlib.sha256(f.read()).hexdigest()


@pytest.mark.parametrize("name,encoding,want", [
    ("windows-1252.csv", "WINDOWS-1252", {"W-1": ("José", "Müller", None, None), "W-2": ("Zoë", "Ørsted", None, None)}),
    ("gb18030.csv", "GB18030", {"G-1": ("小明", "王", None, None), "G-2": ("丽丽", "张", None, None)}),
])
def test_legacy_encodings_are_guessed_and_converted(db, tmp_path, name, encoding, want):
    r = run(db, name, "--errors", report(tmp_path))
    err = r.stderr.decode()
    assert r.returncode == 1
    assert f"row 2, column given_name, value '" in err
    assert (f"not valid UTF-8: the file looks like {encoding}; convert it (iconv -f {encoding} -t UTF-8 FILE > "
            f"FILE-utf8.csv) or import it with --encoding {encoding}") in err, err
    assert "not valid UTF-8 (see row 2)" in err   # the advice once, not on every row
    prefix = name[0].upper() + "-"
    assert persons(db, prefix) == {}
    assert run(db, name, "--encoding", encoding.lower()).returncode == 0
    assert persons(db, prefix) == want


def test_bad_encodings(db):
    r = run(db, "gb18030.csv", "--encoding", "KLINGON")
    assert r.returncode == 2 and b"'KLINGON' is not an encoding guild can convert" in r.stderr
    r = run(db, "gb18030.csv", "--encoding", "ASCII")
    assert r.returncode == 1 and b"row 2: a byte that is not ASCII (byte 40 of the file)" in r.stderr, r.stderr


def test_oneroster_column_names_sex_and_dates(db):
    r = run(db, "oneroster-names.csv")
    assert r.returncode == 0, r.stderr
    assert b"6 rows: 6 created" in r.stdout
    assert persons(db, "OR-") == {
        "OR-1": ("Alim", "Mamut", "male", "2005-03-01"),       # 2005/03/01, M
        "OR-2": ("Gul", "Nur", "female", "2005-02-13"),        # 13.02.2005 (day first), f
        "OR-3": ("小红", "李", "female", "2006-04-05"),         # 2006年4月5日, 女
        "OR-4": ("مۇھەممەت", "ئەخمەت", "male", "2007-01-02"),   # 20070102, ئەر
        "OR-5": ("Ayla", "Osman", "female", "2005-02-13"),     # 02/13/2005 (month first), Female
        "OR-6": ("Dilnur", "Ali", "male", "2005-03-09"),       # 2005-3-9, MALE
    }


def test_ambiguous_date_and_unknown_sex(db, tmp_path):
    r = run(db, "ambiguous-date.csv", "--errors", report(tmp_path))
    assert r.returncode == 1
    got = [(int(x["row"]), x["column"], x["value"], x["reason"]) for x in read_report(report(tmp_path))]
    assert got == [(2, "birth_date", "03/04/2005", "could be 3 April 2005 (day first) or March 4, 2005 (month first): "
                                                   "write it as YYYY-MM-DD (2005-04-03 or 2005-03-04)"),
                   (3, "sex", "unknown", "must be one of female, male (got 'unknown')")]


def test_header_repeated_in_the_middle(db, tmp_path):
    r = run(db, "header-repeated.csv", "--errors", report(tmp_path))
    assert r.returncode == 1
    assert b"row 3: repeats the header (row 1)" in r.stderr
    r = run(db, "header-repeated.csv", "--skip-invalid")
    assert r.returncode == 0 and b"3 rows: 2 created, 0 updated, 0 unchanged, 1 invalid (skipped)" in r.stdout
    assert sorted(persons(db, "J-")) == ["J-1", "J-2"]
    assert db.one("SELECT count(*) FROM persons WHERE given_name = 'given_name'") == 0


def test_control_characters_are_escaped(db, tmp_path):
    r = run(db, "control-chars.csv", "--errors", report(tmp_path))
    assert r.returncode == 1
    assert b"\x1b" not in r.stderr and b"\x07" not in r.stderr and b"\r" not in r.stderr
    err = r.stderr.decode()
    assert "row 2, column birth_date, value '\\x1b[31m2005-13-01\\x07'" in err, err
    assert "row 3, column birth_date, value 'bad\\r\\nday'" in err
    values = [x["value"] for x in read_report(report(tmp_path))]
    assert values == ["\\x1b[31m2005-13-01\\x07", "bad\\r\\nday"]


def test_huge_header_gives_short_messages(db, tmp_path):
    """200 unknown columns of 50,000 characters (a 10 MB header line): each
    is named cut to 80 characters, so the report stays small."""
    path = os.path.join(str(tmp_path), "huge.csv")
    with open(path, "w") as f:
        f.write(",".join(["sourced_id"] + [f"{i:03d}" + "x" * 49997 for i in range(200)]) + "\n")
        f.write(",".join(["A"] * 201) + "\n")
    r = run(db, path, "--errors", report(tmp_path))
    assert r.returncode == 1
    assert len(r.stderr) < 100_000, len(r.stderr)
    assert os.path.getsize(report(tmp_path)) < 300_000
    rows = read_report(report(tmp_path))
    assert len(rows) == 200 and rows[0]["column"] == "000" + "x" * 77 + "... (49920 more characters)"
    assert rows[0]["value"] == rows[0]["column"]


def test_missing_required_column_is_named(db, tmp_path):
    r = run(db, "missing-column.csv", "--errors", report(tmp_path))
    assert r.returncode == 1
    assert b"the header (row 1) is not usable: no sourced_id column" in r.stderr
    assert [(x["row"], x["column"]) for x in read_report(report(tmp_path))] == [("1", "sourced_id")]


def test_map_names_headers_with_a_comma_or_equals(db):
    r = run(db, "map-comma.csv")
    err = r.stderr.decode()
    assert r.returncode == 1 and "rename it with --map '\"Name, given\"=FIELD'" in err
    assert "rename it with --map '\"a=b\"=FIELD'" in err
    r = run(db, "map-comma.csv", "--map", 'ID=sourced_id,"Name, given"=given_name, "a=b" = family_name,Notes=')
    assert r.returncode == 0, r.stderr
    assert persons(db, "MC-") == {"MC-1": ("Ali", "Kerim", None, None)}
    r = run(db, "map-comma.csv", "--map", '"Name, given=given_name')
    assert r.returncode == 2 and b"is not HEADER=FIELD" in r.stderr


def test_unclosed_quote_names_its_row(db):
    r = run(db, "unclosed-quote.csv")
    assert r.returncode == 1
    assert b'row 3: a quoted field that opens on this row is never closed (a " is missing)' in r.stderr
    assert persons(db, "UQ") == {}


def test_column_limit(db):
    r = run(db, "too-many-columns.csv")
    assert r.returncode == 1 and b"row 1: more than 256 fields (the most guild reads)" in r.stderr


def test_long_value_cut_on_the_terminal_whole_in_the_report(db, tmp_path):
    path = os.path.join(str(tmp_path), "long.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("sourced_id,given_name,birth_date\nL-1,Ali," + "9" * 5000 + "\n")
    r = run(db, path, "--errors", report(tmp_path))
    assert r.returncode == 1
    assert ("value '" + "9" * 200 + "... (4800 more characters)'").encode() in r.stderr
    assert read_report(report(tmp_path))[0]["value"] == "9" * 5000
