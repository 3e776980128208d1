"""Enrollment rules: voluntary (consent), status transitions, capacity at
'enrolled', withdrawal (always allowed, no If-Match, idempotent, 409 once
ended) and multi-skill learning."""
import pytest

from conftest import assert_error, nothing_changes


def epath(e):
    return f"/api/v1/enrollments/{e['id']}"


def set_status(api, e, status, **kw):
    cur = api.get(epath(e))
    body = {"status": status}
    body.update(kw)
    return api.patch(epath(e), body, etag=cur.header("ETag"))


def test_consent_recorded(api, make):
    e = make.enrollment()
    assert e["status"] == "applied"
    assert e["consent_at"] and e["consent_at"].endswith("Z")
    assert e["consent_by"]
    assert e["status_at"] == e["consent_at"]
    assert e["withdrawn_at"] is None and e["withdrawal_reason"] is None
    assert "consent" not in e


def test_consent_required(api, make):
    p, c = make.person(), make.cohort()
    for body in [{}, {"consent": False}, {"consent": None}, {"consent": 1}, {"consent": "true"}]:
        b = {"person_id": p["id"], "cohort_id": c["id"], **body}
        with nothing_changes(api):
            assert_error(api.post("/api/v1/enrollments", b), 422, "validation", field="consent")
    assert api.get(f"/api/v1/enrollments?person={p['id']}").json["total"] == 0


def test_consent_cannot_be_patched(api, make):
    e = make.enrollment()
    with nothing_changes(api, epath(e)):
        assert_error(api.patch(epath(e), {"consent": False}, etag='"1"'), 422, "validation", field="consent")
        assert_error(api.patch(epath(e), {"consent": True}, etag='"1"'), 422, "validation", field="consent")


def test_new_enrollment_status(api, make):
    c = make.cohort()
    assert make.enrollment(cohort=c, status="enrolled")["status"] == "enrolled"
    assert make.enrollment(cohort=c, status="applied")["status"] == "applied"
    for st in ["completed", "withdrawn", "not_completed"]:
        p = make.person()
        with nothing_changes(api):
            assert_error(api.post("/api/v1/enrollments", {"person_id": p["id"], "cohort_id": c["id"],
                                                          "consent": True, "status": st}),
                         422, "validation", field="status")


ALLOWED = {("applied", "enrolled"), ("applied", "withdrawn"), ("enrolled", "completed"),
           ("enrolled", "withdrawn"), ("enrolled", "not_completed")}
STATUSES = ["applied", "enrolled", "completed", "withdrawn", "not_completed"]


def reach(api, make, status):
    """A fresh enrollment in the given status."""
    e = make.enrollment()
    path = {"applied": [], "enrolled": ["enrolled"], "completed": ["enrolled", "completed"],
            "withdrawn": ["withdrawn"], "not_completed": ["enrolled", "not_completed"]}[status]
    for st in path:
        r = set_status(api, e, st)
        assert r.status == 200, r
    e = api.get(epath(e)).json
    assert e["status"] == status
    return e


@pytest.mark.parametrize("frm", STATUSES)
@pytest.mark.parametrize("to", STATUSES)
def test_status_transitions(api, make, frm, to):
    e = reach(api, make, frm)
    if frm == to:
        r = set_status(api, e, to)
        assert r.status == 200, r  # unchanged status is not a transition
        assert r.json["status"] == frm
        return
    if (frm, to) in ALLOWED:
        r = set_status(api, e, to)
        assert r.status == 200, r
        assert r.json["status"] == to
        assert r.json["version"] == e["version"] + 1
        if to == "withdrawn":
            assert r.json["withdrawn_at"] is not None
    else:
        with nothing_changes(api, epath(e)):
            err = assert_error(set_status(api, e, to), 422, "validation", field="status")
        assert frm in err["message"] and to in err["message"]


def test_status_null_refused(api, make):
    e = make.enrollment()
    with nothing_changes(api, epath(e)):
        assert_error(api.patch(epath(e), {"status": None}, etag='"1"'), 422, "validation", field="status")


def test_person_and_cohort_are_immutable(api, make):
    e = make.enrollment()
    other_cohort, other_person = make.cohort(), make.person()
    with nothing_changes(api, epath(e)):
        assert_error(api.patch(epath(e), {"cohort_id": other_cohort["id"]}, etag='"1"'), 422, "validation",
                     field="cohort_id")
        assert_error(api.patch(epath(e), {"person_id": other_person["id"]}, etag='"1"'), 422, "validation",
                     field="person_id")
    # the same value is not a change
    assert api.patch(epath(e), {"cohort_id": e["cohort_id"]}, etag='"1"').status == 200


def test_withdrawal_reason_only_when_withdrawn(api, make):
    e = make.enrollment()
    with nothing_changes(api, epath(e)):
        assert_error(api.patch(epath(e), {"withdrawal_reason": "work"}, etag='"1"'), 422, "validation",
                     field="withdrawal_reason")
    r = api.patch(epath(e), {"status": "withdrawn", "withdrawal_reason": "work"}, etag='"1"')
    assert r.status == 200 and r.json["withdrawal_reason"] == "work"


# --- capacity ------------------------------------------------------------------------

def test_capacity_enforced_at_enrolled(api, make):
    c = make.cohort(capacity=2)
    e1 = make.enrollment(cohort=c, status="enrolled")
    e2 = make.enrollment(cohort=c)            # applied: takes no place
    e3 = make.enrollment(cohort=c)
    e4 = make.enrollment(cohort=c)
    assert set_status(api, e2, "enrolled").status == 200
    # full: applying is still possible, enrolling is not
    with nothing_changes(api, epath(e3)):
        assert_error(set_status(api, e3, "enrolled"), 409, "conflict", field="status")
    p = make.person()
    with nothing_changes(api):
        assert_error(api.post("/api/v1/enrollments", {"person_id": p["id"], "cohort_id": c["id"],
                                                      "consent": True, "status": "enrolled"}), 409, "conflict")
    # completed and not_completed still hold their places
    assert set_status(api, e1, "completed").status == 200
    assert set_status(api, e2, "not_completed").status == 200
    assert_error(set_status(api, e3, "enrolled"), 409, "conflict")
    # raising capacity frees a place
    r = api.patch(f"/api/v1/cohorts/{c['id']}", {"capacity": 3}, etag='"1"')
    assert r.status == 200, r
    assert set_status(api, e3, "enrolled").status == 200
    assert_error(set_status(api, e4, "enrolled"), 409, "conflict")
    r = api.get(f"/api/v1/enrollments?cohort={c['id']}&status=applied")
    assert [x["id"] for x in r.json["items"]] == [e4["id"]]


def test_withdrawal_frees_a_place(api, make):
    c = make.cohort(capacity=1)
    e1 = make.enrollment(cohort=c, status="enrolled")
    e2 = make.enrollment(cohort=c)
    assert_error(set_status(api, e2, "enrolled"), 409, "conflict")
    assert api.post(epath(e1) + "/withdraw").status == 200
    assert set_status(api, e2, "enrolled").status == 200


def test_capacity_cannot_drop_below_places_taken(api, make):
    c = make.cohort(capacity=3)
    make.enrollment(cohort=c, status="enrolled")
    make.enrollment(cohort=c, status="enrolled")
    path = f"/api/v1/cohorts/{c['id']}"
    with nothing_changes(api, path):
        assert_error(api.patch(path, {"capacity": 1}, etag='"1"'), 422, "validation", field="capacity")
    assert api.patch(path, {"capacity": 2}, etag='"1"').status == 200


# --- withdrawal ----------------------------------------------------------------------

@pytest.mark.parametrize("frm", ["applied", "enrolled"])
def test_withdraw_without_if_match(api, make, frm):
    e = reach(api, make, frm)
    r = api.post(epath(e) + "/withdraw")
    assert r.status == 200, r
    assert r.json["status"] == "withdrawn"
    assert r.json["withdrawn_at"] is not None
    assert r.json["withdrawal_reason"] is None
    assert r.json["version"] == e["version"] + 1
    assert r.header("ETag") == f'"{e["version"] + 1}"'
    assert api.get(epath(e)).json == r.json


def test_withdraw_with_reason_and_stale_etag_is_not_blocked(api, make):
    e = make.enrollment()
    api.patch(epath(e), {"status": "enrolled"}, etag='"1"')
    # a stale If-Match does not block withdrawal
    r = api.request("POST", epath(e) + "/withdraw", body={"reason": "health"}, headers={"If-Match": '"1"'})
    assert r.status == 200, r
    assert r.json["status"] == "withdrawn" and r.json["withdrawal_reason"] == "health"


def test_withdraw_is_idempotent(api, make):
    e = make.enrollment()
    first = api.post(epath(e) + "/withdraw", {"reason": "family"})
    assert first.status == 200
    again = api.post(epath(e) + "/withdraw")
    assert again.status == 200, again
    assert again.json == first.json  # nothing changed: same version, reason, times
    again = api.post(epath(e) + "/withdraw", {"reason": "other"})
    assert again.status == 200 and again.json["version"] == first.json["version"]


def test_withdraw_takes_only_a_reason_as_text(api, make):
    e = make.enrollment()
    err = assert_error(api.post(epath(e) + "/withdraw", {"why": "moving"}), 422, "validation", field="why")
    assert err["reason"] == "not_accepted" and "only an optional reason" in err["message"], err
    err = assert_error(api.post(epath(e) + "/withdraw", {"reason": 5}), 422, "validation", field="reason")
    assert err["reason"] == "not_string", err
    assert api.get(epath(e)).json["status"] != "withdrawn"


@pytest.mark.parametrize("frm", ["completed", "not_completed"])
def test_withdraw_after_end_is_conflict(api, make, frm):
    e = reach(api, make, frm)
    with nothing_changes(api, epath(e)):
        err = assert_error(api.post(epath(e) + "/withdraw"), 409, "conflict")
    assert frm in err["message"]


@pytest.mark.parametrize("body,field", [({"reason": "boredom"}, "withdrawal_reason"), ({"reason": 3}, "reason"),
                                        ({"why": "x"}, "why"), ({"reason": "work", "status": "x"}, "status")])
def test_withdraw_bad_body(api, make, body, field):
    e = make.enrollment()
    with nothing_changes(api, epath(e)):
        assert_error(api.post(epath(e) + "/withdraw", body), 422, "validation", field=field)


def test_withdraw_null_reason(api, make):
    e = make.enrollment()
    r = api.post(epath(e) + "/withdraw", {"reason": None})
    assert r.status == 200 and r.json["withdrawal_reason"] is None


@pytest.mark.parametrize("reason", ["personal", "health", "family", "work", "moved", "program_unsuitable", "other"])
def test_every_withdrawal_reason(api, make, reason):
    e = make.enrollment()
    r = api.post(epath(e) + "/withdraw", {"reason": reason})
    assert r.status == 200 and r.json["withdrawal_reason"] == reason


def test_withdrawn_cannot_be_reenrolled(api, make):
    e = make.enrollment()
    api.post(epath(e) + "/withdraw")
    for st in ["applied", "enrolled"]:
        with nothing_changes(api, epath(e)):
            assert_error(set_status(api, e, st), 422, "validation")
    # nor can the same person enroll a second time in the same cohort
    assert_error(api.post("/api/v1/enrollments", {"person_id": e["person_id"], "cohort_id": e["cohort_id"],
                                                  "consent": True}), 409, "conflict")


# --- multi-skill ---------------------------------------------------------------------

def test_person_with_several_enrollments(api, make):
    learner = make.person(given_name="Multi")
    c1 = make.cohort(make.program(isco_code="7512"))
    c2 = make.cohort(make.program(isco_code="5120"))
    c3 = make.cohort(make.program(isco_code="7411"))
    e1 = make.enrollment(learner, c1, status="enrolled")
    e2 = make.enrollment(learner, c2, status="enrolled")
    e3 = make.enrollment(learner, c3)
    assert set_status(api, e1, "completed").status == 200
    r = api.get(f"/api/v1/enrollments?person={learner['id']}")
    assert r.json["total"] == 3
    assert {x["id"]: x["status"] for x in r.json["items"]} == {e1["id"]: "completed", e2["id"]: "enrolled",
                                                               e3["id"]: "applied"}
    # withdrawing from one leaves the others alone
    assert api.post(epath(e2) + "/withdraw").status == 200
    assert api.get(epath(e1)).json["status"] == "completed"
    assert api.get(epath(e3)).json["status"] == "applied"


@pytest.mark.parametrize("if_match", ["*", '"999"', "garbage"])
def test_withdraw_not_blocked_by_any_if_match(api, make, if_match):
    """Withdrawal needs no If-Match and is never blocked: whatever If-Match a
    client happens to send (RFC 9110 `*`, a stale or an odd one) is ignored."""
    e = make.enrollment()
    r = api.request("POST", epath(e) + "/withdraw", headers={"If-Match": if_match})
    assert r.status == 200, r
    assert r.json["status"] == "withdrawn"
