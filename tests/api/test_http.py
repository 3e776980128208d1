"""HTTP-level behaviour of the router: exact body-size limit, keep-alive,
percent-decoding of the path and query (no NUL smuggling, %2F is not a
separator), response headers."""
import http.client
import json

import pytest

from conftest import assert_error, nothing_changes


def test_body_limit_is_exactly_one_mib(api):
    empty = len(json.dumps({"code": "c", "name": "", "level": "region"}))
    at = json.dumps({"code": "c", "name": "x" * (1024 * 1024 - empty), "level": "region"})
    over = json.dumps({"code": "c", "name": "x" * (1024 * 1024 - empty + 1), "level": "region"})
    assert len(at) == 1024 * 1024 and len(over) == 1024 * 1024 + 1
    with nothing_changes(api):
        assert_error(api.post("/api/v1/areas", raw=at), 422, "validation", field="name")  # read, then judged
        assert_error(api.post("/api/v1/areas", raw=over), 413, "payload_too_large")


def auth_headers(server):
    return {"Cookie": f"guild_session={server.client.cookie}", "X-CSRF-Token": server.client.csrf}


def test_keep_alive_connection_serves_many_requests(server, make):
    a = make.area()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        for i in range(20):
            conn.request("GET", f"/api/v1/areas/{a['id']}", headers=auth_headers(server))
            r = conn.getresponse()
            body = r.read()
            assert r.status == 200 and json.loads(body)["id"] == a["id"]
            conn.request("GET", "/api/v1/nothing")
            r = conn.getresponse()
            assert r.status == 404 and json.loads(r.read())["error"]["code"] == "not_found"
        body = json.dumps({"name": "via keep-alive"})
        conn.request("PATCH", f"/api/v1/areas/{a['id']}", body=body,
                     headers={"Content-Type": "application/json", "If-Match": '"1"', **auth_headers(server)})
        r = conn.getresponse()
        assert r.status == 200 and json.loads(r.read())["name"] == "via keep-alive"
    finally:
        conn.close()


def test_percent_encoded_path_is_decoded(api, make):
    a = make.area()
    r = api.get(f"/api/v1/are%61s/{a['id']}")
    assert r.status == 200 and r.json["id"] == a["id"]


def test_encoded_slash_is_not_a_path_separator(api, make):
    a = make.area()
    assert_error(api.get(f"/api/v1/areas%2F{a['id']}"), 404, "not_found")


@pytest.mark.parametrize("path", ["/api/v1/health%00.html", "/api/v1/areas/1%00", "/api/v1/areas%00/x"])
def test_nul_in_path_is_not_truncated(api, make, path):
    make.area()
    r = api.get(path)
    assert r.status in (400, 404), r
    assert_error(r, r.status, "not_found" if r.status == 404 else "bad_request")


@pytest.mark.parametrize("query,field", [("q=ab%00zzz", "q"), ("sourced_id=x%00y", "sourced_id"),
                                         ("area=1%00", "area")])
def test_nul_in_query_value_is_refused(api, make, query, field):
    """A NUL byte must not silently cut the value short (q=ab%00zzz must not
    search for 'ab')."""
    make.person(given_name="Abdulla")
    r = api.get(f"/api/v1/persons?{query}")
    assert r.status in (400, 422), r
    assert_error(r, r.status, "validation" if r.status == 422 else "bad_request")


def test_malformed_query_string(api):
    for q in ["limit", "=1", "limit=1&&"]:
        assert_error(api.get(f"/api/v1/areas?{q}"), 400, "bad_request")


def test_too_many_query_parameters(api):
    q = "&".join(f"p{i}=1" for i in range(40))
    assert_error(api.get(f"/api/v1/areas?{q}"), 400, "bad_request")


def test_response_headers(api, make):
    a = make.area()
    r = api.get(f"/api/v1/areas/{a['id']}")
    assert r.header("Content-Type") == "application/json; charset=utf-8"
    assert r.header("X-Content-Type-Options") == "nosniff"
    assert r.header("Cache-Control") == "no-store"
    assert r.header("ETag") == '"1"'
    assert int(r.header("Content-Length")) == len(r.body.encode())


def test_delete_response_has_no_body(api, make):
    a = make.area()
    r = api.delete(f"/api/v1/areas/{a['id']}")
    assert r.status == 204 and r.body == "" and r.header("ETag") is None
