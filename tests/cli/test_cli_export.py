"""`guild export`: persons, enrollments, programs and cohorts with the API
list's filters, and competition results, as CSV (standard output or --out)
and XLSX. What the command writes is compared with what the API's lists say
about the same database; the XLSX is read back with openpyxl. Usage errors
exit 2 naming the option, a missing edition exits 1."""
import csv
import io
import os
import subprocess
import sys

import openpyxl
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from conftest import GUILD, Factory, serve, uniq  # noqa: E402
from test_competition_stats import hist  # noqa: E402,F401  (a fixture: a published edition)
from test_exports import cell, list_all  # noqa: E402


@pytest.fixture(scope="module")
def server():
    yield from serve()


@pytest.fixture(scope="module")
def world(server, tmp_path_factory):
    api = server.client
    make = Factory(api)
    region, pref, county, town = make.tree()
    inst = make.institution(county)
    prog = make.program(inst, skills=["welding", "safety, first"])
    coh = make.cohort(prog)
    people = [make.person(given_name=uniq("Exp"), family_name="Ölçer, \"Ali\"", home_area_id=town["id"],
                          birth_date="2003-04-05", sourced_id=uniq("EX-")) for _ in range(3)]
    enr = [make.enrollment(p, coh) for p in people[:2]]
    return dict(server=server, api=api, db=server.db, town=town, inst=inst, prog=prog, coh=coh, people=people,
                enr=enr, dir=str(tmp_path_factory.mktemp("export")))


def run(w, *args):
    return subprocess.run([GUILD, "export", *args, "--db", w["db"]], capture_output=True, timeout=120)


def rows_of(r):
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    return list(csv.DictReader(io.StringIO(r.stdout.decode(), newline="")))


@pytest.mark.parametrize("what", ["persons", "enrollments", "programs", "cohorts"])
def test_csv_equals_the_api_list(world, what):
    w = world
    want = list_all(w["api"], f"/api/v1/{what}")
    got = rows_of(run(w, what))
    assert [int(x["id"]) for x in got] == sorted(want)
    for x in got:
        assert x == {k: cell(v) for k, v in want[int(x["id"])].items()}


def test_filters(world):
    w = world
    for what, args, q in [("persons", ["--area", str(w["town"]["id"])], f"area={w['town']['id']}"),
                          ("persons", ["--sourced-id", w["people"][0]["sourced_id"]],
                           f"sourced_id={w['people'][0]['sourced_id']}"),
                          ("persons", ["--q", "exp"], "q=exp"),
                          ("enrollments", ["--cohort", str(w["coh"]["id"]), "--status", "applied"],
                           f"cohort={w['coh']['id']}&status=applied"),
                          ("cohorts", ["--institution", str(w["inst"]["id"])], f"institution={w['inst']['id']}"),
                          ("programs", ["--isco-code", "7512"], "isco_code=7512")]:
        want = sorted(list_all(w["api"], f"/api/v1/{what}?{q}"))
        assert [int(x["id"]) for x in rows_of(run(w, what, *args))] == want and want, (what, args)
    r = run(w, "persons", "--status", "applied")
    assert r.returncode == 2 and b"persons cannot be filtered by --status" in r.stderr
    r = run(w, "persons", "--area", "0")
    assert r.returncode == 2 and b"--area" in r.stderr
    r = run(w, "enrollments", "--status", "sleeping")
    assert r.returncode == 2 and b"--status" in r.stderr


def test_xlsx_to_a_file_and_to_a_pipe(world):
    w = world
    out = os.path.join(w["dir"], "persons.xlsx")
    r = run(w, "persons", "--out", out)   # the format follows the name
    assert r.returncode == 0 and r.stdout == b"", r.stderr
    ws = openpyxl.load_workbook(out)["persons"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    want = list_all(w["api"], "/api/v1/persons")
    assert header == list(next(iter(want.values())).keys())
    got = {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert sorted(got) == sorted(want)
    p = got[w["people"][0]["id"]]
    assert p["birth_date"].date().isoformat() == "2003-04-05" and p["family_name"] == 'Ölçer, "Ali"'
    assert isinstance(p["home_area_id"], int)
    # to standard output when it is not a terminal
    r = run(w, "programs", "--format", "xlsx")
    assert r.returncode == 0
    ws = openpyxl.load_workbook(io.BytesIO(r.stdout))["programs"]
    row = next(x for x in ws.iter_rows(min_row=2, values_only=True) if x[0] == w["prog"]["id"])
    assert "welding; safety, first" in row
    # CSV to a file
    out = os.path.join(w["dir"], "c.csv")
    assert run(w, "cohorts", "--out", out).returncode == 0
    with open(out, newline="") as f:
        assert {int(x["id"]) for x in csv.DictReader(f)} == set(list_all(w["api"], "/api/v1/cohorts"))
    r = run(w, "cohorts", "--format", "ods")
    assert r.returncode == 2 and b"--format" in r.stderr
    r = run(w, "cohorts", "--out", os.path.join(w["dir"], "no", "such", "dir.csv"))
    assert r.returncode == 1 and b"cannot write" in r.stderr


def test_results(world, hist):  # noqa: F811
    w = world
    ed = hist["new"]["id"]
    got = rows_of(run(w, "results", str(ed)))
    assert [(int(x["competitor_id"]), x["rank"], x["raw"], x["medal"]) for x in got] == [
        (hist["e"][0]["id"], "1", "100.00", "gold"), (hist["e"][1]["id"], "2", "0.00", "silver"),
        (hist["e"][2]["id"], "1", "100.00", "gold")]
    inst = rows_of(run(w, "results", str(ed), "--table", "institutions"))
    assert [x["points"] for x in inst] == ["8", "3"]
    out = os.path.join(w["dir"], "results.xlsx")
    assert run(w, "results", str(ed), "--out", out).returncode == 0
    assert openpyxl.load_workbook(out).sheetnames == ["competitors", "institutions"]
    r = run(w, "results", "999999")
    assert r.returncode == 1 and b"not found" in r.stderr
    r = run(w, "results", str(ed), "--table", "people")
    assert r.returncode == 2 and b"--table" in r.stderr
    assert run(w, "results").returncode == 2


def test_usage(world):
    r = run(world, "cats")
    assert r.returncode == 2 and b"persons enrollments programs cohorts results" in r.stderr
    assert run(world).returncode == 2
    assert run(world, "persons", "extra").returncode == 2
    h = subprocess.run([GUILD, "help", "export"], capture_output=True, text=True)
    assert h.returncode == 0 and "--sourced-id" in h.stdout and "export results EDITION_ID" in h.stdout
