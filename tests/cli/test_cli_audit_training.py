"""`guild audit verify` on the demo region after the training module's and
the competition's bulk routes have written to it (issue 15, "An audit log
that proves the data"): these writers use SQL of their own (attendance
taken for a whole roster, check-in, the demo's sessions and marks, the
region's attendance statuses seeded by their migration) or write many
records in one call, and each must tell the audit log what it stored. So
the log is intact afterwards, and a training row edited behind guild's
back (sqlite3, psql) is reported with its table and id. On SQLite and
(GUILD_TEST_PG) PostgreSQL."""
import datetime
import hashlib
import hmac
import os
import re
import struct
import subprocess
import sys
import tempfile
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from conftest import GUILD, Client, db_query, free_port, make_user, new_database, uniq, user_password  # noqa: E402

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
                    "53de0000000c49444154789c6338916204000356015fe817845200000000"
                    "49454e44ae426082")
SCHEME = ("criterion_code,criterion_name,criterion_weight,aspect_code,aspect_description,kind,max_mark,part_marks,"
          "descriptors\n"
          "A,Product,60,A1,weight,measurement,30,15 | within 5% of the target,\n"
          "A,Product,60,A2,\"finish, shine\",judgement,30,,below ;; acceptable ;; good ;; excellent\n"
          "B,Work,40,B1,safety,measurement,40,,\n")


class DemoServer:
    """`guild demo` (1,000 learners: with the competition's editions), then
    `guild serve` on it; self.c["admin"]: the demo's administrator, signed
    in (its one-time password changed)."""

    def __init__(self, tmp):
        self.db = new_database(tmp)
        r = subprocess.run([GUILD, "demo", "--db", self.db, "--learners", "1000", "--seed", "3"],
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr
        self.passwords = dict(re.findall(r"^  (\w+) +\w+ +(\S+)$", r.stdout, re.M))
        assert set(self.passwords) == {"admin", "staff", "trainer", "judge", "learner"}, r.stdout
        self.port = free_port()
        self.log = open(os.path.join(tmp, "serve.log"), "w+")
        self.proc = subprocess.Popen([GUILD, "serve", "--db", self.db, "--port", str(self.port), "--threads", "2",
                                      "--session-cache", "0"], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while True:
            try:
                self.anon = Client(self.port)
                self.anon.get("/api/v1/health")
                break
            except OSError:
                assert self.proc.poll() is None and time.time() < deadline, "guild serve did not start"
                time.sleep(0.05)
        self.c = {"admin": self.anon.first_login("admin", self.passwords["admin"])}   # a one-time password

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.seek(0)
        log = self.log.read()
        assert self.proc.returncode == 0 and "runtime error" not in log and "AddressSanitizer" not in log, log[-4000:]


@pytest.fixture
def demo():
    with tempfile.TemporaryDirectory() as d:
        s = DemoServer(d)
        try:
            yield s
        finally:
            if s.proc.poll() is None:
                s.stop()


def ok(r, status=200):
    assert r.status == status, r
    return r.json


def verify(s):
    return subprocess.run([GUILD, "audit", "verify", "--db", s.db], capture_output=True, text=True, timeout=300)


def code_of(secret, w):
    """A session's check-in code for window w (attendance.h; as test_training_attendance.py)."""
    mac = hmac.new(bytes.fromhex(secret), struct.pack(">q", w), hashlib.sha512).digest()[:32]
    off = mac[31] & 0x0F
    return "%06d" % ((int.from_bytes(mac[off:off + 4], "big") & 0x7FFFFFFF) % 1000000)


def training(s):
    """Sessions, check-in, attendance for a whole roster (new marks, changes
    on the day, a correction after the day), evidence and an appeal; returns
    (the checked-in mark's id, the session's id)."""
    admin = s.c["admin"]
    today = datetime.date.today().isoformat()
    cohort = next(k for k in ok(admin.get("/api/v1/cohorts?limit=500"))["items"]
                  if k["start_date"] <= today <= k["end_date"] and k["trainers"])
    me = next(e["person_id"] for e in ok(admin.get(f"/api/v1/enrollments?cohort={cohort['id']}&limit=100"))["items"]
              if e["status"] == "enrolled")
    name = uniq("learner").replace("-", ".")
    make_user(admin, name, "learner", person=me)
    learner = s.anon.login(name, user_password(name))
    sess = ok(admin.post("/api/v1/training_sessions", {"cohort_id": cohort["id"], "date": today, "start_time": "00:00",
                                                        "end_time": "23:59", "topic": uniq("Audit "),
                                                        "trainer_id": cohort["trainers"][0]}), 201)
    key = db_query(s, "SELECT checkin_secret FROM training_sessions WHERE id = ?", (sess["id"],))[0][0]
    w = int(time.time()) // 30
    r = learner.post(f"/api/v1/training_sessions/{sess['id']}/check_in", {"code": code_of(key, w)})
    if r.status == 422:   # the code's window turned between the two lines
        r = learner.post(f"/api/v1/training_sessions/{sess['id']}/check_in", {"code": code_of(key, w + 1)})
    mark = ok(r)
    assert mark["checked_in_now"] is True, mark
    mark_id = mark["id"]
    roster = ok(admin.get(f"/api/v1/training_sessions/{sess['id']}/attendance"))
    enrolled = [x["person_id"] for x in roster["learners"] if x["enrollment_status"] == "enrolled"]
    assert len(enrolled) > 2, roster
    marks = [{"person_id": p, "status": "excused" if p == me else "present"} for p in enrolled]
    got = ok(admin.post(f"/api/v1/training_sessions/{sess['id']}/attendance", {"marks": marks}))
    assert got["created"] == len(enrolled) - 1 and got["changed"] == 1, got
    # the same roster again, one learner absent after all (a change on the day)
    marks[-1 if enrolled[-1] != me else 0]["status"] = "absent"
    got = ok(admin.post(f"/api/v1/training_sessions/{sess['id']}/attendance", {"marks": marks}))
    assert got["changed"] == 1, got
    # a past session of the demo corrected, with a reason (an entry of its own)
    past = ok(admin.get(f"/api/v1/training_sessions?cohort={cohort['id']}&limit=5"))["items"][0]
    assert past["date"] < today, past
    old = [x for x in ok(admin.get(f"/api/v1/training_sessions/{past['id']}/attendance"))["learners"]
           if x.get("mark")]
    x = old[0]
    new = "excused" if x["mark"]["status"] != "excused" else "present"
    got = ok(admin.post(f"/api/v1/training_sessions/{past['id']}/attendance",
                        {"marks": [{"person_id": x["person_id"], "status": new}], "reason": "entry_error"}))
    assert got["changed"] == 1, got
    # assessment: a learner of a demo event adds evidence and appeals a result, which is decided
    res = ok(admin.get("/api/v1/assessment_results?limit=1"))["items"][0]
    name = uniq("learner").replace("-", ".")
    make_user(admin, name, "learner", person=res["person_id"])
    assessed = s.anon.login(name, user_password(name))
    ok(assessed.request("POST", f"/api/v1/assessments/{res['assessment_id']}/evidence?person={res['person_id']}"
                                "&name=work.png", raw=PNG, content_type="image/png"), 201)
    ap = ok(assessed.post("/api/v1/assessment_appeals", {"result_id": res["id"], "reason": "other"}), 201)
    ok(admin.post(f"/api/v1/assessment_appeals/{ap['id']}/decision", {"status": "dismissed"}))
    # a program's threshold
    used = {t["program_id"] for t in ok(admin.get("/api/v1/attendance_thresholds?limit=100"))["items"]}
    prog = next(p for p in ok(admin.get("/api/v1/programs?limit=100"))["items"] if p["id"] not in used)
    ok(admin.post("/api/v1/attendance_thresholds", {"program_id": prog["id"], "percent": 75}), 201)
    return mark_id, sess["id"]


def competition_in_bulk(s):
    """An edition set up and marked with the bulk routes: a scheme imported
    from CSV and copied, judges assigned in one call each, competitors and a
    category's marks in one call."""
    admin = s.c["admin"]
    region = ok(admin.get("/api/v1/areas?level=region&limit=1"))["items"][0]
    ed = ok(admin.post("/api/v1/editions", {"year": 2027, "name": uniq("Audit "), "area_id": region["id"],
                                            "start_date": "2027-10-01", "end_date": "2027-10-03"}), 201)
    cats = [ok(admin.post("/api/v1/categories", {"edition_id": ed["id"], "name": uniq(n), "isco_code": "7512"}), 201)
            for n in ("Pastry ", "Bakery ")]
    ok(admin.request("POST", f"/api/v1/categories/{cats[0]['id']}/scheme", raw=SCHEME, content_type="text/csv"), 201)
    ok(admin.post(f"/api/v1/categories/{cats[1]['id']}/scheme/copy", {"from_category_id": cats[0]["id"]}), 201)
    judges = {}
    for c in cats:
        for _ in range(3):
            name = uniq("judge").replace("-", ".")
            j = ok(admin.post(f"/api/v1/categories/{c['id']}/judges",
                              {"person": {"given_name": uniq("Judge ")}, "username": name}), 201)
            judges.setdefault(c["id"], []).append(s.anon.first_login(name, j["password"]))
    ok(admin.post(f"/api/v1/editions/{ed['id']}/transition", {"to": "registration"}))
    inst = ok(admin.get("/api/v1/institutions?limit=1"))["items"][0]
    people = [p for p in ok(admin.get("/api/v1/persons?limit=100"))["items"] if p["sourced_id"].startswith("L")][:6]
    for i, c in enumerate(cats):
        rows = [{"person_id": p["id"], "institution_id": inst["id"], "consent": True}
                for p in people[3 * i:3 * i + 3]]
        ok(admin.post(f"/api/v1/categories/{c['id']}/competitors", {"competitors": rows}), 201)
    ok(admin.post(f"/api/v1/editions/{ed['id']}/transition", {"to": "marking"}))
    cat = cats[0]
    asp = {a["code"]: a for a in ok(admin.get(f"/api/v1/aspects?category={cat['id']}&limit=100"))["items"]}
    comps = ok(admin.get(f"/api/v1/competitors?category={cat['id']}&limit=100"))["items"]
    first = judges[cat["id"]][0]
    ok(first.post(f"/api/v1/competitors/{comps[0]['id']}/marks",
                  {"marks": [{"aspect_id": asp["A1"]["id"], "value": 15}]}), 201)
    sheet = [{"competitor_id": c["id"], "aspect_id": a["id"], "value": v} for c in comps
             for a, v in ((asp["A1"], 30), (asp["A2"], 2), (asp["B1"], 0)) if (c, a) != (comps[0], asp["A1"])]
    got = ok(first.post(f"/api/v1/categories/{cat['id']}/marks", {"marks": sheet}), 201)
    assert got["count"] == len(sheet), got


def test_demo_and_the_training_and_bulk_routes_leave_the_log_intact(demo):
    r = verify(demo)
    assert r.returncode == 0 and "audit log intact" in r.stdout, r.stdout[-3000:] + r.stderr
    mark_id, session_id = training(demo)
    competition_in_bulk(demo)
    demo.stop()
    r = verify(demo)
    assert r.returncode == 0 and "audit log intact" in r.stdout, r.stdout[-3000:] + r.stderr
    # a training row edited behind guild's back is named with its table and id
    db_query(demo, "UPDATE attendance_marks SET status = 'present', source = 'trainer' WHERE id = ?", (mark_id,))
    db_query(demo, "UPDATE training_sessions SET place = 'Kitchen 9' WHERE id = ?", (session_id,))
    r = verify(demo)
    assert r.returncode == 1, r.stdout + r.stderr
    out = r.stdout + r.stderr
    assert f"attendance_marks {mark_id}: the row differs" in out, out[-3000:]
    assert f"training_sessions {session_id}: the row differs" in out, out[-3000:]
    assert "2 of " in out and "rows do not match" in out, out[-3000:]
