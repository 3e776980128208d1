#!/usr/bin/env python3
"""bench/comp_bulk.py: builds one competition edition of the seed's size
(issue 16: 12 categories, 305 competitors, every mark, every category
locked) through the API twice, each on a fresh server and database: one
record per call (the record routes), then with the bulk routes
(docs/competitions.md, "In bulk"); counts the calls each build makes and
times them. The scheme: three criteria, eight measurement aspects and one
judgement aspect per category (three judges score it): 11 marks a
competitor, 3,355 in all. Three judges per category, of no institution,
each signing in once. What both builds share is set up before the count
and the clock start: the area, 20 institutions and the 305 learners
(`guild import persons` before the server starts).

  python3 bench/comp_bulk.py [--guild BINARY] [--db postgres://...]

--guild defaults to ./guild (make guild), else build/san/guild; --db names
a PostgreSQL server (a database is created for each build), SQLite files
otherwise. Prints one line per build, the calls and seconds of each of its
phases beneath, and their ratios:
  BENCH build=one_by_one calls=N seconds=T ...
  BENCH build=bulk calls=N seconds=T ...
  BENCH ratio calls=Rx seconds=Sx; without the judges' accounts and sign-ins ...
Creating the judges' accounts and signing them in hash and verify
passwords (argon2id): the same work in both builds, which the ratio line
also leaves out. The times include this client's own work (it builds the
requests as it goes). Exits 1 naming the first call that did not answer as
expected."""
import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time

CATEGORIES, COMPETITORS, INSTITUTIONS, JUDGES = 12, 305, 20, 3
PASSWORD = "bench admin pass phrase 2026"   # the throwaway database's administrator
# (criterion, name, weight, [(aspect, kind, max)])
SCHEME = [("A", "Work organisation", 30, [("A1", "measurement", 10), ("A2", "measurement", 10), ("A3", "measurement", 10)]),
          ("B", "Product", 50, [("B1", "measurement", 10), ("B2", "measurement", 10), ("B3", "measurement", 10),
                                ("B4", "judgement", 20)]),
          ("C", "Finish", 20, [("C1", "measurement", 10), ("C2", "measurement", 10)])]
DESCRIPTORS = ["below", "acceptable", "good", "excellent"]


class Api:
    """One keep-alive connection; every request is counted while counting."""

    def __init__(self, port):
        self.port, self.calls, self.counting = port, 0, False
        self.phase, self.phases = "setup", {}   # phase -> [calls, seconds]
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def call(self, method, path, body=None, who=None, csv=None, want=(200, 201)):
        h = {}
        if who:
            h["Cookie"], h["X-CSRF-Token"] = f"guild_session={who[0]}", who[1]
        data = None
        if csv is not None:
            data, h["Content-Type"] = csv.encode(), "text/csv"
        elif body is not None:
            data, h["Content-Type"] = json.dumps(body).encode(), "application/json"
        t0 = time.monotonic()
        self.conn.request(method, path, body=data, headers=h)
        r = self.conn.getresponse()
        raw = r.read()
        if self.counting:
            self.calls += 1
            ph = self.phases.setdefault(self.phase, [0, 0.0])
            ph[0] += 1
            ph[1] += time.monotonic() - t0
        if r.status not in want:
            sys.exit(f"{method} {path} answered {r.status}: {raw[:400]!r}")
        self.last_cookie = r.getheader("Set-Cookie")
        return json.loads(raw) if raw and r.getheader("Content-Type", "").startswith("application/json") else raw

    def login(self, username, password):
        j = self.call("POST", "/api/v1/session", {"username": username, "password": password})
        return self.last_cookie.split(";")[0].split("=", 1)[1], j["csrf_token"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_db(tmp, pg, name):
    if not pg:
        return os.path.join(tmp, name + ".db")
    import psycopg2
    dbname = f"guild_bench_{os.getpid()}_{name}"
    con = psycopg2.connect(pg + "/postgres")
    con.autocommit = True
    con.cursor().execute(f'DROP DATABASE IF EXISTS "{dbname}"')
    con.cursor().execute(f'CREATE DATABASE "{dbname}"')
    con.close()
    return f"{pg}/{dbname}"


def start(guild, tmp, pg, name):
    """A fresh database with the shared reference data and its server."""
    db = new_db(tmp, pg, name)
    subprocess.run([guild, "init", "--db", db, "--password-stdin"], input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True)
    learners = os.path.join(tmp, "learners.csv")
    with open(learners, "w") as f:
        f.write("sourced_id,given_name,family_name\n")
        for i in range(COMPETITORS):
            f.write(f"L{i:04d},Learner{i},Bench\n")
    subprocess.run([guild, "import", "persons", learners, "--db", db, "--quiet"], check=True, capture_output=True)
    port = free_port()
    log = open(os.path.join(tmp, name + ".log"), "w")
    proc = subprocess.Popen([guild, "serve", "--db", db, "--port", str(port), "--threads", "2"], stdout=log,
                            stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    api = Api(port)
    admin = api.login("admin", PASSWORD)
    area = api.call("POST", "/api/v1/areas", {"code": "BR", "name": "Bench region", "level": "region"}, admin)
    insts = [api.call("POST", "/api/v1/institutions", {"name": f"Bench college {i}", "kind": "vocational_college",
                                                       "area_id": area["id"]}, admin)["id"] for i in range(INSTITUTIONS)]
    persons, after = [], 0
    while True:
        page = api.call("GET", f"/api/v1/persons?limit=500&after={after}", who=admin)
        persons += [p["id"] for p in page["items"]]
        if not page["next_after"]:
            break
        after = page["next_after"]
    assert len(persons) == COMPETITORS, len(persons)
    return proc, api, admin, area, insts, persons


def plan(insts, persons):
    """Who competes where (category k: every 12th learner), their institutions, and every mark's value."""
    rnd = random.Random(16)
    cats = [[(p, insts[i % len(insts)]) for i, p in enumerate(persons) if i % CATEGORIES == k] for k in range(CATEGORIES)]
    values = {}
    for k, comps in enumerate(cats):
        for p, _ in comps:
            for _, _, _, aspects in SCHEME:
                for code, kind, mx in aspects:
                    n = JUDGES if kind == "judgement" else 1
                    values[(k, p, code)] = [rnd.randint(0, 3) if kind == "judgement" else rnd.choice((0, mx))
                                            for _ in range(n)]
    return cats, values


def scheme_csv():
    lines = ["criterion_code,criterion_name,criterion_weight,aspect_code,aspect_description,kind,max_mark,part_marks,"
             "descriptors"]
    for code, name, weight, aspects in SCHEME:
        for a, kind, mx in aspects:
            desc = " ;; ".join(DESCRIPTORS) if kind == "judgement" else ""
            lines.append(f"{code},{name},{weight},{a},{a} as marked,{kind},{mx},,{desc}")
    return "\n".join(lines) + "\n"


def edition(api, admin, area):
    ed = api.call("POST", "/api/v1/editions", {"year": 2026, "name": "Bench skills", "area_id": area["id"],
                                               "start_date": "2026-10-01", "end_date": "2026-10-03"}, admin)
    cats = [api.call("POST", "/api/v1/categories", {"edition_id": ed["id"], "name": f"Skill {k}",
                                                    "isco_code": "7512"}, admin) for k in range(CATEGORIES)]
    return ed, cats


def aspect_ids(api, admin, cat):
    items = api.call("GET", f"/api/v1/aspects?category={cat['id']}&limit=100", who=admin)["items"]
    return {a["code"]: a["id"] for a in items}


class OneByOne:
    """The record routes: a call per criterion, aspect, person, account,
    grant, assignment, entry and mark."""

    def scheme(self, api, admin, cats):
        for cat in cats:
            for code, name, weight, aspects in SCHEME:
                crit = api.call("POST", "/api/v1/criteria", {"category_id": cat["id"], "code": code, "name": name,
                                                             "weight": weight}, admin)
                for a, kind, mx in aspects:
                    body = {"criterion_id": crit["id"], "code": a, "description": f"{a} as marked", "kind": kind,
                            "max_mark": mx}
                    if kind == "judgement":
                        body["descriptors"] = DESCRIPTORS
                    api.call("POST", "/api/v1/aspects", body, admin)

    def judge(self, api, admin, cat, name, chief):
        pw = f"pass phrase of {name} 26"
        p = api.call("POST", "/api/v1/persons", {"given_name": name}, admin)
        u = api.call("POST", "/api/v1/users", {"username": name, "display_name": name, "person_id": p["id"],
                                               "password": pw}, admin)
        api.call("POST", "/api/v1/grants", {"user_id": u["id"], "role": "judge"}, admin)
        api.call("POST", "/api/v1/judges", {"category_id": cat["id"], "person_id": p["id"], "chief": chief}, admin)
        return pw

    def enter(self, api, admin, cat, plan):
        return [api.call("POST", "/api/v1/competitors", {"category_id": cat["id"], "person_id": p,
                                                         "institution_id": inst, "consent": True}, admin)["id"]
                for p, inst in plan]

    def mark(self, api, who, cat, sheet):
        for m in sheet:
            api.call("POST", "/api/v1/marks", m, who)


class Bulk:
    """The bulk routes: a scheme imported once and copied, a judge a call,
    a category's entries a call, a judge's sheet of marks a call."""

    def scheme(self, api, admin, cats):
        api.call("POST", f"/api/v1/categories/{cats[0]['id']}/scheme", csv=scheme_csv(), who=admin)
        for cat in cats[1:]:
            api.call("POST", f"/api/v1/categories/{cat['id']}/scheme/copy", {"from_category_id": cats[0]["id"]}, admin)

    def judge(self, api, admin, cat, name, chief):
        r = api.call("POST", f"/api/v1/categories/{cat['id']}/judges",
                     {"person": {"given_name": name}, "username": name, "chief": chief}, admin)
        return r["password"]

    def enter(self, api, admin, cat, plan):
        return api.call("POST", f"/api/v1/categories/{cat['id']}/competitors",
                        {"competitors": [{"person_id": p, "institution_id": inst, "consent": True}
                                         for p, inst in plan]}, admin)["ids"]

    def mark(self, api, who, cat, sheet):
        api.call("POST", f"/api/v1/categories/{cat['id']}/marks", {"marks": sheet}, who)


def build(way, api, admin, area, cats_plan, values):
    """Builds the edition the way `way` does, phase by phase; returns it."""
    api.phase = "edition"
    ed, cats = edition(api, admin, area)
    api.phase = "schemes"
    way.scheme(api, admin, cats)
    api.phase = "judges"
    judges = [[(f"judge{k}x{j}", way.judge(api, admin, cat, f"judge{k}x{j}", j == 0)) for j in range(JUDGES)]
              for k, cat in enumerate(cats)]
    api.phase = "transitions"
    api.call("POST", f"/api/v1/editions/{ed['id']}/transition", {"to": "registration"}, admin)
    api.phase = "competitors"
    entered = [list(zip(way.enter(api, admin, cat, cats_plan[k]), [p for p, _ in cats_plan[k]]))
               for k, cat in enumerate(cats)]
    api.phase = "transitions"
    api.call("POST", f"/api/v1/editions/{ed['id']}/transition", {"to": "marking"}, admin)
    for k, cat in enumerate(cats):
        api.phase = "marks"
        asp = aspect_ids(api, admin, cat)
        for j, (name, pw) in enumerate(judges[k]):
            api.phase = "sign-ins"
            who = api.login(name, pw)
            api.phase = "marks"
            way.mark(api, who, cat, [{"competitor_id": comp, "aspect_id": aid, "value": values[(k, p, code)][j]}
                                     for comp, p in entered[k] for code, aid in asp.items()
                                     if j < len(values[(k, p, code)])])
            if j == 0:
                chief = who
        api.phase = "locks"
        api.call("POST", f"/api/v1/categories/{cat['id']}/lock", who=chief)
    return ed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guild", default="./guild" if os.path.exists("./guild") else "build/san/guild")
    ap.add_argument("--db", default=None, help="postgres://user@host:port (default: SQLite files)")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, way in (("one_by_one", OneByOne()), ("bulk", Bulk())):
            proc, api, admin, area, insts, persons = start(args.guild, tmp, args.db, name)
            try:
                cats_plan, values = plan(insts, persons)
                api.counting = True
                t0 = time.monotonic()
                ed = build(way, api, admin, area, cats_plan, values)
                seconds = time.monotonic() - t0
                api.counting = False
                marks = api.call("GET", f"/api/v1/marks?limit=1", who=admin)["total"]
                res = api.call("GET", f"/api/v1/editions/{ed['id']}/results", who=admin)
                entries = sum(len(c["results"]) for c in res["categories"])
                assert marks == sum(len(v) for v in values.values()) and entries == COMPETITORS, (marks, entries)
                results[name] = (api.calls, seconds, sum(api.phases.get(ph, [0, 0.0])[1] for ph in ("judges", "sign-ins")))
                print(f"BENCH build={name} calls={api.calls} seconds={seconds:.2f} marks={marks} "
                      f"competitors={entries} categories={CATEGORIES}")
                print("  " + " ".join(f"{ph}={n}/{t:.2f}s" for ph, (n, t) in api.phases.items()))
            finally:
                proc.terminate()
                proc.wait(timeout=60)
    (c1, s1, a1), (c2, s2, a2) = results["one_by_one"], results["bulk"]
    print(f"BENCH ratio calls={c1 / c2:.1f}x seconds={s1 / s2:.1f}x; without the judges' accounts and sign-ins "
          f"(argon2id, the same in both): {s1 - a1:.2f}s against {s2 - a2:.2f}s, {(s1 - a1) / (s2 - a2):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
