"""Every error class, in the one error format, and that an invalid request
changes nothing."""
import http.client
import json
import socket

import pytest

from conftest import assert_error, nothing_changes, uniq


# --- 400 -------------------------------------------------------------------

@pytest.mark.parametrize("raw", ['{"name": "x"', "{name: 1}", "not json", '{"a":1}{"b":2}', "{'a': 1}",
                                 '{"code":"a","code":"b","name":"n","level":"region"}'])
def test_400_malformed_json(api, make, raw):
    with nothing_changes(api):
        assert_error(api.post("/api/v1/areas", raw=raw), 400, "bad_json")


@pytest.mark.parametrize("raw", ["[]", '[{"name":"x"}]', '"text"', "42", "null", "true"])
def test_400_body_not_an_object(api, make, raw):
    with nothing_changes(api):
        assert_error(api.post("/api/v1/areas", raw=raw), 400, "bad_json")


def test_400_malformed_json_on_patch_changes_nothing(api, make):
    a = make.area()
    path = f"/api/v1/areas/{a['id']}"
    with nothing_changes(api, path):
        assert_error(api.patch(path, None, etag='"1"', raw='{"name": '), 400, "bad_json")
        assert_error(api.patch(path, None, etag='"1"', raw='["name"]'), 400, "bad_json")


def test_400_empty_body_where_one_is_required(api):
    with nothing_changes(api):
        assert_error(api.post("/api/v1/areas", raw=b""), 400, "bad_json")


def test_422_member_in_body_on_route_without_body(api, make):
    """A route that takes no body takes {} (as no body), but a member in it
    is refused by name; a body that is not JSON stays a 400."""
    a = make.area()
    path = f"/api/v1/areas/{a['id']}"
    with nothing_changes(api, path):
        r = api.request("DELETE", path, raw='{"x":1}')
        assert_error(r, 422, "validation", field="x")
        assert_error(api.request("DELETE", path, raw='x=1'), 400, "bad_json")


@pytest.mark.parametrize("etag", ["1", '"abc"', '"0"', '"-1"', '""', 'W/1'])
def test_400_bad_if_match(api, make, etag):
    a = make.area()
    path = f"/api/v1/areas/{a['id']}"
    with nothing_changes(api, path):
        assert_error(api.patch(path, {"name": "zz"}, etag=etag), 400, "bad_request", field="If-Match")


def test_400_repeated_query_parameter(api):
    assert_error(api.get("/api/v1/areas?limit=1&limit=2"), 400, "bad_request", field="limit")


# --- 404 -------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/index.html", "/api", "/api/v1", "/api/v1/nothing", "/api/v2/areas", "/api/v1/areas/",
                                  "/api/v1/areas/1/x", "/api/v1/areas/abc", "/api/v1/areas/0",
                                  "/api/v1/areas/-1", "/api/v1/areas/007", "/api/v1/healthz",
                                  "/api/v1/enrollments/1/withdraw/x"])
def test_404_unknown_path(api, path):
    err = assert_error(api.get(path), 404, "not_found")
    assert "field" not in err


@pytest.mark.parametrize("plural", ["areas", "institutions", "programs", "cohorts", "persons", "enrollments"])
def test_404_unknown_id(api, plural):
    path = f"/api/v1/{plural}/999999"
    with nothing_changes(api):
        assert_error(api.get(path), 404, "not_found")
        assert_error(api.patch(path, {}, etag='"1"'), 404, "not_found")
        assert_error(api.delete(path), 404, "not_found")


def test_404_withdraw_unknown_enrollment(api):
    with nothing_changes(api):
        assert_error(api.post("/api/v1/enrollments/999999/withdraw"), 404, "not_found")


# --- 405 -------------------------------------------------------------------

@pytest.mark.parametrize("method,path,allow", [
    ("PUT", "/api/v1/areas", {"GET", "POST"}),
    ("DELETE", "/api/v1/areas", {"GET", "POST"}),
    ("PATCH", "/api/v1/persons", {"GET", "POST"}),
    ("POST", "/api/v1/areas/1", {"GET", "PATCH", "DELETE"}),
    ("PUT", "/api/v1/enrollments/1", {"GET", "PATCH", "DELETE"}),
    ("POST", "/api/v1/health", {"GET"}),
    ("DELETE", "/api/v1/openapi.json", {"GET"}),
    ("POST", "/api/v1/occupations", {"GET"}),
    ("GET", "/api/v1/enrollments/1/withdraw", {"POST"}),
    ("OPTIONS", "/api/v1/cohorts", {"GET", "POST"}),
])
def test_405_with_allow_header(api, method, path, allow):
    with nothing_changes(api):
        r = api.request(method, path, body={} if method in ("POST", "PUT", "PATCH") else None)
        assert_error(r, 405, "method_not_allowed")
        assert r.header("Allow") is not None, r.headers
        assert {m.strip() for m in r.header("Allow").split(",")} == allow


# --- 409 -------------------------------------------------------------------

def test_409_delete_area_with_children_and_references(api, make):
    region, pref, county, town = make.tree()
    make.institution(county)
    make.person(home_area_id=county["id"])
    path = f"/api/v1/areas/{county['id']}"
    with nothing_changes(api, path):
        err = assert_error(api.delete(path), 409, "conflict")
    msg = err["message"]
    assert "area" in msg and "parent_id" in msg           # the township
    assert "institution" in msg and "area_id" in msg      # the college
    assert "person" in msg and "home_area_id" in msg      # the learner
    # a leaf with nothing referring to it can go
    assert api.delete(f"/api/v1/areas/{town['id']}").status == 204


def test_409_delete_referenced_records(api, make):
    trainer = make.person()
    cohort = make.cohort(trainers=[trainer["id"]])
    learner = make.person()
    make.enrollment(learner, cohort)
    prog_path = f"/api/v1/programs/{cohort['program_id']}"
    inst_id = api.get(prog_path).json["institution_id"]
    cases = [
        (f"/api/v1/persons/{trainer['id']}", "trainers"),
        (f"/api/v1/persons/{learner['id']}", "person_id"),
        (f"/api/v1/cohorts/{cohort['id']}", "cohort_id"),
        (prog_path, "program_id"),
        (f"/api/v1/institutions/{inst_id}", "institution_id"),
    ]
    for path, field in cases:
        with nothing_changes(api, path):
            err = assert_error(api.delete(path), 409, "conflict")
        assert field in err["message"], err


def test_trainer_can_be_deleted_once_cohort_is_gone(api, make):
    """Deleting a cohort takes its trainer list with it, so the trainer is no
    longer referred to."""
    trainer = make.person()
    cohort = make.cohort(trainers=[trainer["id"]])
    assert api.delete(f"/api/v1/cohorts/{cohort['id']}").status == 204
    r = api.delete(f"/api/v1/persons/{trainer['id']}")
    assert r.status == 204, r


def test_409_duplicate_area_code(api, make):
    a = make.area()
    with nothing_changes(api):
        err = assert_error(api.post("/api/v1/areas", {"code": a["code"], "name": "other", "level": "region"}),
                           409, "conflict", field="code")
    assert a["code"] in err["message"]
    # surrounding spaces are trimmed, so this is the same code
    with nothing_changes(api):
        assert_error(api.post("/api/v1/areas", {"code": f"  {a['code']} ", "name": "o", "level": "region"}),
                     409, "conflict", field="code")
    # and on update
    b = make.area()
    path = f"/api/v1/areas/{b['id']}"
    with nothing_changes(api, path):
        assert_error(api.patch(path, {"code": a["code"]}, etag='"1"'), 409, "conflict", field="code")
    # keeping one's own code is fine
    assert api.patch(path, {"code": b["code"]}, etag='"1"').status == 200


def test_409_duplicate_sourced_id(api, make):
    sid = uniq("SRC")
    make.person(sourced_id=sid)
    with nothing_changes(api):
        assert_error(api.post("/api/v1/persons", {"sourced_id": sid, "given_name": "Other"}), 409, "conflict",
                     field="sourced_id")


def test_409_duplicate_institution_code(api, make):
    i = make.institution(code=uniq("INS"))
    with nothing_changes(api):
        assert_error(api.post("/api/v1/institutions", {"code": i["code"], "name": "n", "kind": "training_centre",
                                                       "area_id": i["area_id"]}), 409, "conflict", field="code")


def test_409_full_cohort(api, make):
    cohort = make.cohort(capacity=1)
    make.enrollment(cohort=cohort, status="enrolled")
    p = make.person()
    with nothing_changes(api):
        err = assert_error(api.post("/api/v1/enrollments", {"person_id": p["id"], "cohort_id": cohort["id"],
                                                            "consent": True, "status": "enrolled"}),
                           409, "conflict", field="status")
    assert "full" in err["message"]


def test_409_same_person_twice_in_cohort(api, make):
    e = make.enrollment()
    with nothing_changes(api):
        assert_error(api.post("/api/v1/enrollments", {"person_id": e["person_id"], "cohort_id": e["cohort_id"],
                                                      "consent": True}), 409, "conflict", field="cohort_id")


# --- 412 / 428 ------------------------------------------------------------------

def test_412_stale_if_match(api, make):
    a = make.area()
    path = f"/api/v1/areas/{a['id']}"
    assert api.patch(path, {"name": "second"}, etag='"1"').status == 200
    with nothing_changes(api, path):
        assert_error(api.patch(path, {"name": "lost update"}, etag='"1"'), 412, "precondition_failed")
        assert_error(api.patch(path, {"name": "future"}, etag='"7"'), 412, "precondition_failed")
    assert api.get(path).json["name"] == "second"


def test_428_patch_without_if_match(api, make):
    a = make.area()
    path = f"/api/v1/areas/{a['id']}"
    with nothing_changes(api, path):
        assert_error(api.patch(path, {"name": "no precondition"}), 428, "precondition_required", field="If-Match")


@pytest.mark.parametrize("plural", ["institutions", "programs", "cohorts", "persons", "enrollments"])
def test_428_on_every_patch_route(api, make, plural):
    rec = {"institutions": make.institution, "programs": make.program, "cohorts": make.cohort,
           "persons": make.person, "enrollments": make.enrollment}[plural]()
    path = f"/api/v1/{plural}/{rec['id']}"
    with nothing_changes(api, path):
        assert_error(api.patch(path, {}), 428, "precondition_required")


# --- 413 -------------------------------------------------------------------

def test_413_body_over_one_mib(api):
    big = json.dumps({"code": "big", "name": "x" * (1024 * 1024 + 10), "level": "region"})
    with nothing_changes(api):
        assert_error(api.post("/api/v1/areas", raw=big), 413, "payload_too_large")
    big = json.dumps({"code": "big", "name": "x" * (3 * 1024 * 1024), "level": "region"})
    with nothing_changes(api):
        assert_error(api.post("/api/v1/areas", raw=big), 413, "payload_too_large")


def test_body_of_just_under_one_mib_is_read(api):
    """Not refused for its size: the field's own length rule answers."""
    body = json.dumps({"code": "big", "name": "x" * (1024 * 1024 - 100), "level": "region"})
    assert len(body) <= 1024 * 1024
    with nothing_changes(api):
        assert_error(api.post("/api/v1/areas", raw=body), 422, "validation", field="name")


# --- 415 -------------------------------------------------------------------

@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", "application/jsonp",
                                   "multipart/form-data", None])
def test_415_wrong_content_type(api, make, ctype):
    body = json.dumps({"code": uniq("C"), "name": "n", "level": "region"})
    with nothing_changes(api):
        assert_error(api.post("/api/v1/areas", raw=body, content_type=ctype), 415, "unsupported_media_type")
    e = make.enrollment()
    path = f"/api/v1/enrollments/{e['id']}"
    with nothing_changes(api, path):
        assert_error(api.request("POST", path + "/withdraw", raw='{"reason":"work"}', content_type=ctype), 415,
                     "unsupported_media_type")


def test_json_content_type_with_charset_accepted(api):
    body = json.dumps({"code": uniq("C"), "name": "n", "level": "region"})
    r = api.post("/api/v1/areas", raw=body, content_type="application/json; charset=utf-8")
    assert r.status == 201, r


# --- 422 -------------------------------------------------------------------

INVALID_CREATE = [
    # (collection, body changes, field)
    ("areas", {"name": 5}, "name"),                          # wrong type
    ("areas", {"name": ["a"]}, "name"),
    ("areas", {"colour": "red"}, "colour"),                  # unknown field
    ("areas", {"id": 5}, "id"),                              # not writable
    ("areas", {"version": 3}, "version"),
    ("areas", {"created_at": "2026-01-01T00:00:00Z"}, "created_at"),
    ("areas", {"level": "village"}, "level"),                # enum
    ("areas", {"name": ""}, "name"),                         # length
    ("areas", {"name": "   "}, "name"),
    ("areas", {"name": "x" * 201}, "name"),
    ("areas", {"code": "c" * 33}, "code"),
    ("areas", {"name": None}, "name"),                       # required
    ("areas", {"parent_id": "1"}, "parent_id"),
    ("persons", {"birth_date": "2001-02-30"}, "birth_date"),  # bad date
    ("persons", {"birth_date": "2001/02/03"}, "birth_date"),
    ("persons", {"birth_date": "1899-12-31"}, "birth_date"),
    ("persons", {"birth_date": "2999-01-01"}, "birth_date"),
    ("persons", {"birth_date": 20010203}, "birth_date"),
    ("persons", {"sex": "other"}, "sex"),
    ("persons", {"email": "not-an-address"}, "email"),
    ("persons", {"home_area_id": 999999}, "home_area_id"),   # reference
    ("persons", {"name_key": "x"}, "name_key"),              # hidden
    ("persons", {"given_name": True}, "given_name"),
    ("programs", {"isco_code": "751"}, "isco_code"),         # ISCO level 3
    ("programs", {"isco_code": "9999"}, "isco_code"),
    ("programs", {"isco_code": "75120"}, "isco_code"),
    ("programs", {"isco_code": 7512}, "isco_code"),
    ("programs", {"hours": 0}, "hours"),                     # range
    ("programs", {"hours": 10001}, "hours"),
    ("programs", {"level": 6}, "level"),
    ("programs", {"hours": 1.5}, "hours"),
    ("programs", {"hours": "600"}, "hours"),
    ("programs", {"skills": "baking"}, "skills"),
    ("programs", {"skills": ["a", "a"]}, "skills"),
    ("programs", {"skills": [""]}, "skills"),
    ("programs", {"skills": [1]}, "skills"),
    ("programs", {"skills": ["s%d" % i for i in range(101)]}, "skills"),
    ("cohorts", {"capacity": 0}, "capacity"),
    ("cohorts", {"start_date": "2026-13-01"}, "start_date"),
    ("cohorts", {"end_date": "2026-02-28"}, "end_date"),     # before start
    ("cohorts", {"trainers": [999999]}, "trainers"),
    ("institutions", {"kind": "university"}, "kind"),
    ("institutions", {"area_id": 0}, "area_id"),
    ("enrollments", {"consent": False}, "consent"),
    ("enrollments", {"consent": None}, "consent"),
    ("enrollments", {"consent": "yes"}, "consent"),
    ("enrollments", {"status": "completed"}, "status"),
    ("enrollments", {"status": "finished"}, "status"),
    ("enrollments", {"consent_at": "2026-01-01T00:00:00Z"}, "consent_at"),  # read-only
    ("enrollments", {"consent_by": "me"}, "consent_by"),
    ("enrollments", {"withdrawal_reason": "boredom"}, "withdrawal_reason"),
]


@pytest.fixture(scope="module")
def bases(make):
    """A valid create body for each collection."""
    county = make.tree()[2]
    inst = make.institution(county)
    prog = make.program(inst)
    cohort = make.cohort(prog)
    person = make.person()
    return {
        "areas": lambda: {"code": uniq("V"), "name": "n", "level": "region"},
        "persons": lambda: {"given_name": "Aygul"},
        "programs": lambda: {"institution_id": inst["id"], "title": "t", "isco_code": "7512", "hours": 10,
                             "level": 1, "capacity": 5},
        "cohorts": lambda: {"program_id": prog["id"], "name": "c", "start_date": "2026-03-01",
                            "end_date": "2026-03-31", "capacity": 5},
        "institutions": lambda: {"name": "i", "kind": "training_centre", "area_id": county["id"]},
        "enrollments": lambda: {"person_id": person["id"], "cohort_id": cohort["id"], "consent": True},
    }


@pytest.mark.parametrize("plural,change,field", INVALID_CREATE,
                         ids=[f"{p}-{f}-{i}" for i, (p, c, f) in enumerate(INVALID_CREATE)])
def test_422_create_names_field(api, bases, plural, change, field):
    body = bases[plural]()
    body.update(change)
    if change.get("consent", True) is None:
        body["consent"] = None
    with nothing_changes(api):
        err = assert_error(api.post(f"/api/v1/{plural}", body), 422, "validation", field=field)
    assert field in err["message"]


@pytest.mark.parametrize("plural,missing", [("areas", "code"), ("areas", "level"), ("persons", "given_name"),
                                            ("programs", "isco_code"), ("cohorts", "start_date"),
                                            ("institutions", "area_id"), ("enrollments", "person_id"),
                                            ("enrollments", "consent")])
def test_422_missing_required(api, bases, plural, missing):
    body = bases[plural]()
    del body[missing]
    with nothing_changes(api):
        assert_error(api.post(f"/api/v1/{plural}", body), 422, "validation", field=missing)


def test_422_patch_changes_nothing(api, make):
    cohort = make.cohort()
    path = f"/api/v1/cohorts/{cohort['id']}"
    for change, field in [({"capacity": -1}, "capacity"), ({"end_date": "2026-01-01"}, "end_date"),
                          ({"name": 7}, "name"), ({"bogus": 1}, "bogus"), ({"id": 9}, "id"),
                          ({"program_id": make.program()["id"]}, "program_id"),  # immutable
                          ({"updated_at": "2026-01-01T00:00:00Z"}, "updated_at"),
                          ({"name": None}, "name")]:
        with nothing_changes(api, path):
            assert_error(api.patch(path, change, etag='"1"'), 422, "validation", field=field)


def test_422_is_answered_before_412_only_when_current(api, make):
    """A stale If-Match with an invalid body: either error is fine, but
    nothing may change."""
    a = make.area()
    path = f"/api/v1/areas/{a['id']}"
    with nothing_changes(api, path):
        r = api.patch(path, {"level": "nowhere"}, etag='"5"')
        assert r.status in (412, 422), r


@pytest.mark.parametrize("query,field", [
    ("limit=0", "limit"), ("limit=501", "limit"), ("limit=abc", "limit"), ("limit=-5", "limit"),
    ("limit=1.5", "limit"), ("offset=-1", "offset"), ("offset=x", "offset"), ("after=-1", "after"),
    ("after=1&offset=1", "offset"),
    ("parent=abc", "parent"), ("parent=0", "parent"), ("parent=-2", "parent"),
    ("colour=red", "colour"), ("q=%20%20", "q"), ("level=", "level"),
])
def test_422_bad_list_query_areas(api, query, field):
    assert_error(api.get(f"/api/v1/areas?{query}"), 422, "validation", field=field)


@pytest.mark.parametrize("path,field,reason,params", [
    ("/api/v1/areas?limit=0", "limit", "range", {"min": 1, "max": 500, "got": 0}),
    ("/api/v1/cohorts?limit=abc", "limit", "not_integer", {"min": 1, "max": 500}),
    ("/api/v1/institutions?offset=-1", "offset", "range", {"min": 0, "max": 4611686018427387903, "got": -1}),
    ("/api/v1/grants?after=x", "after", "not_integer", {"min": 0, "max": 9223372036854775807}),
    ("/api/v1/persons?after=1&offset=1", "offset", "exclusive", {"other": "after"}),
    ("/api/v1/occupations?level=5", "level", "not_one_of", {"allowed": "1, 2, 3, 4", "got": "5"}),
    ("/api/v1/occupations?sort=code", "sort", "no_such_param", None),
    ("/api/v1/persons/export?format=pdf", "format", "not_one_of", {"allowed": "csv, xlsx", "got": "pdf"}),
])
def test_422_paging_and_parameters_name_their_rule(api, path, field, reason, params):
    """Every list's paging and the API's own parameters say which rule
    refused, with its figures (the browser writes the sentence)."""
    err = assert_error(api.get(path), 422, "validation", field=field)
    assert err["reason"] == reason and err.get("params") == params, err


@pytest.mark.parametrize("path,field", [
    ("/api/v1/persons?q=%20%20", "q"), ("/api/v1/persons?q=%01a", "q"), ("/api/v1/persons?area=x", "area"),
    ("/api/v1/persons?status=enrolled", "status"), ("/api/v1/cohorts?active_on=2026-02-30", "active_on"),
    ("/api/v1/cohorts?active_on=tomorrow", "active_on"), ("/api/v1/enrollments?person=1x", "person"),
    ("/api/v1/programs?institution=", "institution"), ("/api/v1/occupations?level=5", "level"),
    ("/api/v1/occupations?level=x", "level"), ("/api/v1/occupations?limit=5", "limit"),
])
def test_422_bad_query_other_lists(api, path, field):
    assert_error(api.get(path), 422, "validation", field=field)


@pytest.mark.parametrize("path,field", [
    ("/api/v1/enrollments?status=enroled", "status"),
    ("/api/v1/institutions?kind=university", "kind"),
    ("/api/v1/areas?level=village", "level"),
])
def test_422_enum_filter_value_not_allowed(api, path, field):
    """A filter on an enum field with a value outside the enum is bad input
    (a typo must not silently answer 'no records')."""
    assert_error(api.get(path), 422, "validation", field=field)


# --- everything at once ---------------------------------------------------------

def test_error_responses_are_json_with_no_store(api):
    r = api.get("/api/v1/nothing")
    assert r.header("Content-Type").startswith("application/json")
    assert r.header("X-Content-Type-Options") == "nosniff"
    assert r.header("ETag") is None and r.header("Location") is None


def test_server_survives_garbage_request_line(server, api):
    """A request that is not HTTP is dropped without harming the server."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(b"\x00\xff garbage \r\n\r\n")
        try:
            s.recv(100)
        except OSError:
            pass
    assert api.get("/api/v1/health").status == 200
