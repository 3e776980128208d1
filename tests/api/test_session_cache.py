"""With session lookups cached per thread (`guild serve --session-cache`),
everything that ends or narrows a session through the server still takes
effect at once: sign-out, revoking a session, disabling the user, changing
the password, revoking a grant. (Changes made behind the server's back — in
the database or through the CLI — take effect within the cache's seconds;
that is documented, not tested, because it is a matter of time.)"""
import pytest

import conftest
from conftest import ADMIN_PASSWORD, Client, assert_error, make_user, user_password


@pytest.fixture(scope="module")
def cserver():
    yield from conftest.serve(threads=1, session_cache=60)


def fresh(cserver, role="region_admin"):
    api = cserver.client
    name = conftest.uniq("cached")
    make_user(api, name, role=role)
    c = cserver.anon.login(name, user_password(name))
    assert c.get("/api/v1/me").status == 200   # now cached on the one thread
    assert c.get("/api/v1/me").status == 200
    return api, name, c


def user_id(api, name):
    return api.get(f"/api/v1/users?username={name}").json["items"][0]


def test_sign_out_ends_a_cached_session_at_once(cserver):
    api, name, c = fresh(cserver)
    assert c.request("DELETE", "/api/v1/session").status == 204
    assert_error(c.get("/api/v1/me"), 401, "unauthorized")


def test_revoked_session_ends_at_once(cserver):
    api, name, c = fresh(cserver)
    other = cserver.anon.login(name, user_password(name))
    sid = [s for s in other.get("/api/v1/me/sessions").json["items"] if not s["current"]][0]["id"]
    assert other.request("DELETE", f"/api/v1/me/sessions/{sid}").status == 204
    assert_error(c.get("/api/v1/me"), 401, "unauthorized")


def test_disabled_user_is_out_at_once(cserver):
    api, name, c = fresh(cserver)
    u = user_id(api, name)
    assert api.patch(f"/api/v1/users/{u['id']}", {"disabled": True}, etag=f'"{u["version"]}"').status == 200
    assert_error(c.get("/api/v1/me"), 401, "unauthorized")


def test_revoked_grant_applies_at_once(cserver):
    api, name, c = fresh(cserver)
    assert c.get("/api/v1/users").status == 200
    u = user_id(api, name)
    grant = api.get(f"/api/v1/grants?user={u['id']}").json["items"][0]
    assert api.delete(f"/api/v1/grants/{grant['id']}").status == 204
    assert_error(c.get("/api/v1/users"), 403, "forbidden")


def test_new_password_ends_other_cached_sessions(cserver):
    api, name, c = fresh(cserver)
    other = cserver.anon.login(name, user_password(name))
    r = other.post("/api/v1/me/password", {"current_password": user_password(name),
                                           "new_password": "a brand new passphrase 77"})
    assert r.status == 200, r
    assert_error(c.get("/api/v1/me"), 401, "unauthorized")
    assert Client(cserver.port).login(name, "a brand new passphrase 77").get("/api/v1/me").status == 200
    assert ADMIN_PASSWORD  # the administrator is untouched
    assert api.get("/api/v1/me").status == 200


def test_the_cache_is_used(cserver):
    """A session ended behind the server's back (in the database) is still
    honoured from the cache — well within its 60 seconds — while a session
    never seen before is looked up and refused."""
    api, name, c = fresh(cserver)
    conftest.db_query(cserver, "UPDATE sessions SET revoked_at = 1 WHERE revoked_at IS NULL AND user_id = "
                               "(SELECT id FROM users WHERE username = ?)", (name,))
    assert c.get("/api/v1/me").status == 200
    late = Client(cserver.port, cookie="not-a-session-anyone-has", csrf="x")
    assert_error(late.get("/api/v1/me"), 401, "unauthorized")
