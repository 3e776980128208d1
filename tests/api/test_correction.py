"""The chief judge's corrections after the lock: the reason comes from a fixed
list (no free-form notes about competitors), a missing or unknown reason is
refused listing the allowed ones and changes nothing, and
GET /categories/{id}/marks shows the chief judge every judge's marks with
each correction (who, when, why, old and new value) kept."""
import pytest

from conftest import assert_error, created, serve
from test_competition import Comp, mark

REASONS = ["entry_error", "remeasured", "rule_misapplied", "appeal_upheld", "other"]


@pytest.fixture(scope="module")
def server():
    yield from serve()


@pytest.fixture(scope="module")
def locked(server):
    """Pastry with two competitors fully marked by its three judges and locked."""
    comp = Comp(server)
    api = comp.api
    assert comp.to("registration").status == 200
    comp.e = [created(api.post("/api/v1/competitors", {"category_id": comp.cat["id"], "person_id": p["id"],
                                                       "institution_id": inst["id"], "consent": True}))
              for p, inst in zip(comp.p[:2], (comp.A, comp.B))]
    created(api.post("/api/v1/competitors", {"category_id": comp.other_cat["id"], "person_id": comp.p[2]["id"],
                                             "institution_id": comp.A["id"], "consent": True}))
    assert comp.to("marking").status == 200
    comp.marks = {}
    for i in range(2):
        comp.marks[(i, "A1")] = created(mark(comp.jc[0], comp, i, comp.a1, 40 if i == 0 else 20))
        for k, s in enumerate((3, 2, 1) if i == 0 else (1, 1, 2)):
            comp.marks[(i, "A2", k)] = created(mark(comp.jc[k], comp, i, comp.a2, s))
    # before the lock: the chief judge sees every judge's marks already, with no corrections
    r = comp.jc[0].get(f"/api/v1/categories/{comp.cat['id']}/marks")
    assert r.status == 200 and len(r.json["items"]) == 8 and all(m["corrections"] == [] for m in r.json["items"])
    # and a correction before the lock is refused: the judge changes the mark
    assert_error(comp.jc[0].post(f"/api/v1/marks/{comp.marks[(0, 'A1')]['id']}/correction",
                                 {"value": 20, "reason": "remeasured"}), 409, "conflict")
    assert comp.jc[0].post(f"/api/v1/categories/{comp.cat['id']}/lock").status == 200
    return comp


def test_reason_must_be_one_of_the_list(locked):
    chief, m = locked.jc[0], locked.marks[(0, "A1")]
    for body in [{"value": 20}, {"value": 20, "reason": ""}, {"value": 20, "reason": "weighed again: within 5%"},
                 {"value": 20, "reason": 3}, {"value": 20, "reason": "Remeasured"}, {"value": 20, "reason": None}]:
        r = chief.post(f"/api/v1/marks/{m['id']}/correction", body)
        assert_error(r, 422, "validation", field="reason", contains=tuple(REASONS))
    assert_error(chief.post(f"/api/v1/marks/{m['id']}/correction", {"value": 20, "reason": "other", "note": "x"}),
                 422, "validation", field="note")
    # nothing changed
    assert chief.get(f"/api/v1/marks/{m['id']}").json["value"] == 40
    got = chief.get(f"/api/v1/categories/{locked.cat['id']}/marks").json["items"]
    assert all(x["corrections"] == [] for x in got)


def test_value_still_checked_against_the_aspect(locked):
    chief = locked.jc[0]
    path = f"/api/v1/marks/{locked.marks[(0, 'A1')]['id']}/correction"
    for body, reason in [({"reason": "other"}, ("required", {})), ({"value": "20", "reason": "other"}, ("not_number", {})),
                         ({"value": 20.005, "reason": "other"}, ("decimals", {})),
                         ({"value": 120, "reason": "other"}, ("range", {"min": 0, "max": 100, "got": 120}))]:
        err = assert_error(chief.post(path, body), 422, "validation", field="value")
        assert (err["reason"], err.get("params", {})) == reason, (body, err)
    r = chief.post(f"/api/v1/marks/{locked.marks[(0, 'A1')]['id']}/correction", {"value": 30, "reason": "remeasured"})
    assert_error(r, 422, "validation", field="value", contains=("A1",))
    r = chief.post(f"/api/v1/marks/{locked.marks[(0, 'A2', 1)]['id']}/correction", {"value": 4, "reason": "other"})
    assert_error(r, 422, "validation", field="value", contains=("A2",))


def test_corrections_are_kept_and_shown_to_the_chief_judge(locked):
    chief, api, cat = locked.jc[0], locked.api, locked.cat["id"]
    m1, m2 = locked.marks[(0, "A1")], locked.marks[(1, "A2", 2)]
    r = chief.post(f"/api/v1/marks/{m1['id']}/correction", {"value": 20, "reason": "remeasured"})
    assert r.status == 200 and r.json["value"] == 20
    r = chief.post(f"/api/v1/marks/{m1['id']}/correction", {"value": 0, "reason": "appeal_upheld"})
    assert r.status == 200 and r.json["value"] == 0
    # another judge's mark, corrected by the administrator
    r = api.post(f"/api/v1/marks/{m2['id']}/correction", {"value": 1, "reason": "entry_error"})
    assert r.status == 200 and r.json["value"] == 1

    for who in (chief, api):
        items = who.get(f"/api/v1/categories/{cat}/marks").json["items"]
        assert len(items) == 8
        assert [(x["competitor_id"], x["aspect_id"]) for x in items] == \
            sorted((x["competitor_id"], x["aspect_id"]) for x in items)
        by_id = {x["id"]: x for x in items}
        a = by_id[m1["id"]]
        assert (a["aspect"], a["value"], a["judge_id"]) == ("A1", 0, m1["judge_id"])
        assert a["judge_given_name"].startswith("Judge")
        assert [(c["reason"], c["old_value"], c["new_value"]) for c in a["corrections"]] == \
            [("remeasured", 40, 20), ("appeal_upheld", 20, 0)]
        assert all(c["actor"] == a["corrections"][0]["actor"] and c["at"].endswith("Z") for c in a["corrections"])
        b = by_id[m2["id"]]
        assert b["value"] == 1 and [(c["reason"], c["old_value"], c["new_value"], c["actor"]) for c in
                                    b["corrections"]] == [("entry_error", 2, 1, "user:admin")]
        assert sum(len(x["corrections"]) for x in items) == 3
    # the results use the corrected marks: Ayla now 0 + (3+2+1)/3/3*60 = 40
    res = api.get(f"/api/v1/editions/{locked.ed['id']}/results").json
    pastry = [c for c in res["categories"] if c["category_id"] == cat][0]["results"]
    assert {x["competitor_id"]: x["raw"] for x in pastry}[locked.e[0]["id"]] == 40.0


def test_only_the_chief_judge_of_the_category_reads_its_marks(locked):
    cat = locked.cat["id"]
    assert_error(locked.jc[1].get(f"/api/v1/categories/{cat}/marks"), 403, "forbidden")
    # the chief judge of the other category is no chief here
    assert_error(locked.judges[0].get(f"/api/v1/categories/{cat}/marks"), 403, "forbidden")
    assert locked.judges[0].get(f"/api/v1/categories/{locked.other_cat['id']}/marks").status == 200
    assert locked.server.anon.get(f"/api/v1/categories/{cat}/marks").status == 401


def test_openapi_lists_the_reasons(locked):
    doc = locked.api.get("/api/v1/openapi.json").json
    body = doc["paths"]["/api/v1/marks/{id}/correction"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["properties"]["reason"]["enum"] == REASONS
    assert set(body["schema"]["required"]) == {"value", "reason"}
    assert "/api/v1/categories/{id}/marks" in doc["paths"]
