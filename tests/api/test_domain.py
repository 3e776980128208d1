"""Domain rules outside enrollment: the area tree, cohort dates, ISCO-08
codes, persons."""
import datetime

import pytest

from conftest import assert_error, nothing_changes, uniq


def area_body(level, parent=None):
    b = {"code": uniq("L"), "name": "n", "level": level}
    if parent is not None:
        b["parent_id"] = parent["id"]
    return b


def test_region_has_no_parent(api, make):
    r = make.area("region")
    assert r["parent_id"] is None
    with nothing_changes(api):
        assert_error(api.post("/api/v1/areas", area_body("region", r)), 422, "validation", field="parent_id")


@pytest.mark.parametrize("level", ["prefecture", "county", "township"])
def test_non_region_needs_parent(api, level):
    with nothing_changes(api):
        assert_error(api.post("/api/v1/areas", area_body(level)), 422, "validation", field="parent_id")


def test_child_exactly_one_level_below(api, make):
    region, pref, county, town = make.tree()
    tree = {"region": region, "prefecture": pref, "county": county, "township": town}
    order = ["region", "prefecture", "county", "township"]
    for i, level in enumerate(order[1:], start=1):
        for parent_level in order:
            body = area_body(level, tree[parent_level])
            if order.index(parent_level) == i - 1:
                r = api.post("/api/v1/areas", body)
                assert r.status == 201, r
            else:
                with nothing_changes(api):
                    err = assert_error(api.post("/api/v1/areas", body), 422, "validation", field="parent_id")
                assert order[i - 1] in err["message"]


def test_area_patch_keeps_tree_rules(api, make):
    region, pref, county, town = make.tree()
    other_pref = make.area("prefecture", region)
    cpath = f"/api/v1/areas/{county['id']}"
    # move a county to another prefecture: fine
    r = api.patch(cpath, {"parent_id": other_pref["id"]}, etag='"1"')
    assert r.status == 200 and r.json["parent_id"] == other_pref["id"]
    # a county under a region: no
    with nothing_changes(api, cpath):
        assert_error(api.patch(cpath, {"parent_id": region["id"]}, etag='"2"'), 422, "validation", field="parent_id")
        assert_error(api.patch(cpath, {"parent_id": None}, etag='"2"'), 422, "validation", field="parent_id")
        assert_error(api.patch(cpath, {"parent_id": county["id"]}, etag='"2"'), 422, "validation",
                     field="parent_id")
    # a county with a township in it cannot change level
    with nothing_changes(api, cpath):
        r = api.patch(cpath, {"level": "prefecture", "parent_id": region["id"]}, etag='"2"')
        assert_error(r, 422, "validation", field="level")
    # a leaf prefecture can become a region when it drops its parent
    ppath = f"/api/v1/areas/{other_pref['id']}"
    leaf = make.area("prefecture", region)
    lpath = f"/api/v1/areas/{leaf['id']}"
    r = api.patch(lpath, {"level": "region", "parent_id": None}, etag='"1"')
    assert r.status == 200 and r.json["level"] == "region", r
    assert api.get(ppath).json["level"] == "prefecture"


def test_cohort_dates(api, make):
    prog = make.program()
    base = {"program_id": prog["id"], "name": "c", "capacity": 5}
    for s, e in [("2026-03-02", "2026-03-01"), ("2026-01-01", "2025-12-31")]:
        with nothing_changes(api):
            assert_error(api.post("/api/v1/cohorts", {**base, "start_date": s, "end_date": e}), 422, "validation",
                         field="end_date")
    one_day = make.cohort(prog, start_date="2026-03-01", end_date="2026-03-01")
    path = f"/api/v1/cohorts/{one_day['id']}"
    with nothing_changes(api, path):
        assert_error(api.patch(path, {"start_date": "2026-03-02"}, etag='"1"'), 422, "validation",
                     field="end_date")
    r = api.patch(path, {"start_date": "2026-02-28", "end_date": "2026-02-28"}, etag='"1"')
    assert r.status == 200, r
    r = api.patch(path, {"end_date": "2028-02-29"}, etag='"2"')  # leap day
    assert r.status == 200, r
    with nothing_changes(api, path):
        assert_error(api.patch(path, {"end_date": "2027-02-29"}, etag='"3"'), 422, "validation", field="end_date")


def test_isco_unit_groups(api, make):
    inst = make.institution()
    base = {"institution_id": inst["id"], "title": "t", "hours": 10, "level": 1, "capacity": 5}
    occ = api.get("/api/v1/occupations?level=4").json["items"]
    assert len(occ) > 400
    for code in ["7512", "5120", occ[0]["code"], occ[-1]["code"]]:
        r = api.post("/api/v1/programs", {**base, "isco_code": code})
        assert r.status == 201, (code, r)
        assert r.json["isco_code"] == code
    for code in ["7", "75", "751", "0000", "1234", "75a2", " 7512", "", "７５１２"]:
        with nothing_changes(api):
            assert_error(api.post("/api/v1/programs", {**base, "isco_code": code}), 422, "validation",
                         field="isco_code")


def test_program_institution_immutable(api, make):
    p = make.program()
    other = make.institution()
    path = f"/api/v1/programs/{p['id']}"
    with nothing_changes(api, path):
        assert_error(api.patch(path, {"institution_id": other["id"]}, etag='"1"'), 422, "validation",
                     field="institution_id")


def test_birth_date_not_in_future(api, make):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    with nothing_changes(api):
        assert_error(api.post("/api/v1/persons", {"given_name": "x", "birth_date": tomorrow}), 422, "validation",
                     field="birth_date")
    p = make.person(birth_date="2000-02-29")
    assert p["birth_date"] == "2000-02-29"


def test_text_is_trimmed(api, make):
    p = make.person(given_name="  Aynur  ", family_name=" Ablimit ")
    assert p["given_name"] == "Aynur" and p["family_name"] == "Ablimit"


def test_no_sensitive_fields(api):
    """Principle 2: no ethnicity, religion or notes fields can be stored."""
    for field in ["ethnicity", "religion", "notes", "nationality", "political_status"]:
        with nothing_changes(api):
            assert_error(api.post("/api/v1/persons", {"given_name": "x", field: "y"}), 422, "validation",
                         field=field)


def test_trainers_must_exist_and_be_distinct(api, make):
    t = make.person()
    prog = make.program()
    base = {"program_id": prog["id"], "name": "c", "start_date": "2026-01-01", "end_date": "2026-02-01",
            "capacity": 5}
    with nothing_changes(api):
        assert_error(api.post("/api/v1/cohorts", {**base, "trainers": [t["id"], t["id"]]}), 422, "validation",
                     field="trainers")
        assert_error(api.post("/api/v1/cohorts", {**base, "trainers": [t["id"], 0]}), 422, "validation",
                     field="trainers")
