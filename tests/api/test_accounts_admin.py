"""Administering accounts through the API (the browser's administration
screens use these routes): one-time passwords that must be changed at the
first sign-in before anything else, password resets, the accounts list with
grants and open sessions, a user's sessions, API tokens that expire, and the
audit log's filters by record and time."""
import calendar
import re
import subprocess
import time

from conftest import (GUILD, Client, assert_error, created, db_query, guild_cli, make_user, new_database, uniq,
                      user_password)


def name():
    return uniq("acct").replace("-", ".")


def reset(api, user):
    r = api.post(f"/api/v1/users/{user['id']}/password_reset")
    assert r.status == 200, r
    pw = r.json["one_time_password"]
    assert len(pw) == 20 and r.json["password_must_change"] is True
    return pw


def test_a_reset_password_must_be_changed_before_anything_else(server, api, make):
    u = make_user(api, name(), "institution_staff", institution=make.institution())
    old = server.anon.login(u["username"], user_password(u["username"]))
    pw = reset(api, u)
    # the reset ended the user's sessions, and the old password no longer signs in
    assert_error(old.get("/api/v1/me"), 401, "unauthorized")
    assert_error(server.anon.post("/api/v1/session", {"username": u["username"],
                                                       "password": user_password(u["username"])}), 401, "unauthorized")
    c = server.anon.login(u["username"], pw)
    me = c.get("/api/v1/me")
    assert me.status == 200 and me.json["password_must_change"] is True, me
    # every other route, read or write, own data or not, is refused with its own code
    for method, path, body in [("GET", "/api/v1/areas", None), ("GET", "/api/v1/me/sessions", None),
                               ("GET", "/api/v1/me/export", None), ("GET", "/api/v1/stats/overview", None),
                               ("GET", "/api/v1/competitions/stats", None),
                               ("POST", "/api/v1/persons", {"given_name": "Never"}),
                               ("GET", f"/api/v1/users/{u['id']}", None)]:
        assert_error(c.request(method, path, body=body), 403, "password_change_required")
    # public routes stay public
    assert c.get("/api/v1/health").status == 200
    # the one-time password itself is not a new password
    assert_error(c.post("/api/v1/me/password", {"current_password": pw, "new_password": pw}), 422, "validation",
                 field="new_password")
    new = f"my own chosen phrase {u['id']} x"
    r = c.post("/api/v1/me/password", {"current_password": pw, "new_password": new})
    assert r.status == 200, r
    c2 = server.anon.login(u["username"], new)
    assert c2.get("/api/v1/me").json["password_must_change"] is False
    assert c2.get("/api/v1/areas").status == 200
    rec = api.get(f"/api/v1/users/{u['id']}").json
    assert rec["password_must_change"] is False


def test_a_password_given_by_the_administrator_is_not_one_time_unless_flagged(server, api):
    u = make_user(api, name())
    assert u["password_must_change"] is False
    c = server.anon.login(u["username"], user_password(u["username"]))
    assert c.get("/api/v1/me/sessions").status == 200
    # the administrator may require a change: the open session is held at once
    rec = api.get(f"/api/v1/users/{u['id']}")
    r = api.patch(f"/api/v1/users/{u['id']}", {"password_must_change": True}, etag=rec.header("ETag"))
    assert r.status == 200 and r.json["password_must_change"] is True, r
    assert_error(c.get("/api/v1/me/sessions"), 403, "password_change_required")
    assert c.get("/api/v1/me").json["password_must_change"] is True
    # a user created with the flag must change at the first sign-in
    v = created(api.post("/api/v1/users", {"username": name(), "display_name": "Flagged",
                                           "password": "a given pass phrase 77", "password_must_change": True}))
    d = server.anon.login(v["username"], "a given pass phrase 77")
    assert_error(d.get("/api/v1/areas"), 403, "password_change_required")
    # signing out is still possible
    assert d.delete("/api/v1/session").status == 204


def test_generated_cli_passwords_are_one_time_and_stdin_ones_are_not(server, api):
    n = name()
    r = guild_cli(server, "user", "add", n, "--role", "region_admin")
    assert r.returncode == 0, r.stderr
    assert "to be changed at the first sign-in" in r.stdout
    pw = re.search(r"one-time password: (\S+)", r.stdout).group(1)
    c = server.anon.login(n, pw)
    assert_error(c.get("/api/v1/areas"), 403, "password_change_required")
    # an operator who types the password chooses it: not one-time (the browser tests' accounts)
    r = guild_cli(server, "user", "passwd", n, "--password-stdin", stdin="an operator's own phrase 5\n")
    assert r.returncode == 0, r.stderr
    c = server.anon.login(n, "an operator's own phrase 5")
    assert c.get("/api/v1/areas").status == 200
    # a generated one is
    r = guild_cli(server, "user", "passwd", n)
    pw = re.search(r"one-time password: (\S+)", r.stdout).group(1)
    c = server.anon.login(n, pw)
    assert c.get("/api/v1/me").json["password_must_change"] is True
    assert_error(c.get("/api/v1/areas"), 403, "password_change_required")


def test_guild_init_without_stdin_makes_a_one_time_administrator(tmp_path):
    db = new_database(str(tmp_path), "init.db")
    r = subprocess.run([GUILD, "init", "--db", db], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "to be changed at the first sign-in" in r.stdout
    r = subprocess.run([GUILD, "user", "list", "--db", db], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "admin" in r.stdout


def test_the_accounts_list_shows_grants_and_open_sessions(server, api, make):
    inst = make.institution()
    tag = uniq("lst").replace("-", "")
    u = make_user(api, f"{tag}.staff", "institution_staff", institution=inst)
    p = make.person()
    v = make_user(api, f"{tag}.judge", "judge", person=p)
    server.anon.login(u["username"], user_password(u["username"]))
    server.anon.login(u["username"], user_password(u["username"]))
    r = api.get(f"/api/v1/accounts?q={tag}")
    assert r.status == 200 and r.json["total"] == 2, r
    by = {a["username"]: a for a in r.json["items"]}
    a = by[u["username"]]
    assert [(g["role"], g["institution_id"]) for g in a["grants"]] == [("institution_staff", inst["id"])]
    assert a["open_sessions"] == 2 and a["disabled"] is False and "password_hash" not in a
    assert by[v["username"]]["grants"][0]["role"] == "judge" and by[v["username"]]["open_sessions"] == 0
    assert by[v["username"]]["person_id"] == p["id"]
    # the users list's filters: by role, and paging
    r = api.get(f"/api/v1/accounts?q={tag}&role=judge")
    assert [a["username"] for a in r.json["items"]] == [v["username"]]
    r = api.get(f"/api/v1/accounts?q={tag}&limit=1")
    assert len(r.json["items"]) == 1 and r.json["next_after"] == r.json["items"][0]["id"]
    assert_error(api.get("/api/v1/accounts?colour=blue"), 422, "validation", field="colour")
    assert_error(api.get("/api/v1/accounts?role=wizard"), 422, "validation", field="role")


def test_an_administrator_lists_and_ends_a_users_sessions(server, api):
    u = make_user(api, name())
    c1 = server.anon.login(u["username"], user_password(u["username"]))
    c2 = server.anon.login(u["username"], user_password(u["username"]))
    r = api.get(f"/api/v1/users/{u['id']}/sessions")
    assert r.status == 200 and len(r.json["items"]) == 2, r
    assert all(s["current"] is False for s in r.json["items"])
    first = r.json["items"][0]["id"]
    assert api.delete(f"/api/v1/users/{u['id']}/sessions/{first}").status == 204
    assert_error(c1.get("/api/v1/me"), 401, "unauthorized")
    assert c2.get("/api/v1/me").status == 200
    # a session is ended once; another user's session is not this user's
    assert_error(api.delete(f"/api/v1/users/{u['id']}/sessions/{first}"), 404, "not_found")
    other = make_user(api, name())
    second = r.json["items"][1]["id"]
    assert_error(api.delete(f"/api/v1/users/{other['id']}/sessions/{second}"), 404, "not_found")
    assert c2.get("/api/v1/me").status == 200
    err = assert_error(api.get("/api/v1/users/999999/sessions"), 404, "not_found")
    assert err["reason"] == "not_found" and err["params"] == {"entity": "user", "id": 999999}, err
    # a disabled account has no open sessions: they ended with it
    rec = api.get(f"/api/v1/users/{u['id']}")
    assert api.patch(f"/api/v1/users/{u['id']}", {"disabled": True}, etag=rec.header("ETag")).status == 200
    assert api.get(f"/api/v1/users/{u['id']}/sessions").json["items"] == []
    acct = api.get(f"/api/v1/accounts?username={u['username']}").json["items"][0]
    assert acct["disabled"] is True and acct["open_sessions"] == 0
    assert_error(c2.get("/api/v1/me"), 401, "unauthorized")
    # the revocation is in the audit log, filtered by record
    r = api.get(f"/api/v1/audit?entity=session&entity_id={first}")
    assert [e["action"] for e in r.json["items"]] == ["revoke"], r


def test_api_tokens_expire(server, api):
    for bad, reason in [(0, "range"), (731, "range"), ("7", "not_integer"), (1.5, "not_integer")]:
        err = assert_error(api.post("/api/v1/tokens", {"name": uniq("t "), "role": "region_admin", "expires_in_days": bad}),
                           422, "validation", field="expires_in_days")
        assert err["reason"] == reason and err["params"]["min"] == 1 and err["params"]["max"] == 730, err
        assert reason != "range" or err["params"]["got"] == bad, err
    r = api.post("/api/v1/tokens", {"name": uniq("exp "), "role": "region_admin", "expires_in_days": 30})
    assert r.status == 201 and r.json["expires_at"] and r.json["token"].startswith("gt_"), r
    tok, tid = r.json["token"], r.json["id"]
    listed = {t["id"]: t for t in api.get("/api/v1/tokens").json["items"]}
    assert listed[tid]["expires_at"] == r.json["expires_at"] and "token" not in listed[tid]
    t = Client(server.port, token=tok)
    assert t.get("/api/v1/areas").status == 200
    db_query(server, "UPDATE api_tokens SET expires_at = ? WHERE id = ?", (int(time.time()) - 5, tid))
    assert_error(t.get("/api/v1/areas"), 401, "unauthorized")
    r = api.post("/api/v1/tokens", {"name": uniq("never "), "role": "region_admin"})
    assert r.status == 201 and r.json["expires_at"] is None


def test_audit_filters_by_record_and_time(server, api, make):
    p = make.person()
    r = api.get(f"/api/v1/audit?entity=person&entity_id={p['id']}")
    assert r.status == 200 and [e["action"] for e in r.json["items"]] == ["create"], r
    at = r.json["items"][0]["at"]
    t = calendar.timegm(time.strptime(at, "%Y-%m-%dT%H:%M:%SZ"))
    assert api.get(f"/api/v1/audit?entity_id={p['id']}&entity=person&until={t}").json["items"] == []
    assert len(api.get(f"/api/v1/audit?entity_id={p['id']}&entity=person&until={t + 1}").json["items"]) == 1
    assert len(api.get(f"/api/v1/audit?entity_id={p['id']}&entity=person&since={t}").json["items"]) == 1
    err = assert_error(api.get("/api/v1/audit?until=yesterday"), 422, "validation", field="until")
    assert err["reason"] == "not_integer" and "seconds since 1970" in err["message"], err
    err = assert_error(api.get("/api/v1/audit?entity_id=-1"), 422, "validation", field="entity_id")
    assert err["reason"] == "range" and err["params"]["min"] == 0 and err["params"]["got"] == -1, err
    err = assert_error(api.get("/api/v1/audit?limit=1001"), 422, "validation", field="limit")
    assert err["reason"] == "range" and err["params"] == {"min": 1, "max": 1000, "got": 1001}, err
    err = assert_error(api.get("/api/v1/audit?who=me"), 422, "validation", field="who")
    assert err["reason"] == "no_such_param" and "filtered by entity" in err["message"], err


def test_only_administrators_reset_passwords(server, api, make):
    inst = make.institution()
    staff = make_user(api, name(), "institution_staff", institution=inst)
    c = server.anon.login(staff["username"], user_password(staff["username"]))
    other = make_user(api, name(), "institution_staff", institution=inst)
    # staff administer no accounts today, not even their own institution's (the rule is pol_admin)
    assert_error(c.post(f"/api/v1/users/{other['id']}/password_reset"), 403, "forbidden")
    assert_error(c.get("/api/v1/accounts"), 403, "forbidden")
    assert_error(c.get(f"/api/v1/users/{other['id']}/sessions"), 403, "forbidden")
    assert server.anon.login(other["username"], user_password(other["username"]))


def test_a_grant_s_rules_are_named(api, make):
    """A grant of institution_staff names its institution and only it does;
    trainer, judge and learner act through the user's person. Each refusal
    names its rule with the role it concerns; nothing is granted."""
    u = make_user(api, name())
    inst = make.institution()
    staff = {"other": "role", "value": "institution_staff"}
    for body, field, reason, params in [
            ({"role": "institution_staff"}, "institution_id", "required_with", staff),
            ({"role": "region_admin", "institution_id": inst["id"]}, "institution_id", "only_with", staff),
            ({"role": "trainer"}, "role", "role_needs_person", {"role": "trainer"}),
            ({"role": "learner"}, "role", "role_needs_person", {"role": "learner"})]:
        err = assert_error(api.post("/api/v1/grants", {"user_id": u["id"], **body}), 422, "validation", field=field)
        assert err["reason"] == reason and err.get("params") == params, (body, err)
    assert api.get(f"/api/v1/grants?user={u['id']}").json["total"] == 0
