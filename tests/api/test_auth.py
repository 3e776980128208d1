"""Signing in and out, sessions, CSRF, API tokens, sign-in throttling and the
security headers (issue 3): what must work and the attacks that must fail."""
import http.client
import re
import socket
import time

import pytest

import conftest
from conftest import (ADMIN_PASSWORD, Client, assert_error, created, db_query, fresh_source, guild_cli, make_user,
                      nothing_changes, uniq, user_password)


def cookie_of(r):
    v = r.header("Set-Cookie")
    assert v, r.headers
    name, value = v.split(";")[0].split("=", 1)
    assert name == "guild_session"
    attrs = [a.strip() for a in v.split(";")[1:]]
    return value, attrs


def now():
    return int(time.time())


# ---------------------------------------------------------------------------
# Sign-in and the session cookie.

def test_cookie_attributes_over_plain_http(server):
    r = server.anon.post("/api/v1/session", {"username": "admin", "password": ADMIN_PASSWORD})
    assert r.status == 200, r
    value, attrs = cookie_of(r)
    assert "HttpOnly" in attrs and "SameSite=Strict" in attrs and "Path=/" in attrs, attrs
    assert "Secure" not in attrs, attrs
    # 256 random bits, base64url
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", value), value
    assert r.json["username"] == "admin" and r.json["roles"] == [{"role": "region_admin"}]
    assert len(r.json["csrf_token"]) >= 43 and r.json["csrf_token"] != value
    # the token is kept only as a hash
    assert db_query(server, "SELECT count(*) FROM sessions WHERE token_hash = ? OR csrf_token = ?",
                    (value, value)) == [(0,)]


def test_cookie_is_secure_behind_tls(server):
    r = server.anon.post("/api/v1/session", {"username": "admin", "password": ADMIN_PASSWORD},
                         headers={"X-Forwarded-Proto": "https"})
    assert r.status == 200, r
    _, attrs = cookie_of(r)
    assert "Secure" in attrs and "HttpOnly" in attrs and "SameSite=Strict" in attrs, attrs


def test_unknown_user_wrong_password_and_disabled_user_look_the_same(server, api):
    name = uniq("disabled.user")
    make_user(api, name)
    assert guild_cli(server, "user", "disable", name).returncode == 0
    anon = Client(server.port, source=fresh_source())      # three failures, from a client of their own
    bad_user = anon.post("/api/v1/session", {"username": uniq("nosuchuser"), "password": ADMIN_PASSWORD})
    bad_pw = anon.post("/api/v1/session", {"username": "admin", "password": ADMIN_PASSWORD + "x"})
    disabled = anon.post("/api/v1/session", {"username": name, "password": user_password(name)})
    assert_error(bad_user, 401, "unauthorized")
    assert (bad_user.status, bad_user.body) == (bad_pw.status, bad_pw.body) == (disabled.status, disabled.body)
    assert bad_user.header("Set-Cookie") is None and bad_pw.header("Set-Cookie") is None
    server.anon.login("admin", ADMIN_PASSWORD)      # clears the username's count


def test_sign_in_body_is_checked(server):
    assert_error(server.anon.post("/api/v1/session", {"username": "admin"}), 422, "validation",
                 field="password")
    assert_error(server.anon.post("/api/v1/session", {"username": "admin", "password": 5}), 422,
                 "validation", field="password")
    assert_error(server.anon.post("/api/v1/session", {"username": "admin", "password": "x", "remember": True}),
                 422, "validation", field="remember")


def test_logout_ends_the_session(server):
    c = server.anon.login("admin", ADMIN_PASSWORD)
    assert c.get("/api/v1/me").status == 200
    r = c.request("DELETE", "/api/v1/session")
    assert r.status == 204, r
    value, attrs = cookie_of(r)
    assert value == "" and "Max-Age=0" in attrs, attrs
    assert_error(c.get("/api/v1/me"), 401, "unauthorized")
    assert_error(c.request("DELETE", "/api/v1/session"), 401, "unauthorized")
    # the administrator's other session is untouched
    assert server.client.get("/api/v1/me").status == 200


def session_id(client):
    items = client.get("/api/v1/me/sessions").json["items"]
    return [s["id"] for s in items if s["current"]][0]


def test_session_past_its_absolute_expiry_is_refused(server):
    c = server.anon.login("admin", ADMIN_PASSWORD)
    sid = session_id(c)
    db_query(server, "UPDATE sessions SET expires_at = ? WHERE id = ?", (now() - 1, sid))
    assert_error(c.get("/api/v1/me"), 401, "unauthorized")
    assert_error(c.post("/api/v1/areas", {"code": uniq("E"), "name": "x", "level": "region"}), 401, "unauthorized")
    # a public page still answers (the stale cookie is ignored there)
    assert c.get("/api/v1/health").status == 200
    assert sid not in [s["id"] for s in server.client.get("/api/v1/me/sessions").json["items"]]


def test_idle_session_is_refused_and_an_active_one_is_kept_alive(server):
    c = server.anon.login("admin", ADMIN_PASSWORD)
    sid = session_id(c)
    db_query(server, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", (now() - 25 * 60, sid))
    assert c.get("/api/v1/me").status == 200     # idle 25 minutes: still fine, and touched
    (seen,), = db_query(server, "SELECT last_seen_at FROM sessions WHERE id = ?", (sid,))
    assert seen >= now() - 5
    db_query(server, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", (now() - 31 * 60, sid))
    assert_error(c.get("/api/v1/me"), 401, "unauthorized")


def test_disabled_user_cannot_sign_in_and_their_session_stops(server, api):
    name = uniq("soon.disabled")
    make_user(api, name, "institution_staff", institution=conftest.Factory(api).institution())
    c = server.anon.login(name, user_password(name))
    assert c.get("/api/v1/cohorts").status == 200
    r = guild_cli(server, "user", "disable", name)
    assert r.returncode == 0, r.stderr
    assert_error(c.get("/api/v1/cohorts"), 401, "unauthorized")
    assert_error(c.get("/api/v1/me"), 401, "unauthorized")
    assert_error(Client(server.port, source=fresh_source()).post(
        "/api/v1/session", {"username": name, "password": user_password(name)}), 401, "unauthorized")
    assert guild_cli(server, "user", "enable", name).returncode == 0
    assert server.anon.login(name, user_password(name)).get("/api/v1/me").json["name"] == name


def test_deleted_user_loses_their_session(server, api, make):
    name = uniq("leaving.user")
    u = make_user(api, name, "institution_staff", institution=make.institution())
    c = server.anon.login(name, user_password(name))
    assert c.get("/api/v1/cohorts").status == 200
    assert_error(api.delete(f"/api/v1/users/{u['id']}", etag='"9"'), 412, "precondition_failed")
    # its grants go first (a user is not deleted from under its roles)
    assert_error(api.delete(f"/api/v1/users/{u['id']}", etag='"1"'), 409, "conflict")
    assert api.delete(f"/api/v1/grants/{u['grant']['id']}").status == 204
    assert api.delete(f"/api/v1/users/{u['id']}", etag='"1"').status == 204
    assert_error(c.get("/api/v1/me"), 401, "unauthorized")
    assert_error(Client(server.port, source=fresh_source()).post(
        "/api/v1/session", {"username": name, "password": user_password(name)}), 401, "unauthorized")


def test_garbage_session_cookie_is_refused(server):
    c = Client(server.port, cookie="A" * 43, csrf="x")
    assert_error(c.get("/api/v1/me"), 401, "unauthorized")
    assert_error(Client(server.port, cookie=server.client.cookie + "x").get("/api/v1/me"), 401, "unauthorized")


# ---------------------------------------------------------------------------
# CSRF: writes authenticated by the cookie need the token or a same-origin header.

def test_cookie_write_without_csrf_token_is_refused_and_changes_nothing(server, api, make):
    area = make.area()
    path = f"/api/v1/areas/{area['id']}"
    no_token = Client(server.port, cookie=api.cookie)
    with nothing_changes(api, path):
        assert_error(no_token.post("/api/v1/areas", {"code": uniq("C"), "name": "x", "level": "region"}), 403,
                     "forbidden", field="X-CSRF-Token")
        assert_error(no_token.patch(path, {"name": "changed"}, etag='"1"'), 403, "forbidden")
        assert_error(no_token.delete(path, etag='"1"'), 403, "forbidden")
        assert_error(no_token.request("DELETE", "/api/v1/session"), 403, "forbidden")
    assert api.get("/api/v1/me").status == 200    # the session did not end


def test_wrong_csrf_token_is_refused(server, api, make):
    area = make.area()
    path = f"/api/v1/areas/{area['id']}"
    other = server.anon.login("admin", ADMIN_PASSWORD)     # another session's token is no good either
    for token in ["wrong", api.csrf[:-1] + ("A" if api.csrf[-1] != "A" else "B"), other.csrf, ""]:
        c = Client(server.port, cookie=api.cookie, csrf=token or None)
        with nothing_changes(api, path):
            assert_error(c.patch(path, {"name": "changed"}, etag='"1"'), 403, "forbidden")


def test_same_origin_header_passes_and_other_origins_do_not(server, api, make):
    area = make.area()
    path = f"/api/v1/areas/{area['id']}"
    c = Client(server.port, cookie=api.cookie)
    for origin in ["http://evil.example", "null", f"http://127.0.0.1:{server.port + 1}",
                   f"http://127.0.0.1:{server.port}.evil.example", "127.0.0.1"]:
        with nothing_changes(api, path):
            assert_error(c.patch(path, {"name": "x"}, etag='"1"', headers={"Origin": origin}), 403, "forbidden")
    r = c.patch(path, {"name": "same origin"}, etag='"1"', headers={"Origin": f"http://127.0.0.1:{server.port}"})
    assert r.status == 200 and r.json["name"] == "same origin", r


def test_reads_need_no_csrf_token(server, api):
    c = Client(server.port, cookie=api.cookie)
    assert c.get("/api/v1/areas").status == 200
    assert c.get("/api/v1/me").status == 200
    assert c.request("HEAD", "/api/v1/areas").status == 200


# ---------------------------------------------------------------------------
# API tokens.

def test_api_token_shown_once_scoped_and_revocable(server, api, make):
    a, b = make.institution(), make.institution()
    pa, pb = make.program(a), make.program(b)
    name = uniq("sis sync ")
    r = api.post("/api/v1/tokens", {"name": name, "role": "institution_staff", "institution_id": a["id"]})
    assert r.status == 201, r
    tok, tid = r.json["token"], r.json["id"]
    assert tok.startswith("gt_") and len(tok) >= 46
    listing = api.get("/api/v1/tokens")
    assert listing.status == 200
    assert tok not in listing.body and tok[3:] not in listing.body
    mine = [t for t in listing.json["items"] if t["id"] == tid]
    assert len(mine) == 1 and "token" not in mine[0] and "token_hash" not in mine[0], mine
    assert mine[0]["role"] == "institution_staff" and mine[0]["institution_id"] == a["id"]
    assert mine[0]["revoked_at"] is None and mine[0]["created_by"] == "user:admin"
    assert db_query(server, "SELECT count(*) FROM api_tokens WHERE token_hash = ?", (tok,)) == [(0,)]

    t = Client(server.port, token=tok)        # no cookie, no CSRF token: none needed
    me = t.get("/api/v1/me").json
    assert me["actor"] == f"token:{name}" and me["user_id"] is None and "csrf_token" not in me
    assert t.get(f"/api/v1/programs/{pa['id']}").status == 200
    assert t.patch(f"/api/v1/programs/{pa['id']}", {"hours": 650}, etag='"1"').status == 200
    with nothing_changes(api, f"/api/v1/programs/{pb['id']}"):
        assert_error(t.patch(f"/api/v1/programs/{pb['id']}", {"hours": 650}, etag='"1"'), 403, "forbidden")
        assert_error(t.post("/api/v1/programs", {"institution_id": b["id"], "title": "x", "isco_code": "7512",
                                                 "hours": 1, "level": 1, "capacity": 1}), 403, "forbidden")
        assert_error(t.get(f"/api/v1/cohorts?institution={b['id']}"), 403, "forbidden")
        assert_error(t.get("/api/v1/users"), 403, "forbidden")
        assert_error(t.post("/api/v1/tokens", {"name": "escalate", "role": "region_admin"}), 403, "forbidden")
    p = created(t.post("/api/v1/programs", {"institution_id": a["id"], "title": uniq("By token "),
                                            "isco_code": "7512", "hours": 1, "level": 1, "capacity": 1}))
    assert p["institution_id"] == a["id"]
    # an API token has no session to end
    assert assert_error(t.request("DELETE", "/api/v1/session"), 400, "bad_request")["reason"] == "token_sign_out"
    err = assert_error(t.post("/api/v1/me/password", {"current_password": "x", "new_password": "y"}), 400, "bad_request")
    assert err["reason"] == "token_no_password", err
    used = [x for x in api.get("/api/v1/tokens").json["items"] if x["id"] == tid][0]
    assert used["last_used_at"] is not None

    assert api.request("DELETE", f"/api/v1/tokens/{tid}").status == 204
    assert_error(t.get("/api/v1/me"), 401, "unauthorized")
    assert_error(t.get(f"/api/v1/programs/{pa['id']}"), 401, "unauthorized")
    revoked = [x for x in api.get("/api/v1/tokens").json["items"] if x["id"] == tid][0]
    assert revoked["revoked_at"] is not None
    err = assert_error(api.request("DELETE", f"/api/v1/tokens/{tid}"), 404, "not_found")
    assert err["reason"] == "ended_or_unknown" and err["params"] == {"entity": "api_token", "id": tid}, err


def test_admin_token_writes_without_csrf(server, api):
    r = api.post("/api/v1/tokens", {"name": uniq("admin integration "), "role": "region_admin"})
    t = Client(server.port, token=r.json["token"])
    created(t.post("/api/v1/areas", {"code": uniq("T"), "name": "By token", "level": "region"}))
    assert t.get("/api/v1/users").status == 200


@pytest.mark.parametrize("header", ["Bearer gt_" + "A" * 43, "Bearer gt_", "Bearer nonsense", "Basic YWRtaW46eA==",
                                    "bearer gt_" + "A" * 43])
def test_garbage_authorization_is_refused(server, header):
    assert_error(server.anon.get("/api/v1/me", headers={"Authorization": header}), 401, "unauthorized")
    assert_error(server.anon.get("/api/v1/areas", headers={"Authorization": header}), 401, "unauthorized")


def test_token_creation_is_checked(server, api, make):
    inst = make.institution()
    roles = "region_admin, institution_staff"
    staff = {"other": "role", "value": "institution_staff"}
    for body, field, reason, params in [
            ({"name": "x", "role": "learner"}, "role", "not_one_of", {"allowed": roles, "got": "learner"}),
            ({"name": "x", "role": "overlord"}, "role", "not_one_of", {"allowed": roles, "got": "overlord"}),
            ({"name": "x", "role": 7}, "role", "not_string", None),
            ({"name": "x", "role": "institution_staff"}, "institution_id", "required_with", staff),
            ({"name": "x", "role": "region_admin", "institution_id": inst["id"]}, "institution_id", "only_with", staff),
            ({"name": "x", "role": "institution_staff", "institution_id": 99999999}, "institution_id", "no_such_record",
             {"entity": "institution", "id": 99999999}),
            ({"name": "x", "role": "institution_staff", "institution_id": "1"}, "institution_id", "not_integer", None),
            ({"name": "", "role": "region_admin"}, "name", "length", {"min": 1, "max": 64, "got": 0}),
            ({"name": "x" * 65, "role": "region_admin"}, "name", "length", {"min": 1, "max": 64, "got": 65}),
            ({"name": "a\u0007b", "role": "region_admin"}, "name", "not_text", None),
            ({"role": "region_admin"}, "name", "required", None),
            ({"name": "x", "role": "region_admin", "secret": "y"}, "secret", "not_accepted", None)]:
        before = len(api.get("/api/v1/tokens").json["items"])
        err = assert_error(api.post("/api/v1/tokens", body), 422, "validation", field=field)
        assert err["reason"] == reason and err.get("params") == params, (body, err)
        assert len(api.get("/api/v1/tokens").json["items"]) == before


# ---------------------------------------------------------------------------
# Accounts: the password rules apply to accounts made through the API, and the
# hash never leaves the server.

def test_user_passwords_are_checked(api):
    name = uniq("newcomer.account")
    for pw in ["short pw 1", "qwerty123456", "QWERTY123456", name, name.upper()]:
        assert_error(api.post("/api/v1/users", {"username": name, "display_name": "N", "password": pw}), 422,
                     "validation", field="password")
    err = assert_error(api.post("/api/v1/users", {"username": name, "display_name": "N"}), 422, "validation",
                       field="password")
    assert err["reason"] == "required", err
    err = assert_error(api.post("/api/v1/users", {"username": "Upper.Case", "display_name": "N",
                                                  "password": "a fine pass phrase 1"}), 422, "validation",
                       field="username")
    assert err["reason"] == "username_form" and err["params"] == {"min": 3, "max": 64}, err
    assert api.get(f"/api/v1/users?username={name}").json["total"] == 0
    u = created(api.post("/api/v1/users", {"username": name, "display_name": "N",
                                           "password": "a fine pass phrase 1"}))
    for r in [api.get(f"/api/v1/users/{u['id']}"), api.get("/api/v1/users?limit=500")]:
        assert r.status == 200
        assert "password_hash" not in r.body and "$argon2" not in r.body and "a fine pass phrase" not in r.body
    assert "password" not in u and "password_hash" not in u


# ---------------------------------------------------------------------------
# Security headers on every response, errors included.

def assert_security_headers(r, what):
    csp = r.header("Content-Security-Policy")
    assert csp, f"{what}: no Content-Security-Policy ({r.status})"
    directives = {d.strip().split(" ", 1)[0]: d.strip() for d in csp.split(";") if d.strip()}
    script = directives.get("script-src") or directives.get("default-src")
    assert script and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, f"{what}: {csp}"
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", f"{what}: {csp}"
    assert r.header("X-Content-Type-Options") == "nosniff", what
    assert r.header("Referrer-Policy"), what


def test_security_headers_on_every_kind_of_response(server, api, make):
    area = make.area()
    anon = server.anon
    no_csrf = Client(server.port, cookie=api.cookie)
    cases = {
        "200 index": anon.get("/"),
        "200 list": api.get("/api/v1/areas"),
        "201 create": api.post("/api/v1/areas", {"code": uniq("H"), "name": "x", "level": "region"}),
        "204 delete": api.delete(f"/api/v1/areas/{make.area()['id']}"),
        "200 sign-in": anon.post("/api/v1/session", {"username": "admin", "password": ADMIN_PASSWORD}),
        "HEAD": api.request("HEAD", "/api/v1/areas"),
        "400 bad json": api.post("/api/v1/areas", raw="{"),
        "401 anonymous": anon.get("/api/v1/me"),
        "401 sign-in": Client(server.port, source=fresh_source()).post(
            "/api/v1/session", {"username": "admin", "password": "not it at all"}),
        "403 csrf": no_csrf.post("/api/v1/areas", {"code": "x", "name": "x", "level": "region"}),
        "404": api.get("/api/v1/nowhere"),
        "405": api.request("PUT", "/api/v1/areas"),
        "412": api.patch(f"/api/v1/areas/{area['id']}", {"name": "y"}, etag='"9"'),
        "413": api.post("/api/v1/areas", raw=b"{" + b" " * (1024 * 1024 + 10) + b"}"),
        "415": api.post("/api/v1/areas", raw="{}", content_type="text/plain"),
        "422": api.post("/api/v1/areas", {"code": "", "name": "x", "level": "region"}),
        "428": api.patch(f"/api/v1/areas/{area['id']}", {"name": "y"}),
    }
    server.anon.login("admin", ADMIN_PASSWORD)       # clears the username's one failure above
    for what, r in cases.items():
        assert what.split()[0] in (str(r.status), "HEAD"), (what, r)
        assert_security_headers(r, what)


def raw_exchange(port, data):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        s.sendall(data)
        out = b""
        while b"\r\n\r\n" not in out:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    finally:
        s.close()
    head = out.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = [tuple(x.strip() for x in line.split(":", 1)) for line in head[1:] if ":" in line]
    return conftest.Response(status, headers, "")


def test_security_headers_on_oversized_headers(server):
    """Headers over 64 KiB are refused by guild's router (431) with its own
    error format and the security headers."""
    big_header = raw_exchange(server.port, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 +
                              b"\r\n\r\n")
    assert big_header.status == 431
    assert_security_headers(big_header, "oversized headers")


def test_requests_refused_before_their_body(server):
    """A body longer than its route takes, a request line that is not HTTP:
    refused by guild's connection guard before a byte of the body is read,
    in guild's own error format with the security headers (they used to be
    libevent's own replies). An anonymous caller's large body is refused
    with the check it fails (401), a signed-in one's with 413."""
    before = server.client.get("/api/v1/areas").json["total"]
    big = b"POST /api/v1/areas HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 18000000\r\n"
    anonymous = raw_exchange(server.port, big + b"\r\n")
    signed_in = raw_exchange(server.port, big + f"Cookie: guild_session={server.client.cookie}\r\n"
                                                f"X-CSRF-Token: {server.client.csrf}\r\n\r\n".encode())
    garbage = raw_exchange(server.port, b"NONSENSE\r\n\r\n")
    assert (anonymous.status, signed_in.status, garbage.status) == (401, 413, 400)
    for r in (anonymous, signed_in, garbage):
        assert_security_headers(r, "refused before the body")
    assert server.client.get("/api/v1/areas").json["total"] == before


# ---------------------------------------------------------------------------
# Sign-in throttling, on a server of its own (every client here is a loopback
# address; 127.0.0.2 and up are separate clients to the server).

_tserver = None


@pytest.fixture(scope="module")
def tserver():
    global _tserver
    for s in conftest.serve():
        _tserver = s
        yield s


def attempt(port, source, username, password, headers=None):
    return Client(port, source=source).post("/api/v1/session", {"username": username, "password": password},
                                            headers=headers)


def failures(server, key):
    rows = db_query(server, "SELECT failures FROM login_throttle WHERE key = ?", (key,))
    return rows[0][0] if rows else 0


def just_failed():
    """Dates the last failure of every key that has reached the limit to
    this very second, at the start of it (the server counts waits in whole
    seconds), so the next few quick requests fall inside the first wait."""
    time.sleep(1.02 - time.time() % 1)
    db_query(_tserver, "UPDATE login_throttle SET last_failure_at = ? WHERE failures >= 5", (now(),))


def test_five_failures_then_429_for_that_user_no_lockout(tserver):
    api = tserver.client
    x, y = uniq("target.user"), uniq("bystander.user")
    make_user(api, x)
    make_user(api, y)
    first = None
    for i in range(5):
        r = attempt(tserver.port, "127.0.0.2", x, "wrong password number %d" % i)
        assert_error(r, 401, "unauthorized")
        first = first or r.body
        assert r.body == first
    assert failures(tserver, f"user:{x}") == 5
    # the client's address is not kept
    assert not db_query(tserver, "SELECT key FROM login_throttle WHERE key LIKE '%127.0.0%'")
    # the first wait is short (a second): the fifth failure is taken as made
    # now, so that a slow machine does not outlast it before the next attempts
    just_failed()
    # the sixth attempt is refused, whatever the password and wherever it comes from
    sixth = attempt(tserver.port, "127.0.0.2", x, "wrong password number 6")
    right_elsewhere = attempt(tserver.port, "127.0.0.3", x, user_password(x))
    # the client that failed five times waits too, for any user, and a
    # forwarded-for header does not make it another client
    client_waits = attempt(tserver.port, "127.0.0.2", y, user_password(y), headers={"X-Forwarded-For": "10.1.2.3"})
    assert_error(sixth, 429, "too_many_requests")
    wait = sixth.header("Retry-After")   # the wait the message names, for a client to honour
    assert wait and int(wait) >= 1 and f"try again in {wait} second" in sixth.json["error"]["message"], sixth
    assert_error(right_elsewhere, 429, "too_many_requests")
    assert_error(client_waits, 429, "too_many_requests")
    assert failures(tserver, f"user:{x}") == 5          # refused attempts are not checked, nor counted
    # another user from another client is not affected
    assert attempt(tserver.port, "127.0.0.4", y, user_password(y)).status == 200
    # no permanent lockout: once the wait is over, the right password works
    db_query(tserver, "UPDATE login_throttle SET last_failure_at = last_failure_at - 3600")
    ok = attempt(tserver.port, "127.0.0.2", x, user_password(x))
    assert ok.status == 200, ok
    assert failures(tserver, f"user:{x}") == 0


def test_one_client_failing_for_many_users_is_slowed(tserver):
    for i in range(5):
        assert_error(attempt(tserver.port, "127.0.0.5", uniq(f"guess{i}."), "password guess"), 401, "unauthorized")
    just_failed()
    assert_error(attempt(tserver.port, "127.0.0.5", "admin", ADMIN_PASSWORD), 429, "too_many_requests")
    assert attempt(tserver.port, "127.0.0.6", "admin", ADMIN_PASSWORD).status == 200
    db_query(tserver, "UPDATE login_throttle SET last_failure_at = last_failure_at - 3600")
    assert attempt(tserver.port, "127.0.0.5", "admin", ADMIN_PASSWORD).status == 200


def wait_of(r):
    assert_error(r, 429, "too_many_requests")
    return int(re.search(r"(\d+) seconds", r.json["error"]["message"]).group(1))


def test_the_wait_grows_exponentially_and_is_capped(tserver):
    x = uniq("slowed.user")
    make_user(tserver.client, x)
    waits = []
    for n in [6, 8, 10, 40]:
        db_query(tserver, "INSERT INTO login_throttle (key, failures, last_failure_at) VALUES (?, ?, ?) "
                          "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
                          "last_failure_at = excluded.last_failure_at", (f"user:{x}", n, now()))
        waits.append(wait_of(attempt(tserver.port, "127.0.0.7", x, user_password(x))))
    assert 1 <= waits[0] <= 2 and 3 <= waits[1] <= 8 and 15 <= waits[2] <= 32, waits
    assert 60 <= waits[3] <= 15 * 60, waits
    db_query(tserver, "DELETE FROM login_throttle WHERE key = ?", (f"user:{x}",))
    assert attempt(tserver.port, "127.0.0.7", x, user_password(x)).status == 200
