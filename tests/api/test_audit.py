"""The audit log (issue 3): every write through the API, and the CLI, appends
exactly one entry naming who did what to which record; failed writes append
none; the admin API reads and filters it; and an edit made to the table
behind guild's back is found by GET /api/v1/audit/verify and by
`guild audit verify`, which name the entry."""
import calendar
import re
import sqlite3
import time

import pytest

from conftest import (DB_ERRORS, Client, World, assert_error, created, db_query, fresh_source, guild_cli, make_user, uniq,
                      user_password)

HEX64 = re.compile(r"[0-9a-f]{64}")


@pytest.fixture(scope="module")
def w(server):
    return World(server)


def head(api):
    r = api.get("/api/v1/audit/verify")
    assert r.status == 200 and r.json["intact"] is True, r
    return r.json["entries"]


def entries_after(api, after):
    out = []
    while True:
        r = api.get(f"/api/v1/audit?after={after}&limit=1000")
        assert r.status == 200, r
        out += r.json["items"]
        if r.json["next_after"] is None:
            return out
        after = r.json["next_after"]


class Appended:
    """with Appended(api) as a: ...; then a.entries is what the block appended."""

    def __init__(self, api):
        self.api = api

    def __enter__(self):
        self.before = head(self.api)
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.entries = entries_after(self.api, self.before)

    def summary(self):
        return [(e["actor"], e["action"], e["entity"], e["entity_id"]) for e in self.entries]


def check_one(a, actor, action, entity, entity_id):
    assert a.summary() == [(actor, action, entity, entity_id)], a.summary()
    e = a.entries[0]
    assert HEX64.fullmatch(e["hash"]), e
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e["at"]), e
    if action in ("create", "update", "withdraw", "erase") and entity != "api_token":
        assert HEX64.fullmatch(e["digest"]), e
    return e


def test_every_write_appends_exactly_one_entry(w, server):
    api = w.api
    admin = "user:admin"
    with Appended(api) as a:
        area = created(api.post("/api/v1/areas", {"code": uniq("AU"), "name": "Audited", "level": "region"}))
    e_create = check_one(a, admin, "create", "area", area["id"])
    with Appended(api) as a:
        r = api.patch(f"/api/v1/areas/{area['id']}", {"name": "Audited, renamed"}, etag='"1"')
        assert r.status == 200, r
    e_update = check_one(a, admin, "update", "area", area["id"])
    assert e_update["digest"] != e_create["digest"]      # the digest is of the new state
    with Appended(api) as a:
        assert api.delete(f"/api/v1/areas/{area['id']}", etag='"2"').status == 204
    check_one(a, admin, "delete", "area", area["id"])

    with Appended(api) as a:
        inst = w.make.institution(w.county)
    check_one(a, admin, "create", "institution", inst["id"])
    staff = w.c["staff_a"]
    with Appended(api) as a:
        prog = created(staff.post("/api/v1/programs", {"title": uniq("Audited program "), "isco_code": "7512",
                                                       "hours": 10, "level": 1, "capacity": 5}))
    check_one(a, f"user:{w.users['staff_a']['username']}", "create", "program", prog["id"])
    with Appended(api) as a:
        coh = w.make.cohort(prog)
    check_one(a, admin, "create", "cohort", coh["id"])
    with Appended(api) as a:
        p = w.make.person(institution_id=w.A["id"])
    check_one(a, admin, "create", "person", p["id"])
    with Appended(api) as a:
        e = w.make.enrollment(p, coh)
    check_one(a, admin, "create", "enrollment", e["id"])

    lr = w.c["learner"]
    with Appended(api) as a:
        assert lr.post(f"/api/v1/enrollments/{w.e1w['id']}/withdraw", {"reason": "family"}).status == 200
    check_one(a, f"user:{w.users['learner']['username']}", "withdraw", "enrollment", w.e1w["id"])
    with Appended(api) as a:    # withdrawing again changes nothing and appends nothing
        assert lr.post(f"/api/v1/enrollments/{w.e1w['id']}/withdraw").status == 200
    assert a.entries == []

    with Appended(api) as a:
        assert api.post(f"/api/v1/persons/{p['id']}/erase").status == 200
    check_one(a, admin, "erase", "person", p["id"])
    with Appended(api) as a:    # erasing again: nothing more to do
        assert api.post(f"/api/v1/persons/{p['id']}/erase").status == 200
    assert a.entries == []

    # accounts
    name = uniq("audited.user")
    with Appended(api) as a:
        u = created(api.post("/api/v1/users", {"username": name, "display_name": "A", "password": user_password(name)}))
    check_one(a, admin, "create", "user", u["id"])
    with Appended(api) as a:
        g = created(api.post("/api/v1/grants", {"user_id": u["id"], "role": "institution_staff",
                                                "institution_id": w.A["id"]}))
    check_one(a, admin, "create", "grant", g["id"])
    with Appended(api) as a:
        assert api.patch(f"/api/v1/users/{u['id']}", {"display_name": "B"}, etag='"1"').status == 200
    check_one(a, admin, "update", "user", u["id"])

    # sign-in, ending one session from another, sign-out
    with Appended(api) as a:
        c1 = server.anon.login(name, user_password(name))
    check_one(a, f"user:{name}", "login", "user", u["id"])
    c2 = server.anon.login(name, user_password(name))
    sid1 = [s["id"] for s in c1.get("/api/v1/me/sessions").json["items"] if s["current"]][0]
    sid2 = [s["id"] for s in c2.get("/api/v1/me/sessions").json["items"] if s["current"]][0]
    with Appended(api) as a:
        assert c2.request("DELETE", f"/api/v1/me/sessions/{sid1}").status == 204
    check_one(a, f"user:{name}", "revoke", "session", sid1)
    with Appended(api) as a:
        assert c2.request("DELETE", "/api/v1/session").status == 204
    check_one(a, f"user:{name}", "revoke", "session", sid2)

    with Appended(api) as a:
        assert api.delete(f"/api/v1/grants/{g['id']}").status == 204
    check_one(a, admin, "delete", "grant", g["id"])

    # API tokens: created and revoked by the administrator; writes made with one
    tname = uniq("audited token ")
    with Appended(api) as a:
        r = api.post("/api/v1/tokens", {"name": tname, "role": "institution_staff", "institution_id": w.A["id"]})
        assert r.status == 201, r
    tid = r.json["id"]
    check_one(a, admin, "create", "api_token", tid)
    t = Client(server.port, token=r.json["token"])
    with Appended(api) as a:
        tp = created(t.post("/api/v1/persons", {"given_name": uniq("Via token ")}))
    check_one(a, f"token:{tname}", "create", "person", tp["id"])
    with Appended(api) as a:
        assert api.request("DELETE", f"/api/v1/tokens/{tid}").status == 204
    check_one(a, admin, "revoke", "api_token", tid)

    # and from the command line
    with Appended(api) as a:
        r = guild_cli(server, "user", "disable", name)
        assert r.returncode == 0, r.stderr
    assert [(x[1], x[2], x[3]) for x in a.summary()] == [("update", "user", u["id"])], a.summary()
    assert a.entries[0]["actor"].startswith("cli:"), a.entries[0]


def test_failed_writes_append_nothing(w, server):
    api = w.api
    area = w.make.area()
    with Appended(api) as a:
        assert_error(api.post("/api/v1/areas", {"code": "", "name": "x", "level": "region"}), 422, "validation")
        assert_error(api.post("/api/v1/areas", {"code": area["code"], "name": "dup", "level": "region"}), 409,
                     "conflict")
        assert_error(api.patch(f"/api/v1/areas/{area['id']}", {"name": "stale"}, etag='"7"'), 412,
                     "precondition_failed")
        assert api.patch(f"/api/v1/areas/{area['id']}", {"name": "no if-match"}).status == 428
        assert_error(api.delete(f"/api/v1/areas/{w.county['id']}"), 409, "conflict")          # still referred to
        assert_error(api.post("/api/v1/enrollments", {"person_id": w.l1["id"], "cohort_id": w.ca1["id"],
                                                      "consent": True}), 409, "conflict")     # already enrolled
        assert_error(api.post("/api/v1/enrollments", {"person_id": w.l2["id"], "cohort_id": w.ca1["id"]}), 422,
                     "validation", field="consent")
        assert_error(api.patch("/api/v1/areas/99999999", {"name": "x"}, etag='"1"'), 404, "not_found")
        assert_error(api.post("/api/v1/tokens", {"name": "x", "role": "learner"}), 422, "validation")
        assert_error(api.request("DELETE", "/api/v1/tokens/99999999"), 404, "not_found")
        assert_error(api.post("/api/v1/users", {"username": uniq("weak.pw"), "display_name": "x",
                                                "password": "qwerty123456"}), 422, "validation")
        assert_error(w.c["staff_b"].post("/api/v1/programs", {"institution_id": w.A["id"], "title": "x",
                                                              "isco_code": "7512", "hours": 1, "level": 1,
                                                              "capacity": 1}), 403, "forbidden")
        assert_error(Client(server.port, cookie=api.cookie).post("/api/v1/areas", {"code": uniq("N"), "name": "x",
                                                                                   "level": "region"}),
                     403, "forbidden")
        assert_error(server.anon.post("/api/v1/areas", {"code": uniq("N"), "name": "x", "level": "region"}), 401,
                     "unauthorized")
        completed = w.make.enrollment(w.make.person(), w.ca2, status="enrolled")
    assert [x[1:3] for x in a.summary()] == [("create", "person"), ("create", "enrollment")], a.summary()
    with Appended(api) as a:
        assert api.patch(f"/api/v1/enrollments/{completed['id']}", {"status": "completed"}, etag='"1"').status == 200
        assert_error(api.post(f"/api/v1/enrollments/{completed['id']}/withdraw"), 409, "conflict")
    assert [x[1:3] for x in a.summary()] == [("update", "enrollment")], a.summary()


def test_refused_password_change_appends_nothing(w, server):
    name = uniq("pw.audit.user")
    make_user(w.api, name)
    c = Client(server.port, source=fresh_source()).login(name, user_password(name))
    with Appended(w.api) as a:
        assert_error(c.post("/api/v1/me/password", {"current_password": user_password(name),
                                                    "new_password": "too short"}), 422, "validation",
                     field="new_password")
        assert_error(c.post("/api/v1/me/password", {"current_password": "not the password",
                                                    "new_password": "a perfectly fine new phrase"}), 422,
                     "validation", field="current_password")
    sessions = c.get("/api/v1/me/sessions").json["items"]
    problems = []
    if a.entries:
        problems.append(f"a refused password change wrote to the audit log: {a.summary()}")
    if len(sessions) != 1:
        problems.append(f"a refused password change left sessions no one holds: {sessions}")
    assert not problems, "\n".join(problems)


def test_password_change_is_one_update_entry(w, server):
    name = uniq("pw.audit.user")
    u = make_user(w.api, name)
    c = Client(server.port, source=fresh_source()).login(name, user_password(name))
    with Appended(w.api) as a:
        r = c.post("/api/v1/me/password", {"current_password": user_password(name),
                                           "new_password": "a perfectly fine new phrase"})
        assert r.status == 200, r
    expected = [(f"user:{name}", "update", "user", u["id"])]
    if r.header("Set-Cookie"):          # a new session handed to the caller is a sign-in of its own
        assert a.summary() in (expected, expected + [(f"user:{name}", "login", "user", u["id"])]), a.summary()
    else:
        assert a.summary() == expected, a.summary()


def test_audit_filters(w, server):
    api = w.api
    tname = uniq("filter token ")
    tok = api.post("/api/v1/tokens", {"name": tname, "role": "region_admin"}).json["token"]
    t = Client(server.port, token=tok)
    mark = head(api)
    made = [created(t.post("/api/v1/areas", {"code": uniq("F"), "name": "f", "level": "region"})) for _ in range(3)]
    mine = entries_after(api, mark)
    assert [(e["actor"], e["entity_id"]) for e in mine] == [(f"token:{tname}", x["id"]) for x in made]

    everything = entries_after(api, 0)
    assert [e["id"] for e in everything] == list(range(1, len(everything) + 1))
    by_entity = api.get("/api/v1/audit?entity=area&limit=1000").json["items"]
    assert by_entity and all(e["entity"] == "area" for e in by_entity)
    assert len(by_entity) == sum(e["entity"] == "area" for e in everything)
    by_actor = api.get(f"/api/v1/audit?actor=token:{tname.replace(' ', '%20')}").json["items"]
    assert [e["id"] for e in by_actor] == [e["id"] for e in mine]
    both = api.get(f"/api/v1/audit?entity=person&actor=token:{tname.replace(' ', '%20')}").json["items"]
    assert both == []
    # since: seconds since 1970, entries at or after it
    ts = calendar.timegm(time.strptime(mine[0]["at"], "%Y-%m-%dT%H:%M:%SZ"))
    since = api.get(f"/api/v1/audit?since={ts}&limit=1000").json["items"]
    assert since and all(calendar.timegm(time.strptime(e["at"], "%Y-%m-%dT%H:%M:%SZ")) >= ts for e in since)
    assert {e["id"] for e in mine} <= {e["id"] for e in since}
    assert api.get(f"/api/v1/audit?since={ts + 10 ** 7}").json["items"] == []
    # after and limit page through it
    page = api.get(f"/api/v1/audit?after={mark}&limit=2").json
    assert [e["id"] for e in page["items"]] == [mark + 1, mark + 2] and page["next_after"] == mark + 2
    rest = api.get(f"/api/v1/audit?after={page['next_after']}&limit=2").json
    assert rest["items"][0]["id"] == mark + 3
    for q, field in [("limit=0", "limit"), ("limit=1001", "limit"), ("limit=x", "limit"), ("since=-1", "since"),
                     ("after=abc", "after"), ("who=me", "who")]:
        assert_error(api.get(f"/api/v1/audit?{q}"), 422, "validation", field=field)


def test_verify_says_intact(w, server):
    r = w.api.get("/api/v1/audit/verify")
    assert r.status == 200 and r.json["intact"] is True and r.json["entries"] > 10, r
    assert "first_bad_entry" not in r.json
    cli = guild_cli(server, "audit", "verify")
    assert cli.returncode == 0 and "intact" in cli.stdout, cli
    log = guild_cli(server, "audit", "log", "--entity", "area", "--limit", "3")
    assert log.returncode == 0 and len(log.stdout.strip().splitlines()) == 3, log


# ---------------------------------------------------------------------------
# Tampering (last: it leaves the log broken on purpose).

def verify_names(w, server, entry_id):
    r = w.api.get("/api/v1/audit/verify")
    assert r.status == 200, r
    assert r.json["intact"] is False and r.json["first_bad_entry"] == entry_id, r.json
    assert r.json["reason"]
    cli = guild_cli(server, "audit", "verify")
    assert cli.returncode == 1, cli
    assert re.search(rf"\bentry {entry_id}\b", cli.stdout + cli.stderr), cli


def test_edited_entry_is_found(w, server):
    api = w.api
    n = head(api)
    k = n // 2
    (actor,), = db_query(server, "SELECT actor FROM audit_log WHERE id = ?", (k,))
    # the table refuses changes while its trigger is there
    with pytest.raises(DB_ERRORS, match="append-only"):
        db_query(server, "UPDATE audit_log SET actor = 'user:mallory' WHERE id = ?", (k,))
    with pytest.raises(DB_ERRORS, match="append-only"):
        db_query(server, "DELETE FROM audit_log WHERE id = ?", (k,))
    assert head(api) == n
    # someone with the file drops it and rewrites who did something
    db_query(server, "DROP TRIGGER audit_log_no_update")
    db_query(server, "UPDATE audit_log SET actor = 'user:mallory' WHERE id = ?", (k,))
    verify_names(w, server, k)
    # the log keeps growing, and still shows the edit
    created(api.post("/api/v1/areas", {"code": uniq("Z"), "name": "after the edit", "level": "region"}))
    verify_names(w, server, k)
    # put back exactly as it was, the chain is whole again: the edit alone was found
    db_query(server, "UPDATE audit_log SET actor = ? WHERE id = ?", (actor, k))
    assert head(api) == n + 1
    # an edited time is found as well
    db_query(server, "UPDATE audit_log SET at = at - 86400 WHERE id = ?", (k + 1,))
    verify_names(w, server, k + 1)
    db_query(server, "UPDATE audit_log SET at = at + 86400 WHERE id = ?", (k + 1,))
    assert head(api) == n + 1


def test_deleted_last_entry_is_found(w, server):
    api = w.api
    created(api.post("/api/v1/areas", {"code": uniq("L"), "name": "last one", "level": "region"}))
    n = head(api)
    db_query(server, "DROP TRIGGER audit_log_no_delete")
    db_query(server, "DELETE FROM audit_log WHERE id = ?", (n,))
    verify_names(w, server, n)
