"""The competition's bulk routes (docs/competitions.md, "In bulk"): a marking
scheme imported from CSV, exported and copied; a judge assigned in one call
(person, account with a one-time password, grant, assignment); a category's
competitors in one call; a judge's marks for a competitor and for a whole
category. Each is all or nothing: one bad row leaves nothing written, and
the refusal (422 rows_refused) names every refused row (its index or CSV
row, the field, the code and the reason), also rows refused for their JSON
shape together with those the domain refused. The per-record rules apply
to each row (a judge never marks their own institution's competitors, staff
enter only their own institution's, consent). Who may call each route at
all is tests/api/matrix_bulkcomp.py's."""
import csv
import io

import pytest

from conftest import assert_error, created, db_query, make_user, uniq, user_password

HEADER = ("criterion_code,criterion_name,criterion_weight,aspect_code,aspect_description,kind,max_mark,part_marks,"
          "descriptors\n")
SCHEME = (HEADER +
          "A,Product,60,A1,weight,measurement,30,15 | within 5% of the target,\n"
          "A,Product,60,A2,\"finish, shine\",judgement,30,,below ;; acceptable ;; good ;; excellent\n"
          "B,Work,40,B1,safety,measurement,40,,\n")


def count(server, sql, *params):
    return db_query(server, sql, params)[0][0]


def rows_of(r, n_rows=None):
    """The refused rows of a rows_refused answer, as {position: (field, code)}."""
    err = assert_error(r, 422, "rows_refused")
    got = {x.get("index", x.get("row")): (x.get("field"), x["code"]) for x in err["rows"]}
    if n_rows is not None:
        assert f"of {n_rows} row" in err["message"] and "nothing was written" in err["message"], err
    return got


def why(r, status, code, field=None):
    """The reason and params of an error answer (status, code and field checked)."""
    err = assert_error(r, status, code, field=field)
    return err["reason"], err.get("params", {})


def row_reasons(r):
    """The refused rows of a rows_refused answer, as {position: (reason, params)}."""
    err = assert_error(r, 422, "rows_refused")
    return {x.get("index", x.get("row")): (x["reason"], x.get("params", {})) for x in err["rows"]}


def upload(client, cat, text):
    return client.request("POST", f"/api/v1/categories/{cat['id']}/scheme", raw=text, content_type="text/csv")


class Bulk:
    def __init__(self, server):
        api = self.api = server.client
        self.server = server
        from conftest import Factory
        make = self.make = Factory(api)
        region, _, county, _ = make.tree()
        self.A, self.B, self.C = (make.institution(county, name=uniq(n)) for n in ("A ", "B ", "C "))
        self.ed = created(api.post("/api/v1/editions", {"year": 2026, "name": uniq("Bulk "), "area_id": region["id"],
                                                        "start_date": "2026-10-01", "end_date": "2026-10-03"}))
        self.cats = [created(api.post("/api/v1/categories", {"edition_id": self.ed["id"], "name": uniq(n),
                                                             "isco_code": "7512"})) for n in ("Pastry ", "Bakery ")]
        tag = uniq("b").replace("-", "")
        self.staff_a = make_user(api, f"staffa{tag}", "institution_staff", institution=self.A)
        self.staff_b = make_user(api, f"staffb{tag}", "institution_staff", institution=self.B)
        self.sa = server.anon.login(self.staff_a["username"], user_password(self.staff_a["username"]))
        self.sb = server.anon.login(self.staff_b["username"], user_password(self.staff_b["username"]))
        self.learners = {inst["id"]: [make.person(given_name=uniq("Learner"), institution_id=inst["id"])
                                      for _ in range(4)] for inst in (self.A, self.B)}
        self.judges = []   # (assignment answer, signed-in client), three per category

    def to(self, state):
        r = self.api.post(f"/api/v1/editions/{self.ed['id']}/transition", {"to": state})
        assert r.status == 200, r
        return r.json


@pytest.fixture(scope="module")
def w(server):
    return Bulk(server)


# --- marking schemes -----------------------------------------------------------

def test_scheme_import_refuses_every_bad_row_and_writes_nothing(w):
    cat = w.cats[0]
    bad = (HEADER +
           "A,Product,60,A1,weight,measurement,3O,,\n"                     # row 2: not a number
           "A,Produce,60,A2,finish,judgement,30,,a ;; b ;; c ;; d\n"      # row 3: the criterion renamed
           "B,Work,40,B1,safety,guesswork,40,,\n"                          # row 4: no such kind
           "B,Work,40,B2,tidy,judgement,0,,a ;; b ;; c ;; d\n")            # row 5: no maximum
    r = upload(w.api, cat, bad)
    assert rows_of(r, 4) == {2: ("max_mark", "validation"), 3: ("criterion_name", "validation"),
                             4: ("kind", "validation"), 5: ("max_mark", "validation")}
    msg = r.json["error"]["message"]
    assert "row 2, column max_mark" in msg and "row 4, column kind" in msg, msg
    why_rows = row_reasons(r)
    assert why_rows[2] == ("not_centi", {"got": "3O"})
    assert why_rows[3] == ("criterion_renamed", {"code": "A", "name": "Product", "row": 2})
    assert why_rows[4][0] == "not_one_of"
    assert count(w.server, "SELECT count(*) FROM criteria WHERE category_id = ?", cat["id"]) == 0
    # sums are checked too: the aspects of A add up to 50, not its weight 60
    r = upload(w.api, cat, SCHEME.replace("measurement,30,15", "measurement,20,15"))
    assert rows_of(r) == {2: ("criterion_weight", "validation")}
    assert row_reasons(r) == {2: ("aspects_sum", {"name": "A", "sum": 50, "weight": 60})}
    assert count(w.server, "SELECT count(*) FROM criteria WHERE category_id = ?", cat["id"]) == 0
    # a criterion refused in its first row refuses its later rows, for that reason alone
    r = upload(w.api, cat, SCHEME.replace("A,Product,60,A1", "A,Product,6O,A1"))
    assert rows_of(r, 3) == {2: ("criterion_weight", "validation"), 3: ("criterion_code", "validation")}
    assert "criterion A was refused in row 2" in r.json["error"]["rows"][1]["message"]
    assert row_reasons(r) == {2: ("not_integer", {"got": "6O"}), 3: ("criterion_refused", {"code": "A", "row": 2})}
    # a later row of a criterion with another weight
    r = upload(w.api, cat, SCHEME.replace("A,Product,60,A2", "A,Product,50,A2"))
    assert rows_of(r, 3) == {3: ("criterion_weight", "validation")}
    assert row_reasons(r) == {3: ("criterion_reweighted", {"code": "A", "weight": 60, "row": 2})}
    # the weights must add up to 100 (a criterion's aspects to its weight)
    r = upload(w.api, cat, SCHEME.replace("B,Work,40,B1,safety,measurement,40", "B,Work,30,B1,safety,measurement,30"))
    assert why(r, 422, "validation", field="criterion_weight") == ("weights_sum", {"name": cat["name"], "sum": 90})
    # each row with another number of fields than the header is refused, with both counts
    r = upload(w.api, cat, HEADER + "A,Product,60,A1,weight,measurement,60,,\nA,Product\nB,Work,40\n")
    assert row_reasons(r) == {3: ("field_count", {"got": 2, "count": 9}), 4: ("field_count", {"got": 3, "count": 9})}
    assert "row 3: 2 fields, the header has 9" in r.json["error"]["message"]
    assert why(upload(w.api, cat, HEADER), 422, "validation") == ("csv_no_rows", {})
    # a wrong header is the file's fault, not a row's
    assert why(upload(w.api, cat, "criterion,name\nA,B\n"), 422, "validation") == \
        ("csv_header_exact", {"want": HEADER.strip()})
    assert_error(w.api.request("POST", f"/api/v1/categories/{cat['id']}/scheme", raw=SCHEME,
                               content_type="application/json"), 415, "unsupported_media_type")
    assert_error(upload(w.api, cat, SCHEME + "B,Work,40,B9,padding,measurement,0,,\n" * 30000), 413,
                 "payload_too_large")   # a marking scheme is at most 1 MiB


def test_scheme_import_export_and_copy(w):
    cat, other = w.cats
    r = upload(w.api, cat, SCHEME)
    assert r.status == 201 and r.json == {"category_id": cat["id"], "rows_written": 3}, r
    assert count(w.server, "SELECT count(*) FROM aspects a JOIN criteria c ON c.id = a.criterion_id "
                           "WHERE c.category_id = ?", cat["id"]) == 3
    # a second import into a category that has a scheme is refused
    assert why(upload(w.api, cat, SCHEME), 409, "conflict") == ("has_scheme", {"id": cat["id"], "count": 2})
    # every signed-in user reads it back as CSV: what was imported
    r = w.sa.get(f"/api/v1/categories/{cat['id']}/scheme")
    assert r.status == 200 and r.header("Content-Type").startswith("text/csv"), r
    assert list(csv.reader(io.StringIO(r.body))) == list(csv.reader(io.StringIO(SCHEME)))
    assert_error(w.api.get("/api/v1/categories/999999/scheme"), 404, "not_found")
    # copied into the other category (any edition's may be the source)
    assert_error(w.api.post(f"/api/v1/categories/{other['id']}/scheme/copy", {"from": cat["id"]}), 422, "validation",
                 field="from")
    assert_error(w.api.post(f"/api/v1/categories/{other['id']}/scheme/copy", {"from_category_id": 999999}), 404,
                 "not_found")
    r = w.api.post(f"/api/v1/categories/{other['id']}/scheme/copy", {"from_category_id": cat["id"]})
    assert r.status == 201 and r.json == {"category_id": other["id"], "rows_written": 3}, r
    assert w.api.get(f"/api/v1/categories/{other['id']}/scheme").body == r_body(w, cat)
    # staff may not write a scheme
    assert_error(w.sa.post(f"/api/v1/categories/{other['id']}/scheme/copy", {"from_category_id": cat["id"]}), 403,
                 "forbidden")


def r_body(w, cat):
    return w.api.get(f"/api/v1/categories/{cat['id']}/scheme").body


# --- a judge in one call -----------------------------------------------------------

def test_judge_in_one_call_new_person_and_account(w):
    cat = w.cats[0]
    name = uniq("judge").replace("-", ".")
    r = w.api.post(f"/api/v1/categories/{cat['id']}/judges",
                   {"person": {"given_name": uniq("Judge "), "family_name": "Ismail"}, "username": name,
                    "institution_id": w.C["id"], "chief": True})
    assert r.status == 201, r
    x = r.json
    assert x["created"] == {"person": True, "user": True, "grant": True}
    assert x["judge"]["category_id"] == cat["id"] and x["judge"]["chief"] is True
    assert x["judge"]["person_id"] == x["person"]["id"] == x["user"]["person_id"]
    assert x["judge"]["institution_id"] == w.C["id"]
    assert x["grant"]["role"] == "judge" and x["grant"]["user_id"] == x["user"]["id"]
    assert x["user"]["display_name"].endswith(" Ismail") and "password" not in x["user"]
    assert r.header("Location") == f"/api/v1/judges/{x['judge']['id']}"
    # the one-time password signs in, must be changed first, and is shown only this once
    assert len(x["password"]) == 20
    once = w.server.anon.login(name, x["password"])
    assert once.get("/api/v1/me").json["password_must_change"] is True
    assert_error(once.get("/api/v1/editions"), 403, "password_change_required")
    jc = w.server.anon.first_login(name, x["password"])
    assert jc.get("/api/v1/me").json["roles"][0]["role"] == "judge"
    again = w.api.get(f"/api/v1/users/{x['user']['id']}")
    assert "password" not in again.json and x["password"] not in again.body
    w.judges.append((x, jc))


def test_judge_in_one_call_existing_person_and_account(w):
    cat = w.cats[0]
    # an existing person with an account of their own (no grant yet): neither user_id nor username
    p = w.make.person(given_name=uniq("Judge "))
    u = make_user(w.api, uniq("judge").replace("-", "."), person=p)
    r = w.api.post(f"/api/v1/categories/{cat['id']}/judges", {"person_id": p["id"], "institution_id": w.C["id"]})
    assert r.status == 201 and r.json["created"] == {"person": False, "user": False, "grant": True}, r
    assert r.json["user"]["id"] == u["id"] and "password" not in r.json
    w.judges.append((r.json, w.server.anon.login(u["username"], user_password(u["username"]))))
    # an existing account of no one yet: linked to the person; a grant it holds is kept
    p = w.make.person(given_name=uniq("Judge "))
    u = make_user(w.api, uniq("judge").replace("-", "."))
    r = w.api.post(f"/api/v1/categories/{cat['id']}/judges", {"person_id": p["id"], "user_id": u["id"]})
    assert r.status == 201 and r.json["created"] == {"person": False, "user": False, "grant": True}, r
    assert r.json["user"]["person_id"] == p["id"] and r.json["judge"]["institution_id"] is None
    w.judges.append((r.json, w.server.anon.login(u["username"], user_password(u["username"]))))
    r = w.api.post(f"/api/v1/categories/{w.cats[1]['id']}/judges", {"person_id": p["id"]})
    assert r.status == 201 and r.json["created"] == {"person": False, "user": False, "grant": False}, r
    assert r.json["grant"]["id"] == w.judges[-1][0]["grant"]["id"]


def test_judge_in_one_call_is_one_transaction(w):
    cat = w.cats[1]
    persons = count(w.server, "SELECT count(*) FROM persons")
    users = count(w.server, "SELECT count(*) FROM users")
    taken = w.judges[0][0]["user"]["username"]
    # the account cannot be made (the name is taken): the new person is not kept either
    r = w.api.post(f"/api/v1/categories/{cat['id']}/judges", {"person": {"given_name": "Nobody"}, "username": taken})
    assert_error(r, 409, "conflict", field="username")
    # the person's own fields are named as members of person
    assert_error(w.api.post(f"/api/v1/categories/{cat['id']}/judges", {"person": {"family_name": "X"},
                                                                       "username": uniq("j")}),
                 422, "validation", field="person.given_name")
    assert_error(w.api.post(f"/api/v1/categories/{cat['id']}/judges", {"person": {"sex": "robot", "given_name": "R"},
                                                                       "username": uniq("j")}),
                 422, "validation", field="person.sex")
    # a person without an account, and no username
    p = w.make.person(given_name=uniq("Judge "))
    persons += 1
    assert why(w.api.post(f"/api/v1/categories/{cat['id']}/judges", {"person_id": p["id"]}), 422, "validation",
               field="username") == ("no_account", {"id": p["id"]})
    # an account of another person
    other = w.judges[0][0]
    assert why(w.api.post(f"/api/v1/categories/{cat['id']}/judges",
                          {"person_id": p["id"], "user_id": other["user"]["id"]}), 409, "conflict", field="user_id") == \
        ("account_others", {"username": other["user"]["username"], "person": other["person"]["id"], "id": p["id"]})
    # the judge rules: a person judges a category once (the account made first is not kept)
    r = w.api.post(f"/api/v1/categories/{w.cats[0]['id']}/judges",
                   {"person_id": w.judges[0][0]["person"]["id"], "username": uniq("second").replace("-", ".")})
    assert_error(r, 409, "conflict", field="person_id")
    for body, field, reason in [
            ({}, "person_id", ("judge_person", {"other": "person"})),
            ({"person_id": p["id"], "person": {"given_name": "Y"}}, "person_id", ("exclusive", {"other": "person"})),
            ({"person_id": p["id"], "user_id": 1, "username": "both"}, "username", ("exclusive", {"other": "user_id"})),
            ({"person_id": p["id"], "chief": "yes"}, "chief", ("not_boolean", {})),
            ({"person_id": "1"}, "person_id", ("not_id", {})),
            ({"person_id": p["id"], "person": "Y"}, "person", ("new_person_object", {})),
            ({"person_id": 999999}, "person_id", ("no_such_record", {"entity": "person", "id": 999999})),
            ({"person_id": p["id"], "user_id": 999999}, "user_id", ("no_such_record", {"entity": "user", "id": 999999})),
            ({"person_id": p["id"], "role": "judge"}, "role", None)]:
        got = why(w.api.post(f"/api/v1/categories/{cat['id']}/judges", body), 422, "validation", field=field)
        assert reason is None or got == reason, (body, got)
    assert count(w.server, "SELECT count(*) FROM persons") == persons
    assert count(w.server, "SELECT count(*) FROM users") == users
    assert_error(w.sa.post(f"/api/v1/categories/{cat['id']}/judges", {"person_id": p["id"]}), 403, "forbidden")


# --- competitors ------------------------------------------------------------------

def entries(persons, inst=None, consent=True):
    return [{"person_id": p["id"], **({"institution_id": inst["id"]} if inst else {}), "consent": consent}
            for p in persons]


def test_competitors_refused_before_registration(w):
    r = w.api.post(f"/api/v1/categories/{w.cats[0]['id']}/competitors",
                   {"competitors": entries(w.learners[w.A["id"]][:1], w.A)})
    assert_error(r, 409, "conflict", field="state")


def test_competitors_all_or_nothing(w):
    cat = w.cats[0]
    # a third and a second judge (of no institution, and of C) for each category, so marking can start
    for c in w.cats:
        need = 3 - count(w.server, "SELECT count(*) FROM judges WHERE category_id = ?", c["id"])
        for _ in range(need):
            name = uniq("judge").replace("-", ".")
            r = w.api.post(f"/api/v1/categories/{c['id']}/judges",
                           {"person": {"given_name": uniq("Judge ")}, "username": name})
            assert r.status == 201, r
            w.judges.append((r.json, w.server.anon.first_login(name, r.json["password"])))
    w.to("registration")
    la, lb = w.learners[w.A["id"]], w.learners[w.B["id"]]
    path = f"/api/v1/categories/{cat['id']}/competitors"
    before = count(w.server, "SELECT count(*) FROM competitors")
    rows = entries(la[:2], w.A) + [
        {"person_id": la[2]["id"], "institution_id": w.A["id"]},                  # 2: no consent
        {"person_id": la[0]["id"], "institution_id": w.A["id"], "consent": True},  # 3: entered twice
        {"person_id": 999999, "institution_id": w.A["id"], "consent": True},       # 4: no such person
        {"person_id": lb[0]["id"], "institution_id": w.B["id"], "consent": True},  # 5: B's, by A's staff
        "Ayla",                                                                    # 6: not a row
        {"person_id": la[3]["id"], "consent": "yes"},                              # 7: consent not a boolean
        {"person_id": la[3]["id"], "consent": True, "note": "x"},                 # 8: a member it has not
    ]
    r = w.sa.post(path, {"competitors": rows})
    assert rows_of(r, 9) == {2: ("consent", "validation"), 3: ("person_id", "conflict"),
                             4: ("person_id", "validation"), 5: ("institution_id", "forbidden"),
                             6: (None, "validation"), 7: ("consent", "validation"), 8: ("note", "validation")}
    why_rows = row_reasons(r)
    assert why_rows[6] == ("row_not_object", {"members": "person_id, institution_id, consent"})
    assert why_rows[7] == ("not_boolean", {}) and why_rows[8] == ("not_accepted", {})
    assert r.json["error"]["field"] == "competitors"
    assert count(w.server, "SELECT count(*) FROM competitors") == before
    # the good rows alone: staff of A enter their learners (their institution filled in)
    r = w.sa.post(path, {"competitors": entries(la[:3])})
    assert r.status == 201 and r.json["count"] == 3, r
    got = [w.api.get(f"/api/v1/competitors/{i}").json for i in r.json["ids"]]
    assert [g["person_id"] for g in got] == [p["id"] for p in la[:3]]
    assert {g["institution_id"] for g in got} == {w.A["id"]} and {g["status"] for g in got} == {"entered"}
    # staff of B theirs; the other category's too (the administrator, naming the institution)
    assert w.sb.post(path, {"competitors": entries(lb[:3])}).status == 201
    r = w.api.post(f"/api/v1/categories/{w.cats[1]['id']}/competitors",
                   {"competitors": entries([la[3]], w.A) + entries([lb[3]], w.B)})
    assert r.status == 201, r
    for body, field, reason in [({}, "competitors", "required"), ({"competitors": {}}, "competitors", "not_list"),
                                ({"competitors": []}, "competitors", "empty"), ({"competitors": [], "x": 1}, "x", None)]:
        got = why(w.sa.post(path, body), 422, "validation", field=field)
        assert reason is None or got == (reason, {}), (body, got)


# --- marks ---------------------------------------------------------------------------

def aspects(w, cat):
    items = w.api.get(f"/api/v1/aspects?category={cat['id']}&limit=100").json["items"]
    return {a["code"]: a for a in items}


def competitors(w, cat):
    return w.api.get(f"/api/v1/competitors?category={cat['id']}&limit=100").json["items"]


def judges_of(w, cat):
    return [(x, c) for x, c in w.judges if x["judge"]["category_id"] == cat["id"]]


def test_marks_for_a_competitor(w):
    w.to("marking")
    cat = w.cats[0]
    asp = aspects(w, cat)
    comp = competitors(w, cat)[0]
    path = f"/api/v1/competitors/{comp['id']}/marks"
    (_, judge), (_, second) = judges_of(w, cat)[:2]
    before = count(w.server, "SELECT count(*) FROM marks")
    bad = [{"aspect_id": asp["A1"]["id"], "value": 15},
           {"aspect_id": asp["A2"]["id"], "value": 2.5},                 # 1: a judgement is a whole score
           {"aspect_id": asp["B1"]["id"], "value": 20},                  # 2: all or nothing: 0 or 40
           {"aspect_id": asp["A1"]["id"], "value": 30},                  # 3: A1 again
           {"aspect_id": w.aspect_elsewhere["id"], "value": 1},          # 4: not this category's
           {"aspect_id": asp["B1"]["id"], "value": 40.001},              # 5: three decimals
           {"aspect_id": asp["B1"]["id"]},                               # 6: no value
           {"competitor_id": comp["id"], "aspect_id": asp["B1"]["id"], "value": 40}]   # 7: not a member here
    r = judge.post(path, {"marks": bad})
    assert rows_of(r, 8) == {1: ("value", "validation"), 2: ("value", "validation"), 3: ("aspect_id", "conflict"),
                             4: ("aspect_id", "validation"), 5: ("value", "validation"), 6: ("value", "validation"),
                             7: ("competitor_id", "validation")}
    assert "aspect A2 is a judgement" in [x for x in r.json["error"]["rows"] if x["index"] == 1][0]["message"]
    why_rows = row_reasons(r)
    assert why_rows[5] == ("decimals", {}) and why_rows[6] == ("required", {}) and why_rows[7] == ("not_accepted", {})
    assert count(w.server, "SELECT count(*) FROM marks") == before
    good = [{"aspect_id": asp["A1"]["id"], "value": 15}, {"aspect_id": asp["A2"]["id"], "value": 2},
            {"aspect_id": asp["B1"]["id"], "value": 40}]
    r = judge.post(path, {"marks": good})
    assert r.status == 201 and r.json["count"] == 3, r
    mine = {m["id"]: m for m in judge.get(f"/api/v1/marks?competitor={comp['id']}").json["items"]}
    assert set(mine) == set(r.json["ids"])
    assert sorted((m["aspect_id"], m["value"]) for m in mine.values()) == sorted(
        (g["aspect_id"], g["value"]) for g in good)
    judge_person = judges_of(w, cat)[0][0]["person"]["id"]
    assert {m["judge_id"] for m in mine.values()} == {judge_person}
    # entered again: each row refused as a second mark of the aspect
    assert set(rows_of(judge.post(path, {"marks": good}))) == {0, 1, 2}
    # the second judge scores the judgement aspect; the administrator has no person to mark as
    assert second.post(path, {"marks": [{"aspect_id": asp["A2"]["id"], "value": 3}]}).status == 201
    assert why(w.api.post(path, {"marks": good}), 403, "forbidden") == ("judges_only", {})
    # an administrator who is a person is still no judge of the category: each row is refused, naming it
    name = uniq("adminp").replace("-", ".")
    make_user(w.api, name, "region_admin", person=w.make.person(given_name=uniq("Admin ")))
    admin_p = w.server.anon.login(name, user_password(name))
    got = row_reasons(admin_p.post(path, {"marks": good[:1]}))
    assert got == {0: ("not_your_category", {"name": cat["name"], "id": cat["id"]})}, got
    assert_error(judge.post("/api/v1/competitors/999999/marks", {"marks": good}), 404, "not_found")
    assert why(judge.post(path, {"marks": [{"aspect_id": "A1", "value": 1}]}), 422, "rows_refused")[0] == "rows_refused"
    assert row_reasons(judge.post(path, {"marks": [{"aspect_id": "A1", "value": "1"}]})) == {0: ("not_id", {})}


def test_a_judge_never_marks_their_own_institution(w):
    cat = w.cats[0]
    asp = aspects(w, cat)
    a_comp = [c for c in competitors(w, cat) if c["institution_id"] == w.A["id"]][1]
    # a judge of institution A joins (marking has started: adding one is allowed)
    name = uniq("judge").replace("-", ".")
    r = w.api.post(f"/api/v1/categories/{cat['id']}/judges",
                   {"person": {"given_name": uniq("Judge ")}, "username": name, "institution_id": w.A["id"]})
    assert r.status == 201, r
    ja = w.server.anon.first_login(name, r.json["password"])
    r = ja.post(f"/api/v1/competitors/{a_comp['id']}/marks",
                {"marks": [{"aspect_id": asp["A1"]["id"], "value": 15}, {"aspect_id": asp["B1"]["id"], "value": 0}]})
    assert rows_of(r) == {0: ("competitor_id", "forbidden"), 1: ("competitor_id", "forbidden")}
    # nor a competitor of a category they do not judge (the whole call)
    other = competitors(w, w.cats[1])[0]
    assert_error(ja.post(f"/api/v1/competitors/{other['id']}/marks",
                         {"marks": [{"aspect_id": asp["A1"]["id"], "value": 15}]}), 403, "forbidden")
    assert_error(ja.post(f"/api/v1/categories/{w.cats[1]['id']}/marks",
                         {"marks": [{"competitor_id": other["id"], "aspect_id": asp["A1"]["id"], "value": 15}]}),
                 403, "forbidden")
    w.judge_a = ja


def test_marks_for_a_category_then_the_lock(w):
    cat = w.cats[0]
    asp = aspects(w, cat)
    comps = competitors(w, cat)
    (jx, first), *rest = judges_of(w, cat)[:3]
    path = f"/api/v1/categories/{cat['id']}/marks"
    done = {(m["competitor_id"], m["aspect_id"]) for m in first.get(f"/api/v1/marks?category={cat['id']}").json["items"]}
    sheet = [{"competitor_id": c["id"], "aspect_id": a["id"], "value": v} for c in comps
             for a, v in ((asp["A1"], 30), (asp["A2"], 2), (asp["B1"], 0)) if (c["id"], a["id"]) not in done]
    other = competitors(w, w.cats[1])[0]
    before = count(w.server, "SELECT count(*) FROM marks")
    bad = sheet + [{"competitor_id": other["id"], "aspect_id": asp["A1"]["id"], "value": 30}]
    r = first.post(path, {"marks": bad})
    assert rows_of(r, len(bad)) == {len(sheet): ("competitor_id", "validation")}
    assert row_reasons(r) == {len(sheet): ("competitor_elsewhere", {"id": other["id"], "category": cat["id"]})}
    assert count(w.server, "SELECT count(*) FROM marks") == before
    r = first.post(path, {"marks": sheet})
    assert r.status == 201 and r.json["count"] == len(sheet), r
    # the other two judges score the judgement aspect for everyone (the second has one already)
    for _, jc in rest:
        have = {m["competitor_id"] for m in jc.get(f"/api/v1/marks?category={cat['id']}").json["items"]}
        rows = [{"competitor_id": c["id"], "aspect_id": asp["A2"]["id"], "value": 3} for c in comps
                if c["id"] not in have]
        assert jc.post(path, {"marks": rows}).status == 201
    # every mark is in: the chief judge locks; afterwards the bulk routes refuse the whole call
    r = w.judges[0][1].post(f"/api/v1/categories/{cat['id']}/lock")
    assert r.status == 200, r
    assert why(first.post(path, {"marks": sheet[:1]}), 409, "conflict", field="state") == \
        ("marks_locked", {"name": cat["name"]})
    assert_error(first.post(f"/api/v1/competitors/{comps[0]['id']}/marks",
                            {"marks": [{"aspect_id": asp["A1"]["id"], "value": 30}]}), 409, "conflict", field="state")


@pytest.fixture(scope="module", autouse=True)
def aspect_elsewhere(w):
    """An aspect of another edition's category (for the row it refuses)."""
    api = w.api
    ed = created(api.post("/api/v1/editions", {"year": 2025, "name": uniq("Other "), "area_id": w.ed["area_id"],
                                               "start_date": "2025-10-01", "end_date": "2025-10-03"}))
    cat = created(api.post("/api/v1/categories", {"edition_id": ed["id"], "name": "Other", "isco_code": "7512"}))
    crit = created(api.post("/api/v1/criteria", {"category_id": cat["id"], "code": "Z", "name": "Z", "weight": 100}))
    w.aspect_elsewhere = created(api.post("/api/v1/aspects", {"criterion_id": crit["id"], "code": "Z1",
                                                              "description": "z", "kind": "measurement",
                                                              "max_mark": 100}))
