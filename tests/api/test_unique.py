"""Every unique value and key of the schema (src/store/migrations.c) refused
in guild's words (issue 12): 409, naming the field and the record that
already has it, and never the database's own text (SQLite's "UNIQUE
constraint failed", PostgreSQL's "duplicate key value violates unique
constraint"). Also when many requests write the same key at the same moment
(then the database itself may catch it, on PostgreSQL)."""
import threading

import pytest

from conftest import Factory, assert_error, created, make_user, serve, uniq, user_password

ENGINE_WORDS = ("UNIQUE", "unique constraint", "constraint", "duplicate key", "violates")


@pytest.fixture(scope="module")
def server():
    yield from serve()


def assert_guild_conflict(r, field, *contains):
    err = assert_error(r, 409, "conflict", field=field)
    for w in ENGINE_WORDS:
        assert w not in err["message"], err
    for c in contains:
        assert c in err["message"], err
    return err


class World:
    def __init__(self, server):
        api = self.api = server.client
        make = self.make = Factory(api)
        region, _, county, _ = make.tree()
        self.region, self.county = region, county
        self.inst = make.institution(county)
        self.ed = created(api.post("/api/v1/editions", {"year": 2030, "name": uniq("Unique "), "area_id": region["id"],
                                                        "start_date": "2030-10-01", "end_date": "2030-10-02"}))
        self.cat = created(api.post("/api/v1/categories", {"edition_id": self.ed["id"], "name": "Pastry",
                                                           "isco_code": "7512"}))
        crit = created(api.post("/api/v1/criteria", {"category_id": self.cat["id"], "code": "A", "name": "All",
                                                     "weight": 100}))
        self.aspect = created(api.post("/api/v1/aspects", {"criterion_id": crit["id"], "code": "A1",
                                                           "description": "size", "kind": "measurement",
                                                           "max_mark": 100}))
        self.judge_person = make.person(given_name=uniq("Judge"))
        self.judge_user = make_user(api, uniq("judge").replace("-", "."), "judge", person=self.judge_person)
        self.judge = created(api.post("/api/v1/judges", {"category_id": self.cat["id"],
                                                         "person_id": self.judge_person["id"]}))
        for _ in range(2):
            created(api.post("/api/v1/judges", {"category_id": self.cat["id"], "person_id": make.person()["id"]}))
        assert api.post(f"/api/v1/editions/{self.ed['id']}/transition", {"to": "registration"}).status == 200
        self.learner = make.person(given_name=uniq("Ayla"))
        self.competitor = self.enter(self.learner)

    def enter(self, person):
        return created(self.api.post("/api/v1/competitors", self.entry(person)))

    def entry(self, person):
        return {"category_id": self.cat["id"], "person_id": person["id"], "institution_id": self.inst["id"],
                "consent": True}


@pytest.fixture(scope="module")
def w(server):
    return World(server)


def test_a_duplicate_competitor_names_the_entry(w):
    r = w.api.post("/api/v1/competitors", w.entry(w.learner))
    assert_guild_conflict(r, "person_id", "already entered in this category", f"competitor {w.competitor['id']}")


def test_many_entries_at_the_same_moment_one_lands_the_rest_are_refused_in_guild_words(w, server):
    person = w.make.person(given_name=uniq("Racer"))
    out = [None] * 8

    def go(k):
        out[k] = server.signed_in().post("/api/v1/competitors", w.entry(person))

    threads = [threading.Thread(target=go, args=(k,)) for k in range(len(out))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status for r in out) == [201] + [409] * (len(out) - 1), out
    for r in out:
        if r.status == 409:
            assert_guild_conflict(r, "person_id", "already entered in this category")


def test_a_duplicate_enrollment_names_the_enrollment(w):
    e = w.make.enrollment()
    r = w.api.post("/api/v1/enrollments", {"person_id": e["person_id"], "cohort_id": e["cohort_id"], "consent": True})
    assert_guild_conflict(r, "cohort_id", "already enrolled in this cohort", f"enrollment {e['id']}")


def test_a_duplicate_judge_names_the_judge(w):
    r = w.api.post("/api/v1/judges", {"category_id": w.cat["id"], "person_id": w.judge_person["id"]})
    assert_guild_conflict(r, "person_id", "already a judge of this category", f"judge {w.judge['id']}")


def test_a_second_mark_names_the_first(w, server):
    api = w.api
    assert api.post(f"/api/v1/editions/{w.ed['id']}/transition", {"to": "marking"}).status == 200
    jc = server.anon.login(w.judge_user["username"], user_password(w.judge_user["username"]))
    body = {"competitor_id": w.competitor["id"], "aspect_id": w.aspect["id"], "value": 100}
    m = created(jc.post("/api/v1/marks", body))
    assert_guild_conflict(jc.post("/api/v1/marks", body), "aspect_id", "already marked this aspect", f"mark {m['id']}")


# single unique columns: each (collection, field) with a body that repeats the value of a stored record
def _single(w):
    make = w.make
    area = make.area("region", sourced_id=uniq("SA"))
    inst = make.institution(w.county, code=uniq("IC"), sourced_id=uniq("SI"))
    prog = make.program(inst, sourced_id=uniq("SP"))
    coh = make.cohort(prog, sourced_id=uniq("SC"))
    per = make.person(sourced_id=uniq("SPE"))
    enr = make.enrollment(cohort=coh, sourced_id=uniq("SE"))
    user = make_user(w.api, uniq("uniq").replace("-", "."))
    return [
        ("areas", {"code": area["code"], "name": "x", "level": "region"}, "code", area),
        ("areas", {"code": uniq("A"), "name": "x", "level": "region", "sourced_id": area["sourced_id"]},
         "sourced_id", area),
        ("institutions", {"name": "x", "kind": "vocational_college", "area_id": w.county["id"], "code": inst["code"]},
         "code", inst),
        ("institutions", {"name": "x", "kind": "vocational_college", "area_id": w.county["id"],
                          "sourced_id": inst["sourced_id"]}, "sourced_id", inst),
        ("programs", {"institution_id": inst["id"], "title": "x", "isco_code": "7512", "hours": 1, "level": 1,
                      "capacity": 1, "sourced_id": prog["sourced_id"]}, "sourced_id", prog),
        ("cohorts", {"program_id": prog["id"], "name": "x", "start_date": "2026-01-01", "end_date": "2026-02-01",
                     "capacity": 1, "sourced_id": coh["sourced_id"]}, "sourced_id", coh),
        ("persons", {"given_name": "x", "sourced_id": per["sourced_id"]}, "sourced_id", per),
        ("enrollments", {"person_id": make.person()["id"], "cohort_id": coh["id"], "consent": True,
                         "sourced_id": enr["sourced_id"]}, "sourced_id", enr),
        ("users", {"username": user["username"], "display_name": "x", "password": user_password(uniq("other"))},
         "username", user),
    ]


def test_every_single_unique_value_names_its_field_and_record(w):
    for coll, body, field, other in _single(w):
        r = w.api.post(f"/api/v1/{coll}", body)
        assert_guild_conflict(r, field, f" {other['id']}")
