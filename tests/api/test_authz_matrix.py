"""Every route x every kind of caller, against a table written here, not read
from the modules' rules (src/domain/*/module.c): the table is the test's own statement of who may do
what. A route in openapi.json that has no row here fails the test, so a new
route cannot ship without an authorization decision.

Callers (conftest.CALLERS): anonymous, a region administrator, staff of
institution A, staff of institution B, the trainer of the cohort, a trainer
of another cohort, a judge, the learner who owns the record and another
learner. The records asked about belong to institution A (conftest.World).
Allowed means "not 401/403" (and the status the realistic request should
get); denied means 401 for the anonymous caller and 403 for everyone else.
"""
import time

import pytest

from conftest import CALLERS, Client, World, assert_error, created, db_query, make_user, uniq

EVERYONE = frozenset(CALLERS)
SIGNED_IN = EVERYONE - {"anonymous"}
ADMIN = frozenset({"region_admin"})
STAFF_A = frozenset({"region_admin", "staff_a"})
SCOPED_STAFF_TRAINERS = frozenset({"region_admin", "staff_a", "staff_b", "trainer", "other_trainer"})

STALE = {"If-Match": '"999"'}   # allowed writers get 412 and nothing changes

# (method, path) -> (who is allowed, request builder). A builder takes the
# world and the caller and returns (method-independent) dict(path=, body=,
# headers=, client=, ok=): ok is the status an allowed caller must get.
EXPECT = {}


def rule(method, path, allowed, ok=200, target=None, body=None, headers=None, client=None, csv=None):
    """Declares the decision for one route. target(w, caller) gives the
    concrete path; body(w, caller) the request body; client(w, caller) a
    client other than the caller's signed-in one; csv(w, caller) a text/csv
    body instead of JSON (uploads)."""
    EXPECT[(method, path)] = dict(allowed=frozenset(allowed), ok=ok, target=target, body=body, headers=headers,
                                  client=client, csv=csv)


def fresh_session(w, caller):
    """DELETE /api/v1/session ends the session: use a new one."""
    return w.server.anon if caller == "anonymous" else w.login(caller)


# --- meta and sign-in: public ------------------------------------------------
rule("GET", "/", EVERYONE)
rule("GET", "/api/v1/health", EVERYONE)
rule("GET", "/api/v1/openapi.json", EVERYONE)
rule("GET", "/api/v1/occupations", EVERYONE)
# a sign-in attempt without a password: reachable by anyone (422), and no
# failed sign-in is counted against the client
rule("POST", "/api/v1/session", EVERYONE, ok=422, body=lambda w, c: {"username": "nobody-at-all"})

# --- what every signed-in user does for themself -----------------------------
rule("DELETE", "/api/v1/session", SIGNED_IN, ok=204, client=fresh_session)
rule("GET", "/api/v1/me", SIGNED_IN)
rule("GET", "/api/v1/me/export", SIGNED_IN)
rule("GET", "/api/v1/me/sessions", SIGNED_IN)
rule("DELETE", "/api/v1/me/sessions/{id}", SIGNED_IN, ok=404, target=lambda w, c: "/api/v1/me/sessions/999999")
rule("POST", "/api/v1/me/password", SIGNED_IN, ok=422, body=lambda w, c: {"current_password": "whatever it is"})

# --- areas: reference data every user reads; the region administrator keeps it
rule("GET", "/api/v1/areas", SIGNED_IN)
rule("POST", "/api/v1/areas", ADMIN, ok=201,
     body=lambda w, c: {"code": uniq("MX"), "name": uniq("Matrix area "), "level": "region"})
rule("GET", "/api/v1/areas/{id}", SIGNED_IN, target=lambda w, c: f"/api/v1/areas/{w.town['id']}")
rule("PATCH", "/api/v1/areas/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/areas/{w.town['id']}",
     body=lambda w, c: {"name": "renamed"}, headers=STALE)
rule("DELETE", "/api/v1/areas/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/areas/{w.town['id']}",
     headers=STALE)

# --- institutions: everyone reads; staff keep their own institution's details
rule("GET", "/api/v1/institutions", SIGNED_IN)
rule("POST", "/api/v1/institutions", ADMIN, ok=201,
     body=lambda w, c: {"name": uniq("Matrix inst "), "kind": "training_centre", "area_id": w.county["id"]})
rule("GET", "/api/v1/institutions/{id}", SIGNED_IN, target=lambda w, c: f"/api/v1/institutions/{w.A['id']}")
rule("PATCH", "/api/v1/institutions/{id}", STAFF_A, ok=412,
     target=lambda w, c: f"/api/v1/institutions/{w.A['id']}", body=lambda w, c: {"phone": "+86 1"}, headers=STALE)
rule("DELETE", "/api/v1/institutions/{id}", ADMIN, ok=412,
     target=lambda w, c: f"/api/v1/institutions/{w.A['id']}", headers=STALE)

# --- programs: everyone reads the offer; staff of A write A's programs
rule("GET", "/api/v1/programs", SIGNED_IN)
rule("POST", "/api/v1/programs", STAFF_A, ok=201,
     body=lambda w, c: {"institution_id": w.A["id"], "title": uniq("Matrix program "), "isco_code": "7512",
                        "hours": 300, "level": 1, "capacity": 20})
rule("GET", "/api/v1/programs/{id}", SIGNED_IN, target=lambda w, c: f"/api/v1/programs/{w.pa['id']}")
rule("PATCH", "/api/v1/programs/{id}", STAFF_A, ok=412, target=lambda w, c: f"/api/v1/programs/{w.pa['id']}",
     body=lambda w, c: {"hours": 700}, headers=STALE)
rule("DELETE", "/api/v1/programs/{id}", STAFF_A, ok=412, target=lambda w, c: f"/api/v1/programs/{w.pa['id']}",
     headers=STALE)

# --- cohorts: staff of the institution and the cohort's trainers; lists are
# confined to the caller's scope, so every staff member and trainer may list
rule("GET", "/api/v1/cohorts", SCOPED_STAFF_TRAINERS)
rule("POST", "/api/v1/cohorts", STAFF_A, ok=201,
     body=lambda w, c: {"program_id": w.pa["id"], "name": uniq("Matrix cohort "), "start_date": "2026-09-01",
                        "end_date": "2027-01-15", "capacity": 10})
rule("GET", "/api/v1/cohorts/{id}", {"region_admin", "staff_a", "trainer"},
     target=lambda w, c: f"/api/v1/cohorts/{w.ca1['id']}")
rule("PATCH", "/api/v1/cohorts/{id}", STAFF_A, ok=412, target=lambda w, c: f"/api/v1/cohorts/{w.ca1['id']}",
     body=lambda w, c: {"capacity": 31}, headers=STALE)
rule("DELETE", "/api/v1/cohorts/{id}", STAFF_A, ok=412, target=lambda w, c: f"/api/v1/cohorts/{w.ca1['id']}",
     headers=STALE)

# --- persons: staff of their institution, trainers of their learners, the
# learner their own record; deleting and erasing is the administrator's
rule("GET", "/api/v1/persons", SCOPED_STAFF_TRAINERS)
rule("POST", "/api/v1/persons", STAFF_A, ok=201,
     body=lambda w, c: {"given_name": uniq("Matrix person "), "institution_id": w.A["id"]})
rule("GET", "/api/v1/persons/{id}", {"region_admin", "staff_a", "trainer", "learner"},
     target=lambda w, c: f"/api/v1/persons/{w.l1['id']}")
rule("PATCH", "/api/v1/persons/{id}", {"region_admin", "staff_a", "learner"}, ok=412,
     target=lambda w, c: f"/api/v1/persons/{w.l1['id']}", body=lambda w, c: {"phone": "+86 2"}, headers=STALE)
rule("DELETE", "/api/v1/persons/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/persons/{w.l1['id']}",
     headers=STALE)
# the administrator really erases, so a person of its own (in the same place
# as the learner); everyone else asks to erase the learner
rule("POST", "/api/v1/persons/{id}/erase", ADMIN,
     target=lambda w, c: f"/api/v1/persons/{(w.erasable if c == 'region_admin' else w.l1)['id']}/erase")

# --- enrollments: staff of the cohort's institution write; the cohort's
# trainers read and record the outcome; the learner reads and withdraws
rule("GET", "/api/v1/enrollments", SCOPED_STAFF_TRAINERS | {"learner", "other_learner"})
rule("POST", "/api/v1/enrollments", STAFF_A, ok=201,
     body=lambda w, c: {"person_id": w.new_person()["id"], "cohort_id": w.ca1["id"], "consent": True})
rule("GET", "/api/v1/enrollments/{id}", {"region_admin", "staff_a", "trainer", "learner"},
     target=lambda w, c: f"/api/v1/enrollments/{w.e1['id']}")
rule("PATCH", "/api/v1/enrollments/{id}", {"region_admin", "staff_a", "trainer"}, ok=412,
     target=lambda w, c: f"/api/v1/enrollments/{w.e1['id']}", body=lambda w, c: {"status": "completed"},
     headers=STALE)
rule("DELETE", "/api/v1/enrollments/{id}", STAFF_A, ok=412,
     target=lambda w, c: f"/api/v1/enrollments/{w.e1['id']}", headers=STALE)
rule("POST", "/api/v1/enrollments/{id}/withdraw", {"region_admin", "staff_a", "learner"},
     target=lambda w, c: f"/api/v1/enrollments/{w.e1w['id']}/withdraw")

# --- accounts, tokens and the audit log: the region administrator only
rule("GET", "/api/v1/users", ADMIN)
rule("POST", "/api/v1/users", ADMIN, ok=201,
     body=lambda w, c: {"username": uniq("mx").replace("-", "."), "display_name": "Matrix user",
                        "password": "matrix users pass phrase 9"})
rule("GET", "/api/v1/users/{id}", ADMIN, target=lambda w, c: f"/api/v1/users/{w.spare_user['id']}")
rule("PATCH", "/api/v1/users/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/users/{w.spare_user['id']}",
     body=lambda w, c: {"display_name": "renamed"}, headers=STALE)
rule("DELETE", "/api/v1/users/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/users/{w.spare_user['id']}",
     headers=STALE)
rule("GET", "/api/v1/grants", ADMIN)
rule("POST", "/api/v1/grants", ADMIN, ok=201,
     body=lambda w, c: {"user_id": w.spare_user["id"], "role": "institution_staff", "institution_id": w.A["id"]})
rule("GET", "/api/v1/grants/{id}", ADMIN, target=lambda w, c: f"/api/v1/grants/{w.spare_user['grant']['id']}")
rule("DELETE", "/api/v1/grants/{id}", ADMIN, ok=412,
     target=lambda w, c: f"/api/v1/grants/{w.spare_user['grant']['id']}", headers=STALE)
rule("GET", "/api/v1/tokens", ADMIN)
rule("POST", "/api/v1/tokens", ADMIN, ok=201, body=lambda w, c: {"name": uniq("matrix "), "role": "region_admin"})
rule("DELETE", "/api/v1/tokens/{id}", ADMIN, ok=204, target=lambda w, c: f"/api/v1/tokens/{w.token_id}")
rule("GET", "/api/v1/audit", ADMIN)
rule("GET", "/api/v1/audit/verify", ADMIN)
# the administrators' account screens (docs/web.md): accounts with grants, a
# password reset (one-time, shown once), a user's sessions
rule("GET", "/api/v1/accounts", ADMIN)
rule("POST", "/api/v1/users/{id}/password_reset", ADMIN,
     target=lambda w, c: f"/api/v1/users/{w.spare_user['id']}/password_reset")
rule("GET", "/api/v1/users/{id}/sessions", ADMIN, target=lambda w, c: f"/api/v1/users/{w.spare_user['id']}/sessions")
rule("DELETE", "/api/v1/users/{id}/sessions/{id}", ADMIN, ok=404,
     target=lambda w, c: f"/api/v1/users/{w.spare_user['id']}/sessions/999999")

# --- exports: the whole list as a file, with the list's access rule and scope
# (what each caller's export holds: tests/api/test_exports.py)
rule("GET", "/api/v1/persons/export", SCOPED_STAFF_TRAINERS)
rule("GET", "/api/v1/enrollments/export", SCOPED_STAFF_TRAINERS | {"learner", "other_learner"})
rule("GET", "/api/v1/programs/export", SIGNED_IN)
rule("GET", "/api/v1/cohorts/export", SCOPED_STAFF_TRAINERS)

# --- background imports: region administrators, and staff into their own
# institution (what such an import may touch: tests/api/test_imports.py);
# staff see the imports confined to their institution (the world's is A's)
rule("POST", "/api/v1/imports", ADMIN | {"staff_a", "staff_b"}, ok=202,
     target=lambda w, c: "/api/v1/imports?kind=persons",
     csv=lambda w, c: w.imports_idle() + f"sourced_id,given_name\n{uniq('MXI')},Matrix import\n")
rule("GET", "/api/v1/imports", ADMIN | {"staff_a", "staff_b"})
rule("GET", "/api/v1/imports/{id}", STAFF_A, target=lambda w, c: f"/api/v1/imports/{w.import_id}")


# --- competitions: the administrator sets up; institutions enter their own
# learners; judges mark in their categories; the chief judge locks and corrects
JUDGE = frozenset({"judge"})
ADMIN_CHIEF = frozenset({"region_admin", "judge"})
rule("GET", "/api/v1/editions", SIGNED_IN)
rule("POST", "/api/v1/editions", ADMIN, ok=201, body=lambda w, c: w.edition_body())
rule("GET", "/api/v1/editions/{id}", SIGNED_IN, target=lambda w, c: f"/api/v1/editions/{w.ed['id']}")
rule("PATCH", "/api/v1/editions/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/editions/{w.ed['id']}",
     body=lambda w, c: {"name": "renamed"}, headers=STALE)
rule("DELETE", "/api/v1/editions/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/editions/{w.ed['id']}",
     headers=STALE)
rule("POST", "/api/v1/editions/{id}/transition", ADMIN, ok=409,
     target=lambda w, c: f"/api/v1/editions/{w.ed['id']}/transition", body=lambda w, c: {"to": "published"})
# provisional results (the edition is in marking): the region and the judges
rule("GET", "/api/v1/editions/{id}/results", {"region_admin", "judge"},
     target=lambda w, c: f"/api/v1/editions/{w.ed['id']}/results")
rule("GET", "/api/v1/public/editions/{id}/results", EVERYONE, ok=404,
     target=lambda w, c: f"/api/v1/public/editions/{w.ed['id']}/results")
rule("GET", "/api/v1/public/editions", EVERYONE)
rule("GET", "/api/v1/competitions/stats", SIGNED_IN)
# the dashboard's figures: the region's for administrators, their own institution's for staff
rule("GET", "/api/v1/stats/overview", {"region_admin", "staff_a", "staff_b"})
rule("GET", "/api/v1/categories", SIGNED_IN)
rule("POST", "/api/v1/categories", ADMIN, ok=201,
     body=lambda w, c: {"edition_id": w.draft["id"], "name": uniq("Matrix skill "), "isco_code": "7512"})
rule("GET", "/api/v1/categories/{id}", SIGNED_IN, target=lambda w, c: f"/api/v1/categories/{w.cat['id']}")
rule("PATCH", "/api/v1/categories/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/categories/{w.cat['id']}",
     body=lambda w, c: {"name": "renamed"}, headers=STALE)
rule("DELETE", "/api/v1/categories/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/categories/{w.cat['id']}",
     headers=STALE)
rule("POST", "/api/v1/categories/{id}/lock", ADMIN_CHIEF, ok=409,
     target=lambda w, c: f"/api/v1/categories/{w.cat['id']}/lock")
rule("GET", "/api/v1/categories/{id}/review", ADMIN_CHIEF, target=lambda w, c: f"/api/v1/categories/{w.cat['id']}/review")
rule("GET", "/api/v1/categories/{id}/marks", ADMIN_CHIEF, target=lambda w, c: f"/api/v1/categories/{w.cat['id']}/marks")
rule("GET", "/api/v1/criteria", SIGNED_IN)
rule("POST", "/api/v1/criteria", ADMIN, ok=201,
     body=lambda w, c: {"category_id": w.draft_cat["id"], "code": "Z", "name": "Matrix criterion", "weight": 10})
rule("GET", "/api/v1/criteria/{id}", SIGNED_IN, target=lambda w, c: f"/api/v1/criteria/{w.crit['id']}")
rule("PATCH", "/api/v1/criteria/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/criteria/{w.crit['id']}",
     body=lambda w, c: {"name": "renamed"}, headers=STALE)
rule("DELETE", "/api/v1/criteria/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/criteria/{w.crit['id']}",
     headers=STALE)
rule("GET", "/api/v1/aspects", SIGNED_IN)
rule("POST", "/api/v1/aspects", ADMIN, ok=201,
     body=lambda w, c: {"criterion_id": w.draft_crit["id"], "code": uniq("Z"), "description": "Matrix aspect",
                        "kind": "measurement", "max_mark": 1})
rule("GET", "/api/v1/aspects/{id}", SIGNED_IN, target=lambda w, c: f"/api/v1/aspects/{w.a1['id']}")
rule("PATCH", "/api/v1/aspects/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/aspects/{w.a1['id']}",
     body=lambda w, c: {"description": "renamed"}, headers=STALE)
rule("DELETE", "/api/v1/aspects/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/aspects/{w.a1['id']}",
     headers=STALE)
rule("GET", "/api/v1/competitors", SIGNED_IN)
rule("POST", "/api/v1/competitors", STAFF_A, ok=409,    # the edition is past registration
     body=lambda w, c: {"category_id": w.cat["id"], "person_id": w.l2["id"], "institution_id": w.A["id"],
                        "consent": True})
rule("GET", "/api/v1/competitors/{id}", SIGNED_IN, target=lambda w, c: f"/api/v1/competitors/{w.comp1['id']}")
rule("DELETE", "/api/v1/competitors/{id}", ADMIN, ok=412,
     target=lambda w, c: f"/api/v1/competitors/{w.comp1['id']}", headers=STALE)
rule("POST", "/api/v1/competitors/{id}/withdraw", STAFF_A, ok=409,
     target=lambda w, c: f"/api/v1/competitors/{w.comp1['id']}/withdraw")
rule("GET", "/api/v1/judges", SIGNED_IN)
rule("POST", "/api/v1/judges", ADMIN, ok=201,          # a judge added during marking (a new person each time)
     body=lambda w, c: {"category_id": w.cat["id"], "person_id": w.make.person()["id"]})
rule("GET", "/api/v1/judges/{id}", SIGNED_IN, target=lambda w, c: f"/api/v1/judges/{w.jchief['id']}")
rule("PATCH", "/api/v1/judges/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/judges/{w.jchief['id']}",
     body=lambda w, c: {"chief": True}, headers=STALE)
rule("DELETE", "/api/v1/judges/{id}", ADMIN, ok=412, target=lambda w, c: f"/api/v1/judges/{w.jchief['id']}",
     headers=STALE)
rule("GET", "/api/v1/marks", ADMIN_CHIEF)
# only a judge's own account enters marks (the administrator has no person to mark as)
rule("POST", "/api/v1/marks", JUDGE, ok=201,
     body=lambda w, c: {"competitor_id": w.comp1["id"], "aspect_id": w.a2["id"], "value": 2})
rule("GET", "/api/v1/marks/{id}", ADMIN_CHIEF, target=lambda w, c: f"/api/v1/marks/{w.m1['id']}")
rule("PATCH", "/api/v1/marks/{id}", ADMIN_CHIEF, ok=412, target=lambda w, c: f"/api/v1/marks/{w.m1['id']}",
     body=lambda w, c: {"value": 0}, headers=STALE)
rule("POST", "/api/v1/marks/{id}/correction", ADMIN_CHIEF, ok=409,   # not locked yet
     target=lambda w, c: f"/api/v1/marks/{w.m1['id']}/correction", body=lambda w, c: {"value": 0, "reason": "entry_error"})

import matrix_attendance  # noqa: E402,F401  (training: sessions and attendance, its rows)
import matrix_assessment  # noqa: E402,F401  (the training module's assessment rows)
import matrix_bulkcomp  # noqa: E402,F401  (competitions: the bulk routes, their rows)


class MatrixWorld(World):
    def __init__(self, server):
        super().__init__(server)
        self.erasable = self.make.person(given_name=uniq("Erasable"), institution_id=self.A["id"])
        self.make.enrollment(self.erasable, self.ca1)
        self.spare_user = make_user(self.api, uniq("spare").replace("-", "."), "judge", person=self.j)
        r = self.api.post("/api/v1/tokens", {"name": uniq("doomed "), "role": "region_admin"})
        assert r.status == 201, r
        self.token_id = r.json["id"]
        r = self.api.request("POST", f"/api/v1/imports?kind=persons&institution={self.A['id']}",
                             raw=f"sourced_id,given_name\n{uniq('MXW')},W\n", content_type="text/csv")
        assert r.status == 202, r
        self.import_id = r.json["id"]

        self.competition()

    def imports_idle(self):
        """Waits until no import is queued or running (SQLite refuses an
        upload while one is being written); returns ''."""
        deadline = time.time() + 60
        while db_query(self.server, "SELECT count(*) FROM imports WHERE status IN ('queued', 'running')")[0][0]:
            assert time.time() < deadline, "an import is still running"
            time.sleep(0.02)
        return ""

    def edition_body(self):
        return {"year": 2026, "name": uniq("Matrix edition "), "area_id": self.region["id"],
                "start_date": "2026-10-01", "end_date": "2026-10-03"}

    def competition(self):
        """Edition ed in marking: category cat (criterion crit: a1 measurement
        50, a2 judgement 50), judges j (chief, of institution B) and two more,
        competitor comp1 (l1, entered by A), mark m1 by j. Also a draft
        edition with a category and criterion to write schemes into."""
        api, ok = self.api, created
        self.ed = ok(api.post("/api/v1/editions", self.edition_body()))
        self.cat = ok(api.post("/api/v1/categories", {"edition_id": self.ed["id"], "name": uniq("Pastry "),
                                                      "isco_code": "7512"}))
        self.crit = ok(api.post("/api/v1/criteria", {"category_id": self.cat["id"], "code": "A", "name": "All",
                                                     "weight": 100}))
        self.a1 = ok(api.post("/api/v1/aspects", {"criterion_id": self.crit["id"], "code": "A1", "description": "m",
                                                  "kind": "measurement", "max_mark": 50}))
        self.a2 = ok(api.post("/api/v1/aspects", {"criterion_id": self.crit["id"], "code": "A2", "description": "j",
                                                  "kind": "judgement", "max_mark": 50,
                                                  "descriptors": ["none", "some", "good", "excellent"]}))
        self.jchief = ok(api.post("/api/v1/judges", {"category_id": self.cat["id"], "person_id": self.j["id"],
                                                     "institution_id": self.B["id"], "chief": True}))
        for _ in range(2):
            p = self.make.person(given_name=uniq("Judge-"))
            ok(api.post("/api/v1/judges", {"category_id": self.cat["id"], "person_id": p["id"]}))
        t = api.post(f"/api/v1/editions/{self.ed['id']}/transition", {"to": "registration"})
        assert t.status == 200, t
        self.comp1 = ok(api.post("/api/v1/competitors", {"category_id": self.cat["id"], "person_id": self.l1["id"],
                                                         "institution_id": self.A["id"], "consent": True}))
        t = api.post(f"/api/v1/editions/{self.ed['id']}/transition", {"to": "marking"})
        assert t.status == 200, t
        self.m1 = ok(self.c["judge"].post("/api/v1/marks", {"competitor_id": self.comp1["id"],
                                                            "aspect_id": self.a1["id"], "value": 50}))
        self.draft = ok(api.post("/api/v1/editions", self.edition_body()))
        self.draft_cat = ok(api.post("/api/v1/categories", {"edition_id": self.draft["id"], "name": uniq("Weld "),
                                                            "isco_code": "7212"}))
        self.draft_crit = ok(api.post("/api/v1/criteria", {"category_id": self.draft_cat["id"], "code": "A",
                                                           "name": "All", "weight": 100}))

    def new_person(self):
        return self.make.person(given_name=uniq("Enrolee"), institution_id=self.A["id"])


@pytest.fixture(scope="module")
def w(server):
    return MatrixWorld(server)


def documented_routes(api):
    doc = api.get("/api/v1/openapi.json").json
    return {(m.upper(), path) for path, item in doc["paths"].items() for m in item}


def test_every_documented_route_has_an_authorization_decision(api):
    documented = documented_routes(api)
    missing = sorted(documented - set(EXPECT))
    assert not missing, f"routes in openapi.json with no row in this test's access table: {missing}"
    stale = sorted(set(EXPECT) - documented)
    assert not stale, f"rows of the access table for routes openapi.json no longer has: {stale}"


def send(w, method, path, caller):
    spec = EXPECT[(method, path)]
    client = spec["client"](w, caller) if spec["client"] else w.c[caller]
    target = spec["target"](w, caller) if spec["target"] else path
    body = spec["body"](w, caller) if spec["body"] else None
    if spec["csv"]:
        return client.request(method, target, raw=spec["csv"](w, caller), headers=dict(spec["headers"] or {}),
                              content_type="text/csv")
    return client.request(method, target, body=body, headers=dict(spec["headers"] or {}))


# One test per route (so a failure names the route); the whole row of callers
# is checked, and every wrong decision in it reported together.
@pytest.mark.parametrize("method,path", sorted(EXPECT), ids=[f"{m} {p}" for m, p in sorted(EXPECT)])
def test_access(w, method, path):
    spec = EXPECT[(method, path)]
    wrong = []
    for caller in CALLERS:
        r = send(w, method, path, caller)
        if caller in spec["allowed"]:
            if r.status != spec["ok"]:
                wrong.append(f"{caller}: allowed, expected {spec['ok']}, got {r.status} {r.body[:160]}")
        else:
            status, code = (401, "unauthorized") if caller == "anonymous" else (403, "forbidden")
            if r.status != status:
                wrong.append(f"{caller}: denied, expected {status}, got {r.status} {r.body[:160]}")
            else:
                assert_error(r, status, code)
    assert not wrong, f"{method} {path}:\n  " + "\n  ".join(wrong)


# ---------------------------------------------------------------------------
# Lists are confined to the caller's scope.

def ids(r):
    assert r.status == 200, r
    assert r.json["total"] == len(r.json["items"]), "total must count only what the caller may see"
    return {x["id"] for x in r.json["items"]}


def all_ids(api, path):
    r = api.get(path + ("&" if "?" in path else "?") + "limit=500")
    assert r.status == 200, r
    return {x["id"] for x in r.json["items"]}


def test_staff_lists_only_their_institution(w):
    admin = w.api
    a_cohorts = all_ids(admin, f"/api/v1/cohorts?institution={w.A['id']}")
    a_enrollments = all_ids(admin, f"/api/v1/enrollments?institution={w.A['id']}")
    a_persons = all_ids(admin, f"/api/v1/persons?institution={w.A['id']}")
    staff = w.c["staff_a"]
    got = ids(staff.get("/api/v1/cohorts?limit=500"))
    assert got == a_cohorts and {w.ca1["id"], w.ca2["id"], w.ca3["id"]} <= got and w.cb["id"] not in got
    got = ids(staff.get("/api/v1/enrollments?limit=500"))
    assert got == a_enrollments and {w.e1["id"], w.e2["id"]} <= got and w.eb["id"] not in got
    got = ids(staff.get("/api/v1/persons?limit=500"))
    assert got == a_persons and {w.l1["id"], w.l2["id"], w.t1["id"]} <= got
    assert w.lb["id"] not in got and w.j["id"] not in got
    # naming their own institution is fine; naming another is refused
    assert ids(staff.get(f"/api/v1/persons?institution={w.A['id']}&limit=500")) == a_persons
    for c in ["persons", "cohorts", "enrollments"]:
        assert_error(staff.get(f"/api/v1/{c}?institution={w.B['id']}"), 403, "forbidden", field="institution")
    # and staff of B see B's
    staff_b = w.c["staff_b"]
    assert ids(staff_b.get("/api/v1/cohorts")) == {w.cb["id"]}
    assert ids(staff_b.get("/api/v1/enrollments")) == {w.eb["id"]}
    b_persons = all_ids(admin, f"/api/v1/persons?institution={w.B['id']}")   # lb, and what B's staff imported
    assert ids(staff_b.get("/api/v1/persons?limit=500")) == b_persons and w.lb["id"] in b_persons
    assert not b_persons & a_persons
    # a filter naming a record outside the scope is refused, not intersected
    # (intersecting told B's staff which of their people are in A's cohort)
    for c in ["persons", "enrollments"]:
        assert_error(staff_b.get(f"/api/v1/{c}?cohort={w.ca1['id']}"), 403, "forbidden", field="cohort")
        assert_error(staff_b.get(f"/api/v1/{c}/export?cohort={w.ca1['id']}"), 403, "forbidden", field="cohort")


def test_trainer_lists_only_their_cohorts(w):
    t = w.c["trainer"]
    assert ids(t.get("/api/v1/cohorts")) == {w.ca1["id"], w.ca3["id"]} | ids(
        w.api.get(f"/api/v1/cohorts?trainer={w.t1['id']}&limit=500"))
    enr = ids(t.get("/api/v1/enrollments?limit=500"))
    assert {w.e1["id"], w.e1w["id"]} <= enr and w.e2["id"] not in enr and w.eb["id"] not in enr
    assert enr == ids(w.api.get(f"/api/v1/enrollments?trainer={w.t1['id']}&limit=500"))
    assert w.l1["id"] in ids(t.get("/api/v1/persons?limit=500"))
    assert w.l2["id"] not in ids(t.get("/api/v1/persons?limit=500"))
    assert_error(t.get(f"/api/v1/enrollments?cohort={w.ca2['id']}"), 403, "forbidden", field="cohort")
    assert ids(t.get(f"/api/v1/enrollments?cohort={w.ca1['id']}")) <= enr
    for c in ["persons", "cohorts", "enrollments"]:
        assert_error(t.get(f"/api/v1/{c}?trainer={w.t2['id']}"), 403, "forbidden", field="trainer")
    ot = w.c["other_trainer"]
    assert ids(ot.get("/api/v1/cohorts")) == {w.ca2["id"]}
    assert ids(ot.get("/api/v1/enrollments")) == {w.e2["id"]}
    assert ids(ot.get("/api/v1/persons")) == {w.l2["id"]}


def test_learner_lists_only_their_own_enrollments(w):
    lr = w.c["learner"]
    assert ids(lr.get("/api/v1/enrollments")) == {w.e1["id"], w.e1w["id"]}
    assert ids(lr.get(f"/api/v1/enrollments?person={w.l1['id']}")) == {w.e1["id"], w.e1w["id"]}
    assert_error(lr.get(f"/api/v1/enrollments?cohort={w.ca2['id']}"), 403, "forbidden", field="cohort")
    assert_error(lr.get(f"/api/v1/enrollments?person={w.l2['id']}"), 403, "forbidden", field="person")
    assert ids(w.c["other_learner"].get("/api/v1/enrollments")) == {w.e2["id"]}
    # the judge has no enrollments to see
    assert_error(w.c["judge"].get("/api/v1/enrollments"), 403, "forbidden")


def test_denied_record_and_missing_record_differ_only_for_the_allowed(w):
    """A denied caller gets 403 for a record that exists; an allowed caller
    gets 404 for one that does not (not a leak: staff cannot tell A's
    records from non-existent ones by a different answer than 403)."""
    assert_error(w.c["staff_b"].get(f"/api/v1/persons/{w.l1['id']}"), 403, "forbidden")
    assert_error(w.c["staff_a"].get("/api/v1/persons/99999999"), 404, "not_found")


# ---------------------------------------------------------------------------
# Writes that the row above allows only in part.

def test_staff_cannot_create_in_another_institution(w):
    sb = w.c["staff_b"]
    with_nothing = w.api.get("/api/v1/programs?limit=1").json["total"]
    assert_error(sb.post("/api/v1/programs", {"institution_id": w.A["id"], "title": "x", "isco_code": "7512",
                                              "hours": 1, "level": 1, "capacity": 1}), 403, "forbidden")
    assert_error(sb.post("/api/v1/cohorts", {"program_id": w.pa["id"], "name": "x", "start_date": "2026-01-01",
                                             "end_date": "2026-02-01", "capacity": 1}), 403, "forbidden")
    assert_error(sb.post("/api/v1/enrollments", {"person_id": w.lb["id"], "cohort_id": w.ca1["id"],
                                                 "consent": True}), 403, "forbidden")
    assert_error(sb.post("/api/v1/persons", {"given_name": "x", "institution_id": w.A["id"]}), 403, "forbidden")
    assert w.api.get("/api/v1/programs?limit=1").json["total"] == with_nothing
    # without an institution, a staff member's new person is registered to theirs
    p = created(sb.post("/api/v1/persons", {"given_name": uniq("Registered by B ")}))
    assert p["institution_id"] == w.B["id"]
    prog = created(sb.post("/api/v1/programs", {"title": uniq("B program "), "isco_code": "7512", "hours": 10,
                                                "level": 1, "capacity": 5}))
    assert prog["institution_id"] == w.B["id"]


def test_trainer_records_completion(w):
    e = w.make.enrollment(w.new_person(), w.ca1, status="enrolled")
    r = w.c["trainer"].patch(f"/api/v1/enrollments/{e['id']}", {"status": "completed"}, etag='"1"')
    assert r.status == 200 and r.json["status"] == "completed", r
    e = w.make.enrollment(w.new_person(), w.ca2, status="enrolled")
    assert_error(w.c["trainer"].patch(f"/api/v1/enrollments/{e['id']}", {"status": "completed"}, etag='"1"'),
                 403, "forbidden")


def test_trainer_cannot_withdraw_a_learner_through_patch(w):
    """Withdrawal is the learner's (or their institution's): the withdraw
    route refuses trainers, and PATCH status=withdrawn must not be a way
    round it (trainers record completion: completed / not_completed)."""
    e = w.make.enrollment(w.new_person(), w.ca1, status="enrolled")
    assert_error(w.c["trainer"].post(f"/api/v1/enrollments/{e['id']}/withdraw"), 403, "forbidden")
    r = w.c["trainer"].patch(f"/api/v1/enrollments/{e['id']}", {"status": "withdrawn", "withdrawal_reason": "other"},
                             etag='"1"')
    assert r.status == 403, f"a trainer withdrew a learner through PATCH: {r}"
    assert w.api.get(f"/api/v1/enrollments/{e['id']}").json["status"] == "enrolled"


def test_trainer_cannot_admit_an_applicant(w):
    """Admission (applied -> enrolled) is the institution's decision, not
    the trainer's: trainers record completion only."""
    e = w.make.enrollment(w.new_person(), w.ca1)
    r = w.c["trainer"].patch(f"/api/v1/enrollments/{e['id']}", {"status": "enrolled"}, etag='"1"')
    assert r.status == 403, f"a trainer admitted an applicant through PATCH: {r}"
    assert w.api.get(f"/api/v1/enrollments/{e['id']}").json["status"] == "applied"


def test_revoked_grant_takes_effect_on_an_open_session(w, server):
    name = uniq("temp.staff")
    u = make_user(w.api, name, "institution_staff", institution=w.A)
    c = w.server.anon.login(name, __import__("conftest").user_password(name))
    assert c.get("/api/v1/cohorts").status == 200
    r = w.api.delete(f"/api/v1/grants/{u['grant']['id']}")
    assert r.status == 204, r
    assert_error(c.get("/api/v1/cohorts"), 403, "forbidden")
    assert c.get("/api/v1/me").json["roles"] == []


# ---------------------------------------------------------------------------
# Creating or changing a record never widens what its author may see of
# another record.

def test_staff_cannot_take_in_a_person_their_institution_does_not_hold(w):
    """A person no institution registered and none enrolled (here a judge,
    like every trainer and judge) was "open": one enrollment made them
    readable and writable by any institution's staff, with a consent the
    person never gave. Enrolling a person the institution does not hold
    needs the person's own application."""
    sb = w.c["staff_b"]
    before = w.api.get(f"/api/v1/enrollments?person={w.j['id']}").json["total"]
    assert_error(sb.post("/api/v1/enrollments", {"person_id": w.j["id"], "cohort_id": w.cb["id"], "consent": True}),
                 403, "forbidden", field="person_id")
    assert w.api.get(f"/api/v1/enrollments?person={w.j['id']}").json["total"] == before
    assert_error(sb.get(f"/api/v1/persons/{w.j['id']}"), 403, "forbidden")
    assert_error(sb.patch(f"/api/v1/persons/{w.j['id']}", {"phone": "+86 9"}, etag='"1"'), 403, "forbidden")


def test_a_learner_applies_themself(w):
    """The person's own application: a learner may ask for a place in a
    cohort (status applied, their own consent), for themself only; the
    institution then holds them and its staff decide."""
    p = w.make.person(given_name=uniq("Applicant"))
    name = uniq("applicant").replace("-", ".")
    make_user(w.api, name, "learner", person=p)
    me = w.server.anon.login(name, __import__("conftest").user_password(name))
    assert_error(me.post("/api/v1/enrollments", {"person_id": p["id"], "cohort_id": w.cb["id"], "consent": True,
                                                 "status": "enrolled"}), 403, "forbidden", field="status")
    assert_error(me.post("/api/v1/enrollments", {"person_id": w.l2["id"], "cohort_id": w.cb["id"], "consent": True}),
                 403, "forbidden", field="person_id")
    e = created(me.post("/api/v1/enrollments", {"person_id": p["id"], "cohort_id": w.cb["id"], "consent": True}))
    assert e["status"] == "applied" and e["consent_by"] == f"user:{name}"
    assert w.c["staff_b"].get(f"/api/v1/persons/{p['id']}").status == 200   # B holds the applicant now
    r = w.c["staff_b"].patch(f"/api/v1/enrollments/{e['id']}", {"status": "enrolled"}, etag='"1"')
    assert r.status == 200 and r.json["status"] == "enrolled", r


def test_staff_cannot_move_a_person_to_another_institution(w):
    """A change of scope is checked against the old scope and the new."""
    p = w.make.person(given_name=uniq("Stays in A "), institution_id=w.A["id"])
    assert_error(w.c["staff_a"].patch(f"/api/v1/persons/{p['id']}", {"institution_id": w.B["id"]}, etag='"1"'),
                 403, "forbidden", field="institution_id")
    assert w.api.get(f"/api/v1/persons/{p['id']}").json["institution_id"] == w.A["id"]
    r = w.c["staff_a"].patch(f"/api/v1/persons/{p['id']}", {"phone": "+86 3"}, etag='"1"')
    assert r.status == 200, r
    r = w.api.patch(f"/api/v1/persons/{p['id']}", {"institution_id": w.B["id"]}, etag='"2"')
    assert r.status == 200 and r.json["institution_id"] == w.B["id"], r


def test_provisional_results_are_for_the_region_and_the_categorys_judges(w):
    """Until an edition is published its results are provisional: region
    administrators see them all, a judge the categories they judge (and the
    institution table over those), everyone else is refused."""
    ed = created(w.api.post("/api/v1/editions", w.edition_body()))
    cats = [created(w.api.post("/api/v1/categories", {"edition_id": ed["id"], "name": uniq(n), "isco_code": "7512"}))
            for n in ("Welding ", "Baking ")]
    p = w.make.person(given_name=uniq("Judge of one "))
    name = uniq("onejudge").replace("-", ".")
    make_user(w.api, name, "judge", person=p)
    created(w.api.post("/api/v1/judges", {"category_id": cats[0]["id"], "person_id": p["id"]}))
    judge = w.server.anon.login(name, __import__("conftest").user_password(name))
    path = f"/api/v1/editions/{ed['id']}/results"
    got = judge.get(path)
    assert got.status == 200, got
    assert [c["category_id"] for c in got.json["categories"]] == [cats[0]["id"]]
    assert {c["category_id"] for c in w.api.get(path).json["categories"]} == {c["id"] for c in cats}
    for caller in ["staff_a", "trainer", "learner", "judge"]:   # the world's judge judges none of these
        assert_error(w.c[caller].get(path), 403, "forbidden")
