"""GET /api/v1/stats/overview, the dashboard's figures: hand-countable
numbers for the whole region and for one institution (conftest.World plus
a cohort running today and a small competition), staff confined to their
own institution, and the parameter's errors."""
import datetime
import re

import pytest

from conftest import World, assert_error, created, uniq


@pytest.fixture(scope="module")
def w(server):
    w = World(server)
    api, make = w.api, w.make
    today = datetime.date.today()
    # a cohort of A running today, with one learner of B's registering (no home area)
    w.running = make.cohort(w.pa, start_date=(today - datetime.timedelta(days=10)).isoformat(),
                            end_date=(today + datetime.timedelta(days=10)).isoformat())
    w.lr = make.person(given_name=uniq("Runner"), home_area_id=w.county["id"])
    w.er = make.enrollment(w.lr, w.running, status="enrolled")
    done = api.patch(f"/api/v1/enrollments/{w.er['id']}", {"status": "completed"}, etag='"1"')
    assert done.status == 200, done
    # one competition year: l1 entered by A, lb by B, in one category
    ed = created(api.post("/api/v1/editions", {"year": 2031, "name": uniq("Overview skills "),
                                               "area_id": w.region["id"], "start_date": "2031-10-01",
                                               "end_date": "2031-10-02"}))
    cat = created(api.post("/api/v1/categories", {"edition_id": ed["id"], "name": uniq("Pastry "), "isco_code": "7512"}))
    crit = created(api.post("/api/v1/criteria", {"category_id": cat["id"], "code": "A", "name": "All", "weight": 100}))
    created(api.post("/api/v1/aspects", {"criterion_id": crit["id"], "code": "A1", "description": "m",
                                         "kind": "measurement", "max_mark": 100}))
    t = api.post(f"/api/v1/editions/{ed['id']}/transition", {"to": "registration"})
    assert t.status == 200, t
    for person, inst in ((w.l1, w.A), (w.lb, w.B)):
        created(api.post("/api/v1/competitors", {"category_id": cat["id"], "person_id": person["id"],
                                                 "institution_id": inst["id"], "consent": True}))
    return w


def active_world_cohorts(w):
    """World's own cohorts (2026-03-01 to 2026-07-15) that run today."""
    today = datetime.date.today().isoformat()
    return 4 if "2026-03-01" <= today <= "2026-07-15" else 0


def test_region_figures(w):
    r = w.api.get("/api/v1/stats/overview")
    assert r.status == 200, r
    d = r.json
    assert d["institution_id"] is None
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["as_of"]), d["as_of"]
    assert d["learners"] == 4                      # l1, l2, lb, lr
    assert d["enrollments"] == 5
    assert d["enrollments_by_status"] == {"applied": 1, "enrolled": 3, "completed": 1, "withdrawn": 0,
                                          "not_completed": 0}
    assert d["enrolled"] == 3 and d["completions"] == 1
    assert d["active_cohorts"] == 1 + active_world_cohorts(w)
    assert d["programs"] == 2 and d["institutions"] == 2
    by_program = {p["title"]: (p["enrollments"], p["completed"]) for p in d["by_program"]}
    assert by_program == {w.pa["title"]: (4, 1), w.pb["title"]: (1, 0)}
    assert d["by_program"][0]["title"] == w.pa["title"], "largest first"
    # home areas counted at the prefecture: l1 (township, 2 enrollments) and lr (county); l2, lb have none
    assert d["by_area"] == {"level": "prefecture", "items": [{"area_id": w.pref["id"], "name": w.pref["name"],
                                                              "enrollments": 3}]}
    assert d["competitions"] == [{"year": 2031, "editions": 1, "participants": 2, "categories": 1, "institutions": 2}]


def test_one_institution(w):
    d = w.api.get(f"/api/v1/stats/overview?institution={w.A['id']}").json
    assert d["institution_id"] == w.A["id"]
    assert d["learners"] == 3 and d["enrollments"] == 4 and d["programs"] == 1 and d["institutions"] == 1
    assert d["by_area"]["level"] == "county"
    assert d["by_area"]["items"] == [{"area_id": w.county["id"], "name": w.county["name"], "enrollments": 3}]
    assert d["competitions"] == [{"year": 2031, "editions": 1, "participants": 1, "categories": 1, "institutions": 1}]
    b = w.api.get(f"/api/v1/stats/overview?institution={w.B['id']}").json
    assert b["learners"] == 1 and b["enrollments"] == 1
    assert b["active_cohorts"] == (1 if active_world_cohorts(w) else 0)
    assert b["by_area"]["items"] == []


def test_staff_see_their_own_institution(w):
    a = w.c["staff_a"].get("/api/v1/stats/overview")
    assert a.status == 200 and a.json["institution_id"] == w.A["id"] and a.json["learners"] == 3
    assert w.c["staff_a"].get(f"/api/v1/stats/overview?institution={w.A['id']}").json == a.json
    assert_error(w.c["staff_a"].get(f"/api/v1/stats/overview?institution={w.B['id']}"), 403, "forbidden",
                 field="institution")
    assert w.c["staff_b"].get("/api/v1/stats/overview").json["institution_id"] == w.B["id"]
    for caller in ("trainer", "judge", "learner"):
        assert_error(w.c[caller].get("/api/v1/stats/overview"), 403, "forbidden")
    assert_error(w.c["anonymous"].get("/api/v1/stats/overview"), 401, "unauthorized")


@pytest.mark.parametrize("query,status,code,field,reason,params", [
    ("institution=abc", 422, "validation", "institution", "not_id", None),
    ("institution=0", 422, "validation", "institution", "not_id", None),
    ("area=1", 422, "validation", "area", "no_such_param", None),
    ("institution=999999", 404, "not_found", "institution", "not_found", {"entity": "institution", "id": 999999}),
])
def test_bad_parameters(w, query, status, code, field, reason, params):
    err = assert_error(w.api.get(f"/api/v1/stats/overview?{query}"), status, code, field=field)
    assert err["reason"] == reason and err.get("params") == params, err
