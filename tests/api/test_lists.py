"""List paging (limit/offset with total; keyset `after`/next_after) and the
filters of every collection."""
import urllib.parse

import pytest

from conftest import serve, uniq


@pytest.fixture(scope="module")
def server():
    # a server of its own, so the totals below are exact
    yield from serve()


def ids(r):
    assert r.status == 200, r
    return [x["id"] for x in r.json["items"]]


@pytest.fixture(scope="module")
def world(api, make):
    """Two regions with institutions, programs, cohorts, persons, enrollments."""
    w = {}
    r1, p1, c1, t1 = make.tree()
    c1b = make.area("county", p1)
    r2, p2, c2, t2 = make.tree()
    w["areas"] = dict(r1=r1, p1=p1, c1=c1, t1=t1, c1b=c1b, r2=r2, p2=p2, c2=c2, t2=t2)
    i1 = make.institution(t1, kind="vocational_college")   # deep inside r1
    i1b = make.institution(c1b, kind="training_centre")
    i2 = make.institution(c2, kind="training_centre")
    w["inst"] = dict(i1=i1, i1b=i1b, i2=i2)
    pr1 = make.program(i1, isco_code="7512")
    pr1b = make.program(i1b, isco_code="5120")
    pr2 = make.program(i2, isco_code="7512")
    w["prog"] = dict(pr1=pr1, pr1b=pr1b, pr2=pr2)
    trainer = make.person(given_name="Trainer")
    co1 = make.cohort(pr1, trainers=[trainer["id"]], start_date="2026-03-01", end_date="2026-06-30")
    co1b = make.cohort(pr1b, start_date="2026-09-01", end_date="2026-12-31")
    co2 = make.cohort(pr2, start_date="2026-05-01", end_date="2026-05-01")
    w["co"] = dict(co1=co1, co1b=co1b, co2=co2)
    w["trainer"] = trainer
    learners = [make.person(home_area_id=(t1 if i % 2 else c2)["id"]) for i in range(6)]
    w["learners"] = learners
    en = {}
    en["a"] = make.enrollment(learners[0], co1)                       # applied
    en["b"] = make.enrollment(learners[1], co1, status="enrolled")
    en["c"] = make.enrollment(learners[0], co1b, status="enrolled")   # multi-skill
    en["d"] = make.enrollment(learners[2], co2)
    en["e"] = make.enrollment(learners[3], co2, status="enrolled")
    w["en"] = en
    return w


def test_limit_offset_total(api, make):
    made = [make.person(family_name="Paging") for _ in range(23)]
    r = api.get("/api/v1/persons?q=paging&limit=10")
    assert r.json["total"] == 23 and r.json["limit"] == 10 and r.json["offset"] == 0
    assert ids(r) == [p["id"] for p in made[:10]]
    r = api.get("/api/v1/persons?q=paging&limit=10&offset=10")
    assert r.json["total"] == 23 and r.json["offset"] == 10
    assert ids(r) == [p["id"] for p in made[10:20]]
    r = api.get("/api/v1/persons?q=paging&limit=10&offset=20")
    assert ids(r) == [p["id"] for p in made[20:]]
    assert r.json["next_after"] is None
    r = api.get("/api/v1/persons?q=paging&limit=10&offset=30")
    assert ids(r) == [] and r.json["total"] == 23
    r = api.get("/api/v1/persons?q=paging&limit=500")
    assert ids(r) == [p["id"] for p in made]


def test_default_limit_is_50(api, make):
    for _ in range(55):
        make.person(family_name="Defaultlimit")
    r = api.get("/api/v1/persons?q=defaultlimit")
    assert len(r.json["items"]) == 50 and r.json["total"] == 55 and r.json["limit"] == 50
    assert r.json["next_after"] == r.json["items"][-1]["id"]


@pytest.mark.parametrize("limit", [1, 3, 7, 25])
def test_keyset_walk_sees_every_record_once(api, make, limit):
    tag = uniq("Walk").replace("-", "")
    made = [make.person(family_name=tag)["id"] for _ in range(25)]
    seen, after, pages = [], None, 0
    while True:
        q = f"/api/v1/persons?q={tag}&limit={limit}" + (f"&after={after}" if after is not None else "")
        r = api.get(q)
        assert r.status == 200, r
        assert r.json["total"] == 25
        page = ids(r)
        assert len(page) <= limit
        seen += page
        pages += 1
        assert pages <= 30, "next_after never ends"
        after = r.json["next_after"]
        if after is None:
            break
        assert after == page[-1]
    assert seen == made  # in id order, no duplicates, nothing missed
    assert len(set(seen)) == len(seen)


def test_keyset_walk_all_areas_unfiltered(api, make, world):
    total = api.get("/api/v1/areas?limit=1").json["total"]
    seen, after = [], 0
    for _ in range(100):
        r = api.get(f"/api/v1/areas?limit=4&after={after}")
        seen += ids(r)
        if r.json["next_after"] is None:
            break
        after = r.json["next_after"]
    assert len(seen) == total == len(set(seen))
    assert seen == sorted(seen)


def test_keyset_survives_inserts_behind_the_cursor(api, make):
    tag = uniq("Ks").replace("-", "")
    first = [make.person(family_name=tag)["id"] for _ in range(4)]
    r = api.get(f"/api/v1/persons?q={tag}&limit=2")
    page1 = ids(r)
    after = r.json["next_after"]
    later = [make.person(family_name=tag)["id"] for _ in range(2)]
    seen = list(page1)
    while after is not None:
        r = api.get(f"/api/v1/persons?q={tag}&limit=2&after={after}")
        seen += ids(r)
        after = r.json["next_after"]
    assert seen == first + later


# --- filters -------------------------------------------------------------------

def test_area_filters(api, world):
    a = world["areas"]
    assert set(ids(api.get(f"/api/v1/areas?parent={a['p1']['id']}"))) == {a["c1"]["id"], a["c1b"]["id"]}
    assert ids(api.get(f"/api/v1/areas?parent={a['t1']['id']}")) == []
    regions = ids(api.get("/api/v1/areas?level=region&limit=500"))
    assert a["r1"]["id"] in regions and a["r2"]["id"] in regions and a["p1"]["id"] not in regions
    r = api.get(f"/api/v1/areas?level=county&parent={a['p1']['id']}")
    assert r.json["total"] == 2


def test_institution_area_subtree(api, world):
    a, i = world["areas"], world["inst"]
    assert set(ids(api.get(f"/api/v1/institutions?area={a['r1']['id']}"))) == {i["i1"]["id"], i["i1b"]["id"]}
    assert set(ids(api.get(f"/api/v1/institutions?area={a['p1']['id']}"))) == {i["i1"]["id"], i["i1b"]["id"]}
    assert ids(api.get(f"/api/v1/institutions?area={a['c1']['id']}")) == [i["i1"]["id"]]
    assert ids(api.get(f"/api/v1/institutions?area={a['t1']['id']}")) == [i["i1"]["id"]]
    assert ids(api.get(f"/api/v1/institutions?area={a['r2']['id']}")) == [i["i2"]["id"]]
    assert ids(api.get(f"/api/v1/institutions?area={a['r2']['id']}&kind=vocational_college")) == []
    assert ids(api.get(f"/api/v1/institutions?area={a['r1']['id']}&kind=training_centre")) == [i["i1b"]["id"]]
    r = api.get(f"/api/v1/institutions?area={a['r1']['id']}")
    assert r.json["total"] == 2


def test_program_filters(api, world):
    a, i, p = world["areas"], world["inst"], world["prog"]
    assert ids(api.get(f"/api/v1/programs?institution={i['i1']['id']}")) == [p["pr1"]["id"]]
    assert set(ids(api.get(f"/api/v1/programs?area={a['r1']['id']}"))) == {p["pr1"]["id"], p["pr1b"]["id"]}
    assert set(ids(api.get(f"/api/v1/programs?area={a['r1']['id']}&isco_code=7512"))) == {p["pr1"]["id"]}
    got = set(ids(api.get("/api/v1/programs?isco_code=5120&limit=500")))
    assert p["pr1b"]["id"] in got and p["pr1"]["id"] not in got


def test_cohort_filters(api, world):
    a, i, p, c = world["areas"], world["inst"], world["prog"], world["co"]
    assert ids(api.get(f"/api/v1/cohorts?program={p['pr1']['id']}")) == [c["co1"]["id"]]
    assert ids(api.get(f"/api/v1/cohorts?institution={i['i2']['id']}")) == [c["co2"]["id"]]
    assert set(ids(api.get(f"/api/v1/cohorts?area={a['r1']['id']}"))) == {c["co1"]["id"], c["co1b"]["id"]}
    assert ids(api.get(f"/api/v1/cohorts?area={a['c1b']['id']}")) == [c["co1b"]["id"]]
    assert ids(api.get(f"/api/v1/cohorts?trainer={world['trainer']['id']}")) == [c["co1"]["id"]]
    on = set(ids(api.get("/api/v1/cohorts?active_on=2026-05-01&limit=500")))
    assert c["co1"]["id"] in on and c["co2"]["id"] in on and c["co1b"]["id"] not in on
    on = set(ids(api.get(f"/api/v1/cohorts?active_on=2026-06-30&area={a['r1']['id']}")))
    assert on == {c["co1"]["id"]}  # end date is inclusive
    assert ids(api.get(f"/api/v1/cohorts?active_on=2026-07-01&area={a['r1']['id']}")) == []


def test_enrollment_filters(api, world):
    a, i, p, c, e, L = world["areas"], world["inst"], world["prog"], world["co"], world["en"], world["learners"]
    assert set(ids(api.get(f"/api/v1/enrollments?person={L[0]['id']}"))) == {e["a"]["id"], e["c"]["id"]}
    assert set(ids(api.get(f"/api/v1/enrollments?cohort={c['co1']['id']}"))) == {e["a"]["id"], e["b"]["id"]}
    assert set(ids(api.get(f"/api/v1/enrollments?cohort={c['co1']['id']}&status=enrolled"))) == {e["b"]["id"]}
    assert set(ids(api.get(f"/api/v1/enrollments?program={p['pr2']['id']}"))) == {e["d"]["id"], e["e"]["id"]}
    assert set(ids(api.get(f"/api/v1/enrollments?institution={i['i1b']['id']}"))) == {e["c"]["id"]}
    assert set(ids(api.get(f"/api/v1/enrollments?area={a['r1']['id']}"))) == {e["a"]["id"], e["b"]["id"],
                                                                               e["c"]["id"]}
    assert set(ids(api.get(f"/api/v1/enrollments?area={a['r2']['id']}&status=applied"))) == {e["d"]["id"]}
    r = api.get(f"/api/v1/enrollments?area={a['r1']['id']}&status=enrolled&limit=1")
    assert r.json["total"] == 2 and len(r.json["items"]) == 1 and r.json["next_after"] is not None


def test_person_filters(api, world):
    a, i, c, L = world["areas"], world["inst"], world["co"], world["learners"]
    assert set(ids(api.get(f"/api/v1/persons?cohort={c['co1']['id']}"))) == {L[0]["id"], L[1]["id"]}
    assert set(ids(api.get(f"/api/v1/persons?institution={i['i2']['id']}"))) == {L[2]["id"], L[3]["id"]}
    home_r1 = set(ids(api.get(f"/api/v1/persons?area={a['r1']['id']}&limit=500")))
    assert home_r1 == {p["id"] for k, p in enumerate(L) if k % 2}
    assert ids(api.get(f"/api/v1/persons?area={a['t2']['id']}")) == []


def test_person_sourced_id_filter(api, make):
    sid = uniq("OneRoster/")
    p = make.person(sourced_id=sid)
    r = api.get("/api/v1/persons?sourced_id=" + urllib.parse.quote(sid, safe=""))
    assert ids(r) == [p["id"]] and r.json["total"] == 1
    assert ids(api.get("/api/v1/persons?sourced_id=nobody-has-this")) == []


# --- name search: Chinese, Uyghur (Arabic script), Latin ---------------------------

@pytest.fixture(scope="module")
def names(make):
    return {
        "zhang": make.person(family_name="张", given_name="伟"),
        "zhangsan": make.person(family_name="张", given_name="三丰"),
        "wang": make.person(family_name="王", given_name="伟"),
        "zhanghua": make.person(family_name="章", given_name="华"),
        "ug1": make.person(family_name="تۇرسۇن", given_name="گۈلنار"),
        "ug2": make.person(family_name="ئەخمەت", given_name="مۇھەممەت"),
        "lat1": make.person(family_name="Tursun", given_name="Gulnar"),
        "lat2": make.person(family_name="Müller", given_name="Ärzte"),
        "lat3": make.person(family_name="de la Cruz", given_name="Ana"),
    }


def search(api, q):
    r = api.get("/api/v1/persons?limit=500&q=" + urllib.parse.quote(q))
    assert r.status == 200, r
    return {x["id"] for x in r.json["items"]}


@pytest.mark.parametrize("q,expect", [
    ("张", {"zhang", "zhangsan"}),
    ("张伟", {"zhang"}),
    ("张 伟", {"zhang"}),
    ("张三", {"zhangsan"}),
    ("伟", {"zhang", "wang"}),          # given name alone
    ("王", {"wang"}),
    ("章", {"zhanghua"}),
    ("تۇر", {"ug1"}),
    ("تۇرسۇنگۈلنار", {"ug1"}),
    ("گۈل", {"ug1"}),
    ("ئەخ", {"ug2"}),
    ("مۇھ", {"ug2"}),
    ("tur", {"lat1"}),
    ("TURSUN", {"lat1"}),
    ("TursunGul", {"lat1"}),
    ("tursun gulnar", {"lat1"}),
    ("gUL", {"lat1"}),
    ("müll", {"lat2"}),
    ("MÜLL", {"lat2"}),
    ("ärz", {"lat2"}),
    ("DE LA", {"lat3"}),
    ("delacruz", {"lat3"}),
    ("ana", {"lat3"}),
    ("nar", set()),                      # a prefix, not a substring
    ("伟张", set()),
])
def test_name_prefix_search(api, names, q, expect):
    got = search(api, q) & {p["id"] for p in names.values()}
    assert got == {names[k]["id"] for k in expect}, q
