"""Accounts, audit and erasure from the command line: `guild init` and its
first administrator, `guild user add|passwd|grant|revoke|list|disable|enable`,
`guild person erase`, `guild audit verify|log`, and the demo accounts.
Exit codes: 0 done, 1 user error, 2 usage."""
import ctypes
import ctypes.util
import os
import re
import sqlite3
import subprocess
import tempfile

import pytest

GUILD = os.environ.get("GUILD_BIN") or os.path.join(os.path.dirname(__file__), "..", "..", "build", "san", "guild")
GOOD_PW = "Violet-Harbour-Lantern-42"
ROLES = ["region_admin", "institution_staff", "trainer", "judge", "learner"]
DEMO_ACCOUNTS = {"admin": "region_admin", "staff": "institution_staff", "trainer": "trainer", "judge": "judge",
                 "learner": "learner"}


def run(*args, stdin=None, env=None):
    return subprocess.run([GUILD, *args], capture_output=True, text=True, input=stdin, env=env, timeout=300)


_sodium = None


def pw_ok(db, user, password):
    """True when password matches the stored argon2id hash of user (checked
    with libsodium itself, as the server would)."""
    global _sodium
    if _sodium is None:
        name = ctypes.util.find_library("sodium")
        if not name:
            pytest.skip("libsodium not found for ctypes")
        _sodium = ctypes.CDLL(name)
        assert _sodium.sodium_init() >= 0
        _sodium.crypto_pwhash_str_verify.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulonglong]
    h = stored_hash(db, user)
    assert h.startswith("$argon2id$")
    pw = password.encode()
    return _sodium.crypto_pwhash_str_verify(h.encode(), pw, len(pw)) == 0


def q(db, sql, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def stored_hash(db, user):
    rows = q(db, "SELECT password_hash FROM users WHERE username = ?", user)
    assert rows, f"no user {user}"
    return rows[0][0]


def users(db):
    """`guild user list` parsed: username -> (person, status, [roles])."""
    r = run("user", "list", "--db", db)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split()[:4] == ["id", "username", "person", "status"]
    out = {}
    for line in lines[1:]:
        f = line.split()
        out[f[1]] = (f[2], f[3], f[4:])
    return out


def one_time_password(stdout):
    m = re.search(r"one-time password: (\S+)", stdout)
    assert m, stdout
    return m.group(1)


@pytest.fixture
def tmp():
    with tempfile.TemporaryDirectory() as d:
        yield d


@pytest.fixture
def demo(tmp):
    """A fresh demo database with 50 learners; yields (path, demo stdout)."""
    db = os.path.join(tmp, "demo.db")
    r = run("demo", "--db", db, "--learners", "50")
    assert r.returncode == 0, r.stderr
    yield db, r.stdout


# ---- guild init -------------------------------------------------------------

def test_init_creates_admin_with_working_one_time_password(tmp):
    db = os.path.join(tmp, "g.db")
    r = run("init", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "administrator: admin" in r.stdout
    pw = one_time_password(r.stdout)
    assert len(pw) >= 12 and pw.isalnum()
    assert pw_ok(db, "admin", pw)
    assert not pw_ok(db, "admin", pw + "x")
    assert pw not in stored_hash(db, "admin")
    u = users(db)
    assert list(u) == ["admin"]
    assert u["admin"] == ("-", "active", ["region_admin"])
    # the creation is in the audit log
    assert run("audit", "verify", "--db", db).returncode == 0
    log = run("audit", "log", "--db", db, "--entity", "user")
    assert log.returncode == 0 and len(log.stdout.splitlines()) == 1


def test_init_admin_name_and_two_inits_give_different_passwords(tmp):
    a, b = os.path.join(tmp, "a.db"), os.path.join(tmp, "b.db")
    ra, rb = run("init", "--db", a, "--admin", "root.admin"), run("init", "--db", b)
    assert ra.returncode == 0 and rb.returncode == 0
    assert "administrator: root.admin" in ra.stdout
    assert one_time_password(ra.stdout) != one_time_password(rb.stdout)
    assert users(a)["root.admin"][2] == ["region_admin"]


def test_init_password_stdin(tmp):
    db = os.path.join(tmp, "g.db")
    r = run("init", "--db", db, "--password-stdin", stdin=GOOD_PW + "\n")
    assert r.returncode == 0, r.stderr
    assert "administrator: admin" in r.stdout
    assert "one-time password" not in r.stdout and GOOD_PW not in r.stdout
    assert pw_ok(db, "admin", GOOD_PW)


@pytest.mark.parametrize("pw,rule", [
    ("short-pw", "12 characters"),
    ("abcdefghijk", "12 characters"),
    ("qwerty123456", "common"),
    ("QwErTy123456", "common"),
    ("Administrator", "username"),
])
def test_init_password_stdin_refuses_weak_password(tmp, pw, rule):
    db = os.path.join(tmp, "g.db")
    r = run("init", "--db", db, "--admin", "administrator", "--password-stdin", stdin=pw + "\n")
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "password" in r.stderr and rule in r.stderr
    assert pw not in r.stdout
    assert q(db, "SELECT count(*) FROM users") == [(0,)]
    # a good password afterwards makes the administrator
    r = run("init", "--db", db, "--admin", "administrator", "--password-stdin", stdin=GOOD_PW + "\n")
    assert r.returncode == 0, r.stderr
    assert users(db)["administrator"][2] == ["region_admin"]


def test_init_password_stdin_empty_input(tmp):
    db = os.path.join(tmp, "g.db")
    r = run("init", "--db", db, "--password-stdin", stdin="")
    assert r.returncode in (1, 2)
    assert r.stderr
    assert q(db, "SELECT count(*) FROM users") == [(0,)]


def test_init_twice_does_not_create_second_admin(tmp):
    db = os.path.join(tmp, "g.db")
    first = run("init", "--db", db)
    assert first.returncode == 0
    pw = one_time_password(first.stdout)
    h = stored_hash(db, "admin")
    for args in (["init", "--db", db], ["init", "--db", db, "--admin", "other"]):
        r = run(*args)
        assert r.returncode == 0, r.stderr
        assert "one-time password" not in r.stdout
        assert "accounts exist already" in r.stdout
    assert list(users(db)) == ["admin"]
    assert stored_hash(db, "admin") == h and pw_ok(db, "admin", pw)
    assert q(db, "SELECT count(*) FROM grants") == [(1,)]


# ---- guild user ---------------------------------------------------------------

def test_user_add_list_and_passwords(demo):
    db, _ = demo
    r = run("user", "add", "bob", "--db", db, "--role", "institution_staff", "--institution", "2",
            "--display", "Bob Staff")
    assert r.returncode == 0, r.stderr
    assert "user bob added" in r.stdout and "institution_staff" in r.stdout
    pw = one_time_password(r.stdout)
    assert pw_ok(db, "bob", pw)
    assert users(db)["bob"] == ("-", "active", ["institution_staff@2"])
    assert q(db, "SELECT display_name FROM users WHERE username = 'bob'") == [("Bob Staff",)]
    # with a password from stdin, nothing is printed
    r = run("user", "add", "carol", "--db", db, "--password-stdin", stdin=GOOD_PW + "\n")
    assert r.returncode == 0, r.stderr
    assert "one-time password" not in r.stdout and GOOD_PW not in r.stdout
    assert pw_ok(db, "carol", GOOD_PW)
    assert users(db)["carol"] == ("-", "active", [])
    # a trainer account linked to a person
    pid = q(db, "SELECT id FROM persons WHERE sourced_id = 'T000003'")[0][0]
    r = run("user", "add", "tina", "--db", db, "--role", "trainer", "--person", str(pid))
    assert r.returncode == 0, r.stderr
    assert users(db)["tina"] == (str(pid), "active", ["trainer"])
    # passwd: generated
    old = stored_hash(db, "bob")
    r = run("user", "passwd", "bob", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "password of bob changed" in r.stdout
    pw2 = one_time_password(r.stdout)
    assert pw2 != pw and stored_hash(db, "bob") != old
    assert pw_ok(db, "bob", pw2) and not pw_ok(db, "bob", pw)
    # passwd: from stdin
    r = run("user", "passwd", "bob", "--db", db, "--password-stdin", stdin="Another-Good-Passphrase\n")
    assert r.returncode == 0, r.stderr
    assert "one-time password" not in r.stdout
    assert pw_ok(db, "bob", "Another-Good-Passphrase")
    # passwd: a weak one is refused and the old password stays
    h = stored_hash(db, "bob")
    for weak, rule in (("tooshort", "12"), ("1q2w3e4r5t6y", "common"), ("BOB", "12")):
        r = run("user", "passwd", "bob", "--db", db, "--password-stdin", stdin=weak + "\n")
        assert r.returncode == 1, (weak, r.stdout)
        assert rule in r.stderr
    assert stored_hash(db, "bob") == h
    r = run("user", "passwd", "bob.the.builder", "--db", db, "--password-stdin", stdin="x\n")
    assert r.returncode == 1
    assert run("audit", "verify", "--db", db).returncode == 0


def test_user_add_refusals_leave_no_user(demo):
    db, _ = demo
    before = users(db)
    cases = [
        (["--role", "institution_staff"], "institution"),                 # staff without --institution
        (["--role", "wizard"], "role"),                                    # unknown role
        (["--role", "trainer"], "person"),                                 # trainer without a person
        (["--role", "institution_staff", "--institution", "99999"], "institution"),
        (["--person", "99999"], "person"),
    ]
    for extra, word in cases:
        r = run("user", "add", "dave", "--db", db, *extra)
        assert r.returncode == 1, (extra, r.stdout, r.stderr)
        assert word in r.stderr, (extra, r.stderr)
        assert "one-time password" not in r.stdout
        assert users(db) == before, extra        # the user is not left behind without its role
    r = run("user", "add", "Bad Name", "--db", db)
    assert r.returncode == 1 and "username" in r.stderr
    r = run("user", "add", "admin", "--db", db)             # exists
    assert r.returncode == 1
    r = run("user", "add", "dave", "--db", db, "--password-stdin", stdin="1q2w3e4r5t6y\n")
    assert r.returncode == 1 and "common" in r.stderr
    assert users(db) == before


def test_user_grant_revoke_disable_enable(demo):
    db, _ = demo
    assert run("user", "add", "bob", "--db", db).returncode == 0
    r = run("user", "grant", "bob", "region_admin", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "bob is now region_admin" in r.stdout
    r = run("user", "grant", "bob", "institution_staff", "--institution", "3", "--db", db)
    assert r.returncode == 0, r.stderr
    assert users(db)["bob"][2] == ["region_admin", "institution_staff@3"]
    # duplicates refused
    r = run("user", "grant", "bob", "region_admin", "--db", db)
    assert r.returncode == 1 and "already" in r.stderr
    # errors
    r = run("user", "grant", "bob", "wizard", "--db", db)
    assert r.returncode == 1 and "role" in r.stderr
    r = run("user", "grant", "bob", "institution_staff", "--db", db)
    assert r.returncode == 1 and "institution" in r.stderr
    r = run("user", "grant", "bob", "judge", "--db", db)
    assert r.returncode == 1 and "person" in r.stderr
    r = run("user", "grant", "bob", "region_admin", "--institution", "3", "--db", db)
    assert r.returncode == 1
    r = run("user", "grant", "nobody", "region_admin", "--db", db)
    assert r.returncode == 1 and "nobody" in r.stderr
    # revoke
    r = run("user", "revoke", "bob", "region_admin", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "bob is no longer region_admin" in r.stdout
    assert users(db)["bob"][2] == ["institution_staff@3"]
    r = run("user", "revoke", "bob", "region_admin", "--db", db)
    assert r.returncode == 1 and "does not hold" in r.stderr
    r = run("user", "revoke", "bob", "institution_staff", "--institution", "4", "--db", db)
    assert r.returncode == 1
    r = run("user", "revoke", "bob", "wizard", "--db", db)
    assert r.returncode == 1
    r = run("user", "revoke", "nobody", "region_admin", "--db", db)
    assert r.returncode == 1 and "nobody" in r.stderr
    r = run("user", "revoke", "bob", "institution_staff", "--institution", "3", "--db", db)
    assert r.returncode == 0
    assert users(db)["bob"][2] == []
    # disable / enable
    r = run("user", "disable", "bob", "--db", db)
    assert r.returncode == 0 and "bob disabled" in r.stdout
    assert users(db)["bob"][1] == "disabled"
    assert q(db, "SELECT disabled FROM users WHERE username = 'bob'") == [(1,)]
    r = run("user", "enable", "bob", "--db", db)
    assert r.returncode == 0 and "bob enabled" in r.stdout
    assert users(db)["bob"][1] == "active"
    for sub in ("disable", "enable", "passwd"):
        r = run("user", sub, "nobody", "--db", db)
        assert r.returncode == 1, sub
        assert "nobody" in r.stderr
    # every change is in the audit log, and the chain holds
    log = run("audit", "log", "--db", db, "--entity", "grant", "--limit", "1000")
    actions = [line.split()[3] for line in log.stdout.splitlines()]
    assert actions.count("delete") == 2
    assert run("audit", "verify", "--db", db).returncode == 0


@pytest.mark.parametrize("args", [
    [],
    ["frobnicate"],
    ["add"],
    ["add", "a", "b"],
    ["passwd"],
    ["grant"],
    ["grant", "bob"],
    ["revoke", "bob"],
    ["disable"],
    ["enable"],
    ["list", "extra"],
    ["add", "bob", "--institution", "abc"],
    ["add", "bob", "--person", "-3"],
    ["add", "bob", "--bogus"],
])
def test_user_usage_errors_exit_2(tmp, args):
    db = os.path.join(tmp, "g.db")
    assert run("init", "--db", db).returncode == 0
    r = run("user", *args, "--db", db)
    assert r.returncode == 2, (args, r.stdout, r.stderr)
    assert r.stderr
    assert list(users(db)) == ["admin"]


def test_user_help():
    r = run("help", "user")
    assert r.returncode == 0
    for sub in ("add", "passwd", "grant", "revoke", "list", "disable", "enable"):
        assert f"user {sub}" in r.stdout
    for role in ROLES:
        assert role in r.stdout


# ---- guild person erase ---------------------------------------------------------

def test_person_erase(demo):
    db, _ = demo
    pid, = q(db, "SELECT id FROM persons WHERE sourced_id = 'L0000001'")[0]
    assert "learner" in users(db)
    n_enr = q(db, "SELECT count(*) FROM enrollments WHERE person_id = ?", pid)[0][0]
    assert n_enr >= 1
    sex, area = q(db, "SELECT sex, home_area_id FROM persons WHERE id = ?", pid)[0]
    n_audit = q(db, "SELECT count(*) FROM audit_log")[0][0]
    r = run("person", "erase", str(pid), "--db", db)
    assert r.returncode == 0, r.stderr
    assert f"person {pid} erased" in r.stdout
    row = q(db, "SELECT given_name, family_name, sourced_id, birth_date, phone, email, erased_at, sex, home_area_id "
                "FROM persons WHERE id = ?", pid)[0]
    assert row[1:6] == (None, None, None, None, None)
    assert row[6] is not None
    assert row[7:] == (sex, area)
    assert q(db, "SELECT count(*) FROM enrollments WHERE person_id = ?", pid)[0][0] == n_enr
    assert "learner" not in users(db)                    # the linked account is gone
    assert q(db, "SELECT count(*) FROM audit_log")[0][0] == n_audit + 1
    last = q(db, "SELECT action, entity, entity_id FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    assert last == ("erase", "person", pid)
    # idempotent
    r = run("person", "erase", str(pid), "--db", db)
    assert r.returncode == 0, r.stderr
    assert q(db, "SELECT count(*) FROM audit_log")[0][0] == n_audit + 1
    assert run("audit", "verify", "--db", db).returncode == 0
    # errors
    r = run("person", "erase", "999999", "--db", db)
    assert r.returncode == 1 and r.stderr
    for args in (["erase"], ["erase", "abc"], ["erase", "0"], ["delete", str(pid)], []):
        r = run("person", *args, "--db", db)
        assert r.returncode == 2, args


# ---- guild audit ---------------------------------------------------------------

def test_audit_verify_fresh_demo(demo):
    db, _ = demo
    r = run("audit", "verify", "--db", db)
    assert r.returncode == 0, r.stdout + r.stderr
    n = q(db, "SELECT count(*) FROM audit_log")[0][0]
    assert "intact" in r.stdout and f"{n} entries" in r.stdout


def test_audit_log_is_append_only(demo):
    db, _ = demo
    con = sqlite3.connect(db)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit_log WHERE id = 3")
    con.close()
    assert run("audit", "verify", "--db", db).returncode == 0


def test_audit_verify_finds_edited_entry(demo):
    db, _ = demo
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 7")
    con.commit()
    con.close()
    r = run("audit", "verify", "--db", db)
    assert r.returncode == 1, r.stdout
    assert "TAMPERED" in r.stdout and "entry 7:" in r.stdout


def test_audit_verify_finds_removed_last_entry(demo):
    db, _ = demo
    con = sqlite3.connect(db)
    last = con.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    con.execute("DROP TRIGGER audit_log_no_delete")
    con.execute("DELETE FROM audit_log WHERE id = ?", (last,))
    con.commit()
    con.close()
    r = run("audit", "verify", "--db", db)
    assert r.returncode == 1, r.stdout
    assert f"entry {last}:" in r.stdout and "missing" in r.stdout


def test_audit_verify_finds_removed_middle_entry(demo):
    db, _ = demo
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER audit_log_no_delete")
    con.execute("DELETE FROM audit_log WHERE id = 10")
    con.commit()
    con.close()
    r = run("audit", "verify", "--db", db)
    assert r.returncode == 1
    assert "entry 11:" in r.stdout


def test_audit_log_filters(demo):
    db, _ = demo
    r = run("audit", "log", "--db", db, "--entity", "area", "--limit", "3")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 3
    ids = []
    for line in lines:
        f = line.split()
        ids.append(int(f[0]))
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", f[1]), line
        assert f[3] == "create" and f[4] == "area"
        assert re.match(r"[0-9a-f]{16}$", f[6])
    assert ids == sorted(ids)
    # without --limit: every area entry (53 in the demo), up to 100
    n_area = q(db, "SELECT count(*) FROM audit_log WHERE entity = 'area'")[0][0]
    r = run("audit", "log", "--db", db, "--entity", "area")
    assert len(r.stdout.splitlines()) == min(n_area, 100)
    # by actor
    actor = q(db, "SELECT actor FROM audit_log WHERE entity = 'user' LIMIT 1")[0][0]
    r = run("audit", "log", "--db", db, "--actor", actor, "--limit", "100000")
    assert r.returncode == 0
    assert len(r.stdout.splitlines()) == q(db, "SELECT count(*) FROM audit_log WHERE actor = ?", actor)[0][0]
    r = run("audit", "log", "--db", db, "--actor", "user:nobody")
    assert r.returncode == 0 and r.stdout == ""
    # since: a date far in the future gives nothing, the epoch everything (up to the limit)
    r = run("audit", "log", "--db", db, "--since", "2199-01-01")
    assert r.returncode == 0 and r.stdout == ""
    r = run("audit", "log", "--db", db, "--since", "1970-01-01", "--limit", "5")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 5
    # usage errors
    for args in (["--limit", "0"], ["--limit", "x"], ["--since", "yesterday"], ["--bogus"]):
        r = run("audit", "log", "--db", db, *args)
        assert r.returncode == 2, args
    for args in ([], ["check"], ["verify", "extra"]):
        r = run("audit", *args, "--db", db)
        assert r.returncode == 2, args


# ---- demo accounts --------------------------------------------------------------

def demo_accounts(stdout):
    """The accounts `guild demo` prints: username -> (role, password)."""
    out = {}
    for m in re.finditer(r"^  (\S+)\s+(\S+)\s+(\S+)\s*$", stdout, re.M):
        out[m.group(1)] = (m.group(2), m.group(3))
    return out


def test_demo_prints_one_account_per_role(demo):
    db, stdout = demo
    acc = demo_accounts(stdout)
    assert {u: role for u, (role, _) in acc.items()} == DEMO_ACCOUNTS
    assert sorted(role for role, _ in acc.values()) == sorted(ROLES)
    listed = users(db)
    for user, (role, pw) in acc.items():
        assert len(pw) >= 12 and pw.isalnum(), (user, pw)
        assert pw_ok(db, user, pw), user
        assert user in listed
        assert listed[user][1] == "active"
        assert [g.split("@")[0] for g in listed[user][2]] == [role]
    assert listed["staff"][2][0].startswith("institution_staff@")
    for user in ("trainer", "judge", "learner"):
        assert listed[user][0] != "-", f"{user} is linked to a person"
    assert len({pw for _, pw in acc.values()}) == len(acc)


def test_demo_without_learners_prints_only_created_accounts(tmp):
    """With --learners 0 there is no learner person, so no learner account:
    what is printed must be exactly the accounts created, each with a real
    password (no uninitialised memory)."""
    db = os.path.join(tmp, "d.db")
    r = subprocess.run([GUILD, "demo", "--db", db, "--learners", "0"], capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode("utf-8", "replace")
    assert "demo accounts" in out
    printed = [line.split() for line in out.split("demo accounts", 1)[1].splitlines()[1:] if line.strip()]
    listed = users(db)
    assert "learner" not in listed
    assert sorted(f[0] for f in printed) == sorted(listed), (printed, listed)
    for f in printed:
        assert len(f) == 3, f
        user, _, pw = f
        assert len(pw) == 20 and pw.isascii() and pw.isalnum(), (user, pw)
        assert pw_ok(db, user, pw)
