"""What a signed-in user does for themself (who am I, everything guild holds
about me, my sessions, my password, withdrawing), and the administrator's
erasure of a person (issue 3, learner self-service)."""
import json

import pytest

from conftest import (Client, World, assert_error, db_query, fresh_source, guild_cli, make_user, uniq,
                      user_password)


@pytest.fixture(scope="module")
def w(server):
    return World(server)


def test_me(w):
    me = w.c["learner"].get("/api/v1/me")
    assert me.status == 200, me
    u = w.users["learner"]
    assert me.json["name"] == u["username"] and me.json["user_id"] == u["id"]
    assert me.json["person_id"] == w.l1["id"] and me.json["roles"] == [{"role": "learner"}]
    assert me.json["actor"] == f"user:{u['username']}" and me.json["csrf_token"] == w.c["learner"].csrf
    staff = w.c["staff_a"].get("/api/v1/me").json
    assert staff["roles"] == [{"role": "institution_staff", "institution_id": w.A["id"]}]
    assert staff["person_id"] is None
    assert_error(w.server.anon.get("/api/v1/me"), 401, "unauthorized")


def test_export_holds_everything_about_me_and_nothing_about_others(w):
    r = w.c["learner"].get("/api/v1/me/export")
    assert r.status == 200, r
    x = r.json
    assert x["person"]["id"] == w.l1["id"]
    for k in ["given_name", "family_name", "sex", "birth_date", "home_area_id", "phone", "email", "sourced_id"]:
        assert x["person"][k] == w.l1[k], k
    assert x["account"]["username"] == w.users["learner"]["username"]
    assert x["account"]["roles"] == [{"role": "learner"}]
    got = {e["id"]: e for e in x["enrollments"]}
    assert set(got) == {w.e1["id"], w.e1w["id"]}
    e1 = got[w.e1["id"]]
    assert e1["status"] == "enrolled" and e1["cohort_id"] == w.ca1["id"] and e1["consent_at"]
    assert e1["cohort"]["name"] == w.ca1["name"] and e1["cohort"]["start_date"] == w.ca1["start_date"]
    assert e1["program"]["title"] == w.pa["title"] and e1["program"]["isco_code"] == w.pa["isco_code"]
    assert got[w.e1w["id"]]["cohort"]["name"] == w.ca3["name"]
    # nothing about anybody else: not the other learners, not the trainers
    text = r.body
    for other in [w.l2, w.lb, w.t1, w.t2, w.j]:
        assert other["given_name"] not in text, other["given_name"]
    assert w.l2["family_name"] not in text
    assert "trainers" not in text
    # and no secrets
    assert "password" not in x["account"] and "password_hash" not in text and "$argon2" not in text
    assert w.c["learner"].cookie not in text


# every module's sections of a person's own records (dom_module.aOwn), in module order
SECTIONS = ["enrollments", "attendance_marks", "assessment_results", "evidence", "assessment_appeals", "skill_awards",
            "program_awards"]


def test_export_of_a_user_without_a_person(w):
    x = w.c["staff_a"].get("/api/v1/me/export").json
    assert x["person"] is None and x["enrollments"] == []
    assert x["account"]["username"] == w.users["staff_a"]["username"]
    assert list(x) == ["exported_at", "about", "account", "person"] + SECTIONS, list(x)
    assert all(x[k] == [] for k in SECTIONS), x


def test_export_gathers_every_modules_sections(w):
    x = w.c["learner"].get("/api/v1/me/export").json
    assert list(x) == ["exported_at", "about", "account", "person"] + SECTIONS, list(x)
    for k in SECTIONS:
        assert all(r["person_id"] == w.l1["id"] for r in x[k]), k


def test_my_sessions_and_revoking_one(w):
    name = w.users["other_learner"]["username"]
    first = w.c["other_learner"]
    second = w.login("other_learner")
    items = second.get("/api/v1/me/sessions").json["items"]
    current = [s for s in items if s["current"]]
    assert len(current) == 1 and len(items) >= 2
    first_id = [s["id"] for s in first.get("/api/v1/me/sessions").json["items"] if s["current"]][0]
    assert first_id in [s["id"] for s in items] and first_id != current[0]["id"]
    for s in items:
        assert set(s) == {"id", "created_at", "last_seen_at", "expires_at", "current"}
    # another user's session cannot be ended from here, and is not listed
    admin_sid = [s["id"] for s in w.api.get("/api/v1/me/sessions").json["items"] if s["current"]][0]
    assert admin_sid not in [s["id"] for s in items]
    assert_error(second.request("DELETE", f"/api/v1/me/sessions/{admin_sid}"), 404, "not_found")
    assert w.api.get("/api/v1/me").status == 200
    # ending my first session from the second
    assert second.request("DELETE", f"/api/v1/me/sessions/{first_id}").status == 204
    assert_error(first.get("/api/v1/me"), 401, "unauthorized")
    assert second.get("/api/v1/me").json["name"] == name
    assert first_id not in [s["id"] for s in second.get("/api/v1/me/sessions").json["items"]]
    err = assert_error(second.request("DELETE", f"/api/v1/me/sessions/{first_id}"), 404, "not_found")
    assert err["reason"] == "ended_or_unknown" and err["params"] == {"entity": "session", "id": first_id}, err
    err = assert_error(second.get("/api/v1/me/export?format=pdf"), 422, "validation", field="format")
    assert err["reason"] == "not_one_of" and err["params"] == {"allowed": "json, csv, xlsx", "got": "pdf"}, err
    w.c["other_learner"] = second


def test_change_password(w, api):
    name = uniq("changing.password.user")      # long enough to be tried as a password
    old = user_password(name)
    make_user(api, name, "learner", person=w.make.person())
    a = Client(w.server.port, source=fresh_source()).login(name, old)    # its one failure counts there
    b = w.server.anon.login(name, old)
    cases = [({"current_password": "not my password", "new_password": "a brand new pass phrase"}, "current_password"),
             ({"current_password": old, "new_password": "too short 1"}, "new_password"),
             ({"current_password": old, "new_password": "qwerty123456"}, "new_password"),
             ({"current_password": old, "new_password": name}, "new_password"),
             ({"current_password": old, "new_password": name.upper()}, "new_password"),
             ({"current_password": old}, "new_password"),
             ({"current_password": old, "new_password": "a brand new pass phrase", "extra": 1}, "extra")]
    for body, field in cases:
        assert_error(a.post("/api/v1/me/password", body), 422, "validation", field=field)
    err = assert_error(a.post("/api/v1/me/password", {"current_password": old, "new_password": old}), 422, "validation",
                       field="new_password")
    assert err["reason"] == "must_differ" and err["params"] == {"other": "current_password"}, err
    assert_error(a.post("/api/v1/me/password", {"current_password": old, "new_password": "a brand new pass phrase"},
                        headers={"X-CSRF-Token": "wrong"}), 403, "forbidden")
    # nothing above changed the password or ended a session
    assert b.get("/api/v1/me").status == 200
    new = "a brand new pass phrase"
    r = a.post("/api/v1/me/password", {"current_password": old, "new_password": new})
    assert r.status == 200, r
    assert r.json["changed"] is True and r.json["other_sessions_ended"] in (1, True)
    if r.header("Set-Cookie"):       # the caller may be handed a new session in place of the old one
        a.cookie = r.header("Set-Cookie").split(";")[0].split("=", 1)[1]
        a.csrf = r.json["csrf_token"]
    assert a.get("/api/v1/me").status == 200                 # the caller goes on
    assert_error(b.get("/api/v1/me"), 401, "unauthorized")   # the other one ended
    assert [s["current"] for s in a.get("/api/v1/me/sessions").json["items"]] == [True]
    assert_error(Client(w.server.port, source=fresh_source()).post(
        "/api/v1/session", {"username": name, "password": old}), 401, "unauthorized")
    w.server.anon.login(name, new)


def test_learner_withdraws_from_their_own_enrollment_only(w):
    lr = w.c["learner"]
    before = w.api.get(f"/api/v1/enrollments/{w.e2['id']}")
    assert_error(lr.post(f"/api/v1/enrollments/{w.e2['id']}/withdraw"), 403, "forbidden")
    assert_error(w.c["other_learner"].post(f"/api/v1/enrollments/{w.e1['id']}/withdraw"), 403, "forbidden")
    after = w.api.get(f"/api/v1/enrollments/{w.e2['id']}")
    assert (after.json, after.header("ETag")) == (before.json, before.header("ETag"))
    r = lr.post(f"/api/v1/enrollments/{w.e1w['id']}/withdraw", {"reason": "work"})
    assert r.status == 200, r
    assert r.json["status"] == "withdrawn" and r.json["withdrawal_reason"] == "work" and r.json["withdrawn_at"]
    # the learner reads their records but does not rewrite their enrollment
    assert lr.get(f"/api/v1/enrollments/{w.e1['id']}").status == 200
    assert_error(lr.patch(f"/api/v1/enrollments/{w.e1['id']}", {"status": "completed"}, etag='"1"'), 403,
                 "forbidden")
    # and may correct their own contact details, not someone else's
    me = lr.get(f"/api/v1/persons/{w.l1['id']}")
    r = lr.patch(f"/api/v1/persons/{w.l1['id']}", {"phone": "+86 991 555 0199"}, etag=me.header("ETag"))
    assert r.status == 200 and r.json["phone"] == "+86 991 555 0199", r
    w.l1 = r.json
    assert_error(lr.get(f"/api/v1/persons/{w.l2['id']}"), 403, "forbidden")
    assert_error(lr.patch(f"/api/v1/persons/{w.l2['id']}", {"phone": "1"}, etag='"1"'), 403, "forbidden")


def counts(api, cohort_ids):
    out = {}
    for c in cohort_ids:
        for st in ["applied", "enrolled", "completed", "withdrawn", "not_completed"]:
            out[(c, st)] = api.get(f"/api/v1/enrollments?cohort={c}&status={st}&limit=1").json["total"]
    return out


def test_erase_a_person(w, api):
    make = w.make
    p = make.person(given_name=uniq("Aynur"), family_name=uniq("Tursun"), sex="female", birth_date="2003-01-02",
                    home_area_id=w.town["id"], phone="+86 991 555 0123", email="aynur@example.org",
                    sourced_id=uniq("SIS-"), institution_id=w.A["id"])
    e_a = make.enrollment(p, w.ca1, status="enrolled")
    e_b = make.enrollment(p, w.ca2)
    w.api.post(f"/api/v1/enrollments/{e_b['id']}/withdraw", {"reason": "moved"})
    u = make_user(api, uniq("aynur.t"), "learner", person=p)
    c = w.server.anon.login(u["username"], user_password(u["username"]))
    assert c.get("/api/v1/me").status == 200
    cohorts = [w.ca1["id"], w.ca2["id"]]
    before = counts(api, cohorts)
    total_persons = api.get("/api/v1/persons?limit=1").json["total"]
    area_count = api.get(f"/api/v1/persons?area={w.town['id']}&limit=1").json["total"]

    # only the region administrator erases: not staff of the institution, not the learner
    for who in ["staff_a", "trainer", "learner"]:
        assert_error(w.c[who].post(f"/api/v1/persons/{p['id']}/erase"), 403, "forbidden")
    assert_error(c.post(f"/api/v1/persons/{p['id']}/erase"), 403, "forbidden")
    assert api.get(f"/api/v1/persons/{p['id']}").json == p

    r = api.post(f"/api/v1/persons/{p['id']}/erase")
    assert r.status == 200, r
    x = r.json
    for k in ["family_name", "birth_date", "phone", "email", "sourced_id"]:
        assert x[k] in (None, ""), (k, x[k])
    assert p["given_name"] not in r.body and p["family_name"] not in r.body
    assert x["sex"] == "female" and x["home_area_id"] == w.town["id"] and x["erased_at"]
    assert api.get(f"/api/v1/persons/{p['id']}").json == x
    # their account is gone, with its session
    assert_error(c.get("/api/v1/me"), 401, "unauthorized")
    assert_error(Client(w.server.port, source=fresh_source()).post(
        "/api/v1/session", {"username": u["username"], "password": user_password(u["username"])}),
        401, "unauthorized")
    assert api.get(f"/api/v1/users?person={p['id']}").json["total"] == 0
    assert_error(api.get(f"/api/v1/users/{u['id']}"), 404, "not_found")
    # the old name and external id find nobody
    assert api.get(f"/api/v1/persons?q={p['given_name']}").json["total"] == 0
    assert api.get(f"/api/v1/persons?sourced_id={p['sourced_id']}").json["total"] == 0
    # aggregates are unchanged: persons, home area, enrollments per cohort and status
    assert api.get("/api/v1/persons?limit=1").json["total"] == total_persons
    assert api.get(f"/api/v1/persons?area={w.town['id']}&limit=1").json["total"] == area_count
    assert counts(api, cohorts) == before
    assert api.get(f"/api/v1/enrollments/{e_a['id']}").json["status"] == "enrolled"
    assert api.get(f"/api/v1/enrollments?person={p['id']}").json["total"] == 2
    # nothing about them is left in the database file's persons and users tables
    row = db_query(w.server, "SELECT * FROM persons WHERE id = ?", (p["id"],))[0]
    for v in [p["given_name"], p["family_name"], p["phone"], p["email"], p["sourced_id"], p["birth_date"]]:
        assert v not in [str(c) for c in row], v
    # idempotent
    again = api.post(f"/api/v1/persons/{p['id']}/erase")
    assert again.status == 200 and again.json == x
    assert_error(api.post("/api/v1/persons/99999999/erase"), 404, "not_found")


def test_erase_from_the_command_line(w, api):
    p = w.make.person(given_name=uniq("Cli erase "), phone="+1 555", institution_id=w.A["id"])
    r = guild_cli(w.server, "person", "erase", str(p["id"]))
    assert r.returncode == 0, r.stderr
    x = api.get(f"/api/v1/persons/{p['id']}").json
    assert x["phone"] is None and x["erased_at"] and p["given_name"] not in json.dumps(x)
