"""GET /api/v1/grants?institution=: the staff of one institution (the
institution page's "Staff accounts"), alone or with the role filter; the
filter is checked like any other and the list stays the administrators'."""
from conftest import assert_error, make_user, uniq, user_password


def test_grants_of_one_institution(server, api, make):
    a, b = make.institution(), make.institution()
    sa = make_user(api, uniq("staffa"), "institution_staff", a)
    sb = make_user(api, uniq("staffb"), "institution_staff", b)
    tr = make_user(api, uniq("trainer"), "trainer", person=make.person())
    r = api.get(f"/api/v1/grants?institution={a['id']}&limit=100")
    assert r.status == 200, r
    assert [g["id"] for g in r.json["items"]] == [sa["grant"]["id"]]
    assert r.json["total"] == 1 and r.json["items"][0]["user_id"] == sa["id"]
    both = api.get(f"/api/v1/grants?institution={b['id']}&role=institution_staff").json["items"]
    assert [g["id"] for g in both] == [sb["grant"]["id"]]
    assert api.get(f"/api/v1/grants?institution={b['id']}&role=trainer").json["items"] == []
    # without the filter both institutions' staff and the trainer are listed
    ids = {g["id"] for g in api.get("/api/v1/grants?limit=500").json["items"]}
    assert {sa["grant"]["id"], sb["grant"]["id"], tr["grant"]["id"]} <= ids
    assert_error(api.get("/api/v1/grants?institution=abc"), 422, "validation", "institution")
    # staff may not list grants, of their own institution either
    staff = server.anon.login(sa["username"], user_password(sa["username"]))
    assert staff.get(f"/api/v1/grants?institution={a['id']}").status == 403


def test_the_filter_is_in_the_openapi_document(api):
    op = api.get("/api/v1/openapi.json").json["paths"]["/api/v1/grants"]["get"]
    p = next(q for q in op["parameters"] if q["name"] == "institution")
    assert p["schema"]["type"] == "integer" and p["schema"]["x-references"] == "institution"
