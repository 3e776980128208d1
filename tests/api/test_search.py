"""Text search (`q`) in the lists of areas, institutions, programs and
cohorts: text found anywhere in the name / code / title, ignoring case, the
same on SQLite and PostgreSQL for ASCII, Chinese, Uyghur (Arabic script) and
cased non-ASCII letters; % _ and backslash are plain characters; a bad value
is a 422 naming `q`; the parameter is in the OpenAPI document."""
import csv
import io
import urllib.parse

import pytest

from conftest import assert_error, serve, uniq


@pytest.fixture(scope="module")
def server():
    yield from serve()  # a server of its own: totals below are exact


def tag():
    """A token no other record contains (digits and letters only)."""
    return uniq("Zq").replace("-", "x")


def search(api, plural, q, **more):
    """The ids a list answers for q (and more filters), checking total."""
    query = urllib.parse.urlencode({"q": q, "limit": 500, **more})
    r = api.get(f"/api/v1/{plural}?{query}")
    assert r.status == 200, r
    assert r.json["total"] == len(r.json["items"]), r
    return {x["id"] for x in r.json["items"]}


@pytest.fixture(scope="module")
def world(api, make):
    t = tag()
    w = {"t": t}
    region = make.area("region", name=f"Xinjiang {t} Region", code=f"XJ{t}-650000")
    pref = make.area("prefecture", region, name=f"喀什地区{t}", code=f"KS{t}")
    county = make.area("county", pref, name=f"قەشقەر {t} ناھىيىسى", code=f"QS{t}")
    town = make.area("township", county, name=f"MÜNCHEN {t} Straße", code=f"MU{t}")
    w["areas"] = dict(region=region, pref=pref, county=county, town=town)
    i1 = make.institution(county, name=f"Kashgar Vocational College {t}", code=f"KVC{t}")
    i2 = make.institution(county, name=f"喀什职业技术学院 {t}")                      # no code
    i3 = make.institution(town, name=f"قەشقەر كەسپىي تېخنىكا ئىنستىتۇتى {t}", code=f"ug{t}")
    i4 = make.institution(town, name=f"ÉCOLE ÖKONOMIE {t}", code=f"EC{t}")
    w["inst"] = dict(i1=i1, i2=i2, i3=i3, i4=i4)
    p1 = make.program(i1, title=f"Modern Pastry-Making {t}")
    p2 = make.program(i2, title=f"中式面点 {t}")
    p3 = make.program(i3, title=f"ناۋايچىلىق {t}")
    p4 = make.program(i4, title=f"ПЕКАРНОЕ дело {t}")                               # Cyrillic
    w["prog"] = dict(p1=p1, p2=p2, p3=p3, p4=p4)
    c1 = make.cohort(p1, name=f"2026 Spring {t}")
    c2 = make.cohort(p2, name=f"2026年春季 {t}")
    c3 = make.cohort(p3, name=f"2026 ئەتىياز {t}")
    c4 = make.cohort(p4, name=f"Autumn {t}")
    w["co"] = dict(c1=c1, c2=c2, c3=c3, c4=c4)
    return w


def ids_of(group, *keys):
    return {group[k]["id"] for k in keys}


@pytest.mark.parametrize("q,expect", [
    ("xinjiang", {"region"}),                 # start of the name, lower case
    ("INJIANG", {"region"}),                  # inside, upper case
    ("650000", {"region"}),                   # inside the code
    ("xj", {"region"}),                       # code, other case
    ("喀什", {"pref"}),
    ("地区", {"pref"}),                        # Chinese: inside
    ("قەشقەر", {"county"}),                    # Uyghur
    ("ناھىيە", set()),                         # a different word
    ("ناھىيىسى", {"county"}),
    ("münchen", {"town"}),                    # cased non-ASCII: Ü in the name
    ("MÜNCHEN", {"town"}),
    ("straße", {"town"}),
    ("STRAßE", {"town"}),
    ("region", {"region"}),
    ("nowhere", set()),
])
def test_areas(api, world, q, expect):
    got = search(api, "areas", q) & ids_of(world["areas"], *world["areas"])
    assert got == ids_of(world["areas"], *expect), q


def test_searches_carry_the_tag(api, world):
    """The tag alone finds every record of the world, in every list, and
    only them (the totals are exact)."""
    t = world["t"]
    assert search(api, "areas", t) == ids_of(world["areas"], *world["areas"])
    assert search(api, "institutions", t.upper()) == ids_of(world["inst"], *world["inst"])
    assert search(api, "programs", t) == ids_of(world["prog"], *world["prog"])
    assert search(api, "cohorts", t) == ids_of(world["co"], *world["co"])


@pytest.mark.parametrize("q,expect", [
    ("kashgar", {"i1"}),
    ("VOCATIONAL COLLEGE", {"i1"}),
    ("kvc", {"i1"}),                          # code
    ("职业技术", {"i2"}),
    ("تېخنىكا", {"i3"}),
    ("UG", {"i3"}),                           # code given in lower case
    ("école", {"i4"}),
    ("Ökonomie", {"i4"}),
    ("ökonomie", {"i4"}),
    ("college", {"i1"}),
])
def test_institutions(api, world, q, expect):
    got = search(api, "institutions", q) & ids_of(world["inst"], *world["inst"])
    assert got == ids_of(world["inst"], *expect), q


@pytest.mark.parametrize("q,expect", [
    ("pastry", {"p1"}),
    ("y-mak", {"p1"}),
    ("面点", {"p2"}),
    ("ناۋاي", {"p3"}),
    ("пекарное", {"p4"}),                    # Cyrillic upper case in the title
    ("ДЕЛО", {"p4"}),
    ("7512", set()),                          # the ISCO code is its own filter
])
def test_programs(api, world, q, expect):
    got = search(api, "programs", q) & ids_of(world["prog"], *world["prog"])
    assert got == ids_of(world["prog"], *expect), q


@pytest.mark.parametrize("q,expect", [
    ("spring", {"c1"}),
    ("2026", {"c1", "c2", "c3"}),
    ("春季", {"c2"}),
    ("ئەتىياز", {"c3"}),
    ("autumn", {"c4"}),
    ("pastry", {"c1"}),                       # the program's title
    ("面点", {"c2"}),
    ("пекарное", {"c4"}),
])
def test_cohorts(api, world, q, expect):
    got = search(api, "cohorts", q) & ids_of(world["co"], *world["co"])
    assert got == ids_of(world["co"], *expect), q


def test_combines_with_other_filters_and_paging(api, world):
    t, a, co = world["t"], world["areas"], world["co"]
    assert search(api, "institutions", t, area=a["town"]["id"]) == ids_of(world["inst"], "i3", "i4")
    assert search(api, "programs", t, institution=world["inst"]["i1"]["id"]) == ids_of(world["prog"], "p1")
    assert search(api, "cohorts", "2026", program=world["prog"]["p2"]["id"]) == ids_of(co, "c2")
    assert search(api, "areas", t, level="township") == ids_of(a, "town")
    r = api.get(f"/api/v1/cohorts?q={t}&limit=3")
    assert r.json["total"] == 4 and len(r.json["items"]) == 3
    assert r.json["next_after"] == r.json["items"][-1]["id"]
    r2 = api.get(f"/api/v1/cohorts?q={t}&limit=3&after={r.json['next_after']}")
    assert r2.json["total"] == 4 and len(r2.json["items"]) == 1 and r2.json["next_after"] is None
    r3 = api.get(f"/api/v1/cohorts?q={t}&limit=3&offset=3")
    assert [x["id"] for x in r3.json["items"]] == [x["id"] for x in r2.json["items"]]


def test_spaces_at_the_ends_are_ignored(api, world):
    assert search(api, "areas", "  xinjiang  ") & ids_of(world["areas"], *world["areas"]) == \
        ids_of(world["areas"], "region")
    # inside, a space is a character like any other
    assert search(api, "programs", "pastry making") == set()
    assert search(api, "programs", "pastry-making") == ids_of(world["prog"], "p1")


def test_wildcards_are_plain_characters(api, make):
    t = tag()
    county = make.tree()[2]
    names = {
        "pct": f"50% off {t}",
        "five": f"500 off {t}",
        "und": f"a_b {t}",
        "axb": f"axb {t}",
        "bsl": f"back\\slash {t}",
        "bs2": f"backxslash {t}",
    }
    inst = {k: make.institution(county, name=v)["id"] for k, v in names.items()}
    assert search(api, "institutions", "50%") == {inst["pct"]}
    assert search(api, "institutions", "%") == {inst["pct"]}
    assert search(api, "institutions", "a_b") == {inst["und"]}
    assert search(api, "institutions", "_") == {inst["und"]}
    assert search(api, "institutions", "k\\s") == {inst["bsl"]}
    assert search(api, "institutions", "\\") == {inst["bsl"]}
    assert search(api, "institutions", f"% off {t}") == {inst["pct"]}
    assert search(api, "institutions", t) == set(inst.values())


def test_longest_value_is_accepted(api, make):
    name = "喀" * 100
    county = make.tree()[2]
    a = make.area("township", county, name=name)
    assert search(api, "areas", name) == {a["id"]}
    assert search(api, "areas", "  " + name + " ") == {a["id"]}   # trimmed first


@pytest.mark.parametrize("plural", ["areas", "institutions", "programs", "cohorts"])
@pytest.mark.parametrize("value,contains", [
    ("", "1 to 100 characters (got 0)"),
    ("   ", "1 to 100 characters (got 0)"),
    ("x" * 101, "1 to 100 characters (got 101)"),
    ("喀" * 101, "(got 101)"),
    ("a\tb", "control characters"),
    ("a\x7fb", "control characters"),
])
def test_bad_values_are_refused(api, plural, value, contains):
    r = api.get(f"/api/v1/{plural}?" + urllib.parse.urlencode({"q": value}))
    assert_error(r, 422, "validation", field="q", contains=(contains,))


@pytest.mark.parametrize("plural", ["areas", "institutions", "programs", "cohorts"])
def test_invalid_utf8_is_refused(api, plural):
    r = api.get(f"/api/v1/{plural}?q=%FF%FE")
    assert r.status in (400, 422), r
    assert "error" in r.json


def test_openapi_documents_q(api):
    doc = api.get("/api/v1/openapi.json").json
    for plural in ["areas", "institutions", "programs", "cohorts"]:
        params = {p["name"]: p for p in doc["paths"][f"/api/v1/{plural}"]["get"]["parameters"]}
        q = params["q"]
        assert q["in"] == "query" and "ignoring case" in q["description"], q
        assert q["schema"] == {"type": "string", "minLength": 1, "maxLength": 100}, q
    # persons keep their name-prefix search, which has no length limit of this kind
    params = {p["name"]: p for p in doc["paths"]["/api/v1/persons"]["get"]["parameters"]}
    assert "prefix" in params["q"]["description"]


def test_export_takes_q(api, world):
    r = api.get("/api/v1/programs/export?" + urllib.parse.urlencode({"format": "csv", "q": "PASTRY"}))
    assert r.status == 200, r
    rows = list(csv.DictReader(io.StringIO(r.body.lstrip("\ufeff"))))
    assert [int(x["id"]) for x in rows] == [world["prog"]["p1"]["id"]]
