"""The authorization matrix's rows for assessment and awards (the training
module; docs/assessment.md), imported by one line of test_authz_matrix.py.
The records asked about are made once, the first time a row needs them
(asmt(w)): institution A's program pa gets units u1 and u2 (one criterion
each), a setting and events in cohort ca1 (trainer t1) where the learner l1
has evidence and competent results, so skill awards; l1 appealed (dismissed)
and e1 is completed, so a program award. Units and criteria that rows
create go to a program of their own (pz), so that pa's units stay all
achieved."""
from conftest import created, uniq
from test_authz_matrix import SIGNED_IN, STALE, rule

PDF = b"%PDF-1.4\n% matrix evidence\n%%EOF\n"   # ASCII: the matrix's client decodes answers as text

STAFF_A = frozenset({"region_admin", "staff_a"})
STAFF_TRAINERS = frozenset({"region_admin", "staff_a", "staff_b", "trainer", "other_trainer"})
OWN_CIRCLE = frozenset({"staff_a", "trainer", "learner"})   # evidence: the learner, their trainer, their staff
LISTERS = STAFF_TRAINERS | {"learner", "other_learner"}


import matrix_attendance  # noqa: E402


class Assessment:
    def __init__(self, w):
        # this world completes e1; the attendance rows mark l1 in ca1, which
        # needs e1 still enrolled: their world first, whichever row runs first
        matrix_attendance.att(w)
        api, ok = w.api, created
        staff = w.c["staff_a"]
        self.pz = w.make.program(w.A)
        self.u1, self.u2 = (ok(api.post("/api/v1/units_of_competency", {"program_id": w.pa["id"], "code": uniq("MU"),
                                                                        "title": uniq("Matrix skill ")}))
                            for _ in range(2))
        self.u3 = ok(api.post("/api/v1/units_of_competency", {"program_id": self.pz["id"], "code": uniq("MZ"),
                                                              "title": "criteria go here"}))
        self.setting = ok(api.post("/api/v1/assessment_settings", {"program_id": w.pa["id"], "currency_months": 24}))
        self.pc, self.ev, items, results, skills = {}, {}, [], [], []
        for u in (self.u1, self.u2):
            self.pc[u["id"]] = ok(api.post("/api/v1/performance_criteria", {"unit_id": u["id"], "code": "PC1",
                                                                           "text": "does it"}))
            self.ev[u["id"]] = ok(api.post("/api/v1/assessments", {"cohort_id": w.ca1["id"], "unit_id": u["id"],
                                                                   "assessor_id": w.t1["id"], "date": "2026-06-01",
                                                                   "method": "observation"}))
            r = staff.request("POST", f"/api/v1/assessments/{self.ev[u['id']]['id']}/evidence?person={w.l1['id']}"
                                      "&name=sheet.pdf", raw=PDF, content_type="application/pdf")
            assert r.status == 201, r
            items.append(r.json)
            r = api.post(f"/api/v1/assessments/{self.ev[u['id']]['id']}/results", {
                "person_id": w.l1["id"], "results": [{"criterion_id": self.pc[u["id"]]["id"], "outcome": "competent",
                                                      "evidence_valid": True, "evidence_sufficient": True,
                                                      "evidence_authentic": True, "evidence_current": True}]})
            assert r.status == 201 and r.json["skill_award"], r
            results.append(r.json["results"][0])
            skills.append(r.json["skill_award"])
        self.item, self.result, self.skill = items[0], results[0], skills[0]   # u1's
        self.event = self.ev[self.u1["id"]]
        self.spare_event = ok(api.post("/api/v1/assessments", {"cohort_id": w.ca1["id"], "unit_id": self.u1["id"],
                                                               "assessor_id": w.t1["id"], "date": "2026-06-02",
                                                               "method": "portfolio"}))
        self.appeal = ok(w.c["learner"].post("/api/v1/assessment_appeals", {"result_id": self.result["id"],
                                                                             "reason": "other"}))
        r = staff.post(f"/api/v1/assessment_appeals/{self.appeal['id']}/decision", {"status": "dismissed"})
        assert r.status == 200, r
        e1 = api.get(f"/api/v1/enrollments/{w.e1['id']}")
        r = api.patch(f"/api/v1/enrollments/{w.e1['id']}", {"status": "completed"}, e1.header("ETag"))
        assert r.status == 200, r
        got = api.get(f"/api/v1/program_awards?person={w.l1['id']}&program={w.pa['id']}").json["items"]
        assert len(got) == 1, got
        self.program_award = got[0]


def asmt(w):
    """The world's assessment records, made on first use."""
    if not hasattr(w, "_assessment"):
        w._assessment = Assessment(w)
    return w._assessment


class PdfClient:
    """Sends the request's body as a PDF file (evidence uploads), as the
    caller's client would send JSON."""

    def __init__(self, client):
        self.client = client

    def request(self, method, target, body=None, headers=None):
        return self.client.request(method, target, raw=PDF, headers=headers, content_type="application/pdf")


def decl():
    return {"evidence_valid": True, "evidence_sufficient": True, "evidence_authentic": True, "evidence_current": True}


# --- units, criteria, settings: staff of the program's institution keep them; everyone signed in reads
for plural, key in [("units_of_competency", "u1"), ("performance_criteria", "pc1"), ("assessment_settings", "setting")]:
    target = (lambda k: lambda w, c: f"/api/v1/{plural_of(k)}/{record_of(w, k)['id']}")(key)
    rule("GET", f"/api/v1/{plural}", SIGNED_IN)
    rule("GET", f"/api/v1/{plural}/{{id}}", SIGNED_IN, target=target)
    rule("PATCH", f"/api/v1/{plural}/{{id}}", STAFF_A, ok=412, target=target, body=lambda w, c: {}, headers=STALE)
    rule("DELETE", f"/api/v1/{plural}/{{id}}", STAFF_A, ok=412, target=target, headers=STALE)


def plural_of(key):
    return {"u1": "units_of_competency", "pc1": "performance_criteria", "setting": "assessment_settings"}[key]


def record_of(w, key):
    a = asmt(w)
    return {"u1": a.u1, "pc1": a.pc[a.u1["id"]], "setting": a.setting}[key]


rule("POST", "/api/v1/units_of_competency", STAFF_A, ok=201,
     body=lambda w, c: {"program_id": asmt(w).pz["id"], "code": uniq("MX"), "title": "Matrix unit"})
rule("POST", "/api/v1/performance_criteria", STAFF_A, ok=201,
     body=lambda w, c: {"unit_id": asmt(w).u3["id"], "code": uniq("PC"), "text": "Matrix criterion"})
# pa has its setting: the allowed are told it exists (409), the others refused first
rule("POST", "/api/v1/assessment_settings", STAFF_A, ok=409,
     body=lambda w, c: {"program_id": asmt(w).setting["program_id"], "currency_months": 12})

# --- events: staff of the cohort's institution and the cohort's trainers
rule("GET", "/api/v1/assessments", STAFF_TRAINERS)
rule("POST", "/api/v1/assessments", {"region_admin", "staff_a", "trainer"}, ok=201,
     body=lambda w, c: {"cohort_id": w.ca1["id"], "unit_id": asmt(w).u1["id"], "assessor_id": w.t1["id"],
                        "date": "2026-06-03", "method": "oral_questions"})
rule("GET", "/api/v1/assessments/{id}", {"region_admin", "staff_a", "trainer"},
     target=lambda w, c: f"/api/v1/assessments/{asmt(w).event['id']}")
rule("DELETE", "/api/v1/assessments/{id}", {"region_admin", "staff_a", "trainer"}, ok=412,
     target=lambda w, c: f"/api/v1/assessments/{asmt(w).spare_event['id']}", headers=STALE)
# results recorded by the event's assessor (or staff): l1's are in, so the allowed hear 409
rule("POST", "/api/v1/assessments/{id}/results", {"region_admin", "staff_a", "trainer"}, ok=409,
     target=lambda w, c: f"/api/v1/assessments/{asmt(w).event['id']}/results",
     body=lambda w, c: {"person_id": w.l1["id"], "results": [
         dict(criterion_id=asmt(w).pc[asmt(w).u1["id"]]["id"], outcome="competent", **decl())]})
rule("GET", "/api/v1/assessment_results", LISTERS)
rule("GET", "/api/v1/assessment_results/{id}", {"region_admin", "staff_a", "trainer", "learner"},
     target=lambda w, c: f"/api/v1/assessment_results/{asmt(w).result['id']}")

# --- evidence: the learner, the cohort's trainers, the institution's staff; not region administrators
rule("POST", "/api/v1/assessments/{id}/evidence", OWN_CIRCLE, ok=201,
     target=lambda w, c: f"/api/v1/assessments/{asmt(w).event['id']}/evidence?person={w.l1['id']}&name=m.pdf",
     client=lambda w, c: PdfClient(w.c[c]))
rule("GET", "/api/v1/evidence_items", {"staff_a", "staff_b", "trainer", "other_trainer", "learner", "other_learner"})
rule("GET", "/api/v1/evidence_items/{id}", OWN_CIRCLE,
     target=lambda w, c: f"/api/v1/evidence_items/{asmt(w).item['id']}")
rule("GET", "/api/v1/evidence_items/{id}/content", OWN_CIRCLE,
     target=lambda w, c: f"/api/v1/evidence_items/{asmt(w).item['id']}/content")

# --- appeals: lodged by the learner alone, decided by staff; trainers do not see them
rule("GET", "/api/v1/assessment_appeals", {"region_admin", "staff_a", "staff_b", "learner", "other_learner"})
rule("POST", "/api/v1/assessment_appeals", {"learner"}, ok=201,
     body=lambda w, c: {"assessment_id": asmt(w).ev[asmt(w).u2["id"]]["id"], "reason": "other"})
rule("GET", "/api/v1/assessment_appeals/{id}", {"region_admin", "staff_a", "learner"},
     target=lambda w, c: f"/api/v1/assessment_appeals/{asmt(w).appeal['id']}")
rule("POST", "/api/v1/assessment_appeals/{id}/decision", STAFF_A, ok=409,    # decided already
     target=lambda w, c: f"/api/v1/assessment_appeals/{asmt(w).appeal['id']}/decision",
     body=lambda w, c: {"status": "upheld"})

# --- awards: the learner's own; staff of the institution and the trainers of the learner's cohort
for plural, attr in [("skill_awards", "skill"), ("program_awards", "program_award")]:
    target = (lambda a, p: lambda w, c: f"/api/v1/{p}/{getattr(asmt(w), a)['id']}")(attr, plural)
    rule("GET", f"/api/v1/{plural}", LISTERS)
    rule("GET", f"/api/v1/{plural}/{{id}}", {"region_admin", "staff_a", "trainer", "learner"}, target=target)
    # revocation by the awarding institution's staff: a reason not on the list is 422 for them
    rule("POST", f"/api/v1/{plural}/{{id}}/revoke", STAFF_A, ok=422,
         target=(lambda t: lambda w, c: t(w, c) + "/revoke")(target), body=lambda w, c: {"reason": "because"})
rule("GET", "/api/v1/me/awards", SIGNED_IN)

# --- agreement between markers: staff of the program's institution, trainers of its cohorts
rule("GET", "/api/v1/units_of_competency/{id}/agreement", STAFF_TRAINERS - {"staff_b"},
     target=lambda w, c: f"/api/v1/units_of_competency/{asmt(w).u1['id']}/agreement")
