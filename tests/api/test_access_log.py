"""The access log: one line per request, "access METHOD PATH STATUS Nus",
flushed every 200 ms and at shutdown."""
import re
import tempfile
import time
import urllib.parse

import pytest

from conftest import Server, assert_clean_log

LINE = re.compile(r"^access (GET|POST|PATCH|PUT|DELETE|HEAD|OPTIONS|OTHER) (\S+) (\d{3}) (\d+)us$")


def wait_for_log(server, pattern, deadline_s=10):
    """Polls the log until a line matches (the buffer is flushed every
    200 ms); returns the matching lines."""
    rx = re.compile(pattern, re.M)
    end = time.time() + deadline_s
    while True:
        found = rx.findall(server.read_log())
        if found or time.time() > end:
            return found
        time.sleep(0.05)


def test_access_lines(server, api, make):
    a = make.area()
    api.get("/api/v1/health")
    api.get("/api/v1/no/such/thing")
    api.request("PUT", "/api/v1/areas")
    api.patch(f"/api/v1/areas/{a['id']}", {"name": "x"})
    api.delete(f"/api/v1/areas/{a['id']}")
    # each server thread flushes its own buffer: wait for every line, not
    # only the last request's (another thread's may come later)
    for pat in [rf"^access DELETE /api/v1/areas/{a['id']} 204 \d+us$",
                r"^access GET /api/v1/health 200 \d+us$",
                r"^access POST /api/v1/areas 201 \d+us$",
                r"^access GET /api/v1/no/such/thing 404 \d+us$",
                r"^access PUT /api/v1/areas 405 \d+us$",
                rf"^access PATCH /api/v1/areas/{a['id']} 428 \d+us$"]:
        assert wait_for_log(server, pat), pat
    log = server.read_log()
    lines = [l for l in log.splitlines() if l.startswith("access ")]
    assert lines and all(LINE.match(l) for l in lines), [l for l in lines if not LINE.match(l)][:5]


def test_query_string_is_not_logged(server, api, make):
    """Names searched for stay out of the log: the path is logged without
    its query string."""
    api.get("/api/v1/persons?q=" + urllib.parse.quote("SecretName阿依"))
    api.get("/api/v1/persons?limit=3&offset=1")
    assert wait_for_log(server, r"^access GET /api/v1/persons 200 \d+us$")
    log = server.read_log()
    assert "SecretName" not in log and "阿依" not in log and "limit=3" not in log


def test_every_request_is_logged_once(server, api):
    marker = "/api/v1/areas/987654"
    for _ in range(25):
        api.get(marker)
    found = []
    end = time.time() + 10
    while len(found) < 25 and time.time() < end:
        found = wait_for_log(server, rf"^access GET {marker} 404 \d+us$")
        time.sleep(0.05)
    assert len(found) == 25


def test_log_flushed_at_shutdown():
    with tempfile.TemporaryDirectory() as d:
        s = Server(d)
        try:
            for _ in range(5):
                assert s.client.get("/api/v1/health").status == 200
            assert s.client.get("/api/v1/occupations?level=1").status == 200
        finally:
            rc = s.stop()
        log = s.read_log()
        assert rc == 0, log
        assert len(re.findall(r"^access GET /api/v1/health 200 \d+us$", log, re.M)) == 5
        assert re.search(r"^access GET /api/v1/occupations 200 \d+us$", log, re.M)
        assert_clean_log(log)
