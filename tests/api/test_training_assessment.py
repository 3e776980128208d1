"""Competency-based assessment and skill awards (issue 13, the training
module's assessment half; docs/assessment.md): units of competency and
their criteria, assessment events and a learner's results (all or nothing,
every refusal named), evidence kept in the database by its SHA-256, appeals,
achievement and the awards that follow (never for a withdrawn enrollment),
revocation, double marking and the agreement between markers, the learner's
own awards and export, and `guild assessment import`."""
import hashlib
import http.client
import os

import pytest

from conftest import (Factory, assert_error, created, db_query, guild_cli, make_user, record_route, uniq,
                      user_password)

# a 1 x 1 PNG, and a small PDF
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
                    "53de0000000c49444154789c6338916204000356015fe817845200000000"
                    "49454e44ae426082")
PDF = b"%PDF-1.4\n% a task sheet\n%%EOF\n"
DECL = {"evidence_valid": True, "evidence_sufficient": True, "evidence_authentic": True, "evidence_current": True}


class W:
    """Institutions A and B; program P of A with cohort C (trainers t1 and
    t2) and cohort D (trainer t3); learners l1..l4 enrolled in C, l5 in D;
    program Q of B. Users: staff_a, staff_b, trainer1..3 (t1..t3),
    learner1, learner2 (l1, l2)."""

    def __init__(self, server):
        self.server = server
        api = self.api = server.client
        make = self.make = Factory(api)
        county = make.tree()[2]
        self.A, self.B = make.institution(county), make.institution(county)
        self.P = make.program(self.A)
        self.Q = make.program(self.B)
        self.t1, self.t2, self.t3 = (make.person(given_name=uniq("Trainer"), institution_id=self.A["id"])
                                     for _ in range(3))
        self.C = make.cohort(self.P, trainers=[self.t1["id"], self.t2["id"]])
        self.D = make.cohort(self.P, trainers=[self.t3["id"]])
        self.l = [make.person(given_name=uniq("Learner"), institution_id=self.A["id"]) for _ in range(6)]
        self.enr = [make.enrollment(p, self.C, status="enrolled") for p in self.l[:4]]
        self.enr.append(make.enrollment(self.l[4], self.D, status="enrolled"))
        tag = uniq("as").replace("-", "")
        self.users = {
            "staff_a": make_user(api, f"sa{tag}", "institution_staff", institution=self.A),
            "staff_b": make_user(api, f"sb{tag}", "institution_staff", institution=self.B),
            "trainer1": make_user(api, f"t1{tag}", "trainer", person=self.t1),
            "trainer2": make_user(api, f"t2{tag}", "trainer", person=self.t2),
            "trainer3": make_user(api, f"t3{tag}", "trainer", person=self.t3),
            "learner1": make_user(api, f"l1{tag}", "learner", person=self.l[0]),
            "learner2": make_user(api, f"l2{tag}", "learner", person=self.l[1]),
        }
        self.c = {k: server.anon.login(u["username"], user_password(u["username"])) for k, u in self.users.items()}
        self.c["admin"] = api

    def unit(self, program=None, n=2, **kw):
        """A new unit of program (P) with n criteria PC1..PCn."""
        body = {"program_id": (program or self.P)["id"], "code": uniq("U"), "title": uniq("Skill ")}
        body.update(kw)
        u = created(self.c["staff_a"].post("/api/v1/units_of_competency", body))
        u["criteria"] = [created(self.c["staff_a"].post("/api/v1/performance_criteria", {
            "unit_id": u["id"], "code": f"PC{k + 1}", "text": f"criterion {k + 1}"})) for k in range(n)]
        return u

    def event(self, unit, cohort=None, assessor=None, date="2026-06-01", client="staff_a", **kw):
        body = {"cohort_id": (cohort or self.C)["id"], "unit_id": unit["id"], "date": date, "method": "observation",
                "assessor_id": (assessor or self.t1)["id"]}
        body.update(kw)
        return created(self.c[client].post("/api/v1/assessments", body))

    def upload(self, event, person, data=PNG, ctype="image/png", name="work.png", date=None, client="staff_a"):
        path = f"/api/v1/assessments/{event['id']}/evidence?person={person['id']}&name={name}"
        if date:
            path += f"&date={date}"
        return self.c[client].request("POST", path, raw=data, content_type=ctype)

    def record(self, event, person, unit, outcomes, client="staff_a", decl=DECL):
        results = [dict(criterion_id=c["id"], outcome=o, **decl) for c, o in zip(unit["criteria"], outcomes)]
        return self.c[client].post(f"/api/v1/assessments/{event['id']}/results",
                                   {"person_id": person["id"], "results": results})

    def assessed(self, unit, person, outcomes, cohort=None, date="2026-06-01", evidence=True):
        """An event of unit (in cohort C), the person's evidence and results: (event, response)."""
        ev = self.event(unit, cohort=cohort, date=date,
                        assessor=self.t3 if cohort is not None and cohort["id"] == self.D["id"] else None)
        if evidence:
            assert self.upload(ev, person, date=date).status == 201
        return ev, self.record(ev, person, unit, outcomes)

    def awards(self, person, unit=None, kind="skill_awards"):
        q = f"/api/v1/{kind}?person={person['id']}" + (f"&unit={unit['id']}" if unit else "")
        r = self.api.get(q)
        assert r.status == 200, r
        return r.json["items"]


@pytest.fixture(scope="module")
def w(server):
    return W(server)


def raw_get(client, path):
    """GET returning (status, headers, bytes): evidence files are binary."""
    conn = http.client.HTTPConnection("127.0.0.1", client.port, timeout=30)
    conn.request("GET", path, headers={"Cookie": f"guild_session={client.cookie}"})
    r = conn.getresponse()
    body, headers = r.read(), {k.lower(): v for k, v in r.getheaders()}
    conn.close()
    record_route("GET", path, r.status)
    return r.status, headers, body


# ---------------------------------------------------------------------------
# Units, criteria, settings

def test_units_are_kept_by_the_programs_staff_and_read_by_everyone(w):
    u = w.unit(n=1)
    assert u["sufficiency"] == 1
    for k in ["staff_b", "trainer1", "learner1"]:
        assert_error(w.c[k].post("/api/v1/units_of_competency", {"program_id": w.P["id"], "code": uniq("X"),
                                                                 "title": "x"}), 403, "forbidden")
        r = w.c[k].get(f"/api/v1/units_of_competency/{u['id']}")
        assert r.status == 200 and r.json["code"] == u["code"], r
        assert w.c[k].get(f"/api/v1/performance_criteria?unit={u['id']}").json["total"] == 1
    assert_error(w.c["staff_a"].post("/api/v1/units_of_competency", {"program_id": w.P["id"], "code": u["code"],
                                                                     "title": "again"}), 409, "conflict", field="code")
    assert_error(w.c["staff_a"].post("/api/v1/units_of_competency", {"program_id": w.P["id"], "code": "Z",
                                                                     "title": "z", "sufficiency": 21}),
                 422, "validation", field="sufficiency")
    r = w.c["staff_a"].patch(f"/api/v1/units_of_competency/{u['id']}", {"title": "Renamed", "sufficiency": 2}, '"1"')
    assert r.status == 200 and r.json["sufficiency"] == 2, r
    pc = u["criteria"][0]
    r = w.c["staff_a"].patch(f"/api/v1/performance_criteria/{pc['id']}", {"text": "reworded"}, '"1"')
    assert r.status == 200 and r.json["text"] == "reworded", r
    assert_error(w.c["staff_a"].post("/api/v1/performance_criteria", {"unit_id": u["id"], "code": "PC1",
                                                                      "text": "twice"}), 409, "conflict", field="code")
    # an unassessed unit and its criteria can go; a criterion first
    assert_error(w.c["staff_a"].delete(f"/api/v1/units_of_competency/{u['id']}"), 409, "conflict")
    assert w.c["staff_a"].delete(f"/api/v1/performance_criteria/{pc['id']}").status == 204
    assert w.c["staff_a"].delete(f"/api/v1/units_of_competency/{u['id']}").status == 204


def test_a_unit_being_assessed_takes_no_new_criterion(w):
    u = w.unit(n=1)
    w.event(u)
    err = assert_error(w.c["staff_a"].post("/api/v1/performance_criteria", {"unit_id": u["id"], "code": "PC9",
                                                                            "text": "late"}), 409, "conflict",
                       field="unit_id")
    assert (err["reason"], err["params"]) == ("unit_assessed", {"id": u["id"], "count": 1}), err


def test_the_currency_setting_is_the_programs_own(w):
    prog = w.make.program(w.A)
    r = created(w.c["staff_a"].post("/api/v1/assessment_settings", {"program_id": prog["id"], "currency_months": 6}))
    assert_error(w.c["staff_a"].post("/api/v1/assessment_settings", {"program_id": prog["id"],
                                                                     "currency_months": 7}), 409, "conflict")
    assert_error(w.c["staff_b"].post("/api/v1/assessment_settings", {"program_id": prog["id"], "currency_months": 7}),
                 403, "forbidden")
    assert_error(w.c["staff_a"].patch(f"/api/v1/assessment_settings/{r['id']}", {"currency_months": 0}, '"1"'),
                 422, "validation", field="currency_months")
    r2 = w.c["staff_a"].patch(f"/api/v1/assessment_settings/{r['id']}", {"currency_months": 12}, '"1"')
    assert r2.status == 200 and r2.json["currency_months"] == 12
    assert w.c["learner1"].get(f"/api/v1/assessment_settings?program={prog['id']}").json["total"] == 1
    assert w.c["staff_a"].delete(f"/api/v1/assessment_settings/{r['id']}").status == 204
    # the programs table has no new column: the setting is the module's own record
    assert "currency_months" not in w.api.get(f"/api/v1/programs/{prog['id']}").json


# ---------------------------------------------------------------------------
# Events

def test_a_trainer_assesses_their_own_cohort(w):
    u = w.unit(n=1)
    ev = created(w.c["trainer1"].post("/api/v1/assessments", {"cohort_id": w.C["id"], "unit_id": u["id"],
                                                              "date": "2026-06-02", "method": "practical_task"}))
    assert ev["assessor_id"] == w.t1["id"] and ev["second_marking_of"] is None
    assert_error(w.c["trainer3"].post("/api/v1/assessments", {"cohort_id": w.C["id"], "unit_id": u["id"],
                                                               "date": "2026-06-02", "method": "observation"}),
                 403, "forbidden", field="cohort_id")
    # the assessor trains the cohort; the unit is of the cohort's program
    err = assert_error(w.c["staff_a"].post("/api/v1/assessments", {"cohort_id": w.C["id"], "unit_id": u["id"],
                                                                   "date": "2026-06-02", "method": "observation",
                                                                   "assessor_id": w.t3["id"]}),
                       422, "validation", field="assessor_id")
    assert (err["reason"], err["params"]) == ("not_a_trainer", {"person": w.t3["id"], "id": w.C["id"]}), err
    other = w.unit(program=w.make.program(w.A), n=1)
    err = assert_error(w.c["staff_a"].post("/api/v1/assessments", {"cohort_id": w.C["id"], "unit_id": other["id"],
                                                                   "date": "2026-06-02", "method": "observation",
                                                                   "assessor_id": w.t1["id"]}),
                       422, "validation", field="unit_id")
    assert (err["reason"], err["params"]) == ("unit_not_in_program", {"unit": other["id"], "id": w.C["id"]}), err
    assert_error(w.c["staff_a"].post("/api/v1/assessments", {"cohort_id": w.C["id"], "unit_id": u["id"],
                                                             "date": "2026-06-02", "method": "guesswork",
                                                             "assessor_id": w.t1["id"]}),
                 422, "validation", field="method")
    # trainers see their cohorts' events only
    assert ev["id"] in {x["id"] for x in w.c["trainer2"].get(f"/api/v1/assessments?unit={u['id']}").json["items"]}
    assert w.c["trainer3"].get(f"/api/v1/assessments?unit={u['id']}").json["total"] == 0
    assert_error(w.c["trainer3"].get(f"/api/v1/assessments/{ev['id']}"), 403, "forbidden")
    assert_error(w.c["learner1"].get("/api/v1/assessments"), 403, "forbidden")
    # an event without results goes
    assert w.c["trainer1"].delete(f"/api/v1/assessments/{ev['id']}").status == 204


def test_events_are_listed_newest_first(w):
    """GET /assessments: by date, newest first, then the latest made;
    paged by offset (no cursor), and by id after a cursor."""
    cohort = w.make.cohort(w.P, trainers=[w.t1["id"]])
    u = w.unit(n=1)
    made = [w.event(u, cohort=cohort, date=d) for d in ["2026-03-01", "2026-05-01", "2026-04-01", "2026-05-01"]]
    want = [made[3]["id"], made[1]["id"], made[2]["id"], made[0]["id"]]
    for client in ["staff_a", "trainer1"]:
        r = w.c[client].get(f"/api/v1/assessments?cohort={cohort['id']}")
        assert [x["id"] for x in r.json["items"]] == want, (client, r.json)
    first = w.c["staff_a"].get(f"/api/v1/assessments?cohort={cohort['id']}&limit=3").json
    assert [x["id"] for x in first["items"]] == want[:3] and first["next_after"] is None and first["total"] == 4
    rest = w.c["staff_a"].get(f"/api/v1/assessments?cohort={cohort['id']}&limit=3&offset=3").json
    assert [x["id"] for x in rest["items"]] == want[3:]
    after = w.c["staff_a"].get(f"/api/v1/assessments?cohort={cohort['id']}&after={made[0]['id']}").json
    assert [x["id"] for x in after["items"]] == [x["id"] for x in made[1:]]


def test_a_second_marking_is_by_another_assessor(w):
    u = w.unit(n=1)
    first = w.event(u)
    base = {"cohort_id": w.C["id"], "unit_id": u["id"], "method": "observation", "second_marking_of": first["id"]}
    err = assert_error(w.c["staff_a"].post("/api/v1/assessments", dict(base, date="2026-06-03", assessor_id=w.t1["id"])),
                       422, "validation", field="assessor_id")
    assert (err["reason"], err["params"]) == ("second_assessor", {"person": w.t1["id"]}), err
    err = assert_error(w.c["staff_a"].post("/api/v1/assessments", dict(base, date="2026-05-01", assessor_id=w.t2["id"])),
                       422, "validation", field="date")
    assert (err["reason"], err["params"]) == ("second_before_first", {"value": first["date"]}), err
    err = assert_error(w.c["staff_a"].post("/api/v1/assessments", dict(base, cohort_id=w.D["id"], date="2026-06-03",
                                                                       assessor_id=w.t3["id"])),
                       422, "validation", field="second_marking_of")
    assert (err["reason"], err["params"]) == ("second_elsewhere", {"id": first["id"]}), err
    second = created(w.c["staff_a"].post("/api/v1/assessments", dict(base, date="2026-06-03", assessor_id=w.t2["id"])))
    err = assert_error(w.c["staff_a"].post("/api/v1/assessments", dict(base, second_marking_of=second["id"],
                                                                       date="2026-06-04", assessor_id=w.t1["id"])),
                       422, "validation", field="second_marking_of")
    assert (err["reason"], err["params"]) == ("second_of_second", {"id": second["id"]}), err


# ---------------------------------------------------------------------------
# Recording results

def test_results_are_all_or_nothing_and_every_refusal_is_named(w):
    u = w.unit(n=3)
    ev = w.event(u)
    learner = w.l[0]
    assert w.upload(ev, learner).status == 201
    pc = u["criteria"]
    body = {"person_id": learner["id"], "results": [
        dict(criterion_id=pc[0]["id"], outcome="competent", **dict(DECL, evidence_authentic=False)),
        {"criterion_id": pc[0]["id"], "outcome": "not_yet_competent"},
        {"criterion_id": 99999999, "outcome": "maybe"},
    ]}
    err = assert_error(w.c["staff_a"].post(f"/api/v1/assessments/{ev['id']}/results", body), 422, "rows_refused",
                       field="results")
    assert [(x["index"], x["field"], x["code"]) for x in err["rows"]] == [
        (0, "evidence_authentic", "validation"), (1, "criterion_id", "validation"), (2, "criterion_id", "validation"),
        (2, "outcome", "validation")], err["rows"]
    assert "decided twice (also results[0])" in err["rows"][1]["message"], err["rows"]
    assert [(x["reason"], x.get("params")) for x in err["rows"]] == [
        ("declare_authentic", None), ("decided_twice", {"code": pc[0]["code"], "item": 1}),
        ("not_a_criterion", {"criterion": 99999999, "id": u["id"]}),
        ("not_one_of", {"allowed": "competent, not_yet_competent", "got": "maybe"})], err["rows"]
    assert err["message"].startswith("3 of 3 rows refused; nothing was written: results[0]: "), err
    # many refusals: every one is a row, however long the message would be
    many = {"person_id": learner["id"], "results": [{"criterion_id": 99999000 + i, "outcome": "maybe"}
                                                    for i in range(40)]}
    err = assert_error(w.c["staff_a"].post(f"/api/v1/assessments/{ev['id']}/results", many), 422, "rows_refused")
    assert len(err["rows"]) == 80 and {x["index"] for x in err["rows"]} == set(range(40)), len(err["rows"])
    # nothing refused but a criterion left out: the list as a whole
    err = assert_error(w.c["staff_a"].post(f"/api/v1/assessments/{ev['id']}/results", {
        "person_id": learner["id"], "results": [{"criterion_id": pc[0]["id"], "outcome": "not_yet_competent"}]}),
        422, "validation", field="results", contains=["every criterion", "PC2, PC3"])
    assert (err["reason"], err["params"]) == ("criteria_undecided", {"id": u["id"], "codes": "PC2, PC3"}), err
    assert w.api.get(f"/api/v1/assessment_results?assessment={ev['id']}").json["total"] == 0
    # the body itself: names what is wrong
    assert assert_error(w.c["staff_a"].post(f"/api/v1/assessments/{ev['id']}/results",
                                     {"person_id": learner["id"], "results": [{"criterion_id": pc[0]["id"],
                                                                               "notes": "x"}]}),
                 422, "validation", field="results[0].notes")["reason"] == "not_accepted"
    assert assert_error(w.c["staff_a"].post(f"/api/v1/assessments/{ev['id']}/results", {"person_id": learner["id"]}),
                        422, "validation", field="results")["reason"] == "required"
    assert assert_error(w.c["staff_a"].post(f"/api/v1/assessments/{ev['id']}/results",
                                            {"person_id": learner["id"], "results": [1]}),
                        422, "validation", field="results[0]")["reason"] == "entry_not_object"
    assert assert_error(w.c["staff_a"].post(f"/api/v1/assessments/{ev['id']}/results",
                                            {"person_id": learner["id"], "results": [{"outcome": "competent"}]}),
                        422, "validation", field="results[0].criterion_id")["reason"] == "required"
    assert assert_error(w.c["staff_a"].post(f"/api/v1/assessments/{ev['id']}/results",
                                            {"person_id": 99999999, "results": []}),
                        422, "validation", field="person_id")["reason"] == "no_such_record"
    r = w.record(ev, learner, u, ["competent", "not_yet_competent", "competent"])
    assert r.status == 201, r
    assert [x["outcome"] for x in r.json["results"]] == ["competent", "not_yet_competent", "competent"]
    assert r.json["achieved"] is False and r.json["skill_award"] is None
    # once recorded, results stand: a reassessment is a new event
    err = assert_error(w.record(ev, learner, u, ["competent"] * 3), 409, "conflict", field="person_id")
    assert (err["reason"], err["params"]) == ("results_recorded", {"person": learner["id"], "id": ev["id"]}), err
    audit = w.api.get("/api/v1/audit?entity=assessment_result&limit=500").json["items"]
    assert {x["entity_id"] for x in audit if x["action"] == "record"} >= {x["id"] for x in r.json["results"]}


def test_a_unit_without_criteria_decides_nothing(w):
    u = w.unit(n=0)
    ev = w.event(u)
    assert assert_error(w.c["staff_a"].post(f"/api/v1/assessments/{ev['id']}/results", {"person_id": w.l[0]["id"],
                                                                                        "results": []}),
                 422, "validation", field="results", contains=["no performance criteria"])["params"] == {"id": u["id"]}


def test_competent_needs_the_four_declarations_and_evidence(w):
    u = w.unit(n=1)
    ev = w.event(u)
    learner = w.l[1]
    err = assert_error(w.record(ev, learner, u, ["competent"]), 422, "rows_refused", field="results")
    assert [(x["index"], x["field"]) for x in err["rows"]] == [(0, "outcome")] and "needs evidence" in err["message"]
    assert (err["rows"][0]["reason"], err["rows"][0]["params"]) == ("no_evidence", {"person": learner["id"], "id": ev["id"]})
    assert w.upload(ev, learner).status == 201
    for k in DECL:
        err = assert_error(w.record(ev, learner, u, ["competent"], decl=dict(DECL, **{k: False})), 422,
                           "rows_refused", field="results")
        assert [(x["index"], x["field"]) for x in err["rows"]] == [(0, k)], err
        assert err["rows"][0]["reason"] == "declare_" + k.split("_")[1], err
    # not yet competent needs neither
    r = w.record(ev, learner, u, ["not_yet_competent"], decl={})
    assert r.status == 201, r


def test_evidence_must_be_current(w):
    prog = w.make.program(w.A)
    created(w.c["staff_a"].post("/api/v1/assessment_settings", {"program_id": prog["id"], "currency_months": 6}))
    cohort = w.make.cohort(prog, trainers=[w.t1["id"]])
    learner = w.make.person(given_name=uniq("Old evidence"), institution_id=w.A["id"])
    w.make.enrollment(learner, cohort, status="enrolled")
    u = w.unit(program=prog, n=1)
    ev = w.event(u, cohort=cohort, date="2026-06-30")
    assert w.upload(ev, learner, date="2025-12-29").status == 201      # 6 months and a day before
    err = assert_error(w.record(ev, learner, u, ["competent"]), 422, "rows_refused", field="results")
    # too old, and so no current evidence from the one occasion the unit asks for
    assert [(x["index"], x["field"]) for x in err["rows"]] == [(0, "evidence_current"), (0, "evidence_sufficient")], err
    assert "2025-12-29" in err["rows"][0]["message"] and "6 months" in err["rows"][0]["message"]
    old = err["rows"][0]
    assert old["reason"] == "evidence_old" and {k: old["params"][k] for k in ("date", "months", "day")} == {
        "date": "2025-12-29", "months": 6, "day": "2026-06-30"}, old
    assert (err["rows"][1]["reason"], err["rows"][1]["params"]["need"], err["rows"][1]["params"]["got"]) == (
        "few_occasions", 1, 0), err["rows"][1]
    assert err["message"].startswith("1 of 1 row refused; nothing was written: results[0]: "), err
    # evidence made after the assessment is refused at once
    err = assert_error(w.upload(ev, learner, date="2026-07-01"), 422, "validation", field="date")
    assert (err["reason"], err["params"]) == ("evidence_after", {"date": "2026-06-30"}), err
    assert assert_error(w.upload(ev, learner, date="2026-13-01"), 422, "validation",
                        field="date")["reason"] == "not_date"
    # 2025-12-30 is within six months of 2026-06-30: a new event with that evidence decides
    ev2 = w.event(u, cohort=cohort, date="2026-06-30")
    assert w.upload(ev2, learner, date="2025-12-30").status == 201
    r = w.record(ev2, learner, u, ["competent"])
    assert r.status == 201 and r.json["achieved"] is True, r


def test_sufficiency_counts_occasions(w):
    """A unit of sufficiency 2 needs current evidence from two assessment
    events; one event's several files are one occasion."""
    u = w.unit(n=1, sufficiency=2)
    learner = w.l[2]
    ev1 = w.event(u, date="2026-05-01")
    assert w.upload(ev1, learner).status == 201
    assert w.upload(ev1, learner, data=PDF, ctype="application/pdf", name="sheet.pdf").status == 201
    err = assert_error(w.record(ev1, learner, u, ["competent"]), 422, "rows_refused", field="results")
    assert [(x["index"], x["field"]) for x in err["rows"]] == [(0, "evidence_sufficient")], err
    assert "2 occasions" in err["rows"][0]["message"] and "from 1" in err["rows"][0]["message"]
    assert (err["rows"][0]["reason"], err["rows"][0]["params"]) == (
        "few_occasions", {"unit": u["id"], "need": 2, "person": learner["id"], "got": 1}), err["rows"][0]
    assert w.record(ev1, learner, u, ["not_yet_competent"], decl={}).status == 201
    ev2 = w.event(u, date="2026-06-01")
    assert w.upload(ev2, learner).status == 201
    r = w.record(ev2, learner, u, ["competent"])
    assert r.status == 201 and r.json["achieved"] is True and r.json["skill_award"]["unit_id"] == u["id"], r


def test_who_records_results(w):
    u = w.unit(n=1)
    ev = w.event(u, assessor=w.t1)
    for k in ["trainer2", "trainer3", "staff_b", "learner1"]:    # trainer2 trains the cohort but is not the assessor
        assert_error(w.record(ev, w.l[3], u, ["not_yet_competent"], client=k, decl={}), 403, "forbidden")
    r = w.record(ev, w.l[3], u, ["not_yet_competent"], client="trainer1", decl={})
    assert r.status == 201 and r.json["results"][0]["recorded_by"] == f"user:{w.users['trainer1']['username']}", r


def test_only_learners_with_a_place_are_assessed(w):
    u = w.unit(n=1)
    ev = w.event(u)
    applicant = w.make.person(given_name=uniq("Applicant"), institution_id=w.A["id"])
    w.make.enrollment(applicant, w.C)                      # applied
    err = assert_error(w.record(ev, applicant, u, ["not_yet_competent"], decl={}), 422, "validation", field="person_id")
    assert (err["reason"], err["params"]) == ("only_applied", {"person": applicant["id"], "id": w.C["id"]}), err
    stranger = w.make.person(given_name=uniq("Stranger"), institution_id=w.A["id"])
    err = assert_error(w.record(ev, stranger, u, ["not_yet_competent"], decl={}), 422, "validation", field="person_id")
    assert (err["reason"], err["params"]) == ("no_place", {"person": stranger["id"], "id": w.C["id"]}), err
    gone = w.make.person(given_name=uniq("Gone"), institution_id=w.A["id"])
    e = w.make.enrollment(gone, w.C, status="enrolled")
    assert w.api.post(f"/api/v1/enrollments/{e['id']}/withdraw").status == 200
    err = assert_error(w.record(ev, gone, u, ["not_yet_competent"], decl={}), 422, "validation", field="person_id")
    assert "withdr" in err["message"] and err["reason"] == "learner_withdrew", err
    err = assert_error(w.upload(ev, gone), 422, "validation", field="person")
    assert (err["reason"], err["params"]) == ("no_place", {"person": gone["id"], "id": w.C["id"]}), err


# ---------------------------------------------------------------------------
# Evidence

def test_evidence_is_stored_once_by_its_sha256(w):
    u = w.unit(n=1)
    ev = w.event(u)
    data = PNG + os.urandom(16)    # a trailer: still a PNG, and bytes no other test stores
    a = w.upload(ev, w.l[0], data=data)
    b = w.upload(ev, w.l[1], data=data, name="same.png")
    assert a.status == 201 and b.status == 201, (a, b)
    assert a.header("Location") == f"/api/v1/evidence_items/{a.json['id']}"
    sha = hashlib.sha256(data).hexdigest()
    assert a.json["sha256"] == b.json["sha256"] == sha and a.json["size"] == len(data)
    assert a.json["media_type"] == "image/png" and a.json["date"] == ev["date"]
    assert db_query(w.server, "SELECT count(*) FROM evidence_blobs WHERE sha256 = ?", (sha,)) == [(1,)]
    status, headers, body = raw_get(w.c["learner1"], f"/api/v1/evidence_items/{a.json['id']}/content")
    assert status == 200 and body == data and headers["content-type"] == "image/png"
    assert headers["content-disposition"] == 'attachment; filename="work.png"'
    assert headers["x-content-type-options"] == "nosniff"


def test_evidence_files_are_checked(w):
    u = w.unit(n=1)
    ev = w.event(u)
    big = b"%PDF-" + b"x" * (10 * 1024 * 1024)
    assert_error(w.upload(ev, w.l[0], data=big, ctype="application/pdf"), 413, "payload_too_large")
    assert_error(w.upload(ev, w.l[0], data=b"hello", ctype="text/plain"), 415, "unsupported_media_type")
    err = assert_error(w.upload(ev, w.l[0], data=b"<html>", ctype="image/png"), 422, "validation", field="media_type")
    assert (err["reason"], err["params"]) == ("file_not_type", {"type": "image/png"}), err
    err = assert_error(w.upload(ev, w.l[0], data=PNG, ctype="application/pdf"), 422, "validation", field="media_type")
    assert (err["reason"], err["params"]) == ("file_not_type", {"type": "application/pdf"}), err
    assert assert_error(w.upload(ev, w.l[0], name="a%22b.png"), 422, "validation", field="name")["reason"] == "file_name"
    assert_error(w.upload(ev, w.l[0], data=b"", ctype="image/png"), 400, "bad_request")
    assert assert_error(w.c["staff_a"].request("POST", f"/api/v1/assessments/{ev['id']}/evidence?person={w.l[0]['id']}",
                                        raw=PNG, content_type="image/png"), 422, "validation", field="name")["reason"] == "required"
    assert w.api.get(f"/api/v1/evidence_items?assessment={ev['id']}").status == 403   # not for administrators
    assert w.c["staff_a"].get(f"/api/v1/evidence_items?assessment={ev['id']}").json["total"] == 0


def test_evidence_is_for_the_learner_their_trainers_and_their_institution(w):
    u = w.unit(n=1)
    ev = w.event(u)
    own = w.c["learner1"].request("POST", f"/api/v1/assessments/{ev['id']}/evidence?name=mine.pdf", raw=PDF,
                                  content_type="application/pdf")
    assert own.status == 201 and own.json["person_id"] == w.l[0]["id"], own
    err = assert_error(w.upload(ev, w.l[1], client="learner1"), 403, "forbidden", field="person")
    assert (err["reason"], err["params"]) == ("only_own", {"id": w.l[0]["id"]}), err
    item = own.json["id"]
    for k, want in [("learner1", 200), ("trainer1", 200), ("trainer2", 200), ("staff_a", 200), ("learner2", 403),
                    ("trainer3", 403), ("staff_b", 403), ("admin", 403)]:
        status, _, body = raw_get(w.c[k], f"/api/v1/evidence_items/{item}/content")
        assert status == want, (k, status)
        assert (body == PDF) == (want == 200)
        r = w.c[k].get(f"/api/v1/evidence_items/{item}")
        assert r.status == want, (k, r)
    ids = {x["id"] for x in w.c["learner2"].get("/api/v1/evidence_items?limit=500").json["items"]}
    assert item not in ids
    assert item in {x["id"] for x in w.c["trainer2"].get("/api/v1/evidence_items?limit=500").json["items"]}


def test_evidence_list_filters(w):
    """Every filter the document gives the evidence list is taken (by
    staff: region administrators do not read evidence)."""
    u = w.unit(n=1)
    ev = w.event(u)
    item = w.upload(ev, w.l[0]).json
    doc = w.api.get("/api/v1/openapi.json").json
    names = [p["name"] for p in doc["paths"]["/api/v1/evidence_items"]["get"]["parameters"] if p["in"] == "query"]
    values = {"assessment": ev["id"], "person": w.l[0]["id"], "cohort": w.C["id"], "institution": w.A["id"],
              "limit": 5, "offset": 0, "after": 0}
    assert set(names) == set(values) | {"trainer"}
    for name, v in values.items():
        r = w.c["staff_a"].get(f"/api/v1/evidence_items?{name}={v}")
        assert r.status == 200, (name, r)
        assert name in ("limit", "offset", "after") or item["id"] in {x["id"] for x in r.json["items"]}, name
    r = w.c["trainer1"].get(f"/api/v1/evidence_items?trainer={w.t1['id']}&assessment={ev['id']}")
    assert r.status == 200 and [x["id"] for x in r.json["items"]] == [item["id"]], r
    assert_error(w.c["staff_a"].get("/api/v1/evidence_items?kind=1"), 422, "validation", field="kind")


def test_my_export_holds_my_evidence_and_nobody_elses(w):
    u = w.unit(n=1)
    ev = w.event(u)
    mine = w.upload(ev, w.l[0], name=uniq("mine-") + ".png").json
    theirs = w.upload(ev, w.l[1], name=uniq("theirs-") + ".png").json
    assert w.record(ev, w.l[0], u, ["competent"]).status == 201
    assert w.record(ev, w.l[1], u, ["competent"]).status == 201
    r = w.c["learner1"].get("/api/v1/me/export")
    assert r.status == 200, r
    x = r.json
    assert mine["id"] in {e["id"] for e in x["evidence"]}
    assert all(e["person_id"] == w.l[0]["id"] for e in x["evidence"])
    assert theirs["file_name"] not in r.body and theirs["id"] not in {e["id"] for e in x["evidence"]}
    for k in ["assessment_results", "assessment_appeals", "skill_awards", "program_awards"]:
        assert all(e["person_id"] == w.l[0]["id"] for e in x[k]), k
    assert u["id"] in {a["unit_id"] for a in x["skill_awards"]}
    # and the other learner's holds theirs, not mine
    y = w.c["learner2"].get("/api/v1/me/export")
    assert mine["file_name"] not in y.body and theirs["id"] in {e["id"] for e in y.json["evidence"]}
    # as CSV too: the same sections
    csv = w.c["learner1"].get("/api/v1/me/export?format=csv")
    assert csv.status == 200 and "\nevidence," in csv.body and theirs["file_name"] not in csv.body


def test_erasure_takes_the_evidence_files(w):
    u = w.unit(n=1)
    ev = w.event(u)
    p = w.make.person(given_name=uniq("Erased"), institution_id=w.A["id"])
    other = w.make.person(given_name=uniq("Stays"), institution_id=w.A["id"])
    for x in (p, other):
        w.make.enrollment(x, w.C, status="enrolled")
    only = PNG + os.urandom(8)
    shared = PNG + os.urandom(8)
    a = w.upload(ev, p, data=only).json
    w.upload(ev, p, data=shared)
    w.upload(ev, other, data=shared)
    assert w.record(ev, p, u, ["competent"]).status == 201
    assert w.api.post(f"/api/v1/persons/{p['id']}/erase").status == 200
    item = w.c["staff_a"].get(f"/api/v1/evidence_items/{a['id']}").json
    assert item["sha256"] is None and item["file_name"] == "(erased)" and item["erased_at"]
    err = assert_error(w.c["staff_a"].get(f"/api/v1/evidence_items/{a['id']}/content"), 404, "not_found")
    assert (err["reason"], err["params"]) == ("evidence_erased", {"id": a["id"]}), err
    blobs = lambda data: db_query(w.server, "SELECT count(*) FROM evidence_blobs WHERE sha256 = ?",
                                  (hashlib.sha256(data).hexdigest(),))[0][0]
    assert blobs(only) == 0 and blobs(shared) == 1     # the other learner's copy stays
    # the anonymous aggregate stays: the results and the award
    assert w.awards(p, u)[0]["status"] == "awarded"
    assert any(x["action"] == "erase" and x["entity_id"] == a["id"]
               for x in w.api.get("/api/v1/audit?entity=evidence_item&limit=500").json["items"])


# ---------------------------------------------------------------------------
# Achievement and awards

def test_a_unit_is_achieved_by_the_latest_decisions(w):
    u = w.unit(n=2)
    learner = w.l[3]
    ev1, r1 = w.assessed(u, learner, ["competent", "not_yet_competent"], date="2026-05-01")
    assert r1.status == 201 and r1.json["achieved"] is False and not w.awards(learner, u)
    ev2, r2 = w.assessed(u, learner, ["not_yet_competent", "competent"], date="2026-05-15")
    assert r2.json["achieved"] is False and not w.awards(learner, u)   # PC1's latest is now not yet
    ev3, r3 = w.assessed(u, learner, ["competent", "competent"], date="2026-06-01")
    assert r3.status == 201 and r3.json["achieved"] is True, r3
    a = r3.json["skill_award"]
    assert a["person_id"] == learner["id"] and a["unit_id"] == u["id"] and a["program_id"] == w.P["id"]
    assert a["institution_id"] == w.A["id"] and a["enrollment_id"] == w.enr[3]["id"]
    assert a["date"] == "2026-06-01" and a["assessor_id"] == w.t1["id"] and a["status"] == "awarded"
    ev3_items = {x["id"] for x in w.c["staff_a"].get(f"/api/v1/evidence_items?assessment={ev3['id']}").json["items"]}
    assert set(a["evidence"]) == ev3_items and ev3_items
    # one award: a later decision does not make another
    _, r4 = w.assessed(u, learner, ["competent", "competent"], date="2026-06-10")
    assert r4.json["skill_award"] is None and len(w.awards(learner, u)) == 1


def test_the_learner_sees_their_awards(w):
    u = w.unit(n=1)
    _, r = w.assessed(u, w.l[0], ["competent"])
    a = r.json["skill_award"]
    me = w.c["learner1"].get("/api/v1/me/awards")
    assert me.status == 200 and a["id"] in {x["id"] for x in me.json["skill_awards"]}, me
    assert all(x["person_id"] == w.l[0]["id"] for x in me.json["skill_awards"] + me.json["program_awards"])
    assert a["id"] not in {x["id"] for x in w.c["learner2"].get("/api/v1/me/awards").json["skill_awards"]}
    assert w.c["learner1"].get(f"/api/v1/skill_awards/{a['id']}").status == 200
    assert_error(w.c["learner2"].get(f"/api/v1/skill_awards/{a['id']}"), 403, "forbidden")
    assert w.c["trainer2"].get(f"/api/v1/skill_awards/{a['id']}").status == 200
    assert_error(w.c["trainer3"].get(f"/api/v1/skill_awards/{a['id']}"), 403, "forbidden")
    assert_error(w.c["staff_b"].get(f"/api/v1/skill_awards/{a['id']}"), 403, "forbidden")
    assert w.c["staff_b"].get("/api/v1/me/awards").json == {"skill_awards": [], "program_awards": []}


def program_world(w):
    """A program of A with two units (one criterion each) and a cohort of
    it trained by t1, with one learner enrolled: (units, cohort, learner, enrollment)."""
    prog = w.make.program(w.A)
    cohort = w.make.cohort(prog, trainers=[w.t1["id"]])
    learner = w.make.person(given_name=uniq("Whole program"), institution_id=w.A["id"])
    enr = w.make.enrollment(learner, cohort, status="enrolled")
    return [w.unit(program=prog, n=1) for _ in range(2)], cohort, learner, enr


def complete(w, enr, status="completed"):
    cur = w.api.get(f"/api/v1/enrollments/{enr['id']}")
    return w.c["trainer1"].patch(f"/api/v1/enrollments/{enr['id']}", {"status": status}, cur.header("ETag"))


def test_program_award_when_units_are_achieved_before_completion(w):
    units, cohort, learner, enr = program_world(w)
    for u in units:
        _, r = w.assessed(u, learner, ["competent"], cohort=cohort)
        assert r.json["skill_award"] and r.json["program_award"] is None, r
    assert not w.awards(learner, kind="program_awards")
    r = complete(w, enr)
    assert r.status == 200, r
    got = w.awards(learner, kind="program_awards")
    assert len(got) == 1 and got[0]["enrollment_id"] == enr["id"] and got[0]["status"] == "awarded"
    assert set(got[0]["skill_awards"]) == {a["id"] for a in w.awards(learner)}
    assert got[0]["program_id"] == cohort["program_id"] and got[0]["institution_id"] == w.A["id"]


def test_program_award_when_units_are_achieved_after_completion(w):
    units, cohort, learner, enr = program_world(w)
    _, r = w.assessed(units[0], learner, ["competent"], cohort=cohort)
    assert complete(w, enr).status == 200
    assert not w.awards(learner, kind="program_awards")     # one unit still to go
    _, r = w.assessed(units[1], learner, ["competent"], cohort=cohort)
    assert r.status == 201 and r.json["program_award"]["enrollment_id"] == enr["id"], r
    assert len(w.awards(learner, kind="program_awards")) == 1


def test_no_program_award_for_an_enrollment_not_completed(w):
    units, cohort, learner, enr = program_world(w)
    for u in units:
        w.assessed(u, learner, ["competent"], cohort=cohort)
    assert complete(w, enr, "not_completed").status == 200
    assert not w.awards(learner, kind="program_awards")


def test_no_awards_for_a_withdrawn_enrollment(w):
    """The unit is achieved only once an appeal is upheld, after the
    learner withdrew: no skill award; and without the withdrawal, the same
    decision makes one. A withdrawn enrollment never gets a program award."""
    for bWithdraw in (True, False):
        units, cohort, learner, enr = program_world(w)
        name = uniq("appellant").replace("-", ".")
        make_user(w.api, name, "learner", person=learner)
        me = w.server.anon.login(name, user_password(name))
        u = units[0]
        u2 = created(w.c["staff_a"].post("/api/v1/performance_criteria", {"unit_id": units[1]["id"], "code": "PC2",
                                                                          "text": "second"}))
        units[1]["criteria"].append(u2)
        ev1, _ = w.assessed(units[1], learner, ["competent", "not_yet_competent"], cohort=cohort, date="2026-05-01")
        ev2, r = w.assessed(units[1], learner, ["not_yet_competent", "competent"], cohort=cohort, date="2026-05-20")
        assert r.json["achieved"] is False
        first = next(x for x in r.json["results"] if x["criterion_id"] == units[1]["criteria"][0]["id"])
        appeal = created(me.post("/api/v1/assessment_appeals", {"result_id": first["id"], "reason": "criteria_misapplied"}))
        assert appeal["status"] == "lodged" and appeal["assessment_id"] == ev2["id"] and appeal["person_id"] == learner["id"]
        if bWithdraw:
            assert me.post(f"/api/v1/enrollments/{enr['id']}/withdraw").status == 200
        d = w.c["staff_a"].post(f"/api/v1/assessment_appeals/{appeal['id']}/decision", {"status": "upheld"})
        assert d.status == 200 and d.json["status"] == "upheld", d
        held = w.awards(learner, units[1])
        assert len(held) == (0 if bWithdraw else 1), (bWithdraw, held)
        if bWithdraw:
            assert_error(w.record(w.event(u, cohort=cohort), learner, u, ["competent"]), 422, "validation",
                         field="person_id")
            assert_error(complete(w, enr), 422, "validation", field="status")
            assert not w.awards(learner, kind="program_awards")
        else:
            # the other unit too, and completion: the program award
            w.assessed(u, learner, ["competent"], cohort=cohort)
            assert complete(w, enr).status == 200
            assert len(w.awards(learner, kind="program_awards")) == 1


def test_revoking_an_award_needs_a_reason_from_the_list(w):
    u = w.unit(n=1)
    _, r = w.assessed(u, w.l[1], ["competent"])
    a = r.json["skill_award"]
    path = f"/api/v1/skill_awards/{a['id']}/revoke"
    err = assert_error(w.c["staff_a"].post(path, {"reason": "did not like it"}), 422, "validation", field="reason")
    assert (err["reason"], err["params"]["got"]) == ("not_one_of", "did not like it"), err
    assert err["params"]["allowed"].split(", ")[:2] == ["issued_in_error", "duplicate"], err
    assert assert_error(w.c["staff_a"].post(path, {}), 422, "validation", field="reason")["reason"] == "required"
    assert assert_error(w.c["staff_a"].post(path, {"reason": 7}), 422, "validation",
                        field="reason")["reason"] == "not_string"
    for k in ["trainer1", "learner2", "staff_b"]:
        assert_error(w.c[k].post(path, {"reason": "issued_in_error"}), 403, "forbidden")
    r = w.c["staff_a"].post(path, {"reason": "issued_in_error"})
    assert r.status == 200 and r.json["status"] == "revoked" and r.json["revoked_reason"] == "issued_in_error", r
    assert r.json["revoked_by"] == f"user:{w.users['staff_a']['username']}" and r.json["revoked_at"]
    err = assert_error(w.c["staff_a"].post(path, {"reason": "duplicate"}), 409, "conflict")
    assert (err["reason"], err["params"]) == ("already_state", {"entity": "skill_award", "id": a["id"],
                                                                "state": "revoked"}), err
    audit = w.api.get("/api/v1/audit?entity=skill_award&limit=500").json["items"]
    assert [x["action"] for x in audit if x["entity_id"] == a["id"]] == ["award", "revoke"]
    # the learner still sees it, revoked; a new decision may award the unit again
    assert w.c["learner2"].get(f"/api/v1/skill_awards/{a['id']}").json["status"] == "revoked"
    _, r2 = w.assessed(u, w.l[1], ["competent"], date="2026-06-20")
    assert r2.json["skill_award"]["id"] != a["id"]


def test_revoking_a_program_award(w):
    units, cohort, learner, enr = program_world(w)
    for u in units:
        w.assessed(u, learner, ["competent"], cohort=cohort)
    complete(w, enr)
    pa = w.awards(learner, kind="program_awards")[0]
    r = w.api.post(f"/api/v1/program_awards/{pa['id']}/revoke", {"reason": "decision_set_aside"})
    assert r.status == 200 and r.json["status"] == "revoked", r
    assert w.api.get(f"/api/v1/program_awards/{pa['id']}").json["revoked_reason"] == "decision_set_aside"


# ---------------------------------------------------------------------------
# Appeals

def test_appeals_are_the_learners_and_decided_by_staff(w):
    u = w.unit(n=1)
    ev, r = w.assessed(u, w.l[0], ["not_yet_competent"])
    res = r.json["results"][0]
    for k in ["learner2", "trainer1", "staff_a", "admin"]:
        assert_error(w.c[k].post("/api/v1/assessment_appeals", {"result_id": res["id"], "reason": "other"}),
                     403, "forbidden")
    assert_error(w.c["learner1"].post("/api/v1/assessment_appeals", {"result_id": res["id"], "reason": "unfair"}),
                 422, "validation", field="reason")
    ap = created(w.c["learner1"].post("/api/v1/assessment_appeals", {"assessment_id": ev["id"],
                                                                      "reason": "evidence_not_considered"}))
    assert ap["person_id"] == w.l[0]["id"] and ap["result_id"] is None and ap["lodged_by"].startswith("user:")
    err = assert_error(w.c["learner1"].post("/api/v1/assessment_appeals", {"result_id": res["id"], "reason": "other"}),
                       409, "conflict")
    assert (err["reason"], err["params"]) == ("appeal_open", {"id": ap["id"]}), err
    other, _ = w.assessed(u, w.l[0], ["not_yet_competent"], date="2026-06-21")   # the learner's own, another event
    err = assert_error(w.c["learner1"].post("/api/v1/assessment_appeals", {"result_id": res["id"], "reason": "other",
                                                                            "assessment_id": other["id"]}),
                       422, "validation", field="assessment_id")
    assert (err["reason"], err["params"]) == ("result_differs", {"value": str(ev["id"])}), err
    err = assert_error(w.c["learner1"].post("/api/v1/assessment_appeals", {"reason": "other"}), 422, "validation",
                       field="assessment_id")
    assert (err["reason"], err["params"]) == ("either_needed", {"other": "result_id"}), err
    assert w.c["learner1"].get(f"/api/v1/assessment_appeals/{ap['id']}").status == 200
    assert_error(w.c["trainer1"].get(f"/api/v1/assessment_appeals/{ap['id']}"), 403, "forbidden")
    assert_error(w.c["learner2"].get(f"/api/v1/assessment_appeals/{ap['id']}"), 403, "forbidden")
    path = f"/api/v1/assessment_appeals/{ap['id']}/decision"
    for k in ["trainer1", "learner1", "staff_b"]:
        assert_error(w.c[k].post(path, {"status": "upheld"}), 403, "forbidden")
    err = assert_error(w.c["staff_a"].post(path, {"status": "lodged"}), 422, "validation", field="status")
    assert (err["reason"], err["params"]) == ("not_one_of", {"allowed": "upheld, dismissed", "got": "lodged"}), err
    d = w.c["staff_a"].post(path, {"status": "dismissed"})
    assert d.status == 200 and d.json["status"] == "dismissed" and d.json["decided_at"], d
    assert d.json["decided_by"] == f"user:{w.users['staff_a']['username']}"
    err = assert_error(w.c["staff_a"].post(path, {"status": "upheld"}), 409, "conflict")
    assert (err["reason"], err["params"]["state"]) == ("already_state", "dismissed"), err
    assert err["message"] == f"status: appeal {ap['id']} was decided already (dismissed)", err
    actions = [x["action"] for x in w.api.get("/api/v1/audit?entity=assessment_appeal&limit=500").json["items"]
               if x["entity_id"] == ap["id"]]
    assert actions == ["create", "decide"]


def test_an_upheld_appeal_sets_the_decisions_aside(w):
    """An upheld appeal of a result sets that decision aside; of an event,
    all the learner's decisions in it. The latest decisions that remain
    decide: PC1 C (ev1) N (ev2) N (ev3), PC2 N C (ev3)."""
    u = w.unit(n=2)
    me, learner = w.c["learner1"], w.l[0]
    ev1, _ = w.assessed(u, learner, ["competent", "not_yet_competent"], date="2026-04-01")
    ev2, _ = w.assessed(u, learner, ["not_yet_competent", "not_yet_competent"], date="2026-04-10")
    ev3, r3 = w.assessed(u, learner, ["not_yet_competent", "competent"], date="2026-04-20")
    pc1 = next(x for x in r3.json["results"] if x["criterion_id"] == u["criteria"][0]["id"])
    a = created(me.post("/api/v1/assessment_appeals", {"result_id": pc1["id"], "reason": "procedure_not_followed"}))
    assert w.c["staff_a"].post(f"/api/v1/assessment_appeals/{a['id']}/decision", {"status": "upheld"}).status == 200
    assert not w.awards(learner, u)          # PC1's latest that counts: ev2, not yet
    b = created(me.post("/api/v1/assessment_appeals", {"assessment_id": ev2["id"], "reason": "other"}))
    assert b["result_id"] is None
    assert w.c["staff_a"].post(f"/api/v1/assessment_appeals/{b['id']}/decision", {"status": "upheld"}).status == 200
    got = w.awards(learner, u)
    assert len(got) == 1 and got[0]["date"] == "2026-04-20", got
    items = lambda ev: {x["id"] for x in w.c["staff_a"].get(f"/api/v1/evidence_items?assessment={ev['id']}").json["items"]}
    assert set(got[0]["evidence"]) == items(ev1) | items(ev3)


def test_a_second_marking_decides_nothing_and_cannot_be_appealed(w):
    u = w.unit(n=1)
    first, r = w.assessed(u, w.l[0], ["not_yet_competent"])
    second = w.event(u, assessor=w.t2, second_marking_of=first["id"], date="2026-06-05")
    r2 = w.record(second, w.l[0], u, ["competent"])    # the first event's evidence
    assert r2.status == 201 and r2.json["achieved"] is False and r2.json["skill_award"] is None, r2
    assert not w.awards(w.l[0], u)
    assert assert_error(w.c["learner1"].post("/api/v1/assessment_appeals", {"result_id": r2.json["results"][0]["id"],
                                                                             "reason": "other"}),
                 422, "validation", field="assessment_id")["params"] == {"id": second["id"], "first": first["id"]}
    # a second marking marks decisions that exist, on the first marking's evidence
    err = assert_error(w.record(second, w.l[1], u, ["not_yet_competent"], decl={}), 422, "validation", field="person_id")
    assert (err["reason"], err["params"]) == ("no_first_results", {"person": w.l[1]["id"], "id": first["id"]}), err
    err = assert_error(w.upload(second, w.l[0]), 422, "validation")
    assert (err["reason"], err["params"]) == ("evidence_second_marking", {"id": second["id"], "first": first["id"]}), err


# ---------------------------------------------------------------------------
# Agreement between markers

def test_agreement_between_markers(w):
    """Two learners x three criteria marked twice. First / second:
    l0: C/C, C/N, N/N   l1: C/C, C/C, N/C.
    Pairs 6, agreeing 4: share 4/6. First marker competent 4/6, second 4/6:
    pe = (4/6)(4/6) + (2/6)(2/6) = 20/36; po = 24/36;
    kappa = (24/36 - 20/36) / (16/36) = 4/16 = 0.25."""
    u = w.unit(n=3)
    first = w.event(u, date="2026-06-01")
    firsts = {0: ["competent", "competent", "not_yet_competent"], 1: ["competent", "competent", "not_yet_competent"]}
    seconds = {0: ["competent", "not_yet_competent", "not_yet_competent"], 1: ["competent", "competent", "competent"]}
    for i in (0, 1):
        assert w.upload(first, w.l[i]).status == 201
        assert w.record(first, w.l[i], u, firsts[i]).status == 201
    second = w.event(u, assessor=w.t2, second_marking_of=first["id"], date="2026-06-08")
    for i in (0, 1):
        assert w.record(second, w.l[i], u, seconds[i]).status == 201
    r = w.c["trainer1"].get(f"/api/v1/units_of_competency/{u['id']}/agreement")
    assert r.status == 200, r
    t = r.json["total"]
    assert t["pairs"] == 6 and t["agreeing"] == 4 and abs(t["share"] - 4 / 6) < 1e-9 and abs(t["kappa"] - 0.25) < 1e-9
    assert t["table"] == {"competent_competent": 3, "competent_not_yet_competent": 1,
                          "not_yet_competent_competent": 1, "not_yet_competent_not_yet_competent": 1}
    assert [c["cohort_id"] for c in r.json["cohorts"]] == [w.C["id"]] and r.json["cohorts"][0]["pairs"] == 6
    assert w.c["staff_a"].get(f"/api/v1/units_of_competency/{u['id']}/agreement?cohort={w.C['id']}").json["total"] == t
    # a trainer of another cohort of the program sees none of this cohort's pairs
    other = w.c["trainer3"].get(f"/api/v1/units_of_competency/{u['id']}/agreement")
    assert other.status == 200 and other.json["cohorts"] == [] and other.json["total"]["pairs"] == 0
    assert other.json["total"]["share"] is None and other.json["total"]["kappa"] is None
    assert_error(w.c["trainer3"].get(f"/api/v1/units_of_competency/{u['id']}/agreement?cohort={w.C['id']}"),
                 403, "forbidden")
    for k in ["staff_b", "learner1"]:
        assert_error(w.c[k].get(f"/api/v1/units_of_competency/{u['id']}/agreement"), 403, "forbidden")


# ---------------------------------------------------------------------------
# guild assessment import

def test_import_records_results_all_or_nothing(w, tmp_path):
    u = w.unit(n=2)
    ev = w.event(u)
    for p in w.l[:2]:
        assert w.upload(ev, p).status == 201
    a, b = w.l[0]["id"], w.l[1]["id"]
    bad = tmp_path / "bad.csv"
    bad.write_text("Assessment,learner,criterion,outcome,evidence_valid,evidence_sufficient,evidence_authentic,"
                   "evidence_current\n"
                   f"{ev['id']},{a},PC1,competent,true,true,true,true\n"
                   f"{ev['id']},{a},PC2,competent,true,true,false,true\n"        # not authentic
                   f"{ev['id']},{b},PC1,not_yet_competent,,,,\n"                    # PC2 missing for b
                   f"{ev['id']},{b},PC9,competent,yes,yes,yes,yes\n"              # no such criterion
                   f"{ev['id']},{b},PC2,maybe,no,no,no,no\n")
    out = tmp_path / "errors.csv"
    r = guild_cli(w.server, "assessment", "import", str(bad), "--errors", str(out))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "nothing was imported" in r.stderr
    report = out.read_text()
    flat = report.replace('"', "")
    assert "row 3, column evidence_authentic" in r.stderr and ",3,evidence_authentic,false," in flat
    assert ",5,criterion,PC9," in flat and ",6,outcome,maybe," in flat
    assert "3 of 5 rows refused; nothing was written: row 3, column evidence_authentic: " in r.stderr, r.stderr
    assert w.api.get(f"/api/v1/assessment_results?assessment={ev['id']}").json["total"] == 0
    good = tmp_path / "good.csv"
    good.write_text("assessment,learner,criterion,outcome,evidence_valid,evidence_sufficient,evidence_authentic,"
                    "evidence_current\n"
                    f"{ev['id']},{a},PC1,competent,true,true,true,true\n"
                    f"{ev['id']},{b},PC1,not_yet_competent,,,,\n"
                    f"{ev['id']},{a},PC2,competent,1,1,1,1\n"
                    f"{ev['id']},{b},PC2,competent,yes,yes,yes,yes\n")
    r = guild_cli(w.server, "assessment", "import", str(good))
    assert r.returncode == 0, r.stderr
    assert "4 results recorded" in r.stdout
    got = w.api.get(f"/api/v1/assessment_results?assessment={ev['id']}").json["items"]
    assert len(got) == 4 and {x["recorded_by"] for x in got} == {got[0]["recorded_by"]} and got[0]["recorded_by"].startswith("cli:")
    assert len(w.awards(w.l[0], u)) == 1 and not w.awards(w.l[1], u)
    audit = w.api.get("/api/v1/audit?entity=assessment_results&limit=500").json["items"]
    assert any(x["action"] == "import" and x["entity_id"] == 4 and x["digest"] == hashlib.sha256(good.read_bytes()).hexdigest()
               for x in audit)
    # again: the same results are refused, named
    r = guild_cli(w.server, "assessment", "import", str(good))
    assert r.returncode == 1 and "recorded already" in r.stderr
    bad_header = tmp_path / "h.csv"
    bad_header.write_text("assessment,learner,criterion,notes\n1,1,PC1,x\n")
    r = guild_cli(w.server, "assessment", "import", str(bad_header))
    assert r.returncode == 1 and "notes" in r.stderr and "outcome" in r.stderr
