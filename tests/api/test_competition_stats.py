"""The competitions' history through the API (GET /api/v1/competitions/stats)
as JSON and CSV, and results as CSV (?format=csv): two editions of one
region with hand-countable participants, categories, sexes and medals, and
the year-over-year growth between them."""
import csv
import io

import pytest

from conftest import Factory, assert_error, created, make_user, uniq, user_password


def rows(r):
    assert r.status == 200, r
    assert r.header("Content-Type").startswith("text/csv"), r.headers
    return list(csv.DictReader(io.StringIO(r.body)))


@pytest.fixture(scope="module")
def hist(server):
    """2030: one category, one competitor (left in registration). 2031: two
    categories; Pastry: Ayla (A, female) 100, Bilal (B, male) 0; Welding:
    Chen (A, sex not recorded) 100; locked and published."""
    api = server.client
    make = Factory(api)
    region, _, county, _ = make.tree()
    A, B, C = (make.institution(county, name=uniq(n)) for n in ("Stats A ", "Stats B ", "Stats C "))
    judge_person = [make.person(given_name=uniq("Judge")) for _ in range(3)]
    judge = None
    for i, p in enumerate(judge_person):
        u = make_user(api, uniq("sjudge").replace("-", "."), "judge", person=p)
        if i == 0:
            judge = server.anon.login(u["username"], user_password(u["username"]))
    ayla, bilal, chen = (make.person(given_name=uniq(n), **kw) for n, kw in
                         (("Ayla", {"sex": "female"}), ("Bilal", {"sex": "male"}), ("Chen", {})))

    def edition(year, names):
        ed = created(api.post("/api/v1/editions", {"year": year, "name": uniq(f"{year} skills "),
                                                   "area_id": region["id"], "start_date": f"{year}-10-01",
                                                   "end_date": f"{year}-10-02"}))
        cats, aspects = [], []
        for name in names:
            cat = created(api.post("/api/v1/categories", {"edition_id": ed["id"], "name": name, "isco_code": "7512"}))
            crit = created(api.post("/api/v1/criteria", {"category_id": cat["id"], "code": "A", "name": "All",
                                                         "weight": 100}))
            aspects.append(created(api.post("/api/v1/aspects", {"criterion_id": crit["id"], "code": "A1",
                                                                "description": "done", "kind": "measurement",
                                                                "max_mark": 100})))
            for k, p in enumerate(judge_person):
                created(api.post("/api/v1/judges", {"category_id": cat["id"], "person_id": p["id"],
                                                    "institution_id": C["id"], "chief": k == 0}))
            cats.append(cat)
        assert api.post(f"/api/v1/editions/{ed['id']}/transition", {"to": "registration"}).status == 200
        return ed, cats, aspects

    def enter(cat, person, inst):
        return created(api.post("/api/v1/competitors", {"category_id": cat["id"], "person_id": person["id"],
                                                        "institution_id": inst["id"], "consent": True}))

    old, old_cats, _ = edition(2030, ["Pastry"])
    enter(old_cats[0], ayla, A)
    new, cats, aspects = edition(2031, ["Pastry", "Welding"])
    e = [enter(cats[0], ayla, A), enter(cats[0], bilal, B), enter(cats[1], chen, A)]
    assert api.post(f"/api/v1/editions/{new['id']}/transition", {"to": "marking"}).status == 200
    for entry, aspect, value in ((e[0], aspects[0], 100), (e[1], aspects[0], 0), (e[2], aspects[1], 100)):
        assert judge.post("/api/v1/marks", {"competitor_id": entry["id"], "aspect_id": aspect["id"],
                                            "value": value}).status == 201
    for cat in cats:
        assert api.post(f"/api/v1/categories/{cat['id']}/lock").status == 200
    for to in ("locked", "published"):
        assert api.post(f"/api/v1/editions/{new['id']}/transition", {"to": to}).status == 200
    return dict(old=old, new=new, cats=cats, e=e, A=A, B=B, county=county, region=region)


def mine(doc, hist):
    by_id = {x["edition_id"]: x for x in doc["editions"]}
    return by_id[hist["old"]["id"]], by_id[hist["new"]["id"]]


def test_stats_json(api, hist):
    r = api.get("/api/v1/competitions/stats")
    assert r.status == 200 and r.header("Content-Type").startswith("application/json")
    old, new = mine(r.json, hist)
    assert (old["year"], old["state"], old["participants"], old["categories"], old["institutions"]) == \
        (2030, "registration", 1, 1, 1)
    assert old["growth"] == {"previous_edition_id": None, "participants": None, "categories": None}
    assert old["medals_final"] is False and old["medals_by_institution"] == []
    assert (new["year"], new["state"], new["participants"], new["categories"], new["institutions"]) == \
        (2031, "published", 3, 2, 2)
    assert new["competitors_by_sex"] == {"female": 1, "male": 1, "unrecorded": 1}
    # 1 -> 3 participants (+200%), 1 -> 2 categories (+100%)
    assert new["growth"] == {"previous_edition_id": hist["old"]["id"], "participants": 2.0, "categories": 1.0}
    # A: gold (Ayla, Pastry) + gold (Chen, Welding, alone) = 8; B: silver (Bilal) = 3
    medals = [(m["institution_id"], m["points"], m["gold"], m["silver"], m["area_id"])
              for m in new["medals_by_institution"]]
    assert medals == [(hist["A"]["id"], 8, 2, 0, hist["county"]["id"]), (hist["B"]["id"], 3, 0, 1, hist["county"]["id"])]
    assert [(m["area_id"], m["points"], m["gold"], m["silver"]) for m in new["medals_by_area"]] == \
        [(hist["county"]["id"], 11, 2, 1)]
    tot = r.json["totals"]
    assert tot["editions"] >= 2 and tot["participants"] >= 4
    err = assert_error(api.get("/api/v1/competitions/stats?format=xml"), 422, "validation", field="format")
    assert (err["reason"], err["params"]) == ("not_one_of", {"allowed": "json, csv", "got": "xml"})
    err = assert_error(api.get("/api/v1/competitions/stats?table=medals"), 422, "validation", field="table")
    assert (err["reason"], err["params"]) == ("only_with", {"other": "format", "value": "csv"})


def test_stats_csv(api, hist):
    table = {int(x["edition_id"]): x for x in rows(api.get("/api/v1/competitions/stats?format=csv"))}
    old, new = table[hist["old"]["id"]], table[hist["new"]["id"]]
    assert (old["participants"], old["participants_growth"], old["gold"]) == ("1", "", "")
    assert (new["participants"], new["categories"], new["female"], new["male"], new["unrecorded"]) == \
        ("3", "2", "1", "1", "1")
    assert (new["participants_growth"], new["categories_growth"]) == ("2.0000", "1.0000")
    assert (new["gold"], new["silver"], new["bronze"], new["medallion"]) == ("2", "1", "0", "0")
    medals = rows(api.get("/api/v1/competitions/stats?format=csv&table=medals"))
    got = [(m["level"], m["id"], m["points"]) for m in medals if m["edition_id"] == str(hist["new"]["id"])]
    assert got == [("institution", str(hist["A"]["id"]), "8"), ("institution", str(hist["B"]["id"]), "3"),
                   ("area", str(hist["county"]["id"]), "11")]
    err = assert_error(api.get("/api/v1/competitions/stats?format=csv&table=people"), 422, "validation", field="table")
    assert (err["reason"], err["params"]) == ("not_one_of", {"allowed": "editions, medals", "got": "people"})


def test_results_csv(api, server, hist):
    ed = hist["new"]["id"]
    got = rows(api.get(f"/api/v1/editions/{ed}/results?format=csv"))
    assert [(int(x["competitor_id"]), x["category"], x["rank"], x["raw"], x["standard"], x["medal"]) for x in got] == [
        (hist["e"][0]["id"], "Pastry", "1", "100.00", "720", "gold"),
        (hist["e"][1]["id"], "Pastry", "2", "0.00", "680", "silver"),
        (hist["e"][2]["id"], "Welding", "1", "100.00", "700", "gold")]
    # median 50, s = 1.4826 * 50 = 74.13: 700 +- 30 * 50 / 74.13 = 720.2 and 679.8; Chen alone: 700
    inst = rows(api.get(f"/api/v1/editions/{ed}/results?format=csv&table=institutions"))
    assert [(int(x["institution_id"]), x["points"], x["mean_standard"]) for x in inst] == \
        [(hist["A"]["id"], "8", "710.0"), (hist["B"]["id"], "3", "680.0")]
    # the published results as CSV for everyone; JSON stays the default
    pub = rows(server.anon.get(f"/api/v1/public/editions/{ed}/results?format=csv"))
    assert len(pub) == 3
    assert api.get(f"/api/v1/editions/{ed}/results?format=json").json["edition_id"] == ed
    assert_error(api.get(f"/api/v1/editions/{ed}/results?format=pdf"), 422, "validation", field="format")
    assert_error(api.get(f"/api/v1/editions/{ed}/results?table=institutions"), 422, "validation", field="table")
    # errors stay JSON when CSV was asked for
    assert_error(api.get("/api/v1/editions/999999/results?format=csv"), 404, "not_found")
    # HEAD: the headers without the body
    h = api.request("HEAD", f"/api/v1/editions/{ed}/results?format=csv")
    assert h.status == 200 and h.body == ""
