"""The authorization matrix's rows for training sessions and attendance
(imported by test_authz_matrix.py, whose rule() it calls): every route x
every caller. The world's records are set up on first use (att(w)): a
session of cohort ca1 (trained by t1, the matrix's trainer; learner l1
enrolled) on a day within ca1's term, long past, with l1 marked present;
a status and a threshold of institution A. ca1's term is over, so the
check-in code and the check-in answer 409 to those allowed (outside the
session's time): the decision is what is tested here; the check-in itself
is tests/api/test_training_attendance.py's."""
from conftest import created, uniq
from test_authz_matrix import EVERYONE, STALE, rule

SIGNED_IN = EVERYONE - {"anonymous"}
ADMIN = {"region_admin"}
TAKERS = {"region_admin", "staff_a", "trainer"}                      # staff of A, ca1's trainer
SCOPED = {"region_admin", "staff_a", "staff_b", "trainer", "other_trainer", "learner", "other_learner"}
STATUS_WRITERS = {"region_admin", "staff_a"}


class AttWorld:
    def __init__(self, w):
        api = w.api
        self.session = created(api.post("/api/v1/training_sessions", {
            "cohort_id": w.ca1["id"], "date": w.ca1["start_date"], "start_time": "09:00", "end_time": "12:00",
            "topic": "Matrix session"}))
        r = api.post(f"/api/v1/training_sessions/{self.session['id']}/attendance",
                     {"marks": [{"person_id": w.l1["id"], "status": "present"}]})
        assert r.status == 200, r
        self.mark = api.get(f"/api/v1/attendance_marks?session={self.session['id']}").json["items"][0]
        self.status = created(api.post("/api/v1/attendance_statuses", {
            "institution_id": w.A["id"], "code": uniq("mx").replace("-", "_"), "label_key": "attendance.matrix",
            "weight": 30}))
        self.threshold = created(api.post("/api/v1/attendance_thresholds", {"program_id": w.pa["id"], "percent": 75}))
        # a learner of ca1 who stays enrolled (other rows complete l1's enrollment): the marking row marks them
        self.marked = w.new_person()
        w.make.enrollment(self.marked, w.ca1, status="enrolled")


def att(w):
    if not hasattr(w, "att_world"):
        w.att_world = AttWorld(w)
    return w.att_world


def with_world(path):
    """A target that sets the world up first (for list routes that name no record of it)."""
    return lambda w, c: att(w) and path


def sess(w, c, tail=""):
    return f"/api/v1/training_sessions/{att(w).session['id']}{tail}"


def session_body(w, c):
    return {"cohort_id": w.ca1["id"], "date": w.ca1["start_date"], "start_time": "13:00", "end_time": "15:00",
            "topic": uniq("Matrix topic ")}


def status_body(w, c):
    body = {"code": uniq("mx").replace("-", "_"), "label_key": "attendance.matrix", "weight": 10}
    if c != "staff_b":   # staff of B: their own institution (filled in); everyone else names A
        body["institution_id"] = w.A["id"]
    return body


# --- sessions: the cohort's institution's staff and its trainers write; its learners read
rule("GET", "/api/v1/training_sessions", SCOPED, target=with_world("/api/v1/training_sessions"))
rule("POST", "/api/v1/training_sessions", TAKERS, ok=201, body=session_body)
rule("GET", "/api/v1/training_sessions/{id}", TAKERS | {"learner"}, target=sess)
rule("PATCH", "/api/v1/training_sessions/{id}", TAKERS, ok=412, target=sess, body=lambda w, c: {"topic": "renamed"},
     headers=STALE)
rule("DELETE", "/api/v1/training_sessions/{id}", TAKERS, ok=412, target=sess, headers=STALE)
rule("GET", "/api/v1/training_sessions/export", SCOPED)
# --- taking attendance, the roster and the check-in code: staff of A and ca1's trainer
rule("GET", "/api/v1/training_sessions/{id}/attendance", TAKERS, target=lambda w, c: sess(w, c, "/attendance"))
rule("POST", "/api/v1/training_sessions/{id}/attendance", TAKERS, target=lambda w, c: sess(w, c, "/attendance"),
     body=lambda w, c: {"marks": [{"person_id": att(w).marked["id"], "status": "present"}]})
rule("GET", "/api/v1/training_sessions/{id}/check_in_code", TAKERS, ok=409,
     target=lambda w, c: sess(w, c, "/check_in_code"))
# --- checking in: the session's learners, from their own account
rule("POST", "/api/v1/training_sessions/{id}/check_in", {"learner"}, ok=409,
     target=lambda w, c: sess(w, c, "/check_in"), body=lambda w, c: {"code": "000000"})
# --- rates and the support list of a cohort: staff of A and its trainer; a learner's own: learners
rule("GET", "/api/v1/cohorts/{id}/attendance", TAKERS, target=lambda w, c: f"/api/v1/cohorts/{w.ca1['id']}/attendance")
rule("GET", "/api/v1/cohorts/{id}/support_list", TAKERS,
     target=lambda w, c: f"/api/v1/cohorts/{w.ca1['id']}/support_list")
rule("GET", "/api/v1/me/attendance", {"learner", "other_learner"})
# --- marks: read within each caller's scope (lists confined)
rule("GET", "/api/v1/attendance_marks", SCOPED, target=with_world("/api/v1/attendance_marks"))
rule("GET", "/api/v1/attendance_marks/{id}", TAKERS | {"learner"},
     target=lambda w, c: f"/api/v1/attendance_marks/{att(w).mark['id']}")
# --- statuses: everyone reads; region administrators and staff (their own institution's) write
rule("GET", "/api/v1/attendance_statuses", SIGNED_IN)
rule("POST", "/api/v1/attendance_statuses", STATUS_WRITERS | {"staff_b"}, ok=201, body=status_body)
rule("GET", "/api/v1/attendance_statuses/{id}", SIGNED_IN,
     target=lambda w, c: f"/api/v1/attendance_statuses/{att(w).status['id']}")
rule("PATCH", "/api/v1/attendance_statuses/{id}", STATUS_WRITERS, ok=412,
     target=lambda w, c: f"/api/v1/attendance_statuses/{att(w).status['id']}", body=lambda w, c: {"weight": 20},
     headers=STALE)
rule("DELETE", "/api/v1/attendance_statuses/{id}", STATUS_WRITERS, ok=412,
     target=lambda w, c: f"/api/v1/attendance_statuses/{att(w).status['id']}", headers=STALE)
# --- thresholds: everyone reads; staff of the program's institution write (a new program each time)
rule("GET", "/api/v1/attendance_thresholds", SIGNED_IN)
rule("POST", "/api/v1/attendance_thresholds", STATUS_WRITERS, ok=201,
     body=lambda w, c: {"program_id": w.make.program(w.A)["id"], "percent": 70})
rule("GET", "/api/v1/attendance_thresholds/{id}", SIGNED_IN,
     target=lambda w, c: f"/api/v1/attendance_thresholds/{att(w).threshold['id']}")
rule("PATCH", "/api/v1/attendance_thresholds/{id}", STATUS_WRITERS, ok=412,
     target=lambda w, c: f"/api/v1/attendance_thresholds/{att(w).threshold['id']}", body=lambda w, c: {"percent": 60},
     headers=STALE)
rule("DELETE", "/api/v1/attendance_thresholds/{id}", STATUS_WRITERS, ok=412,
     target=lambda w, c: f"/api/v1/attendance_thresholds/{att(w).threshold['id']}", headers=STALE)
