"""Concurrent clients: optimistic concurrency (one PATCH wins, the other gets
412 and the winner's value is kept) and parallel writes that each land
exactly once, with uniqueness and capacity still holding."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import Client, assert_error, serve, uniq


@pytest.fixture(scope="module")
def server():
    yield from serve(threads=4)


def run_parallel(fn, args, workers=8):
    """Runs fn(*a) for each a, released together by a barrier."""
    barrier = threading.Barrier(min(workers, len(args)))

    def go(a):
        try:
            barrier.wait(timeout=30)
        except threading.BrokenBarrierError:
            pass
        return fn(*a)

    with ThreadPoolExecutor(max_workers=workers) as ex:
        return list(ex.map(go, args))


def test_two_clients_same_etag_one_wins(server, make):
    a, b = server.signed_in(), server.signed_in()
    for round_ in range(10):
        p = make.person(given_name="Original")
        path = f"/api/v1/persons/{p['id']}"
        ra, rb = a.get(path), b.get(path)
        assert ra.header("ETag") == rb.header("ETag") == '"1"'
        results = run_parallel(lambda c, name: c.patch(path, {"given_name": name}, etag='"1"'),
                               [(a, "Alice"), (b, "Bob")], workers=2)
        statuses = sorted(r.status for r in results)
        assert statuses == [200, 412], results
        winner = next(r for r in results if r.status == 200)
        loser = next(r for r in results if r.status == 412)
        assert_error(loser, 412, "precondition_failed")
        final = a.get(path)
        assert final.json["given_name"] == winner.json["given_name"]
        assert final.json["version"] == 2
        assert final.header("ETag") == '"2"'


def test_many_clients_same_etag_exactly_one_wins(server, make):
    c = make.cohort()
    path = f"/api/v1/cohorts/{c['id']}"
    names = [f"term {i}" for i in range(12)]
    results = run_parallel(lambda n: server.signed_in().patch(path, {"name": n}, etag='"1"'),
                           [(n,) for n in names], workers=12)
    ok = [r for r in results if r.status == 200]
    assert len(ok) == 1, results
    assert all(r.status == 412 for r in results if r.status != 200), results
    final = server.signed_in().get(path).json
    assert final["name"] == ok[0].json["name"] and final["version"] == 2


def test_parallel_creates_land_exactly_once(server, api):
    tag = uniq("Par").replace("-", "")
    before = api.get("/api/v1/persons?limit=1").json["total"]
    n = 80
    sids = [f"{tag}-{i}" for i in range(n)]
    results = run_parallel(lambda sid: server.signed_in().post("/api/v1/persons", {"sourced_id": sid,
                                                                                   "given_name": "P",
                                                                                   "family_name": tag}),
                           [(s,) for s in sids], workers=16)
    assert all(r.status == 201 for r in results), [r for r in results if r.status != 201][:3]
    new_ids = [r.json["id"] for r in results]
    assert len(set(new_ids)) == n
    assert api.get("/api/v1/persons?limit=1").json["total"] == before + n
    listed = api.get(f"/api/v1/persons?q={tag}&limit=500").json
    assert listed["total"] == n
    assert sorted(x["sourced_id"] for x in listed["items"]) == sorted(sids)
    for sid in sids[:10]:
        assert api.get(f"/api/v1/persons?sourced_id={sid}").json["total"] == 1


def test_parallel_duplicate_codes_only_one_lands(server, api):
    code = uniq("DUP")
    before = api.get("/api/v1/areas?limit=1").json["total"]
    results = run_parallel(lambda i: server.signed_in().post("/api/v1/areas", {"code": code, "name": f"n{i}",
                                                                               "level": "region"}),
                           [(i,) for i in range(12)], workers=12)
    assert sorted(r.status for r in results) == [201] + [409] * 11, results
    for r in results:
        if r.status == 409:
            assert_error(r, 409, "conflict")
    assert api.get("/api/v1/areas?limit=1").json["total"] == before + 1


def test_parallel_enrollment_respects_capacity(server, api, make):
    cohort = make.cohort(capacity=5)
    people = [make.person() for _ in range(20)]
    results = run_parallel(lambda p: server.signed_in().post("/api/v1/enrollments", {
        "person_id": p["id"], "cohort_id": cohort["id"], "consent": True, "status": "enrolled"}),
        [(p,) for p in people], workers=20)
    statuses = sorted(r.status for r in results)
    assert statuses == [201] * 5 + [409] * 15, statuses
    r = api.get(f"/api/v1/enrollments?cohort={cohort['id']}&status=enrolled")
    assert r.json["total"] == 5


def test_parallel_withdrawals_of_one_enrollment(server, api, make):
    e = make.enrollment(status="enrolled")
    path = f"/api/v1/enrollments/{e['id']}/withdraw"
    results = run_parallel(lambda i: server.signed_in().post(path), [(i,) for i in range(8)], workers=8)
    assert all(r.status == 200 for r in results), results
    versions = {r.json["version"] for r in results}
    assert versions == {e["version"] + 1}  # withdrawn once, the rest saw it done
    assert api.get(f"/api/v1/enrollments/{e['id']}").json["status"] == "withdrawn"


def test_mixed_readers_and_writers(server, api, make):
    a = make.area()
    path = f"/api/v1/areas/{a['id']}"

    def writer(i):
        c = server.signed_in()
        done = 0
        for _ in range(40):
            cur = c.get(path)
            r = c.patch(path, {"name": f"w{i}"}, etag=cur.header("ETag"))
            assert r.status in (200, 412), r
            done += r.status == 200
        return done

    def reader(i):
        c = server.signed_in()
        for _ in range(40):
            r = c.get(path)
            assert r.status == 200 and r.header("ETag") == f'"{r.json["version"]}"'
        return 0

    results = run_parallel(lambda f, i: f(i), [(writer, 0), (writer, 1), (writer, 2), (reader, 3), (reader, 4)],
                           workers=5)
    wins = sum(results)
    assert api.get(path).json["version"] == 1 + wins
