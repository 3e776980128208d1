"""A skills competition through the API, with hand-computed results: the
edition's state machine (every forbidden step refused), the marking scheme's
checks, entries with consent and withdrawal, judges refused outside their
category or for their own institution, bad marks refused naming the aspect
and the rule, concurrent marks, review flags, the lock and corrections, and
results (raw, standard, ranks, medals, institution table), public only once
published."""
import threading

import pytest

from conftest import ADMIN_PASSWORD, Factory, assert_error, created, make_user, uniq, user_password

STATES = ["draft", "registration", "marking", "locked", "published"]


class Comp:
    def __init__(self, server):
        api = self.api = server.client
        self.server = server
        make = Factory(api)
        region, _, county, _ = make.tree()
        self.A, self.B, self.C = (make.institution(county, name=uniq(n)) for n in ("A ", "B ", "C "))
        self.ed = created(api.post("/api/v1/editions", {"year": 2026, "name": uniq("Skills "), "area_id": region["id"],
                                                        "start_date": "2026-10-01", "end_date": "2026-10-03"}))
        E = self.ed["id"]
        self.cat = created(api.post("/api/v1/categories", {"edition_id": E, "name": "Pastry", "isco_code": "7512"}))
        self.other_cat = created(api.post("/api/v1/categories", {"edition_id": E, "name": "Welding", "isco_code": "7212"}))
        for cat in (self.cat, self.other_cat):
            crit = created(api.post("/api/v1/criteria", {"category_id": cat["id"], "code": "A", "name": "Product",
                                                         "weight": 100}))
            a1 = created(api.post("/api/v1/aspects", {"criterion_id": crit["id"], "code": "A1", "description": "weight",
                                                      "kind": "measurement", "max_mark": 40,
                                                      "part_marks": ["20 | within 5% of the target weight"]}))
            a2 = created(api.post("/api/v1/aspects", {"criterion_id": crit["id"], "code": "A2", "description": "finish",
                                                      "kind": "judgement", "max_mark": 60,
                                                      "descriptors": ["below", "acceptable", "good", "excellent"]}))
            if cat is self.cat:
                self.crit, self.a1, self.a2 = crit, a1, a2
        # judges: three of institution C for Pastry (the first is chief), three others for Welding
        self.judges, self.jc = [], []
        for i in range(6):
            p = make.person(given_name=uniq("Judge"))
            u = make_user(api, uniq("judge").replace("-", "."), "judge", person=p)
            cat = self.cat if i < 3 else self.other_cat
            created(api.post("/api/v1/judges", {"category_id": cat["id"], "person_id": p["id"],
                                                "institution_id": self.C["id"], "chief": i in (0, 3)}))
            c = server.anon.login(u["username"], user_password(u["username"]))
            (self.jc if i < 3 else self.judges).append(c)
        self.p = [make.person(given_name=uniq(n)) for n in ("Ayla", "Bilal", "Chen", "Dilnur")]

    def to(self, state):
        return self.api.post(f"/api/v1/editions/{self.ed['id']}/transition", {"to": state})


@pytest.fixture(scope="module")
def comp(server):
    return Comp(server)


def why(r, status, code, field=None):
    """The reason and params of an error answer (status, code and field checked)."""
    err = assert_error(r, status, code, field=field)
    return err["reason"], err.get("params", {})


def test_state_machine_refuses_every_forbidden_step(comp):
    api = comp.api
    r = api.post("/api/v1/editions", {"year": 2025, "name": uniq("Empty "), "area_id": comp.ed["area_id"],
                                      "start_date": "2025-10-01", "end_date": "2025-10-02"})
    empty = created(r)
    assert empty["state"] == "draft" and empty["points_per_sd"] == 30
    # an edition without categories cannot open registration
    assert_error(api.post(f"/api/v1/editions/{empty['id']}/transition", {"to": "registration"}), 409, "conflict")
    # from draft only registration; nothing jumps ahead or goes back
    for bad in ["draft", "marking", "locked", "published", "finished"]:
        assert_error(comp.to(bad), 409, "conflict")
    assert api.get(f"/api/v1/editions/{comp.ed['id']}").json["state"] == "draft"
    # the state itself is not written directly
    assert_error(api.patch(f"/api/v1/editions/{comp.ed['id']}", {"state": "published"}, etag='"1"'), 422, "validation",
                 field="state")
    # the step named as a string
    assert why(api.post(f"/api/v1/editions/{empty['id']}/transition", {}), 422, "validation", field="to") == \
        ("required", {})
    assert why(api.post(f"/api/v1/editions/{empty['id']}/transition", {"to": 2}), 422, "validation", field="to") == \
        ("not_string", {})
    # an edition ends on or after its first day
    assert why(api.post("/api/v1/editions", {"year": 2025, "name": uniq("Backwards "), "area_id": comp.ed["area_id"],
                                             "start_date": "2025-10-02", "end_date": "2025-10-01"}),
               422, "validation", field="end_date") == ("date_order", {"other": "start_date", "value": "2025-10-02"})


def test_scheme_must_add_up(comp):
    api = comp.api
    # the weights must add up to 100 and each criterion's aspects to its weight
    extra = created(api.post("/api/v1/criteria", {"category_id": comp.cat["id"], "code": "B", "name": "Extra",
                                                  "weight": 10}))
    r = comp.to("registration")
    assert_error(r, 409, "conflict")
    assert "100" in r.json["error"]["message"]
    assert api.delete(f"/api/v1/criteria/{extra['id']}").status == 204
    a3 = created(api.post("/api/v1/aspects", {"criterion_id": comp.crit["id"], "code": "A3", "description": "extra",
                                              "kind": "measurement", "max_mark": 5}))
    r = comp.to("registration")
    assert_error(r, 409, "conflict")
    assert "maximum marks" in r.json["error"]["message"]
    assert api.delete(f"/api/v1/aspects/{a3['id']}").status == 204
    # bad aspects are refused when written
    for body, field, reason in [
            ({"kind": "judgement", "descriptors": ["a", "b"]}, "descriptors", ("descriptor_count", {"want": 4, "got": 2})),
            ({"kind": "judgement"}, "descriptors", ("descriptor_count", {"want": 4, "got": 0})),
            ({"kind": "judgement", "descriptors": list("abcd"), "part_marks": ["1 | x"]}, "part_marks",
             ("only_with", {"other": "kind", "value": "measurement"})),
            ({"kind": "measurement", "descriptors": list("abcd")}, "descriptors",
             ("only_with", {"other": "kind", "value": "judgement"})),
            ({"kind": "measurement", "part_marks": ["50 | more than the maximum"]}, "part_marks",
             ("part_mark_above", {"got": 50, "max": 10})),
            ({"kind": "measurement", "part_marks": ["half"]}, "part_marks", ("part_mark_form", {"got": "half"})),
            ({"kind": "measurement", "max_mark": 1.234}, "max_mark", None)]:
        full = {"criterion_id": comp.crit["id"], "code": "X", "description": "x", "max_mark": 10, **body}
        got = why(api.post("/api/v1/aspects", full), 422, "validation", field=field)
        assert reason is None or got == reason, (body, got)


def test_registration_consent_and_withdrawal(comp):
    api = comp.api
    # marks cannot be entered before marking
    r = comp.to("registration")
    assert r.status == 200 and r.json["state"] == "registration", r
    cat = comp.cat["id"]
    assert_error(api.post("/api/v1/competitors", {"category_id": cat, "person_id": comp.p[0]["id"],
                                                  "institution_id": comp.A["id"]}), 422, "validation", field="consent")
    comp.e = [created(api.post("/api/v1/competitors", {"category_id": cat, "person_id": p["id"],
                                                       "institution_id": inst["id"], "consent": True}))
              for p, inst in zip(comp.p, (comp.A, comp.B, comp.A, comp.C))]
    assert comp.e[0]["status"] == "entered" and comp.e[0]["consent_by"] == "user:admin"
    # the same person twice in a category: refused
    assert_error(api.post("/api/v1/competitors", {"category_id": cat, "person_id": comp.p[0]["id"],
                                                  "institution_id": comp.A["id"], "consent": True}), 409, "conflict")
    # Dilnur (institution C, the judges' own) withdraws before marking
    r = api.post(f"/api/v1/competitors/{comp.e[3]['id']}/withdraw")
    assert r.status == 200 and r.json["status"] == "withdrawn"
    # the other category needs a competitor too
    created(api.post("/api/v1/competitors", {"category_id": comp.other_cat["id"], "person_id": comp.p[0]["id"],
                                             "institution_id": comp.A["id"], "consent": True}))
    assert_error(comp.jc[0].post("/api/v1/marks", {"competitor_id": comp.e[0]["id"], "aspect_id": comp.a1["id"],
                                                   "value": 40}), 409, "conflict")
    r = comp.to("marking")
    assert r.status == 200, r
    # after marking starts: no more entries, no withdrawal
    assert_error(api.post("/api/v1/competitors", {"category_id": cat, "person_id": comp.p[3]["id"],
                                                  "institution_id": comp.B["id"], "consent": True}), 409, "conflict")
    assert_error(api.post(f"/api/v1/competitors/{comp.e[0]['id']}/withdraw"), 409, "conflict")


def mark(client, comp, i, aspect, value):
    return client.post("/api/v1/marks", {"competitor_id": comp.e[i]["id"], "aspect_id": aspect["id"], "value": value})


def test_marking_rules(comp):
    j = comp.jc[0]
    # bad values: refused naming the aspect and the rule, nothing stored
    for aspect, value, words in [(comp.a2, 4, "A2"), (comp.a2, 1.5, "whole score"), (comp.a1, 30, "20.00"),
                                 (comp.a1, -1, "value")]:
        r = mark(j, comp, 0, aspect, value)
        assert_error(r, 422, "validation", field="value")
        assert words in r.json["error"]["message"], r
    assert comp.api.get(f"/api/v1/marks?competitor={comp.e[0]['id']}").json["total"] == 0
    # a judge of another category, and a judge for a competitor of their own institution
    assert_error(mark(comp.judges[0], comp, 0, comp.a1, 40), 403, "forbidden")
    r = mark(j, comp, 3, comp.a1, 40)
    assert_error(r, 403, "forbidden")
    assert "own institution" in r.json["error"]["message"]
    # an aspect of another category
    other_aspect = comp.api.get(f"/api/v1/aspects?category={comp.other_cat['id']}").json["items"][0]
    assert_error(mark(j, comp, 0, other_aspect, 0), 422, "validation", field="aspect_id")


def test_concurrent_marks_all_land(comp):
    # three judges score the same aspect of the same competitor at the same moment
    out = [None] * 3

    def go(k, score):
        out[k] = mark(comp.jc[k], comp, 0, comp.a2, score)

    threads = [threading.Thread(target=go, args=(k, 3)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status for r in out] == [201, 201, 201], out
    assert comp.api.get(f"/api/v1/marks?competitor={comp.e[0]['id']}&limit=10").json["total"] == 3
    # a judge marks once per aspect and competitor; a second entry is a conflict (change it instead)
    assert_error(mark(comp.jc[0], comp, 0, comp.a2, 2), 409, "conflict")


def test_lock_review_correction_and_results(comp):
    api, jc = comp.api, comp.jc
    chief = jc[0]
    # Ayla (A): A1 40, A2 3,3,3 (already)          raw 40 + 60       = 100
    # Bilal (B): A1 20, A2 3,1,2 (flagged: 3 - 1 > 1) raw 20 + 2/3*60 = 60
    # Chen (A):  A1 0,  A2 1,1,0                     raw 0 + 1/3*2/3.. = 13.33
    assert mark(chief, comp, 0, comp.a1, 40).status == 201
    assert mark(chief, comp, 1, comp.a1, 20).status == 201
    for k, s in enumerate((3, 1, 2)):
        assert mark(jc[k], comp, 1, comp.a2, s).status == 201
    for k, s in enumerate((1, 1)):
        assert mark(jc[k], comp, 2, comp.a2, s).status == 201
    # the lock is refused while Chen lacks A1 and one A2 score, and says so
    r = chief.post(f"/api/v1/categories/{comp.cat['id']}/lock")
    assert why(r, 409, "conflict") == ("marks_missing", {"count": 2, "competitor": comp.e[2]["id"], "aspect": "A1",
                                                         "have": 0, "need": 1})
    msg = r.json["error"]["message"]
    assert f"competitor {comp.e[2]['id']} aspect A1" in msg and f"competitor {comp.e[2]['id']} aspect A2 (2 of 3)" in msg
    # the review lists every missing mark (Dilnur withdrew: nothing is missing of hers)
    missing = chief.get(f"/api/v1/categories/{comp.cat['id']}/review").json["missing"]
    assert [(x["competitor_id"], x["aspect_id"], x["aspect"], x["have"], x["need"]) for x in missing] == \
        [(comp.e[2]["id"], comp.a1["id"], "A1", 0, 1), (comp.e[2]["id"], comp.a2["id"], "A2", 2, 3)]
    # an ordinary judge may not lock; the review shows Bilal's A2
    assert_error(jc[1].post(f"/api/v1/categories/{comp.cat['id']}/lock"), 403, "forbidden")
    flagged = chief.get(f"/api/v1/categories/{comp.cat['id']}/review").json["flagged"]
    assert [(f["competitor_id"], f["aspect"], f["lowest"], f["highest"]) for f in flagged] == \
        [(comp.e[1]["id"], "A2", 1, 3)]
    assert mark(jc[2], comp, 2, comp.a2, 0).status == 201
    m = created(mark(chief, comp, 2, comp.a1, 20))
    # before the lock the judge changes their own mark (If-Match); another judge cannot
    assert_error(jc[1].patch(f"/api/v1/marks/{m['id']}", {"value": 0}, etag='"1"'), 403, "forbidden")
    r = chief.patch(f"/api/v1/marks/{m['id']}", {"value": 0}, etag='"1"')
    assert r.status == 200 and r.json["value"] == 0
    # the other category is complete too (Ayla: A1 40, A2 2,2,2)
    other = api.get(f"/api/v1/competitors?category={comp.other_cat['id']}").json["items"][0]
    oa = api.get(f"/api/v1/aspects?category={comp.other_cat['id']}").json["items"]
    for k, cl in enumerate(comp.judges):
        for a in oa:
            if a["kind"] == "judgement" or k == 0:
                assert cl.post("/api/v1/marks", {"competitor_id": other["id"], "aspect_id": a["id"],
                                                 "value": 2 if a["kind"] == "judgement" else 40}).status == 201
    assert comp.judges[0].post(f"/api/v1/categories/{comp.other_cat['id']}/lock").status == 200
    r = chief.post(f"/api/v1/categories/{comp.cat['id']}/lock")
    assert r.status == 200 and r.json["locked_at"], r
    assert chief.get(f"/api/v1/categories/{comp.cat['id']}/review").json["missing"] == []
    # after the lock a mark changes only by a correction, with a reason and the old value kept
    assert_error(chief.patch(f"/api/v1/marks/{m['id']}", {"value": 20}, etag='"2"'), 409, "conflict")
    assert_error(chief.post(f"/api/v1/marks/{m['id']}/correction", {"value": 20}), 422, "validation")
    assert_error(jc[1].post(f"/api/v1/marks/{m['id']}/correction", {"value": 20, "reason": "other"}), 403, "forbidden")
    r = chief.post(f"/api/v1/marks/{m['id']}/correction", {"value": 20, "reason": "remeasured"})
    assert r.status == 200 and r.json["value"] == 20
    audit = api.get("/api/v1/audit?entity=mark&limit=1000").json["items"]
    assert any(a["action"] == "correct" and a["entity_id"] == m["id"] for a in audit)
    # results: raws 100, 60, 33.33 -> median 60, MAD 26.667, s = 39.536
    # standard: 700 + 30 * 40 / 39.536 = 730.35 -> 730; 700; 700 - 30 * 26.667 / 39.536 = 679.77 -> 680
    res = api.get(f"/api/v1/editions/{comp.ed['id']}/results").json
    results = f"/api/v1/editions/{comp.ed['id']}/results"
    assert why(api.get(results + "?format=pdf"), 422, "validation", field="format") == \
        ("not_one_of", {"allowed": "json, csv, xlsx", "got": "pdf"})
    assert why(api.get(results + "?table=institutions"), 422, "validation", field="table") == \
        ("only_with", {"other": "format", "value": "csv, xlsx"})
    assert why(api.get(results + "?format=csv&table=judges"), 422, "validation", field="table") == \
        ("not_one_of", {"allowed": "competitors, institutions", "got": "judges"})
    assert why(api.get("/api/v1/editions/999999/results"), 404, "not_found") == \
        ("not_found", {"entity": "edition", "id": 999999})
    pastry = [c for c in res["categories"] if c["category_id"] == comp.cat["id"]][0]["results"]
    got = [(x["competitor_id"], x["raw"], x["standard"], x["rank"], x["medal"]) for x in pastry]
    assert got == [(comp.e[0]["id"], 100.0, 730, 1, "gold"), (comp.e[1]["id"], 60.0, 700, 2, "silver"),
                   (comp.e[2]["id"], 33.33, 680, 3, "bronze")], got
    # public results only once published
    assert why(comp.server.anon.get(f"/api/v1/public/editions/{comp.ed['id']}/results"), 404, "not_found") == \
        ("not_published", {"id": comp.ed["id"]})
    assert comp.to("locked").status == 200
    assert comp.to("published").status == 200
    pub = comp.server.anon.get(f"/api/v1/public/editions/{comp.ed['id']}/results")
    assert pub.status == 200 and pub.json["state"] == "published"
    inst = {row["institution_id"]: row for row in pub.json["institutions"]}
    # A: gold (Ayla, Pastry) + bronze (Chen) + gold (Ayla, Welding alone: 700) = 4 + 2 + 4
    assert inst[comp.A["id"]]["points"] == 10 and inst[comp.A["id"]]["gold"] == 2
    assert inst[comp.B["id"]]["points"] == 3 and inst[comp.B["id"]]["silver"] == 1
    assert pub.json["institutions"][0]["institution_id"] == comp.A["id"]


def test_public_editions_list_only_published_ones_and_results_carry_names(comp):
    """GET /api/v1/public/editions (anyone) lists published editions alone,
    newest first, with their area and counts; results name the edition and
    each competitor's institution, for the public pages."""
    api, anon = comp.api, comp.server.anon
    draft = created(api.post("/api/v1/editions", {"year": 2031, "name": uniq("Unpublished "), "area_id": comp.ed["area_id"],
                                                  "start_date": "2031-10-01", "end_date": "2031-10-02"}))
    r = anon.get("/api/v1/public/editions")
    assert r.status == 200
    items = r.json["items"]
    ids = [x["id"] for x in items]
    assert comp.ed["id"] in ids and draft["id"] not in ids
    assert all(api.get(f"/api/v1/editions/{i}").json["state"] == "published" for i in ids)
    assert [x["year"] for x in items] == sorted((x["year"] for x in items), reverse=True)
    mine = next(x for x in items if x["id"] == comp.ed["id"])
    area = api.get(f"/api/v1/areas/{comp.ed['area_id']}").json
    # Pastry: Ayla, Bilal, Chen (Dilnur withdrew); Welding: Ayla
    assert (mine["name"], mine["year"], mine["area"], mine["categories"], mine["competitors"]) == \
        (comp.ed["name"], 2026, area["name"], 2, 4)
    res = anon.get(f"/api/v1/public/editions/{comp.ed['id']}/results").json
    assert (res["name"], res["year"]) == (comp.ed["name"], 2026)
    names = {comp.A["id"]: comp.A["name"], comp.B["id"]: comp.B["name"]}
    rows = [x for c in res["categories"] for x in c["results"]]
    assert rows and all(x["institution"] == names[x["institution_id"]] for x in rows)
    assert all(x["name"] == names[x["institution_id"]] for x in res["institutions"])


def test_setup_records_change_and_go_while_draft(server):
    """Editions, categories, criteria, aspects and judges are edited and
    removed while the edition is a draft (entries while registration is
    open); the scheme is frozen afterwards."""
    api = server.client
    make = Factory(api)
    region, _, county, _ = make.tree()
    inst = make.institution(county)
    ed = created(api.post("/api/v1/editions", {"year": 2027, "name": uniq("Draft "), "area_id": region["id"],
                                               "start_date": "2027-10-01", "end_date": "2027-10-02"}))
    r = api.patch(f"/api/v1/editions/{ed['id']}", {"name": "Renamed", "points_per_sd": 50}, etag='"1"')
    assert r.status == 200 and r.json["points_per_sd"] == 50
    cat = created(api.post("/api/v1/categories", {"edition_id": ed["id"], "name": "Cooking", "isco_code": "5120"}))
    assert api.patch(f"/api/v1/categories/{cat['id']}", {"name": "Cookery"}, etag='"1"').json["name"] == "Cookery"
    crit = created(api.post("/api/v1/criteria", {"category_id": cat["id"], "code": "A", "name": "x", "weight": 100}))
    assert api.patch(f"/api/v1/criteria/{crit['id']}", {"name": "Taste"}, etag='"1"').status == 200
    asp = created(api.post("/api/v1/aspects", {"criterion_id": crit["id"], "code": "A1", "description": "d",
                                               "kind": "measurement", "max_mark": 100}))
    assert api.patch(f"/api/v1/aspects/{asp['id']}", {"description": "salt"}, etag='"1"').status == 200
    judges = []
    for i in range(3):
        p = make.person(given_name=uniq("J"))
        judges.append(created(api.post("/api/v1/judges", {"category_id": cat["id"], "person_id": p["id"]})))
    assert api.patch(f"/api/v1/judges/{judges[0]['id']}", {"chief": True}, etag='"1"').json["chief"] is True
    assert api.post(f"/api/v1/editions/{ed['id']}/transition", {"to": "registration"}).status == 200
    # its points per standard deviation are fixed from now on
    assert why(api.patch(f"/api/v1/editions/{ed['id']}", {"points_per_sd": 40}, etag='"3"'), 409, "conflict",
               field="points_per_sd") == ("points_fixed", {"state": "registration"})
    # the scheme is frozen now
    assert why(api.patch(f"/api/v1/aspects/{asp['id']}", {"description": "x"}, etag='"2"'), 409, "conflict") == \
        ("edition_state", {"doing": "scheme", "want": "draft", "state": "registration"})
    assert_error(api.delete(f"/api/v1/criteria/{crit['id']}"), 409, "conflict")
    # an entry made in error goes while registration is open
    entry = created(api.post("/api/v1/competitors", {"category_id": cat["id"], "person_id": make.person()["id"],
                                                     "institution_id": inst["id"], "consent": True}))
    assert api.delete(f"/api/v1/competitors/{entry['id']}").status == 204
    assert api.delete(f"/api/v1/judges/{judges[2]['id']}").status == 204
    # a draft edition and its scheme can be removed, leaves first
    ed2 = created(api.post("/api/v1/editions", {"year": 2028, "name": uniq("Gone "), "area_id": region["id"],
                                                "start_date": "2028-10-01", "end_date": "2028-10-02"}))
    c2 = created(api.post("/api/v1/categories", {"edition_id": ed2["id"], "name": "X", "isco_code": "5120"}))
    r2 = created(api.post("/api/v1/criteria", {"category_id": c2["id"], "code": "A", "name": "x", "weight": 100}))
    a2 = created(api.post("/api/v1/aspects", {"criterion_id": r2["id"], "code": "A1", "description": "d",
                                              "kind": "measurement", "max_mark": 100}))
    assert_error(api.delete(f"/api/v1/editions/{ed2['id']}"), 409, "conflict")   # still referred to
    for path in (f"/api/v1/aspects/{a2['id']}", f"/api/v1/criteria/{r2['id']}", f"/api/v1/categories/{c2['id']}",
                 f"/api/v1/editions/{ed2['id']}"):
        assert api.delete(path).status == 204, path
    # an edition past draft is not deleted
    r = api.delete(f"/api/v1/editions/{ed['id']}")
    assert why(r, 409, "conflict", field="state") == \
        ("edition_state", {"doing": "delete", "want": "draft", "state": "registration"})
    assert r.json["error"]["message"] == "an edition is deleted while the edition is in draft; it is in registration"
