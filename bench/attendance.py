#!/usr/bin/env python3
"""bench/attendance.py: drives the attendance marking row of bench/run.sh.
Takes the attendance of every session of a database filled by
bench/fill_attendance.sql (S = 1: session k is cohort k's, whose learners
are persons C + (k - 1) * L + 1 .. C + k * L) through the API, one bulk call
per session, in order, over one keep-alive connection, as a signed-in user.
The bodies are built before the clock starts. Prints one line:
  BENCH calls=N rows=M seconds=T
and exits 1 naming the first call that did not answer 200."""
import http.client
import json
import sys
import time

STATUSES = ["present"] * 16 + ["late", "excused", "absent", "absent"]


def main():
    port, cookie, csrf, cohorts, learners = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    headers = {"Cookie": f"guild_session={cookie}", "X-CSRF-Token": csrf, "Content-Type": "application/json"}
    bodies = []
    for k in range(1, cohorts + 1):
        first = cohorts + (k - 1) * learners
        marks = [{"person_id": first + j, "status": STATUSES[(k * 7 + j * 13) % 20]} for j in range(1, learners + 1)]
        bodies.append((f"/api/v1/training_sessions/{k}/attendance", json.dumps({"marks": marks})))
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
    t0 = time.monotonic()
    for path, body in bodies:
        conn.request("POST", path, body=body, headers=headers)
        r = conn.getresponse()
        answer = r.read()
        if r.status != 200:
            print(f"POST {path} answered {r.status}: {answer[:300]!r}", file=sys.stderr)
            return 1
    t1 = time.monotonic()
    conn.close()
    print(f"BENCH calls={len(bodies)} rows={cohorts * learners} seconds={t1 - t0:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
