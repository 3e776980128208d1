"""Enough judges for every competitor (issue 12): a judge never marks a
competitor of their own institution, so marking starts only when every
entered competitor has enough judges of other institutions (three in a
category with a judgement aspect, one in a category of measurements only),
and the refusal names the category and the competitors short. During
marking a judge can be added or moved to another institution, and removed
only when every competitor keeps enough judges (and the judge has entered
no marks); once the category is locked its judges stay. A judge who acts
outside their category is told so in those words."""
import pytest

from conftest import Factory, assert_error, created, make_user, serve, uniq, user_password


@pytest.fixture(scope="module")
def server():
    yield from serve()


def scheme(api, cat, judgement=True):
    crit = created(api.post("/api/v1/criteria", {"category_id": cat["id"], "code": "A", "name": "All",
                                                 "weight": 100}))
    if judgement:
        created(api.post("/api/v1/aspects", {"criterion_id": crit["id"], "code": "A1", "description": "weight",
                                             "kind": "measurement", "max_mark": 40}))
        return created(api.post("/api/v1/aspects", {"criterion_id": crit["id"], "code": "A2", "description": "finish",
                                                    "kind": "judgement", "max_mark": 60,
                                                    "descriptors": ["below", "fair", "good", "excellent"]}))
    return created(api.post("/api/v1/aspects", {"criterion_id": crit["id"], "code": "M1", "description": "size",
                                                "kind": "measurement", "max_mark": 100}))


class Setup:
    """Pastry (a judgement aspect): judges of A, C and of none; Ayla of A,
    Bilal of B. Masonry (measurements only): two judges of A and one of C;
    Chen of A. Each judge has an account."""

    def __init__(self, server):
        api = self.api = server.client
        self.server = server
        make = self.make = Factory(api)
        region, _, county, _ = make.tree()
        self.A, self.B, self.C = (make.institution(county, name=uniq(n)) for n in ("Inst A ", "Inst B ", "Inst C "))
        self.ed = created(api.post("/api/v1/editions", {"year": 2029, "name": uniq("Judges "), "area_id": region["id"],
                                                        "start_date": "2029-10-01", "end_date": "2029-10-02"}))
        self.pastry = created(api.post("/api/v1/categories", {"edition_id": self.ed["id"], "name": uniq("Pastry "),
                                                              "isco_code": "7512"}))
        self.masonry = created(api.post("/api/v1/categories", {"edition_id": self.ed["id"], "name": uniq("Masonry "),
                                                               "isco_code": "7112"}))
        self.a2 = scheme(api, self.pastry)
        self.m1 = scheme(api, self.masonry, judgement=False)
        self.j = {}
        self.jc = {}
        for key, cat, inst in [("pa", self.pastry, self.A), ("pc", self.pastry, self.C), ("pn", self.pastry, None),
                               ("ma1", self.masonry, self.A), ("ma2", self.masonry, self.A),
                               ("mc", self.masonry, self.C)]:
            self.j[key] = self.judge(cat, inst, chief=key in ("pa", "mc"))
        self.ayla, self.bilal, self.chen = (make.person(given_name=uniq(n)) for n in ("Ayla", "Bilal", "Chen"))

    def judge(self, cat, inst, chief=False):
        p = self.make.person(given_name=uniq("Judge"))
        u = make_user(self.api, uniq("judge").replace("-", "."), "judge", person=p)
        body = {"category_id": cat["id"], "person_id": p["id"], "chief": chief}
        if inst is not None:
            body["institution_id"] = inst["id"]
        j = created(self.api.post("/api/v1/judges", body))
        self.jc[j["id"]] = self.server.anon.login(u["username"], user_password(u["username"]))
        return j

    def to(self, state):
        return self.api.post(f"/api/v1/editions/{self.ed['id']}/transition", {"to": state})

    def enter(self, cat, person, inst):
        return created(self.api.post("/api/v1/competitors", {"category_id": cat["id"], "person_id": person["id"],
                                                             "institution_id": inst["id"], "consent": True}))


@pytest.fixture(scope="module")
def s(server):
    return Setup(server)


def test_marking_does_not_start_without_enough_judges_of_other_institutions(s):
    assert s.to("registration").status == 200
    s.e_ayla = s.enter(s.pastry, s.ayla, s.A)
    s.e_bilal = s.enter(s.pastry, s.bilal, s.B)
    s.e_chen = s.enter(s.masonry, s.chen, s.A)   # one judge of C is enough for measurements
    # Ayla (A) has two judges not of A (C's and the one of none): her
    # judgement aspect needs three; Bilal (B) has three
    r = s.to("marking")
    err = assert_error(r, 409, "conflict", field="state")
    msg = err["message"]
    assert s.pastry["name"] in msg and f"competitor {s.e_ayla['id']} " in msg, msg
    assert f"competitor {s.e_bilal['id']} " not in msg and f"competitor {s.e_chen['id']} " not in msg, msg
    assert "has 2" in msg and "needs 3" in msg, msg
    assert (err["reason"], err["params"]) == ("short_of_judges", {
        "name": s.pastry["name"], "need": 3, "competitor": s.e_ayla["id"], "institution": s.A["name"], "have": 2,
        "count": 1})
    assert s.api.get(f"/api/v1/editions/{s.ed['id']}").json["state"] == "registration"
    # a judge of B for Pastry: Ayla has three now, and marking starts
    s.j["pb"] = s.judge(s.pastry, s.B)
    r = s.to("marking")
    assert r.status == 200 and r.json["state"] == "marking", r


def test_judges_change_during_marking_only_while_everyone_stays_markable(s):
    api = s.api
    # a judge is added during marking (a replacement, or one more)
    extra = s.judge(s.pastry, s.C)
    # and removed again: Ayla still has the judges of none, C and B
    assert api.delete(f"/api/v1/judges/{extra['id']}").status == 204
    # removing the judge of B would leave Ayla two: refused, naming her
    r = api.delete(f"/api/v1/judges/{s.j['pb']['id']}")
    err = assert_error(r, 409, "conflict")
    assert f"competitor {s.e_ayla['id']} " in err["message"] and "would have 2" in err["message"], err
    assert err["reason"] == "short_of_judges" and (err["params"]["competitor"], err["params"]["have"]) == \
        (s.e_ayla["id"], 2), err
    assert s.pastry["name"] in err["message"]
    assert api.get(f"/api/v1/judges/{s.j['pb']['id']}").status == 200
    # moving the judge of none to A would leave Ayla two as well
    r = api.patch(f"/api/v1/judges/{s.j['pn']['id']}", {"institution_id": s.A["id"]}, etag='"1"')
    err = assert_error(r, 409, "conflict", field="institution_id")
    assert f"competitor {s.e_ayla['id']} " in err["message"], err
    # moving the judge of A to C gives Ayla one more: fine; and the chief may change
    r = api.patch(f"/api/v1/judges/{s.j['pa']['id']}", {"institution_id": s.C["id"]}, etag='"1"')
    assert r.status == 200 and r.json["institution_id"] == s.C["id"], r
    r = api.patch(f"/api/v1/judges/{s.j['pc']['id']}", {"chief": True}, etag='"1"')
    assert r.status == 200 and r.json["chief"] is True, r


def test_a_judge_who_has_marked_stays_and_keeps_to_other_institutions(s):
    api = s.api
    jb = s.jc[s.j["pb"]["id"]]
    m = created(jb.post("/api/v1/marks", {"competitor_id": s.e_ayla["id"], "aspect_id": s.a2["id"], "value": 2}))
    # a fifth judge of none: Ayla would still have four without the judge of B, but B's judge has marked
    s.judge(s.pastry, None)
    r = api.delete(f"/api/v1/judges/{s.j['pb']['id']}")
    err = assert_error(r, 409, "conflict")
    assert "1 mark" in err["message"], err
    # nor may B's judge move to A, whose competitor they have marked
    r = api.patch(f"/api/v1/judges/{s.j['pb']['id']}", {"institution_id": s.A["id"]}, etag='"1"')
    err = assert_error(r, 409, "conflict", field="institution_id")
    assert f"competitor {s.e_ayla['id']}" in err["message"], err
    assert (err["reason"], err["params"]) == ("judge_marked_institution", {
        "id": s.j["pb"]["id"], "competitor": s.e_ayla["id"], "institution": s.A["id"]}), err
    assert api.get(f"/api/v1/marks/{m['id']}").status == 200


def test_judges_of_a_locked_category_stay(s):
    api = s.api
    # Masonry: Chen (A) is marked by the judge of C and the category locked
    jc = s.jc[s.j["mc"]["id"]]
    created(jc.post("/api/v1/marks", {"competitor_id": s.e_chen["id"], "aspect_id": s.m1["id"], "value": 100}))
    assert jc.post(f"/api/v1/categories/{s.masonry['id']}/lock", {}).status == 200
    body = {"category_id": s.masonry["id"], "person_id": s.make.person()["id"]}
    err = assert_error(api.post("/api/v1/judges", body), 409, "conflict", field="state")
    assert "locked" in err["message"]
    assert_error(api.delete(f"/api/v1/judges/{s.j['ma1']['id']}"), 409, "conflict", field="state")


def test_a_judge_outside_the_category_is_told_so(s):
    masonry_judge = s.jc[s.j["ma2"]["id"]]
    # marking a Pastry competitor, and opening Pastry's review, as a judge of Masonry only
    r = masonry_judge.post("/api/v1/marks", {"competitor_id": s.e_bilal["id"], "aspect_id": s.a2["id"], "value": 1})
    err = assert_error(r, 403, "forbidden")
    assert err["message"].startswith(f"you are not a judge of category {s.pastry['name']}"), err
    assert "region administrators" not in err["message"]
    r = masonry_judge.get(f"/api/v1/categories/{s.pastry['id']}/review")
    err = assert_error(r, 403, "forbidden")
    assert err["message"].startswith(f"you are not a judge of category {s.pastry['name']}"), err
    # a judge of the category who is not its chief: the lock and review are the chief's
    r = s.jc[s.j["pb"]["id"]].get(f"/api/v1/categories/{s.pastry['id']}/review")
    err = assert_error(r, 403, "forbidden")
    assert f"only the chief judge of category {s.pastry['name']}" in err["message"], err
    # another judge's mark is not theirs to change
    m = s.api.get(f"/api/v1/marks?competitor={s.e_ayla['id']}").json["items"][0]
    r = s.jc[s.j["pn"]["id"]].patch(f"/api/v1/marks/{m['id']}", {"value": 0}, etag=f'"{m["version"]}"')
    err = assert_error(r, 403, "forbidden")
    assert "another judge's" in err["message"], err
    # a judge of none of the edition's categories does not read its provisional results
    name = uniq("judge").replace("-", ".")
    make_user(s.api, name, "judge", person=s.make.person(given_name=uniq("Judge")))
    nobody = s.server.anon.login(name, user_password(name))
    err = assert_error(nobody.get(f"/api/v1/editions/{s.ed['id']}/results"), 403, "forbidden")
    assert (err["reason"], err["params"]) == ("results_provisional", {"id": s.ed["id"]}), err
