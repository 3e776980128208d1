"""The browser interface embedded in the binary (src/http/web.c): GET /
answers the application to browsers and the JSON index to API clients;
hashed assets are cached for a year and sent gzip-compressed when the
client takes it; the client's own routes get index.html; /api and below
always answer JSON. When the binary was built without the interface (no
npm), the same paths answer as the API alone does."""
import gzip
import http.client
import json
import os
import re

import pytest

from conftest import assert_error

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
BUILT = os.path.exists(os.path.join(ROOT, "build", "web-dist", "index.html"))
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


class Raw:
    """An answer read as bytes, by a plain connection (not recorded as an
    API route exercised: these paths are not API routes)."""

    def __init__(self, port, path, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        self.status, self.headers, self.body = r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        conn.close()

    def header(self, name):
        return self.headers.get(name.lower())


def has_ui(api):
    return (Raw(api.port, "/", HTML).header("Content-Type") or "").startswith("text/html")


def test_index_is_json_for_api_clients(api):
    for accept in (None, "application/json", "*/*"):
        r = api.get("/", headers={"Accept": accept} if accept else None)
        assert r.status == 200 and r.json["api"] == "/api/v1", r


def test_the_application_when_built(api):
    if not BUILT:
        pytest.skip("built without the web interface (no npm): see test_without_the_application")
    assert has_ui(api), "build/web-dist exists but the binary does not serve it"
    r = Raw(api.port, "/", HTML)
    html = r.body.decode()
    assert r.status == 200 and '<div id="app">' in html
    assert r.header("Cache-Control") == "no-cache"
    assert "Accept" in r.header("Vary")
    csp = r.header("Content-Security-Policy")
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert not re.search(r"<script(?![^>]*\ssrc=)", html), "no inline scripts"
    js = re.search(r'<script type="module" crossorigin src="(/assets/[^"]+\.js)"', html).group(1)
    a = Raw(api.port, js)
    assert a.status == 200 and a.header("Content-Type").startswith("text/javascript")
    assert a.header("Cache-Control") == "public, max-age=31536000, immutable"
    assert a.header("Content-Encoding") is None
    z = Raw(api.port, js, {"Accept-Encoding": "gzip, deflate"})
    assert z.header("Content-Encoding") == "gzip" and "Accept-Encoding" in z.header("Vary")
    assert gzip.decompress(z.body) == a.body and len(z.body) < len(a.body) / 2
    # the client's own routes get index.html; a stale hashed name and the API do not
    for path in ("/programs", "/programs/12", "/learning"):
        p = Raw(api.port, path)
        assert p.status == 200 and p.body == r.body and p.header("Cache-Control") == "no-cache", path
    for path in ("/assets/index-0000000.js", "/api/v1/nothing", "/api"):
        p = Raw(api.port, path, HTML)
        assert p.status == 404 and json.loads(p.body)["error"]["code"] == "not_found", path


def test_without_the_application(api):
    if BUILT:
        pytest.skip("built with the web interface: see test_the_application_when_built")
    assert not has_ui(api)
    assert_error(api.get("/programs/12", headers=HTML), 404, "not_found")


def test_changes_to_app_paths_are_not_routes(api):
    """Only GET and HEAD reach the interface's files; other methods get the API's answer."""
    r = api.post("/programs/12", {})
    assert_error(r, 404, "not_found")


def test_a_refused_encoding_or_type_is_respected(api):
    """q=0 refuses: gzip;q=0 gets the plain bytes, text/html;q=0 the JSON
    index; a token is matched whole (x-gzip is not gzip)."""
    if not BUILT:
        pytest.skip("built without the web interface (no npm)")
    html = Raw(api.port, "/", HTML).body.decode()
    js = re.search(r'src="(/assets/[^"]+\.js)"', html).group(1)
    for enc in ("gzip;q=0", "gzip; q=0.0, deflate", "x-gzip", "identity"):
        assert Raw(api.port, js, {"Accept-Encoding": enc}).header("Content-Encoding") is None, enc
    for enc in ("deflate, GZIP;q=0.5", "br,gzip"):
        assert Raw(api.port, js, {"Accept-Encoding": enc}).header("Content-Encoding") == "gzip", enc
    j = Raw(api.port, "/", {"Accept": "text/html;q=0, application/json"})
    assert j.header("Content-Type").startswith("application/json") and json.loads(j.body)["api"] == "/api/v1"
    assert Raw(api.port, "/", {"Accept": "text/html5"}).header("Content-Type").startswith("application/json")
