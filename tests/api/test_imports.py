"""Background imports through the API: POST /api/v1/imports (a CSV body,
text/csv) answers 202 with the import and its Location; the server's import
runner does the work while GET /api/v1/imports/{id} reports status,
progress, counts and the error report (also as CSV); GET /api/v1/imports
lists the caller's own. All or nothing as on the command line, skip_invalid,
map; 413, 415 and the other refusals; and a server stopped (SIGTERM) or
killed (SIGKILL) in the middle of an import leaves nothing of it behind and
the import marked failed."""
import csv
import io
import os
import signal
import tempfile
import time
import urllib.parse

import pytest

from conftest import (ENGINE, Factory, Server, assert_clean_log, assert_error, db_query, make_user, nothing_changes,
                      uniq, user_password)
from test_shutdown import start_on

HEADER = "sourced_id,given_name,family_name,sex,birth_date,home_area_code,phone,email\n"


def upload(client, text, query="kind=persons", content_type="text/csv"):
    return client.request("POST", f"/api/v1/imports?{query}", raw=text.encode() if isinstance(text, str) else text,
                          content_type=content_type)


def wait_until(client, import_id, statuses=("done", "failed"), pred=None, seconds=120):
    """Polls the import until its status is one of statuses (and pred holds)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        r = client.get(f"/api/v1/imports/{import_id}")
        assert r.status == 200, r
        if r.json["status"] in statuses and (pred is None or pred(r.json)):
            return r.json
        time.sleep(0.05)
    raise AssertionError(f"import {import_id} still {r.json['status']}: {r.json}")


def queued(r):
    assert r.status == 202, r
    assert r.header("Location") == f"/api/v1/imports/{r.json['id']}"
    assert r.json["status"] == "queued" and r.json["started_at"] is None
    return r.json


@pytest.fixture(scope="module")
def area(api):
    return Factory(api).tree()[3]


def test_upload_runs_in_the_background(api, area):
    tag = uniq("IMP")
    text = HEADER + (f"{tag}-1,Gulnar,Abdulla,female,2004-05-06,{area['code']},+86 1,g@example.org\r\n"
                     f'{tag}-2,"Chen, Wei",陈,male,,,,\r\n')
    job = queued(upload(api, text, "kind=persons&name=roster.csv"))
    assert job["kind"] == "persons" and job["file_name"] == "roster.csv" and job["bytes"] == len(text.encode())
    assert job["actor"] == "user:admin" and job["skip_invalid"] is False
    done = wait_until(api, job["id"])
    assert done["status"] == "done", done
    assert done["counts"] == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "invalid": 0, "errors": 0}
    assert done["progress"] == {"rows_done": 2, "bytes_share": 1.0}
    assert done["error"] is None and done["errors"] == [] and len(done["digest"]) == 64
    assert done["started_at"] and done["finished_at"]
    p = api.get(f"/api/v1/persons?sourced_id={tag}-2").json["items"][0]
    assert (p["given_name"], p["family_name"], p["sex"]) == ("Chen, Wei", "陈", "male")
    p1 = api.get(f"/api/v1/persons?sourced_id={tag}-1").json["items"][0]
    assert p1["home_area_id"] == area["id"]
    # one audit entry for the import, as the uploader
    log = api.get("/api/v1/audit?entity=persons&limit=500").json["items"]
    assert any(x["action"] == "import" and x["actor"] == "user:admin" and x["digest"] == done["digest"]
               for x in log), log[-3:]
    # the same file again changes nothing
    again = wait_until(api, queued(upload(api, text))["id"])
    assert again["counts"]["unchanged"] == 2 and again["counts"]["created"] == 0
    assert api.get(f"/api/v1/persons/{p['id']}").header("ETag") == '"1"'


def test_invalid_rows_write_nothing_and_are_reported(api, area):
    tag = uniq("BAD")
    text = HEADER + (f"{tag}-1,Ok,,,,,,\n"
                     f"{tag}-2,Late,,,2004-02-30,,,\n"
                     f"{tag}-3,Nowhere,,,,999999999,,\n"
                     f"{tag}-1,Twice,,,,,,\n")
    with nothing_changes(api):
        job = wait_until(api, queued(upload(api, text, "kind=persons&name=bad.csv"))["id"])
    assert job["status"] == "failed"
    assert job["error"]["code"] == "validation"
    # why, as an API error says it: the rule and its figures, for the reader's language
    assert job["error"]["reason"] == "rows_invalid" and job["error"]["params"] == {"invalid": 3, "total": 4}, job["error"]
    assert job["counts"]["rows"] == 4 and job["counts"]["invalid"] == 3 and job["counts"]["created"] == 0
    errs = {(e["row"], e["column"]): e for e in job["errors"]}
    assert set(errs) == {(3, "birth_date"), (4, "home_area_code"), (5, "sourced_id")}, job["errors"]
    assert errs[(3, "birth_date")]["value"] == "2004-02-30" and errs[(3, "birth_date")]["file"] == "bad.csv"
    assert all(e["message"] for e in job["errors"]) and job["errors_shown"] == 3
    # each line says its rule, field and parameters, as an error does
    late, nowhere, twice = errs[(3, "birth_date")], errs[(4, "home_area_code")], errs[(5, "sourced_id")]
    assert late["reason"] == "not_date" and late["field"] == "birth_date" and late["code"] == "validation", late
    assert nowhere["reason"] == "no_match" and nowhere["field"] == "home_area_id", nowhere
    assert nowhere["params"] == {"entity": "area", "got": "999999999"} and nowhere["message"] == "no area has this code"
    assert twice["reason"] == "key_twice" and twice["params"] == {"row": 2} and twice["field"] == "sourced_id", twice
    assert api.get(f"/api/v1/persons?sourced_id={tag}-1").json["total"] == 0
    # the report as CSV: file,row,column,value,reason
    r = api.get(f"/api/v1/imports/{job['id']}?format=csv")
    assert r.status == 200 and r.header("Content-Type") == "text/csv; charset=utf-8"
    assert r.header("Content-Disposition") == f'attachment; filename="import-{job["id"]}-errors.csv"'
    rows = list(csv.DictReader(io.StringIO(r.body)))
    assert list(rows[0]) == ["file", "row", "column", "value", "reason"]
    assert [(x["file"], int(x["row"]), x["column"], x["value"]) for x in rows] == \
        [("bad.csv", e["row"], e["column"], e["value"]) for e in job["errors"]]
    err = assert_error(api.get(f"/api/v1/imports/{job['id']}?format=pdf"), 422, "validation", field="format")
    assert err["reason"] == "not_one_of" and err["params"] == {"allowed": "json, csv, xlsx", "got": "pdf"}, err

    # skip_invalid: the valid rows go in, the rest is reported
    ok = wait_until(api, queued(upload(api, text, "kind=persons&skip_invalid=true"))["id"])
    assert ok["status"] == "done" and ok["skip_invalid"] is True
    assert ok["counts"]["created"] == 1 and ok["counts"]["invalid"] == 3 and len(ok["errors"]) == 3
    assert api.get(f"/api/v1/persons?sourced_id={tag}-1").json["items"][0]["given_name"] == "Ok"


def test_old_reports_are_deleted(server, api):
    """A report quotes the file's cells (personal data): it is kept 30 days
    after its import ended; the import's row and counts stay."""
    old = wait_until(api, queued(upload(api, HEADER + f"{uniq('OLD')},,,,,,,\n"))["id"])
    assert old["status"] == "failed" and len(old["errors"]) == 1
    db_query(server, "UPDATE imports SET finished_at = finished_at - 31 * 86400 WHERE id = ?", (old["id"],))
    recent = wait_until(api, queued(upload(api, HEADER + f"{uniq('NEW')},,,,,,,\n"))["id"])
    assert len(recent["errors"]) == 1
    again = api.get(f"/api/v1/imports/{old['id']}").json
    assert again["errors"] == [] and again["counts"]["errors"] == 1 and again["status"] == "failed"


def test_map_and_a_bad_header(api):
    tag = uniq("MAP")
    job = wait_until(api, queued(upload(api, f"Student ID,First,Notes\n{tag},Ayla,whatever\n",
                                        "kind=persons&map=" + urllib.parse.quote("Student ID=sourced_id,First=given_name,Notes=",
                                                                                   safe="")))["id"])
    assert job["status"] == "done" and job["counts"]["created"] == 1 and job["map"].startswith("Student ID")
    bad = wait_until(api, queued(upload(api, "Student ID,First\nx,y\n"))["id"])
    assert bad["status"] == "failed" and bad["errors"] and bad["errors"][0]["row"] == 1
    # the advice names the API's parameter, not the command's option
    assert "rename it with map 'Student ID=FIELD'" in bad["errors"][0]["message"], bad["errors"][0]
    assert bad["errors"][0]["reason"] == "unknown_column" and bad["errors"][0]["params"] == {"column": "Student ID"}
    assert bad["error"]["reason"] == "header_unusable" and bad["error"]["params"] == {"count": 2}, bad["error"]
    wrong = wait_until(api, queued(upload(api, "Student ID,First\nx,y\n", "kind=persons&map=nonsense"))["id"])
    assert wrong["status"] == "failed" and wrong["error"]["message"].startswith("map: 'nonsense' is not HEADER=FIELD")
    assert wrong["error"]["code"] == "usage" and wrong["error"]["reason"] == "map_entry", wrong["error"]
    assert wrong["error"]["field"] == "map" and wrong["error"]["params"] == {"got": "nonsense"}


def test_encoding_and_a_quoted_map(api):
    """encoding= reads a file that is not UTF-8 (converted as the runner
    reads it); without it the report names the encoding and the parameter;
    map= takes a header with a comma in double quotes."""
    tag = uniq("ENC")
    body = f"sourced_id,\"Name, given\",family_name\r\n{tag},小明,王\r\n".encode("gb18030")
    bad = wait_until(api, queued(upload(api, body))["id"])
    assert bad["status"] == "failed" and bad["encoding"] is None
    assert bad["errors"][0]["column"] == "Name, given" and "map '\"Name, given\"=FIELD'" in bad["errors"][0]["message"]
    q = "kind=persons&map=" + urllib.parse.quote('"Name, given"=given_name', safe="")
    bad = wait_until(api, queued(upload(api, body, q))["id"])
    assert bad["status"] == "failed", bad
    assert "the file looks like GB18030" in bad["errors"][0]["message"] and \
        "import it with encoding=GB18030" in bad["errors"][0]["message"], bad["errors"]
    assert bad["errors"][0]["reason"] == "cell_encoding" and bad["errors"][0]["params"] == {"encoding": "GB18030"}
    job = wait_until(api, queued(upload(api, body, q + "&encoding=GB18030"))["id"])
    assert job["status"] == "done" and job["encoding"] == "GB18030" and job["counts"]["created"] == 1, job
    got = api.get(f"/api/v1/persons?sourced_id={tag}").json["items"][0]
    assert (got["given_name"], got["family_name"]) == ("小明", "王")
    # UTF-16 is named, not "a NUL byte"
    wide = wait_until(api, queued(upload(api, ("sourced_id,given_name\r\n" + f"{tag}b,Ayşe\r\n").encode("utf-16")))["id"])
    assert wide["status"] == "failed" and "the file is UTF-16" in wide["error"]["message"]
    assert "encoding=UTF-16" in wide["error"]["message"] and "NUL" not in wide["error"]["message"]
    assert wide["error"]["reason"] == "file_wide" and wide["error"]["params"] == {"encoding": "UTF-16"}, wide["error"]
    assert wide["errors"][0]["reason"] == "file_wide" and wide["errors"][0]["row"] == 1
    with nothing_changes(api):
        err = assert_error(upload(api, body, "kind=persons&encoding=KLINGON"), 422, "validation", field="encoding")
        assert err["reason"] == "encoding_unknown" and err["params"] == {"got": "KLINGON"}, err


def test_refusals(api):
    with nothing_changes(api):
        assert_error(upload(api, HEADER, content_type="application/json"), 415, "unsupported_media_type")
        assert_error(upload(api, HEADER, content_type=None), 415, "unsupported_media_type")
        assert_error(upload(api, HEADER, "kind=cats"), 422, "validation", field="kind")
        assert_error(upload(api, HEADER, "name=x.csv"), 422, "validation", field="kind")
        assert_error(upload(api, HEADER, "kind=persons&skip_invalid=maybe"), 422, "validation", field="skip_invalid")
        assert_error(upload(api, HEADER, "kind=persons&dry_run=1"), 422, "validation", field="dry_run")
        assert_error(upload(api, ""), 400, "bad_request")
    err = assert_error(api.get("/api/v1/imports/999999"), 404, "not_found")
    assert err["reason"] == "not_found" and err["params"] == {"entity": "import", "id": 999999}, err
    err = assert_error(api.get("/api/v1/imports?limit=0"), 422, "validation", field="limit")
    assert err["reason"] == "range" and err["params"] == {"min": 1, "max": 100, "got": 0}, err
    err = assert_error(api.get("/api/v1/imports?limit=many"), 422, "validation", field="limit")
    assert err["reason"] == "not_integer", err
    err = assert_error(api.get("/api/v1/imports?before=0"), 422, "validation", field="before")
    assert err["reason"] == "not_id", err


def test_who_may_import(server, api):
    make = Factory(api)
    trainer = make_user(api, uniq("itrainer").replace("-", "."), "trainer", person=make.person())
    c = server.anon.login(trainer["username"], user_password(trainer["username"]))
    with nothing_changes(api):
        assert_error(upload(c, HEADER + "x,y,,,,,,\n"), 403, "forbidden")
        assert_error(upload(server.anon, HEADER + "x,y,,,,,,\n"), 401, "unauthorized")
    assert_error(c.get("/api/v1/imports"), 403, "forbidden")
    # another administrator lists their own imports only, but may read any
    other = make_user(api, uniq("iadmin").replace("-", "."), "region_admin")
    oc = server.anon.login(other["username"], user_password(other["username"]))
    mine = api.get("/api/v1/imports?limit=100").json["items"]
    assert mine and all(x["actor"] == "user:admin" for x in mine)
    assert [x["id"] for x in mine] == sorted((x["id"] for x in mine), reverse=True)
    assert oc.get("/api/v1/imports").json == {"items": [], "next_before": None}
    assert oc.get(f"/api/v1/imports/{mine[0]['id']}").status == 200
    job = wait_until(oc, queued(upload(oc, HEADER + f"{uniq('O')},Other,,,,,,\n"))["id"])
    assert job["actor"] == f"user:{other['username']}"
    assert [x["id"] for x in oc.get("/api/v1/imports").json["items"]] == [job["id"]]
    # paging: newest first, next_before
    page = api.get("/api/v1/imports?limit=1").json
    assert len(page["items"]) == 1 and page["next_before"] == page["items"][0]["id"]
    nxt = api.get(f"/api/v1/imports?limit=1&before={page['next_before']}").json["items"]
    assert nxt and nxt[0]["id"] < page["items"][0]["id"]


def staff_of(server, api, inst):
    """A new institution_staff user of inst, signed in."""
    u = make_user(api, uniq("istaff").replace("-", "."), "institution_staff", institution=inst)
    return server.anon.login(u["username"], user_password(u["username"]))


def test_staff_import_into_their_own_institution(server, api, area):
    """Staff import as they write one by one: new persons are registered to
    their institution; a stored person of another institution is left alone
    (its row an error); enrollments go only into their cohorts and only of
    the persons their institution holds (a person nobody holds applies
    themself: staff cannot take them in); they see the imports
    of their institution and no other. An administrator may confine an
    import to an institution too."""
    make = Factory(api)
    a, b = make.institution(), make.institution()
    ca, cb = make.cohort(make.program(a)), make.cohort(make.program(b))
    sa, sb = staff_of(server, api, a), staff_of(server, api, b)
    tag = uniq("SCOPE")
    theirs = make.person(given_name="Of B", sourced_id=f"{tag}-b", institution_id=b["id"])
    free = make.person(given_name="Nobody's", sourced_id=f"{tag}-free")
    # persons: registered to A, and the job says so
    job = wait_until(sa, queued(upload(sa, HEADER + f"{tag}-1,One,,,,{area['code']},,\n{tag}-2,Two,,,,,,\n"))["id"])
    assert job["status"] == "done" and job["institution_id"] == a["id"] and job["counts"]["created"] == 2, job
    mine = db_query(server, "SELECT sourced_id, institution_id FROM persons WHERE sourced_id IN (?, ?) ORDER BY 1",
                    (f"{tag}-1", f"{tag}-2"))
    assert mine == [(f"{tag}-1", a["id"]), (f"{tag}-2", a["id"])]
    # a second run updates A's own persons
    job = wait_until(sa, queued(upload(sa, HEADER + f"{tag}-1,Uno,,,,,,\n"))["id"])
    assert job["status"] == "done" and job["counts"]["updated"] == 1, job
    # B's person: all or nothing refuses the file, skip_invalid leaves that row alone
    text = HEADER + f"{tag}-3,Three,,,,,,\n{tag}-b,Taken over,,,,,,\n"
    job = wait_until(sa, queued(upload(sa, text))["id"])
    assert job["status"] == "failed" and job["counts"]["created"] == 0, job
    assert [(e["row"], e["column"]) for e in job["errors"]] == [(3, "sourced_id")]
    assert f"institution {a['id']}" in job["errors"][0]["message"]
    assert job["errors"][0]["reason"] == "stored_out_of_scope"
    assert job["errors"][0]["params"] == {"entity": "person", "id": a["id"]}, job["errors"][0]
    job = wait_until(sa, queued(upload(sa, text, "kind=persons&skip_invalid=true"))["id"])
    assert job["status"] == "done" and job["counts"]["created"] == 1 and job["counts"]["invalid"] == 1, job
    assert db_query(server, "SELECT given_name, institution_id FROM persons WHERE id = ?",
                    (theirs["id"],)) == [("Of B", b["id"])]
    # enrollments: A's cohort with A's persons; not B's cohort, not B's person, not nobody's
    enr = "person_sourced_id,cohort_id,consent\n"
    ok = enr + f"{tag}-1,{ca['id']},true\n{tag}-free,{ca['id']},true\n"
    job = wait_until(sa, queued(upload(sa, ok, "kind=enrollments"))["id"])
    assert job["status"] == "failed" and [(e["row"], e["column"]) for e in job["errors"]] == [
        (3, "person_sourced_id")], job
    job = wait_until(sa, queued(upload(sa, enr + f"{tag}-1,{ca['id']},true\n", "kind=enrollments"))["id"])
    assert job["status"] == "done" and job["counts"]["created"] == 1, job
    bad = enr + f"{tag}-2,{cb['id']},true\n{tag}-b,{ca['id']},true\n"
    job = wait_until(sa, queued(upload(sa, bad, "kind=enrollments&skip_invalid=true"))["id"])
    assert job["status"] == "done" and job["counts"]["created"] == 0 and job["counts"]["invalid"] == 2, job
    assert [(e["row"], e["column"], e["value"]) for e in job["errors"]] == [
        (2, "cohort_id", str(cb["id"])), (3, "person_sourced_id", f"{tag}-b")]
    assert "cohort" in job["errors"][0]["message"] and "person" in job["errors"][1]["message"]
    assert [e["reason"] for e in job["errors"]] == ["import_scope", "import_scope"], job["errors"]
    assert job["errors"][0]["params"] == {"entity": "cohort", "id": a["id"]} and job["errors"][0]["field"] == "cohort_id"
    # who sees which import; staff cannot name another institution
    assert sa.get(f"/api/v1/imports/{job['id']}").status == 200
    assert_error(sb.get(f"/api/v1/imports/{job['id']}"), 403, "forbidden")
    assert api.get(f"/api/v1/imports/{job['id']}").status == 200
    with nothing_changes(api, "/api/v1/persons?limit=1"):
        assert_error(upload(sa, HEADER + f"{tag}-9,Nine,,,,,,\n", f"kind=persons&institution={b['id']}"), 403,
                     "forbidden", field="institution")
        assert_error(upload(api, HEADER + f"{tag}-9,Nine,,,,,,\n", "kind=persons&institution=99999999"), 422,
                     "validation", field="institution")
        assert_error(upload(api, HEADER + f"{tag}-9,Nine,,,,,,\n", "kind=persons&institution=x"), 422,
                     "validation", field="institution")
    job = wait_until(api, queued(upload(api, HEADER + f"{tag}-10,Ten,,,,,,\n", f"kind=persons&institution={b['id']}"))["id"])
    assert job["status"] == "done" and job["institution_id"] == b["id"], job
    assert db_query(server, "SELECT institution_id FROM persons WHERE sourced_id = ?", (f"{tag}-10",)) == [(b["id"],)]
    assert free["id"]


# --- limits and stops: servers of their own -------------------------------------

def big_csv(n, tag):
    return HEADER + "".join(f"{tag}-{i},Learner{i},Family{i},,2001-02-03,,,\n" for i in range(n))


def persons_like(s, tag):
    return db_query(s, "SELECT count(*) FROM persons WHERE sourced_id LIKE ?", (tag + "%",))[0][0]


def uploads_left():
    d = os.environ.get("TMPDIR") or "/tmp"
    return {f for f in os.listdir(d) if f.startswith("guild-upload-")}


def test_upload_limit_413():
    with tempfile.TemporaryDirectory() as d:
        s = Server(d)
        s.stop()
        s2 = start_on(s.db, d, name="small.log", args=("--max-upload", "1"))
        try:
            api = s2.client
            line = "x" * 99 + "\n"
            over = HEADER + line * (1024 * 1024 // 100 + 10)
            assert len(over) > 1024 * 1024
            err = assert_error(upload(api, over), 413, "payload_too_large")
            assert "1048576" in err["message"]
            under = HEADER + "".join(f"{uniq('U')},Small{i},,,,,,\n" for i in range(100))
            assert wait_until(api, queued(upload(api, under))["id"])["status"] == "done"
        finally:
            assert s2.stop() == 0
        assert_clean_log(s2.read_log())


@pytest.mark.parametrize("how", ["sigterm", "sigkill"])
def test_stopped_server_leaves_no_half_import(how):
    """An import running when the server stops is rolled back: SIGTERM marks
    it failed (interrupted) before the server exits, and (on PostgreSQL) the
    import queued behind it too; after SIGKILL the next start on the
    database does. On SQLite, which writes one transaction at a time, an
    upload made while an import is being written is refused (503) rather
    than left waiting for it (409)."""
    with tempfile.TemporaryDirectory() as d:
        s = Server(d)
        tag = uniq("STOP")
        before = uploads_left()
        try:
            api = s.client
            first = queued(upload(api, big_csv(60000, tag)))
            running = wait_until(api, first["id"], ("running",), lambda j: j["progress"]["rows_done"] >= 1000)
            assert 0 < running["progress"]["bytes_share"] <= 1   # the share read (in blocks) so far
            if ENGINE == "sqlite":
                err = assert_error(upload(api, big_csv(10, tag + "x")), 409, "conflict")
                assert f"import {first['id']} is being written" in err["message"]
                second = first
            else:
                second = queued(upload(api, big_csv(10, tag + "x")))
                assert api.get(f"/api/v1/imports/{second['id']}").json["status"] == "queued"
            s.proc.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGKILL)
            rc = s.proc.wait(timeout=60)
        finally:
            if s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait()
        log = s.read_log()
        if how == "sigterm":
            assert rc == 0, log[-3000:]
            assert_clean_log(log)
            # marked before the server exited
            status = dict(db_query(s, "SELECT id, status FROM imports"))
            assert status[first["id"]] == "failed" and status[second["id"]] == "failed", log[-3000:]
        else:
            assert rc == -signal.SIGKILL
            assert db_query(s, "SELECT status FROM imports WHERE id = ?", (first["id"],))[0][0] == "running"
        assert persons_like(s, tag) == 0
        s2 = start_on(s.db, d, name="again.log")
        try:
            api = s2.client
            for job_id in (first["id"], second["id"]):
                job = api.get(f"/api/v1/imports/{job_id}").json
                assert job["status"] == "failed" and job["error"]["code"] == "interrupted", job
                assert "nothing was written" in job["error"]["message"]
                assert job["error"]["reason"] in ("import_stopped", "import_not_started"), job["error"]
                assert job["counts"]["created"] == 0
            assert persons_like(s2, tag) == 0
            assert uploads_left() <= before, "the uploaded files are removed"
            # and the server imports again
            tag2 = uniq("AFTER")
            assert wait_until(api, queued(upload(api, big_csv(5, tag2)))["id"])["status"] == "done"
            assert persons_like(s2, tag2) == 5
        finally:
            assert s2.stop() == 0
        assert_clean_log(s2.read_log())


def test_a_value_too_long_for_a_spreadsheet_cell(api):
    """The report quotes a refused value whole; as XLSX, a value over Excel's
    32,767 characters a cell is cut to 32,766 and an ellipsis (it once made
    the whole workbook fail with 500)."""
    import openpyxl
    long_name = "A" + "名" * 39999
    job = wait_until(api, queued(upload(api, HEADER + f"{uniq('LONG')},{long_name},,,,,,\n"))["id"])
    assert job["status"] == "failed" and job["errors"][0]["column"] == "given_name"
    from test_exports import get_bytes
    status, _, body = get_bytes(api, f"/api/v1/imports/{job['id']}?format=xlsx")
    assert status == 200, body[:300]
    ws = openpyxl.load_workbook(io.BytesIO(body)).active
    values = [c.value for c in next(ws.iter_rows(min_row=2, max_row=2))]
    cell = next(v for v in values if isinstance(v, str) and v.startswith("A名"))
    assert len(cell) == 32767 and cell.endswith("…") and cell[:-1] == long_name[:32766]


def test_killed_near_its_end_the_record_and_the_rows_agree():
    """The end of a background import is recorded in the import's own
    transaction: a server killed (SIGKILL) at any moment near the end
    leaves either the rows and the import done, or neither and the import
    failed (interrupted, "nothing was written"), never the rows with a
    failed import. Killed at several shares of the time a whole run takes
    (the last ones near the end); at least one kill lands before the
    commit."""
    n = 20000
    with tempfile.TemporaryDirectory() as d:
        s = Server(d)
        took = []
        try:   # the quicker of two whole runs: what the kills are timed by
            for _ in range(2):
                t0 = time.monotonic()
                job = queued(upload(s.client, big_csv(n, uniq("WHOLE"))))
                assert wait_until(s.client, job["id"], seconds=300)["status"] == "done"
                took.append(time.monotonic() - t0)
        finally:
            assert s.stop() == 0
        took = min(took)
        outcomes = []
        for k, share in enumerate((0.3, 0.6, 0.75, 0.85, 0.92, 0.97)):
            s = start_on(s.db, d, name=f"kill{k}.log")
            tag = uniq("END")
            try:
                job = queued(upload(s.client, big_csv(n, tag)))
                time.sleep(share * took)
                s.proc.kill()
                s.proc.wait(timeout=60)
            finally:
                if s.proc.poll() is None:
                    s.proc.kill()
                    s.proc.wait()
            s = start_on(s.db, d, name=f"after{k}.log")   # marks what the dead server left running
            try:
                got = s.client.get(f"/api/v1/imports/{job['id']}").json
                rows = persons_like(s, tag)
                if got["status"] == "done":
                    assert rows == n and got["counts"]["created"] == n, got
                    outcomes.append("done")
                else:
                    assert got["status"] == "failed" and got["error"]["code"] == "interrupted", got
                    assert rows == 0 and got["counts"]["created"] == 0, (rows, got)
                    outcomes.append("failed")
            finally:
                assert s.stop() == 0
            assert_clean_log(s.read_log())
        assert "failed" in outcomes, outcomes


PREFIX = "sourced_id,given_name\nx,"   # a file's bytes before the first cell of its own
RULES = [
    # (what the file is, its bytes, the query, the job's error reason and params, the report's lines: row, reason, params)
    ("a row with fewer fields", HEADER + "x,y\n", "kind=persons", "rows_invalid", {"invalid": 1, "total": 1},
     [(2, "field_count", {"got": 2, "count": 8})]),
    ("the header again", HEADER + HEADER, "kind=persons", "rows_invalid", {"invalid": 1, "total": 1},
     [(2, "header_again", None)]),
    ("a quote never closed", HEADER + 'x,"open\n', "kind=persons", "quote_open", {"row": 2}, [(2, "quote_open", {"row": 2})]),
    ("a NUL byte", "sourced_id,given_name\nx,a\0b\n", "kind=persons", "nul_byte", {"row": 2}, [(2, "nul_byte", {"row": 2})]),
    ("too many fields", ",".join(f"c{i}" for i in range(300)) + "\n", "kind=persons", "too_many_fields",
     {"row": 1, "max": 256}, [(1, "too_many_fields", {"row": 1, "max": 256})]),
    ("a byte not of the encoding named", PREFIX.encode() + b"\xff\xff\n", "kind=persons&encoding=GB18030", "not_in_encoding",
     {"row": 2, "byte": len(PREFIX) + 1, "encoding": "GB18030"}, [(2, "not_in_encoding", None)]),
    ("a character cut by the end", "sourced_id\n".encode("utf-16-le") + b"x", "kind=persons&encoding=UTF-16LE",
     "ends_in_char", {"row": 2, "encoding": "UTF-16LE"}, [(2, "ends_in_char", None)]),
    ("a header not UTF-8", b"sourced_id,\xff\n", "kind=persons", "header_unusable", {"count": 1},
     [(1, "header_not_utf8", None)]),
    ("two columns for one field", "person_id,person_sourced_id,cohort_id\n1,x,1\n", "kind=enrollments", "header_unusable",
     {"count": 1}, [(1, "column_twice", {"column": "person_id"})]),
    ("no key column", "person_id,consent\n1,true\n", "kind=enrollments", "header_unusable", {"count": 1},
     [(1, "no_key_column", None)]),
    ("cells not UTF-8", b"sourced_id,given_name\nx1,a\x81\nx2,b\x81\n", "kind=persons", "rows_invalid",
     {"invalid": 2, "total": 2}, [(2, "not_text", None), (3, "cell_not_utf8_see", {"row": 2})]),
    ("a day that could be two", HEADER + "x,Ann,,,03/04/2001,,,\n", "kind=persons", "rows_invalid", {"invalid": 1, "total": 1},
     [(2, "date_ambiguous", {"got": "03/04/2001", "one": "2001-04-03", "two": "2001-03-04"})]),
    ("ids that name nothing, not an id, not yes or no", "person_id,cohort_id,consent\n999999999,abc,maybe\n",
     "kind=enrollments", "rows_invalid", {"invalid": 1, "total": 1},
     [(2, "no_such_record", {"entity": "person", "id": 999999999}), (2, "not_id", None), (2, "not_boolean", None)]),
    ("no key", "sourced_id,given_name\n,Ann\n", "kind=persons", "rows_invalid", {"invalid": 1, "total": 1},
     [(2, "required", None)]),
    # a parameter keeps every character it had: & = % are stored escaped and read back
    ("a code that names nothing", HEADER + "x,Ann,,,,a&b=c%25d,,\n", "kind=persons", "rows_invalid",
     {"invalid": 1, "total": 1}, [(2, "no_match", {"entity": "area", "got": "a&b=c%25d"})]),
    ("a byte-order mark alone", "\ufeff", "kind=persons", "file_empty", None, [(1, "file_empty", None)]),
]


@pytest.mark.parametrize("what,body,query,reason,params,lines", RULES, ids=[r[0] for r in RULES])
def test_each_rule_of_a_file_has_its_reason(api, what, body, query, reason, params, lines):
    """Why an import failed and why each line of its report is there: the
    rule (reason) and its figures (params), so that a client writes them
    in its reader's language; the English stays in message."""
    job = wait_until(api, queued(upload(api, body, query))["id"])
    assert job["status"] == "failed", job
    assert job["error"]["reason"] == reason and job["error"].get("params") == params, job["error"]
    assert job["error"]["message"], job["error"]
    got = [(e["row"], e["reason"]) for e in job["errors"]]
    assert got == [(row, why) for row, why, _ in lines], job["errors"]
    for e, (_, _, want) in zip(job["errors"], lines):
        assert e["message"] and e["code"] in ("validation", "conflict"), e
        if want is not None:
            assert e.get("params") == want, e
