#!/usr/bin/env python3
"""soak.py: a soak test of a live `guild serve` (run by scripts/soak.sh and
`make soak`; not part of `make test`).

It makes a demo database (`guild demo`, 2000 learners), serves it on a free
loopback port, signs in the demo's administrator, institution staff, trainer
and learner, and for --seconds runs their mixed reads and writes at a
bounded rate (--rate requests per second in all, shared by the workers):
lists, searches, records, key figures and the audit log; new persons,
changes with If-Match, enrollments; a trainer's cohorts and learners; a
learner's own record and export; the public results. Halfway through, the
administrator uploads a CSV import of --import-rows persons
(POST /api/v1/imports), follows it to its end, and has every edition's
results computed (GET /api/v1/editions/{id}/results).

Every answer is checked against the one the request must get (the status,
and for the import its outcome); anything else, a connection failure or a
time-out is an error. The server's resident memory is sampled from
/proc/PID/status: VmRSS (everything, including the database file guild maps
into memory) and RssAnon (the process's own allocations). The start is
taken after a warm-up (a tenth of the run, at most 60 s: caches fill); the
end after the load stops.

Prints requests, errors, throughput, latency percentiles (p50, p99, max;
overall and per operation), the mid-run import and results, and the RSS at
the start (before any load), after the warm-up and at the end, then a
closing line "soak: N passed, N failed". Fails (exit 1) when any request
failed, the server wrote a 5xx or a sanitizer report, did not stop cleanly
on SIGTERM, or its RssAnon at the end exceeds the warm-up's by more than
--rss-bound MiB (default 64: the SQLite page cache of up to 16 MiB that
each of guild's connections, two server threads and the import runner,
may still fill after the warm-up, plus 16 MiB).

Stdlib only (http.client on keep-alive connections, one per worker), like
the API tests' client: the soak needs sign-in with CSRF tokens per role,
an answer checked per request and a scripted import in the middle, which
a load generator such as wrk (bench/) does not give."""
import argparse
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(xs, p):
    """The p-th percentile (nearest rank) of the sorted list xs."""
    if not xs:
        return 0.0
    k = max(0, min(len(xs) - 1, int(round(p / 100.0 * len(xs) + 0.5)) - 1))
    return xs[k]


class Stats:
    """Requests, errors and latencies, shared by the workers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.lat = {}          # operation -> [seconds]
        self.errors = []       # (operation, what)
        self.n = 0

    def add(self, op, seconds, error=None):
        with self.lock:
            self.n += 1
            self.lat.setdefault(op, []).append(seconds)
            if error:
                self.errors.append((op, error))


class Client:
    """One keep-alive connection as one caller (session cookie and CSRF
    token, or anonymous). Each call records one request in stats."""

    def __init__(self, port, stats, cookie=None, csrf=None):
        self.port, self.stats, self.cookie, self.csrf = port, stats, cookie, csrf
        self.conn = None

    def _send(self, method, path, data, headers):
        for attempt in (1, 2):   # a keep-alive connection the server closed is opened again, once
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                body = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, r, body
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise

    def call(self, op, method, path, expect=(200,), body=None, raw=None, ctype="application/json", headers=None):
        """Sends the request; returns (status, response, parsed JSON or None),
        or None when it failed. A status not in expect is an error."""
        h = {}
        if self.cookie:
            h["Cookie"] = f"guild_session={self.cookie}"
        if self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        h.update(headers or {})
        data = None
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
        if data is not None:
            h["Content-Type"] = ctype
        t0 = time.monotonic()
        try:
            status, r, out = self._send(method, path, data, h)
        except Exception as x:   # a time-out or a refused connection: an error
            self.stats.add(op, time.monotonic() - t0, f"{method} {path}: {type(x).__name__}: {x}")
            if self.conn:
                self.conn.close()
            self.conn = None
            return None
        dt = time.monotonic() - t0
        if status not in expect:
            self.stats.add(op, dt, f"{method} {path}: {status} {out[:300]!r}")
            return None
        self.stats.add(op, dt)
        try:
            j = json.loads(out) if out and r.getheader("Content-Type", "").startswith("application/json") else None
        except ValueError:
            j = None
        return status, r, j


def sign_in(port, stats, user, password):
    c = Client(port, stats)
    res = c.call("sign_in", "POST", "/api/v1/session", body={"username": user, "password": password})
    if not res:
        raise SystemExit(f"soak: cannot sign in as {user}: {stats.errors[-1]}")
    status, r, j = res
    cookie = r.getheader("Set-Cookie").split(";")[0].split("=", 1)[1]
    return Client(port, stats, cookie=cookie, csrf=j["csrf_token"])


class Worker(threading.Thread):
    """One caller running its role's operations, weighted, at rate per
    second, until deadline."""

    def __init__(self, name, client, ops, rate, deadline, seed):
        super().__init__(name=name, daemon=True)
        self.client, self.ops, self.rate, self.deadline = client, ops, rate, deadline
        self.rng = random.Random(seed)
        self.mine = []     # [id, etag] of the persons this worker created
        self.seq = 0
        self.weights = [w for w, _ in ops]

    def run(self):
        t_next = time.monotonic()
        while time.monotonic() < self.deadline:
            _, op = self.rng.choices(self.ops, weights=self.weights)[0]
            op(self)
            t_next += 1.0 / self.rate
            pause = t_next - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            else:
                t_next = time.monotonic()   # behind: do not burst to catch up

    # operations shared by the roles ------------------------------------
    def new_person(self, op):
        self.seq += 1
        res = self.client.call(op, "POST", "/api/v1/persons", expect=(201,), body={
            "given_name": self.rng.choice(["Aynur", "Erkin", "Gulnar", "小明", "Dilnur"]),
            "family_name": self.rng.choice(["Tursun", "王", "Abdulla", "Yusup"]),
            "sex": self.rng.choice(["female", "male"]),
            "sourced_id": f"SOAK-{self.name}-{self.seq}"})
        if res:
            self.mine.append([res[2]["id"], res[1].getheader("ETag")])
            return res[2]["id"]
        return None

    def change_person(self, op):
        if not self.mine:
            return self.new_person(op)
        p = self.rng.choice(self.mine)
        res = self.client.call(op, "PATCH", f"/api/v1/persons/{p[0]}", headers={"If-Match": p[1]},
                               body={"phone": f"0998-{self.rng.randrange(1000000, 9999999)}"})
        if res:
            p[1] = res[1].getheader("ETag")


def roles(ctx):
    """The operations of each role: [(weight, function(worker))]."""
    n_person = ctx["persons"]

    def get(path_fn, op):
        return lambda w: w.client.call(op, "GET", path_fn(w))

    admin = [
        (10, get(lambda w: f"/api/v1/persons?limit=50&offset={w.rng.randrange(0, max(1, n_person - 50))}", "persons_page")),
        (6, get(lambda w: f"/api/v1/persons?q={urllib.parse.quote(w.rng.choice(['A', 'G', 'M', 'T', '王', 'Y']))}&limit=20", "persons_search")),
        (10, get(lambda w: f"/api/v1/persons/{w.rng.randrange(1, n_person + 1)}", "person_get")),
        (4, get(lambda w: "/api/v1/cohorts?limit=50", "cohorts")),
        (3, get(lambda w: "/api/v1/stats/overview", "stats")),
        (2, get(lambda w: "/api/v1/audit?limit=20", "audit")),
        (4, lambda w: w.new_person("person_create")),
        (4, lambda w: w.change_person("person_change")),
    ]
    inst, cohorts = ctx["staff_institution"], ctx["staff_cohorts"]

    def enroll(w):
        pid = w.new_person("person_create")
        if pid:
            w.client.call("enrollment_create", "POST", "/api/v1/enrollments", expect=(201,), body={
                "person_id": pid, "cohort_id": w.rng.choice(cohorts), "status": "applied", "consent": True})

    staff = [
        (10, get(lambda w: f"/api/v1/persons?institution={inst}&limit=50", "persons_page")),
        (6, get(lambda w: f"/api/v1/enrollments?institution={inst}&limit=50", "enrollments_page")),
        (4, get(lambda w: f"/api/v1/cohorts?institution={inst}", "cohorts")),
        (3, enroll),
        (3, lambda w: w.change_person("person_change")),
    ]
    tcoh = ctx["trainer_cohorts"]
    trainer = [
        (4, get(lambda w: "/api/v1/cohorts", "cohorts")),
        (6, get(lambda w: f"/api/v1/enrollments?cohort={w.rng.choice(tcoh)}", "enrollments_page")),
        (4, get(lambda w: f"/api/v1/persons?cohort={w.rng.choice(tcoh)}", "persons_page")),
        (2, get(lambda w: "/api/v1/me", "me")),
    ]
    editions = ctx["editions"]
    learner = [
        (4, get(lambda w: "/api/v1/me", "me")),
        (2, get(lambda w: "/api/v1/me/export", "me_export")),
        (3, get(lambda w: "/api/v1/enrollments", "enrollments_page")),
        (2, get(lambda w: "/api/v1/public/editions", "public_editions")),
        (2, get(lambda w: f"/api/v1/public/editions/{w.rng.choice(ctx['published'])}/results", "public_results")),
    ]
    return {"admin": admin, "staff": staff, "trainer": trainer, "learner": learner}, editions


def mid_run(ctx, client, rows, out):
    """The import and the results computation, halfway."""
    lines = ["sourced_id,given_name,family_name,sex,birth_date"]
    for i in range(rows):
        lines.append(f"SOAK-IMPORT-{i},Name{i},Family{i % 97},{'female' if i % 2 else 'male'},"
                     f"{1990 + i % 15}-0{1 + i % 9}-1{i % 10}")
    data = ("\n".join(lines) + "\n").encode()
    t0 = time.monotonic()
    res = client.call("import_upload", "POST", "/api/v1/imports?kind=persons&name=soak.csv", expect=(202,),
                      raw=data, ctype="text/csv")
    out["import"] = "upload refused"
    if res:
        jid = res[2]["id"]
        while time.monotonic() - t0 < 600:
            r = client.call("import_poll", "GET", f"/api/v1/imports/{jid}")
            if not r:
                break
            st = r[2]["status"]
            if st in ("done", "failed"):
                created = r[2]["counts"]["created"]
                out["import"] = f"{st}, {created} of {rows} rows created, in {time.monotonic() - t0:.1f} s"
                if st != "done" or created != rows:
                    client.stats.add("import_outcome", 0, f"import {jid}: {st}, {created} of {rows} created")
                break
            time.sleep(0.5)
        else:
            client.stats.add("import_outcome", 0, f"import {jid} did not end in 600 s")
    res_t = []
    for eid in ctx["editions"]:
        t1 = time.monotonic()
        if client.call("results", "GET", f"/api/v1/editions/{eid}/results"):
            res_t.append(time.monotonic() - t1)
    out["results"] = (f"{len(res_t)} of {len(ctx['editions'])} editions, "
                      f"{(sum(res_t) / len(res_t) if res_t else 0) * 1000:.0f} ms each on average")


def rss(pid):
    """(VmRSS, RssAnon) of pid in MiB."""
    v = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, rest = line.partition(":")
            if k in ("VmRSS", "RssAnon"):
                v[k] = int(rest.split()[0]) / 1024.0
    return v.get("VmRSS", 0.0), v.get("RssAnon", 0.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--guild", default="./guild", help="the guild binary (default ./guild, the release build)")
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--rate", type=float, default=150, help="requests per second, all workers together")
    ap.add_argument("--learners", type=int, default=2000)
    ap.add_argument("--import-rows", type=int, default=5000)
    ap.add_argument("--threads", type=int, default=2, help="guild serve --threads")
    ap.add_argument("--rss-bound", type=float, default=64, help="MiB RssAnon may grow after the warm-up")
    a = ap.parse_args()
    guild = os.path.abspath(a.guild)
    tmp = tempfile.mkdtemp(prefix="guild-soak-")
    dbp = os.path.join(tmp, "soak.db")
    demo = subprocess.run([guild, "demo", "--db", dbp, "--learners", str(a.learners)],
                          capture_output=True, text=True, check=True).stdout
    pw = dict(re.findall(r"^\s+(\w+)\s+\w+\s+(\S+)$", demo, re.M))
    port = free_port()
    log_path = os.path.join(tmp, "serve.log")
    log = open(log_path, "w+")
    env = dict(os.environ, TMPDIR=tmp)
    proc = subprocess.Popen([guild, "serve", "--db", dbp, "--port", str(port), "--threads", str(a.threads)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    for _ in range(400):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("soak: guild serve exited: " + open(log_path).read()[-2000:])
            time.sleep(0.05)
    stats = Stats()
    rss_start = rss(proc.pid)
    c = {r: sign_in(port, stats, r, pw[r]) for r in ("admin", "staff", "trainer", "learner")}
    _, _, me = c["staff"].call("setup", "GET", "/api/v1/me")
    inst = [g["institution_id"] for g in me["roles"] if g.get("institution_id")][0]
    _, _, co = c["staff"].call("setup", "GET", f"/api/v1/cohorts?institution={inst}&limit=100")
    _, _, tco = c["trainer"].call("setup", "GET", "/api/v1/cohorts?limit=100")
    _, _, pe = c["admin"].call("setup", "GET", "/api/v1/persons?limit=1")
    _, _, ed = c["admin"].call("setup", "GET", "/api/v1/editions?limit=50")
    ctx = {"persons": pe["total"], "staff_institution": inst, "staff_cohorts": [x["id"] for x in co["items"]],
           "trainer_cohorts": [x["id"] for x in tco["items"]], "editions": [x["id"] for x in ed["items"]],
           "published": [x["id"] for x in ed["items"] if x["state"] == "published"]}
    ops, _ = roles(ctx)
    # several workers per role, as several people at once: 3 administrators, 3 staff, 2 trainers, 2 learners
    plan = [("admin", 3), ("staff", 3), ("trainer", 2), ("learner", 2)]
    nworkers = sum(n for _, n in plan)
    t_start = time.monotonic()
    deadline = t_start + a.seconds
    workers = []
    for role, n in plan:
        for i in range(n):
            cl = Client(port, stats, cookie=c[role].cookie, csrf=c[role].csrf)
            workers.append(Worker(f"{role}{i}", cl, ops[role], a.rate / nworkers, deadline, seed=len(workers)))
    n_setup = stats.n
    for w in workers:
        w.start()
    warm = min(60.0, a.seconds / 10)
    time.sleep(warm)
    rss_warm = rss(proc.pid)
    samples = [(warm, rss_warm)]
    mid = {}
    mid_thread = None
    while time.monotonic() < deadline:
        now = time.monotonic() - t_start
        if mid_thread is None and now >= a.seconds / 2:
            mid_thread = threading.Thread(target=mid_run, args=(ctx, Client(port, stats, c["admin"].cookie,
                                                                            c["admin"].csrf), a.import_rows, mid))
            mid_thread.start()
        time.sleep(min(5.0, max(0.05, deadline - time.monotonic())))
        samples.append((time.monotonic() - t_start, rss(proc.pid)))
    for w in workers:
        w.join(timeout=120)
    if mid_thread:
        mid_thread.join(timeout=700)
    elapsed = time.monotonic() - t_start
    rss_end = rss(proc.pid)
    proc.terminate()
    try:
        rc = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = proc.wait()
    log.flush()
    log.seek(0)
    text = log.read()
    fails = []
    bad = [l for l in text.splitlines() if re.match(r"access \S+ \S+ 5\d\d ", l)]
    if bad:
        fails.append(f"{len(bad)} 5xx answers in the server's log, e.g. {bad[0]}")
    if "ERROR: AddressSanitizer" in text or "runtime error" in text or "LeakSanitizer" in text:
        fails.append("a sanitizer report in the server's log")
    if rc != 0:
        fails.append(f"guild serve exited {rc} on SIGTERM")

    allat = sorted(x for v in stats.lat.values() for x in v)
    n_err = len(stats.errors)
    print(f"soak: {elapsed:.0f} s against {os.path.relpath(guild)} (serve --threads {a.threads}), demo of "
          f"{a.learners} learners; {nworkers} workers (admin 3, staff 3, trainer 2, learner 2) at {a.rate:g} req/s")
    print(f"requests: {stats.n} ({stats.n - n_setup} under load, {(stats.n - n_setup) / elapsed:.1f}/s), "
          f"errors: {n_err}")
    print(f"latency: p50 {percentile(allat, 50) * 1000:.1f} ms, p99 {percentile(allat, 99) * 1000:.1f} ms, "
          f"max {allat[-1] * 1000 if allat else 0:.1f} ms")
    for op in sorted(stats.lat):
        xs = sorted(stats.lat[op])
        print(f"  {op:18s} {len(xs):7d}  p50 {percentile(xs, 50) * 1000:7.1f} ms  p99 {percentile(xs, 99) * 1000:7.1f} ms"
              f"  max {xs[-1] * 1000:7.1f} ms")
    print(f"mid-run import of {a.import_rows} persons: {mid.get('import', 'not run')}")
    print(f"mid-run results: {mid.get('results', 'not run')}")
    peak = max(s[1][1] for s in samples + [(0, rss_end)])
    print(f"RSS (MiB, VmRSS / RssAnon): start {rss_start[0]:.1f} / {rss_start[1]:.1f}, after {warm:.0f} s warm-up "
          f"{rss_warm[0]:.1f} / {rss_warm[1]:.1f}, end {rss_end[0]:.1f} / {rss_end[1]:.1f} "
          f"(RssAnon peak {peak:.1f}; bound: end <= warm-up + {a.rss_bound:g})")
    for op, what in stats.errors[:20]:
        print(f"  error: {op}: {what}")
    if n_err:
        fails.append(f"{n_err} requests failed")
    if rss_end[1] > rss_warm[1] + a.rss_bound:
        fails.append(f"RssAnon grew by {rss_end[1] - rss_warm[1]:.1f} MiB after the warm-up "
                     f"(bound {a.rss_bound:g} MiB)")
    for f in fails:
        print("soak: FAILED: " + f)
    if not fails:
        subprocess.run(["rm", "-rf", tmp])
    else:
        print(f"soak: the database and the server's log are kept in {tmp}")
    print(f"soak: {0 if fails else 1} passed, {1 if fails else 0} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
