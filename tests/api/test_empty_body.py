"""An empty JSON object is a valid body wherever no field is required
(issue 12): routes that take no body (the lock, a person's erasure, a
DELETE) and routes whose body is optional (withdrawals) answer {} as they
answer no body at all; a member in a body that takes none is refused with
422 naming it, and a body that is not JSON stays a 400."""
import pytest

from conftest import Factory, assert_error, created, serve, uniq
from test_competition import Comp


@pytest.fixture(scope="module")
def server():
    yield from serve()


@pytest.fixture(scope="module")
def comp(server):
    c = Comp(server)
    api = c.api
    assert c.to("registration").status == 200
    c.e = [created(api.post("/api/v1/competitors", {"category_id": cat["id"], "person_id": p["id"],
                                                    "institution_id": c.A["id"], "consent": True}))
           for cat, p in ((c.cat, c.p[0]), (c.cat, c.p[1]), (c.other_cat, c.p[2]))]
    return c


def test_withdrawals_take_an_empty_object(comp, server):
    r = comp.api.post(f"/api/v1/competitors/{comp.e[1]['id']}/withdraw", {})
    assert r.status == 200 and r.json["status"] == "withdrawn", r
    e = Factory(comp.api).enrollment()
    r = comp.api.post(f"/api/v1/enrollments/{e['id']}/withdraw", {})
    assert r.status == 200 and r.json["status"] == "withdrawn", r
    # a member the route does not take is named
    e = Factory(comp.api).enrollment()
    assert_error(comp.api.post(f"/api/v1/enrollments/{e['id']}/withdraw", {"why": "x"}), 422, "validation", field="why")
    assert_error(comp.api.post(f"/api/v1/competitors/{comp.e[0]['id']}/withdraw", {"reason": "x"}), 422, "validation",
                 field="reason")


def test_the_lock_takes_an_empty_object_and_no_member(comp):
    assert comp.to("marking").status == 200
    chief, cat = comp.jc[0], comp.cat["id"]
    # {} is no body: the lock is refused for what it is missing, not for the body (409, not 400)
    r = chief.post(f"/api/v1/categories/{cat}/lock", {})
    err = assert_error(r, 409, "conflict")
    assert "missing" in err["message"], err
    r = chief.post(f"/api/v1/categories/{cat}/lock", raw=" { } ")
    assert_error(r, 409, "conflict")
    # a member is refused by name; so is a body that is not an object, or not JSON
    err = assert_error(chief.post(f"/api/v1/categories/{cat}/lock", {"force": True}), 422, "validation", field="force")
    assert "takes no fields" in err["message"], err
    assert_error(chief.post(f"/api/v1/categories/{cat}/lock", raw="[]"), 400, "bad_json")
    assert_error(chief.post(f"/api/v1/categories/{cat}/lock", raw="{"), 400, "bad_json")
    # every mark in: the lock with {} locks
    for i in (0,):
        assert chief.post("/api/v1/marks", {"competitor_id": comp.e[i]["id"], "aspect_id": comp.a1["id"],
                                            "value": 40}).status == 201
        for k in range(3):
            assert comp.jc[k].post("/api/v1/marks", {"competitor_id": comp.e[i]["id"], "aspect_id": comp.a2["id"],
                                                     "value": 2}).status == 201
    r = chief.post(f"/api/v1/categories/{cat}/lock", {})
    assert r.status == 200 and r.json["locked_at"], r


def test_erase_and_delete_take_an_empty_object(comp):
    api = comp.api
    p = Factory(api).person(given_name=uniq("Erase me "))
    r = api.post(f"/api/v1/persons/{p['id']}/erase", {})
    assert r.status == 200, r
    assert_error(api.post(f"/api/v1/persons/{p['id']}/erase", {"now": 1}), 422, "validation", field="now")
    a = Factory(api).area()
    r = api.request("DELETE", f"/api/v1/areas/{a['id']}", body={})
    assert r.status == 204, r
