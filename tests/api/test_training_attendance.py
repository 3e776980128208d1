"""Training sessions and attendance (issue 13): sessions and their rules,
taking a whole cohort's attendance in one call (all or nothing, each refused
row named), the change history and reasons after the session's day, the
rate (hand-computed: weights, excused, late), per skill, the institution's
statuses, the support list (never a sanction: withdrawal stays free),
check-in codes (current and previous window, expired, another session's,
twice), a learner's own attendance and the export.

Time is the server's clock: sessions the tests check in to are dated today
(UTC) and cover the whole day; sessions "after their day" are dated in the
past. Check-in codes are computed here from the session's secret (read from
the database) exactly as guild derives them (attendance.h)."""
import csv
import datetime
import hashlib
import hmac
import io
import os
import struct
import tempfile
import time

import pytest

from conftest import World, assert_error, created, db_query, guild_cli, make_user, uniq, user_password

SKILLS = ["knife skills", "food hygiene", "costing"]


def today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def day(delta):
    return (today() + datetime.timedelta(days=delta)).isoformat()


def code_of(secret, w):
    """The check-in code of window w (attendance.h): HMAC-SHA-512-256 of w as
    8 bytes big-endian under the 32-byte secret, cut to 6 digits as HOTP does."""
    mac = hmac.new(bytes.fromhex(secret), struct.pack(">q", w), hashlib.sha512).digest()[:32]
    off = mac[31] & 0x0F
    return "%06d" % ((int.from_bytes(mac[off:off + 4], "big") & 0x7FFFFFFF) % 1000000)


def window():
    return int(time.time()) // 30


class Att:
    """Institution A's program P (three skills) and cohort K running from a
    year ago to a year ahead, trained by t1 (the world's trainer); learners
    x, y, z enrolled, ap applied; the world's learner l1 enrolled too."""

    def __init__(self, w):
        self.w = w
        api, make = w.api, w.make
        self.P = make.program(w.A, skills=SKILLS)
        self.K = make.cohort(self.P, trainers=[w.t1["id"]], start_date=day(-365), end_date=day(365), capacity=40)
        self.x, self.y, self.z, self.ap = (make.person(given_name=uniq(n), institution_id=w.A["id"])
                                           for n in ("Xiadi", "Yusup", "Zohre", "Applicant"))
        self.ex = make.enrollment(self.x, self.K, status="enrolled")
        self.ey = make.enrollment(self.y, self.K, status="enrolled")
        self.ez = make.enrollment(self.z, self.K, status="enrolled")
        self.eap = make.enrollment(self.ap, self.K)
        self.el1 = make.enrollment(w.l1, self.K, status="enrolled")

    def session(self, client=None, **kw):
        body = {"cohort_id": self.K["id"], "date": day(-10), "start_time": "09:00", "end_time": "12:00",
                "topic": uniq("Topic "), "place": "Kitchen 2"}
        body.update(kw)
        return created((client or self.w.api).post("/api/v1/training_sessions", body))


@pytest.fixture(scope="module")
def w(server):
    return World(server)


@pytest.fixture(scope="module")
def att(w):
    return Att(w)


def take(client, s, marks, **kw):
    body = {"marks": [{"person_id": p["id"], "status": st} for p, st in marks]}
    body.update(kw)
    return client.post(f"/api/v1/training_sessions/{s['id']}/attendance", body)


def roster(client, s):
    r = client.get(f"/api/v1/training_sessions/{s['id']}/attendance")
    assert r.status == 200, r
    return {x["person_id"]: x for x in r.json["learners"]}


# --- sessions -----------------------------------------------------------------

def test_a_trainer_plans_a_session_of_their_cohort(w, att):
    t = w.c["trainer"]
    s = att.session(t, skills=["knife skills"])
    assert s["trainer_id"] == w.t1["id"], "a trainer's own session is theirs by default"
    assert s["skills"] == ["knife skills"] and s["marked_at"] is None
    assert "checkin_secret" not in s, "the check-in secret is never shown"
    assert "checkin_secret" not in t.get(f"/api/v1/training_sessions/{s['id']}").json
    # staff of B, another cohort's trainer and learners may not
    body = {"cohort_id": att.K["id"], "date": day(-3), "start_time": "09:00", "end_time": "10:00", "topic": "x"}
    for caller in ["staff_b", "other_trainer", "learner", "judge"]:
        assert_error(w.c[caller].post("/api/v1/training_sessions", body), 403, "forbidden")


@pytest.mark.parametrize("change,field", [
    ({"skills": ["juggling"]}, "skills"),
    ({"skills": ["costing", "costing"]}, "skills"),
    ({"date": "2001-01-01"}, "date"),
    ({"start_time": "9:00"}, "start_time"),
    ({"end_time": "24:00"}, "end_time"),
    ({"start_time": "12:00", "end_time": "11:59"}, "end_time"),
    ({"topic": ""}, "topic"),
    ({"trainer_id": None}, "trainer_id"),
])
def test_session_rules(w, att, change, field):
    body = {"cohort_id": att.K["id"], "date": day(-2), "start_time": "09:00", "end_time": "12:00", "topic": "Knives"}
    body.update(change)
    before = w.api.get(f"/api/v1/training_sessions?cohort={att.K['id']}&limit=1").json["total"]
    if field == "trainer_id":   # the trainer must train the cohort
        body["trainer_id"] = w.t2["id"]
    assert_error(w.api.post("/api/v1/training_sessions", body), 422, "validation", field=field)
    assert w.api.get(f"/api/v1/training_sessions?cohort={att.K['id']}&limit=1").json["total"] == before


def test_learners_read_their_cohorts_sessions_only(w, att):
    s = att.session()
    lr = w.c["learner"]
    assert lr.get(f"/api/v1/training_sessions/{s['id']}").status == 200
    got = lr.get("/api/v1/training_sessions?limit=500")
    assert got.status == 200 and s["id"] in {x["id"] for x in got.json["items"]}
    assert {x["cohort_id"] for x in got.json["items"]} <= {att.K["id"], w.ca1["id"], w.ca3["id"]}
    assert_error(w.c["other_learner"].get(f"/api/v1/training_sessions/{s['id']}"), 403, "forbidden")
    assert s["id"] not in {x["id"] for x in w.c["other_learner"].get("/api/v1/training_sessions").json["items"]}
    # an applicant is not yet a learner of the cohort
    name = uniq("appl").replace("-", ".")
    make_user(w.api, name, "learner", person=att.ap)
    ap = w.server.anon.login(name, user_password(name))
    assert_error(ap.get(f"/api/v1/training_sessions/{s['id']}"), 403, "forbidden")


# --- taking attendance ---------------------------------------------------------

def test_taking_attendance_is_all_or_nothing_and_names_every_refused_row(w, att):
    s = att.session()
    t = w.c["trainer"]
    stranger = w.make.person(given_name=uniq("Stranger"), institution_id=w.A["id"])
    r = take(t, s, [(att.x, "present"), (att.ap, "present"), (att.y, "sick"), (stranger, "present"),
                    (att.x, "absent")])
    err = assert_error(r, 422, "rows_refused", field="marks")
    assert err["message"].startswith("4 of 5 rows refused; nothing was written"), err
    rows = {x["index"]: x for x in err["rows"]}
    assert sorted(rows) == [1, 2, 3, 4], err["rows"]
    assert {i: (x["field"], x["code"]) for i, x in rows.items()} == {
        1: ("person_id", "validation"), 2: ("status", "validation"), 3: ("person_id", "validation"),
        4: ("person_id", "validation")}, err["rows"]
    assert rows[1]["message"] == "not enrolled in the cohort (their enrollment is applied)", rows[1]
    assert rows[2]["message"] == "status must be one of present, late, absent, excused", rows[2]
    assert rows[3]["message"] == "not a learner of this session's cohort", rows[3]
    assert rows[4]["message"] == "listed twice", rows[4]
    assert "marks[3]: not a learner of this session's cohort" in err["message"], err
    # each refused row names its own rule, with what a translated sentence needs
    assert (rows[1]["reason"], rows[1]["params"]) == ("not_markable", {"person": att.ap["id"], "status": "applied"})
    assert rows[2]["reason"] == "not_one_of" and rows[2]["params"] == {"allowed": "present, late, absent, excused",
                                                                       "got": "sick"}, rows[2]
    assert (rows[3]["reason"], rows[3]["params"]) == ("not_in_cohort", {"person": stranger["id"], "id": att.K["id"]})
    assert (rows[4]["reason"], rows[4]["params"]) == ("listed_twice", {"value": str(att.x["id"])}), rows[4]
    assert all(x["mark"] is None for x in roster(t, s).values()), "a refused call wrote marks"
    assert w.api.get(f"/api/v1/training_sessions/{s['id']}").json["marked_at"] is None


def test_a_trainer_marks_the_whole_cohort_in_one_call(w, att):
    s = att.session()
    t = w.c["trainer"]
    r = take(t, s, [(att.x, "present"), (att.y, "late"), (att.z, "absent")])
    assert r.status == 200, r
    assert (r.json["created"], r.json["changed"], r.json["unchanged"]) == (3, 0, 0)
    assert r.json["unmarked"] == [w.l1["id"]], "the enrolled learner left out is reported"
    by = {m["person_id"]: m for m in r.json["marks"]}
    assert by[att.y["id"]]["status"] == "late" and by[att.y["id"]]["source"] == "trainer"
    name = w.users["trainer"]["username"]
    ros = roster(t, s)
    assert ros[att.x["id"]]["mark"]["status"] == "present"
    assert ros[att.x["id"]]["mark"]["set_by"] == f"user:{name}" and ros[att.x["id"]]["mark"]["set_at"].endswith("Z")
    assert ros[att.ap["id"]]["markable"] is False and ros[att.ap["id"]]["mark"] is None
    assert w.api.get(f"/api/v1/training_sessions/{s['id']}").json["marked_by"] == f"user:{name}"
    # one audit entry for the action
    log = w.api.get(f"/api/v1/audit?entity=training_session&limit=500").json["items"]
    assert any(e["entity_id"] == s["id"] and e["action"] == "attendance" for e in log), log[-3:]
    # the same call again changes nothing
    r = take(t, s, [(att.x, "present"), (att.y, "late"), (att.z, "absent")])
    assert (r.json["created"], r.json["changed"], r.json["unchanged"]) == (0, 0, 3)
    # staff of the institution may too; the other trainer, staff of B and learners may not
    assert take(w.c["staff_a"], s, [(w.l1, "present")]).status == 200
    for caller in ["other_trainer", "staff_b", "learner", "judge"]:
        assert_error(take(w.c[caller], s, [(att.x, "absent")]), 403, "forbidden")
    assert roster(t, s)[att.x["id"]]["mark"]["status"] == "present"


def test_no_attendance_before_the_sessions_day(w, att):
    s = att.session(date=day(3))
    err = assert_error(take(w.c["trainer"], s, [(att.x, "present")]), 409, "conflict", field="marks")
    assert (err["reason"], err["params"]) == ("attendance_early", {"date": day(3)}), err


def test_a_change_keeps_the_old_value_and_after_the_day_needs_a_reason(w, att):
    t = w.c["trainer"]
    # today: a change needs no reason, and the old value is kept
    s = att.session(date=day(0), start_time="00:00", end_time="23:59")
    assert take(t, s, [(att.x, "absent")]).status == 200
    r = take(t, s, [(att.x, "late")])
    assert r.status == 200 and r.json["changed"] == 1, r
    ch = roster(t, s)[att.x["id"]]["changes"]
    assert [(c["old_status"], c["new_status"], c["reason"]) for c in ch] == [("absent", "late", None)]
    # after the day: refused without a reason, naming the row
    p = att.session(date=day(-5))
    assert take(t, p, [(att.x, "absent"), (att.y, "present")]).status == 200
    err = assert_error(take(t, p, [(att.x, "excused"), (att.y, "present")]), 422, "rows_refused", field="marks")
    assert [(x["index"], x["field"]) for x in err["rows"]] == [(0, "reason")], err
    assert "needs a reason" in err["rows"][0]["message"], err
    assert err["rows"][0]["reason"] == "change_needs_reason" and "absence_excused" in err["rows"][0]["params"]["allowed"]
    err = assert_error(take(t, p, [(att.x, "excused")], reason="because"), 422, "validation", field="reason")
    assert err["reason"] == "not_one_of" and err["params"]["got"] == "because", err
    assert roster(t, p)[att.x["id"]]["mark"]["status"] == "absent"
    r = take(t, p, [(att.x, "excused"), (att.y, "present")], reason="absence_excused")
    assert r.status == 200 and (r.json["changed"], r.json["unchanged"]) == (1, 1), r
    x = roster(t, p)[att.x["id"]]
    assert x["mark"]["status"] == "excused"
    assert [(c["old_status"], c["new_status"], c["reason"]) for c in x["changes"]] == [
        ("absent", "excused", "absence_excused")]
    assert x["changes"][0]["old_set_by"] == x["mark"]["set_by"]
    # a row's own reason
    r = t.post(f"/api/v1/training_sessions/{p['id']}/attendance",
               {"marks": [{"person_id": att.x["id"], "status": "absent", "reason": "entry_error"}]})
    assert r.status == 200, r
    assert [c["reason"] for c in roster(t, p)[att.x["id"]]["changes"]] == ["absence_excused", "entry_error"]
    # each correction after the day is an audit entry of its own
    mark_id = x["mark"]["id"]
    log = w.api.get(f"/api/v1/audit?entity=attendance_mark&limit=500").json["items"]
    assert sum(1 for e in log if e["entity_id"] == mark_id and e["action"] == "correct") == 2
    # once attendance is taken the session's day stays
    cur = w.api.get(f"/api/v1/training_sessions/{p['id']}")
    assert_error(w.api.patch(f"/api/v1/training_sessions/{p['id']}", {"date": day(-6)}, etag=cur.header("ETag")),
                 409, "conflict", field="date")
    r = w.api.patch(f"/api/v1/training_sessions/{p['id']}", {"topic": "renamed"}, etag=cur.header("ETag"))
    assert r.status == 200, r


def test_the_body_is_checked(w, att):
    s = att.session()
    t = w.c["trainer"]
    path = f"/api/v1/training_sessions/{s['id']}/attendance"
    assert assert_error(t.post(path, {"marks": []}), 422, "validation", field="marks")["reason"] == "empty"
    assert assert_error(t.post(path, {"marks": "all present"}), 422, "validation", field="marks")["reason"] == "not_list"
    assert assert_error(t.post(path, {"marks": ["x"]}), 422, "validation",
                        field="marks[0]")["reason"] == "entry_not_object"
    assert assert_error(t.post(path, {"marks": [{"person_id": "1", "status": "present"}]}), 422, "validation",
                        field="marks[0].person_id")["reason"] == "not_id"
    assert assert_error(t.post(path, {"marks": [{"person_id": att.x["id"]}]}), 422, "validation",
                        field="marks[0].status")["reason"] == "required"
    assert assert_error(t.post(path, {"marks": [{"person_id": att.x["id"], "status": 1}]}), 422, "validation",
                        field="marks[0].status")["reason"] == "not_string"
    assert assert_error(t.post(path, {"marks": [{"person_id": att.x["id"], "status": "present", "note": "x"}]}),
                        422, "validation", field="marks[0].note")["reason"] == "not_accepted"
    assert_error(t.post(path, {"marks": [], "extra": 1}), 422, "validation", field="extra")


# --- rates ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def rated(w, att):
    """A cohort of its own with four past sessions and hand-known marks:
        session  skills                       x        y        z
        s1       knife skills                 present  present  absent
        s2       knife skills, food hygiene   late     present  absent
        s3       food hygiene                 excused  present  late
        s4       (none)                       absent   present  (no mark)
    """
    make = w.make
    K = make.cohort(att.P, trainers=[w.t1["id"]], start_date=day(-365), end_date=day(365), capacity=40)
    x, y, z = (make.person(given_name=uniq(n), institution_id=w.A["id"]) for n in ("Rx", "Ry", "Rz"))
    en = {p["id"]: make.enrollment(p, K, status="enrolled") for p in (x, y, z)}
    skills = [["knife skills"], ["knife skills", "food hygiene"], ["food hygiene"], []]
    marks = [[(x, "present"), (y, "present"), (z, "absent")], [(x, "late"), (y, "present"), (z, "absent")],
             [(x, "excused"), (y, "present"), (z, "late")], [(x, "absent"), (y, "present")]]
    sessions = []
    for i in range(4):
        s = created(w.api.post("/api/v1/training_sessions", {"cohort_id": K["id"], "date": day(-20 + i),
                                                              "start_time": "09:00", "end_time": "11:00",
                                                              "topic": f"Session {i + 1}", "skills": skills[i]}))
        assert take(w.c["trainer"], s, marks[i]).status == 200
        sessions.append(s)
    return dict(K=K, x=x, y=y, z=z, en=en, sessions=sessions)


def learners(client, K):
    r = client.get(f"/api/v1/cohorts/{K['id']}/attendance")
    assert r.status == 200, r
    return r.json, {x["person_id"]: x for x in r.json["learners"]}


def test_rates_by_hand(w, rated):
    doc, by = learners(w.c["trainer"], rated["K"])
    assert doc["sessions"] == 4 and doc["sessions_with_attendance"] == 4
    assert doc["threshold"] == 80 and doc["threshold_source"] == "default"
    x, y, z = by[rated["x"]["id"]], by[rated["y"]["id"]], by[rated["z"]["id"]]
    # x: present 100 + late 50 + absent 0 over 3 counted (excused does not count): 150 / 300
    assert (x["marks"], x["counted"], x["weight_sum"], x["rate"], x["rate_percent"]) == (4, 3, 150, 0.5, 50.0)
    assert x["statuses"] == {"present": 1, "late": 1, "excused": 1, "absent": 1}
    # y: present four times: 400 / 400
    assert (y["counted"], y["rate"]) == (4, 1.0) and y["below_threshold"] is False
    # z: absent, absent, late, and no mark at s4 (not counted): 50 / 300
    assert (z["marks"], z["counted"], z["weight_sum"], z["rate"], z["rate_percent"]) == (3, 3, 50, 0.1667, 16.7)
    assert x["below_threshold"] and z["below_threshold"]
    # per skill: knife skills over s1, s2; food hygiene over s2, s3; costing over none
    sk = {s["skill"]: s for s in x["skills"]}
    assert (sk["knife skills"]["counted"], sk["knife skills"]["rate"]) == (2, 0.75)      # 150 / 200
    assert (sk["food hygiene"]["counted"], sk["food hygiene"]["rate"]) == (1, 0.5)       # late; excused not counted
    assert (sk["costing"]["counted"], sk["costing"]["rate"]) == (0, None)
    skz = {s["skill"]: s for s in z["skills"]}
    assert (skz["food hygiene"]["counted"], skz["food hygiene"]["rate"]) == (2, 0.25)    # absent, late: 50 / 200
    # who may see them
    assert w.c["staff_a"].get(f"/api/v1/cohorts/{rated['K']['id']}/attendance").status == 200
    for caller in ["staff_b", "other_trainer", "learner", "judge"]:
        assert_error(w.c[caller].get(f"/api/v1/cohorts/{rated['K']['id']}/attendance"), 403, "forbidden")


def test_an_institution_sets_its_own_weights(w, att, rated):
    sa = w.c["staff_a"]
    region_late = [s for s in w.api.get("/api/v1/attendance_statuses?code=late").json["items"]
                   if s["institution_id"] is None][0]
    # a status in use is retired, not deleted
    err = assert_error(w.api.delete(f"/api/v1/attendance_statuses/{region_late['id']}"), 409, "conflict")
    assert "active: false" in err["message"], err
    assert err["reason"] == "status_in_use" and err["params"]["value"] == "late" and err["params"]["count"] > 0, err
    late = created(sa.post("/api/v1/attendance_statuses", {"code": "late", "label_key": "attendance.late",
                                                            "weight": 80}))
    try:
        assert late["institution_id"] == w.A["id"], "staff's statuses are their institution's"
        _, by = learners(w.c["trainer"], rated["K"])
        assert by[rated["x"]["id"]]["weight_sum"] == 180 and by[rated["x"]["id"]]["rate"] == 0.6   # (100+80+0)/300
        got = w.api.get(f"/api/v1/attendance_statuses?in_force_at={w.A['id']}").json["items"]
        assert {(s["code"], s["weight"]) for s in got} == {("present", 100), ("late", 80), ("excused", 0),
                                                           ("absent", 0)}
        # a code of its own extends the set; one that does not count leaves the denominator alone
        assert_error(sa.post("/api/v1/attendance_statuses", {"code": "late", "label_key": "x", "weight": 1}),
                     409, "conflict", field="code")
        assert assert_error(sa.post("/api/v1/attendance_statuses", {"code": "Late!", "label_key": "x", "weight": 1}),
                            422, "validation", field="code")["reason"] == "code_chars"
        # staff of B cannot change A's; staff cannot touch the region's defaults or make one
        assert_error(w.c["staff_b"].patch(f"/api/v1/attendance_statuses/{late['id']}", {"weight": 1}, etag='"1"'),
                     403, "forbidden")
        assert_error(sa.patch(f"/api/v1/attendance_statuses/{region_late['id']}", {"weight": 1}, etag='"1"'),
                     403, "forbidden")
        assert assert_error(sa.post("/api/v1/attendance_statuses", {"code": "remote", "label_key": "x", "weight": 100,
                                                              "institution_id": None}),
                     403, "forbidden", field="institution_id")["reason"] == "region_defaults"
    finally:
        assert w.api.delete(f"/api/v1/attendance_statuses/{late['id']}").status == 204   # falls back to the region's
    _, by = learners(w.c["trainer"], rated["K"])
    assert by[rated["x"]["id"]]["rate"] == 0.5


def test_the_support_list_offers_support_and_never_blocks_withdrawal(w, att, rated):
    t = w.c["trainer"]
    r = t.get(f"/api/v1/cohorts/{rated['K']['id']}/support_list")
    assert r.status == 200, r
    assert {x["person_id"] for x in r.json["learners"]} == {rated["x"]["id"], rated["z"]["id"]}
    assert "never a sanction" in r.json["purpose"]
    # the program's own threshold (a setting of the module, not a column of programs)
    th = created(w.c["staff_a"].post("/api/v1/attendance_thresholds", {"program_id": att.P["id"], "percent": 40}))
    try:
        r = t.get(f"/api/v1/cohorts/{rated['K']['id']}/support_list")
        assert r.json["threshold"] == 40 and r.json["threshold_source"] == "program"
        assert {x["person_id"] for x in r.json["learners"]} == {rated["z"]["id"]}
        assert_error(w.c["staff_b"].patch(f"/api/v1/attendance_thresholds/{th['id']}", {"percent": 1}, etag='"1"'),
                     403, "forbidden")
    finally:
        assert w.api.delete(f"/api/v1/attendance_thresholds/{th['id']}").status == 204
    # z, below the threshold, withdraws: free, as always, and leaves the list
    name = uniq("rz").replace("-", ".")
    make_user(w.api, name, "learner", person=rated["z"])
    z = w.server.anon.login(name, user_password(name))
    r = z.post(f"/api/v1/enrollments/{rated['en'][rated['z']['id']]['id']}/withdraw", {"reason": "personal"})
    assert r.status == 200 and r.json["status"] == "withdrawn", r
    r = t.get(f"/api/v1/cohorts/{rated['K']['id']}/support_list")
    assert {x["person_id"] for x in r.json["learners"]} == {rated["x"]["id"]}
    # their marks stay, and they can no longer be marked
    assert roster(t, rated["sessions"][0])[rated["z"]["id"]]["mark"]["status"] == "absent"
    err = assert_error(take(t, rated["sessions"][3], [(rated["z"], "present")]), 422, "rows_refused", field="marks")
    assert "their enrollment is withdrawn" in err["rows"][0]["message"] and err["rows"][0]["index"] == 0, err
    for caller in ["staff_b", "other_trainer", "learner"]:
        assert_error(w.c[caller].get(f"/api/v1/cohorts/{rated['K']['id']}/support_list"), 403, "forbidden")


def test_a_learner_reads_their_own_attendance(w, att, rated):
    name = uniq("rx").replace("-", ".")
    make_user(w.api, name, "learner", person=rated["x"])
    me = w.server.anon.login(name, user_password(name))
    r = me.get("/api/v1/me/attendance")
    assert r.status == 200, r
    [k] = [k for k in r.json["cohorts"] if k["cohort_id"] == rated["K"]["id"]]
    assert [x["person_id"] for x in k["learners"]] == [rated["x"]["id"]], "only their own"
    assert k["learners"][0]["rate"] == 0.5
    assert [m["status"] for m in k["marks"]] == ["present", "late", "excused", "absent"]
    assert k["marks"][0]["topic"] == "Session 1" and k["marks"][0]["set_by"].startswith("user:")
    # their marks through the list, and nobody else's
    got = me.get("/api/v1/attendance_marks?limit=500").json["items"]
    assert got and {m["person_id"] for m in got} == {rated["x"]["id"]}
    assert_error(me.get(f"/api/v1/attendance_marks?person={rated['y']['id']}"), 403, "forbidden", field="person")
    for caller in ["staff_a", "trainer", "judge"]:
        assert_error(w.c[caller].get("/api/v1/me/attendance"), 403, "forbidden")
    # everything guild holds about them includes their attendance, and only theirs
    x = me.get("/api/v1/me/export").json
    assert sorted(m["status"] for m in x["attendance_marks"]) == ["absent", "excused", "late", "present"]
    assert {m["person_id"] for m in x["attendance_marks"]} == {rated["x"]["id"]}
    assert "checkin_secret" not in me.get("/api/v1/me/export").body
    assert w.c["staff_a"].get("/api/v1/me/export").json["attendance_marks"] == []


# --- check-in --------------------------------------------------------------------

def secret(w, s):
    return db_query(w.server, "SELECT checkin_secret FROM training_sessions WHERE id = ?", (s["id"],))[0][0]


def check_in(client, s, code):
    return client.post(f"/api/v1/training_sessions/{s['id']}/check_in", {"code": code})


def test_check_in_with_the_code_shown(w, att):
    s = att.session(date=day(0), start_time="00:00", end_time="23:59")
    key = secret(w, s)
    r = w.c["trainer"].get(f"/api/v1/training_sessions/{s['id']}/check_in_code")
    assert r.status == 200, r
    wnd = window()
    assert r.json["code"] in {code_of(key, wnd), code_of(key, wnd - 1)}, "the trainer's code is the derived one"
    assert len(r.json["code"]) == 6 and r.json["period"] == 30 and 0 < r.json["seconds_left"] <= 30
    assert r.json["url"] == f"/check-in/{s['id']}?code={r.json['code']}" == r.json["qr_payload"]
    # the learner checks in with it: late, since the session started at 00:00 (more than 10 minutes ago)
    lr = w.c["learner"]
    r = check_in(lr, s, code_of(key, window()))
    assert r.status == 200, r
    assert r.json["checked_in_now"] is True and r.json["source"] == "check_in" and r.json["person_id"] == w.l1["id"]
    late = datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M") > "00:10"
    assert r.json["status"] == ("late" if late else "present")
    # twice: the same mark, nothing new
    again = check_in(lr, s, code_of(key, window()))
    assert again.status == 200 and again.json["checked_in_now"] is False and again.json["id"] == r.json["id"]
    assert again.json["version"] == r.json["version"]
    # the previous window's code (already used by another learner) still works
    name = uniq("cx").replace("-", ".")
    make_user(w.api, name, "learner", person=att.x)
    xc = w.server.anon.login(name, user_password(name))
    r = check_in(xc, s, code_of(key, window() - 1))
    assert r.status == 200 and r.json["checked_in_now"] is True, r
    # the trainer's mark wins over a later check-in: it is kept
    assert take(w.c["trainer"], s, [(att.y, "absent")]).status == 200
    name = uniq("cy").replace("-", ".")
    make_user(w.api, name, "learner", person=att.y)
    yc = w.server.anon.login(name, user_password(name))
    r = check_in(yc, s, code_of(key, window()))
    assert r.status == 200 and r.json["checked_in_now"] is False and r.json["status"] == "absent", r


def test_check_in_refusals(w, att):
    s = att.session(date=day(0), start_time="00:00", end_time="23:59")
    other = att.session(date=day(0), start_time="00:00", end_time="23:59", topic=uniq("Other topic "))
    key, okey = secret(w, s), secret(w, other)
    name = uniq("cz").replace("-", ".")
    make_user(w.api, name, "learner", person=att.z)
    zc = w.server.anon.login(name, user_password(name))
    expired = code_of(key, window() - 3)
    err = assert_error(check_in(zc, s, expired), 422, "validation", field="code")
    assert "expired" in err["message"], err
    err = assert_error(check_in(zc, s, code_of(okey, window())), 422, "validation", field="code")
    assert "another session" in err["message"] and str(other["id"]) in err["message"], err
    taken = {code_of(key, window() - k) for k in range(-1, 125)} | {code_of(okey, window() - k) for k in range(-1, 2)}
    wrong = next(c for c in ("%06d" % n for n in range(1000)) if c not in taken)
    err = assert_error(check_in(zc, s, wrong), 422, "validation", field="code")
    assert "not the code shown" in err["message"], err
    for bad in ["12345", "1234567", "12a456", None]:
        assert_error(check_in(zc, s, bad), 422, "validation", field="code")
    assert_error(zc.post(f"/api/v1/training_sessions/{s['id']}/check_in", {"code": "123456", "x": 1}),
                 422, "validation", field="x")
    assert roster(w.api, s)[att.z["id"]]["mark"] is None, "a refused check-in wrote a mark"
    # outside the session's time: sessions two days away (yesterday's or
    # tomorrow's whole-day session is within the check-in grace near midnight)
    for d in (day(-2), day(2)):
        p = att.session(date=d, start_time="00:00", end_time="23:59")
        err = assert_error(check_in(zc, p, code_of(secret(w, p), window())), 409, "conflict")
        assert "check-in to session" in err["message"], err
        assert_error(w.c["trainer"].get(f"/api/v1/training_sessions/{p['id']}/check_in_code"), 409, "conflict")
    # only learners of the cohort, and only enrolled ones
    assert_error(check_in(w.c["other_learner"], s, code_of(key, window())), 403, "forbidden")
    for caller in ["trainer", "staff_a", "region_admin"]:
        assert_error(check_in(w.c[caller], s, code_of(key, window())), 403, "forbidden")
    q = w.make.person(given_name=uniq("Quits"), institution_id=w.A["id"])
    e = w.make.enrollment(q, att.K, status="enrolled")
    name = uniq("cq").replace("-", ".")
    make_user(w.api, name, "learner", person=q)
    qc = w.server.anon.login(name, user_password(name))
    assert qc.post(f"/api/v1/enrollments/{e['id']}/withdraw").status == 200
    err = assert_error(check_in(qc, s, code_of(key, window())), 409, "conflict")
    assert "withdrawn" in err["message"], err
    # the trainer's code route is the cohort's trainers' and staff's
    for caller in ["other_trainer", "staff_b", "learner"]:
        assert_error(w.c[caller].get(f"/api/v1/training_sessions/{s['id']}/check_in_code"), 403, "forbidden")


# --- the export --------------------------------------------------------------------

def test_export_of_rates(w, att, rated):
    r = guild_cli(w.server, "attendance", "export", "--cohort", str(rated["K"]["id"]))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    by = {int(x["person_id"]): x for x in rows}
    assert set(by) == {rated["x"]["id"], rated["y"]["id"], rated["z"]["id"]}
    x = by[rated["x"]["id"]]
    assert (x["marks"], x["counted"], x["weight_sum"], x["rate_percent"], x["threshold"], x["below_threshold"]) == (
        "4", "3", "150", "50.0", "80", "true")
    assert x["statuses"] == "absent 1; excused 1; late 1; present 1"
    assert by[rated["y"]["id"]]["rate_percent"] == "100.0" and by[rated["y"]["id"]]["below_threshold"] == "false"
    # the institution: every cohort of A (applicants left out), none of B
    r = guild_cli(w.server, "attendance", "export", "--institution", str(w.A["id"]))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {int(x["institution_id"]) for x in rows} == {w.A["id"]}
    assert att.ap["id"] not in {int(x["person_id"]) for x in rows}
    assert {rated["x"]["id"], w.l1["id"]} <= {int(x["person_id"]) for x in rows}
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "att.xlsx")
        r = guild_cli(w.server, "attendance", "export", "--cohort", str(rated["K"]["id"]), "--out", out)
        assert r.returncode == 0, r.stderr
        assert "3 rows written" in r.stderr
        with open(out, "rb") as f:
            assert f.read(2) == b"PK", "an XLSX workbook is a zip"
    assert guild_cli(w.server, "attendance", "export", "--format", "pdf").returncode == 2
    assert guild_cli(w.server, "attendance", "frobnicate").returncode == 2


def test_record_routes(w, att, rated):
    """The entities' own routes, each once as a caller who may: reading a
    session, a mark, a status and a threshold, changing and deleting them,
    and the sessions' list as a file."""
    api = w.api
    s = att.session()
    r = api.get(f"/api/v1/training_sessions/export?cohort={att.K['id']}")
    assert r.status == 200 and r.body.splitlines()[0].startswith("id,version,cohort_id,date,start_time"), r
    assert "checkin_secret" not in r.body
    assert api.delete(f"/api/v1/training_sessions/{s['id']}", etag='"1"').status == 204
    marked = rated["sessions"][0]
    assert_error(api.delete(f"/api/v1/training_sessions/{marked['id']}"), 409, "conflict")   # its marks refer to it
    m = api.get(f"/api/v1/attendance_marks?session={marked['id']}").json["items"][0]
    r = w.c["trainer"].get(f"/api/v1/attendance_marks/{m['id']}")
    assert r.status == 200 and r.json["training_session_id"] == marked["id"], r
    st = created(w.c["staff_a"].post("/api/v1/attendance_statuses", {"code": "online", "label_key": "attendance.online",
                                                                      "weight": 90}))
    assert st["counts"] is True and st["active"] is True
    assert api.get(f"/api/v1/attendance_statuses/{st['id']}").json["code"] == "online"
    r = w.c["staff_a"].patch(f"/api/v1/attendance_statuses/{st['id']}", {"active": False}, etag='"1"')
    assert r.status == 200 and r.json["active"] is False, r
    err = assert_error(take(w.c["trainer"], att.session(), [(att.x, "online")]), 422, "rows_refused", field="marks")
    assert err["rows"][0]["field"] == "status" and "status must be one of" in err["rows"][0]["message"], \
        "a retired status is not offered"
    assert w.c["staff_a"].delete(f"/api/v1/attendance_statuses/{st['id']}").status == 204
    th = created(api.post("/api/v1/attendance_thresholds", {"program_id": att.P["id"], "percent": 90}))
    assert api.get("/api/v1/attendance_thresholds").json["total"] >= 1
    assert api.get(f"/api/v1/attendance_thresholds/{th['id']}").json["percent"] == 90
    r = w.c["staff_a"].patch(f"/api/v1/attendance_thresholds/{th['id']}", {"percent": 85}, etag='"1"')
    assert r.status == 200 and r.json["percent"] == 85, r
    dup = api.post("/api/v1/attendance_thresholds", {"program_id": att.P["id"], "percent": 50})
    assert_error(dup, 409, "conflict", field="program_id")
    # the value taken is the program's id (a number), not an empty text
    assert dup.json["error"]["reason"] == "duplicate_value", dup
    assert dup.json["error"]["params"] == {"value": att.P["id"], "entity": "attendance_threshold", "id": th["id"]}, dup
    assert f"'{att.P['id']}' is already used" in dup.json["error"]["message"], dup
    assert api.delete(f"/api/v1/attendance_thresholds/{th['id']}").status == 204
