"""`guild competition`: a small competition run from the command line (the
reference data - areas, institutions, persons, categories - through the
API): scheme import and export round trip, a bad scheme row refused naming
row and column with nothing written, scheme copy, entries refused without
consent, judges, marks import (all or nothing), lock, publish, results in
three formats with hand-checked numbers, and statistics across two editions."""
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from conftest import Factory, GUILD, Server, created, uniq  # noqa: E402

SCHEME = (
    "criterion_code,criterion_name,criterion_weight,aspect_code,aspect_description,kind,max_mark,part_marks,"
    "descriptors\n"
    "A,Product,100,A1,weight,measurement,40,20 | within 5% of the target weight ;; 30 | within 2%,\n"
    "A,Product,100,A2,\"finish, shine\",judgement,60,,below ;; acceptable ;; good ;; excellent\n")


def run(*args, db=None):
    return subprocess.run([GUILD, "competition", *args, "--db", db], capture_output=True, text=True, timeout=120)


def ok(r):
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def world():
    with tempfile.TemporaryDirectory() as d:
        s = Server(d)
        try:
            api = s.client
            make = Factory(api)
            region, _, county, _ = make.tree()
            w = dict(dir=d, db=s.db, api=api, region=region, county=county)
            w["A"], w["B"], w["C"] = (make.institution(county, name=uniq(n)) for n in ("A ", "B ", "C "))
            w["p"] = [make.person(given_name=g, **kw) for g, kw in
                      (("Ayla", {"sex": "female"}), ("Bilal", {"sex": "male"}), ("Chen", {"sex": "female"}),
                       ("Dilnur", {}))]
            w["j"] = [make.person(given_name=uniq("Judge")) for _ in range(3)]
            yield w
        finally:
            s.stop()


def write(w, name, text):
    path = os.path.join(w["dir"], name)
    with open(path, "w") as f:
        f.write(text)
    return path


def create_edition(w, year):
    out = ok(run("create", "--year", str(year), "--name", f"{year} regional skills", "--area", str(w["region"]["id"]),
                 "--start", f"{year}-10-01", "--end", f"{year}-10-03", db=w["db"]))
    m = re.match(r"edition (\d+) created: .* \(draft\)", out)
    assert m, out
    return int(m.group(1))


def category(w, ed, name):
    return created(w["api"].post("/api/v1/categories", {"edition_id": ed, "name": name, "isco_code": "7512"}))["id"]


def count(w, path):
    r = w["api"].get(path)
    assert r.status == 200, r
    return r.json["total"]


def test_competition_from_the_command_line(world):
    w, db = world, world["db"]
    # --- last year: the scheme imported, exported identically -------------------
    ed25 = create_edition(w, 2025)
    cat25 = category(w, ed25, "Pastry")
    ok(run("scheme", "import", str(cat25), write(w, "scheme.csv", SCHEME), db=db))
    aspects = w["api"].get(f"/api/v1/aspects?category={cat25}").json["items"]
    assert [(a["code"], a["kind"], a["max_mark"]) for a in aspects] == [("A1", "measurement", 40),
                                                                         ("A2", "judgement", 60)]
    assert aspects[0]["part_marks"] == ["20 | within 5% of the target weight", "30 | within 2%"]
    assert aspects[1]["description"] == "finish, shine" and len(aspects[1]["descriptors"]) == 4
    assert ok(run("scheme", "export", str(cat25), db=db)) == SCHEME
    out = os.path.join(w["dir"], "out.csv")
    ok(run("scheme", "export", str(cat25), "--out", out, db=db))
    assert open(out).read() == SCHEME

    # --- this year: a bad row is refused naming row and column; nothing written --
    ed26 = create_edition(w, 2026)
    pastry, welding = category(w, ed26, "Pastry"), category(w, ed26, "Welding")
    for bad, where in [(SCHEME.replace("judgement,60", "guesswork,60"), "row 3, column kind"),
                       (SCHEME.replace("measurement,40", "measurement,4O"), "row 2, column max_mark"),
                       (SCHEME.replace("good ;; excellent", "good"), "row 3, column descriptors"),
                       (SCHEME.replace("A,Product,100,A2", "A,Produce,100,A2"), "row 3, column criterion_name"),
                       (SCHEME.replace("judgement,60", "judgement,50"), "row 2, column criterion_weight"),
                       (SCHEME.replace("A2,\"finish, shine\"", "A2,\"finish"), "row 3"),
                       ("criterion,name\nA,B\n", "row 1")]:
        r = run("scheme", "import", str(welding), write(w, "bad.csv", bad), db=db)
        assert r.returncode == 1 and where in r.stderr and "nothing was imported" in r.stderr, (where, r.stderr)
        assert count(w, f"/api/v1/criteria?category={welding}") == 0
    ok(run("scheme", "import", str(welding), write(w, "scheme.csv", SCHEME), db=db))
    # copying last year's scheme; a category that has one is refused
    ok(run("scheme", "copy", "--from", str(cat25), "--to", str(pastry), db=db))
    assert ok(run("scheme", "export", str(pastry), db=db)) == SCHEME
    r = run("scheme", "copy", "--from", str(cat25), "--to", str(pastry), db=db)
    assert r.returncode == 1 and "already has a marking scheme" in r.stderr

    # --- judges, then registration: consent is required ------------------------
    for cat in (cat25, pastry, welding):
        for k, j in enumerate(w["j"]):
            args = ["judges", str(cat), str(j["id"]), "--institution", str(w["C"]["id"])] + (["--chief"] if k == 0 else [])
            ok(run(*args, db=db))
    for ed in (ed25, ed26):
        assert "is now registration" in ok(run("transition", str(ed), "registration", db=db))
    p, A, B = w["p"], str(w["A"]["id"]), str(w["B"]["id"])
    r = run("enter", str(pastry), str(p[0]["id"]), "--institution", A, db=db)
    assert r.returncode == 1 and "consent" in r.stderr
    assert count(w, f"/api/v1/competitors?category={pastry}") == 0
    entries = {}
    for name, cat, person, inst in [("ayla25", cat25, p[0], A), ("bilal25", cat25, p[1], B),
                                    ("ayla", pastry, p[0], A), ("bilal", pastry, p[1], B), ("chen", pastry, p[2], A),
                                    ("dilnur", welding, p[3], B)]:
        out = ok(run("enter", str(cat), str(person["id"]), "--institution", inst, "--consent", db=db))
        entries[name] = int(re.match(r"competitor (\d+) entered", out).group(1))
    assert "is now marking" in ok(run("transition", str(ed26), "marking", db=db))

    # --- marks: a bad file changes nothing; a good one lands ---------------------
    asp = {c: {a["code"]: a["id"] for a in w["api"].get(f"/api/v1/aspects?category={c}").json["items"]}
           for c in (pastry, welding)}
    j1, j2, j3 = (x["id"] for x in w["j"])
    lines = ["competitor_id,aspect_id,judge_person_id,value"]

    def add(who, cat, code, judge, value):
        lines.append(f"{entries[who]},{asp[cat][code]},{judge},{value}")

    # Pastry: Ayla A1 40, A2 3,3,3; Bilal A1 20, A2 3,1,2; Chen A1 0, A2 1,1,0. Welding: Dilnur A1 30, A2 2,2,2
    for who, a1, a2 in [("ayla", 40, (3, 3, 3)), ("bilal", 20, (3, 1, 2)), ("chen", 0, (1, 1, 0))]:
        add(who, pastry, "A1", j1, a1)
        for judge, s in zip((j1, j2, j3), a2):
            add(who, pastry, "A2", judge, s)
    add("dilnur", welding, "A1", j1, 30)
    for judge in (j1, j2, j3):
        add("dilnur", welding, "A2", judge, 2)
    good = "\n".join(lines) + "\n"
    bad = good.replace(f"{entries['chen']},{asp[pastry]['A2']},{j3},0", f"{entries['chen']},{asp[pastry]['A2']},{j3},4")
    r = run("marks", "import", write(w, "bad_marks.csv", bad), db=db)
    assert r.returncode == 1 and "row 13, column value" in r.stderr and "A2" in r.stderr, r.stderr
    r = run("marks", "import", write(w, "bad_marks.csv", good.replace(f",{j1},30", f",{p[0]['id']},30")), db=db)
    assert r.returncode == 1 and "row 14" in r.stderr and "not a judge" in r.stderr, r.stderr
    assert count(w, "/api/v1/marks") == 0
    assert "16 marks imported" in ok(run("marks", "import", write(w, "marks.csv", good), db=db))

    # --- lock, publish --------------------------------------------------------------
    for cat in (pastry, welding):
        assert "locked by cli:" in ok(run("lock", str(cat), db=db))
    ok(run("transition", str(ed26), "locked", db=db))
    assert "is now published" in ok(run("publish", str(ed26), db=db))

    # --- results in three formats ---------------------------------------------------
    # raws: Ayla 40 + 60 = 100; Bilal 20 + 2/3 * 60 = 60; Chen 0 + 2/9 * 60 = 13.33
    # median 60, deviations 40, 0, 46.67: MAD 40, s = 1.4826 * 40 = 59.30
    # standard: 700 + 30 * 40 / 59.30 = 720.2 -> 720; 700; 700 - 30 * 46.67 / 59.30 = 676.4 -> 676
    # Dilnur alone in Welding: 30 + 40 = 70, standard 700, gold
    res = json.loads(ok(run("results", str(ed26), "--format", "json", db=db)))
    pas = [c for c in res["categories"] if c["category_id"] == pastry][0]["results"]
    assert [(x["competitor_id"], x["raw"], x["standard"], x["rank"], x["medal"]) for x in pas] == [
        (entries["ayla"], 100.0, 720, 1, "gold"), (entries["bilal"], 60.0, 700, 2, "silver"),
        (entries["chen"], 13.33, 676, 3, "bronze")]
    # institutions: B silver + gold = 7 (mean 700.0), A gold + bronze = 6 (mean 698.0)
    assert [(x["institution_id"], x["points"]) for x in res["institutions"]] == [(w["B"]["id"], 7), (w["A"]["id"], 6)]
    rows = list(csv.DictReader(io.StringIO(ok(run("results", str(ed26), "--format", "csv", db=db)))))
    assert [(int(x["competitor_id"]), x["raw"], x["standard"], x["medal"]) for x in rows] == [
        (entries["ayla"], "100.00", "720", "gold"), (entries["bilal"], "60.00", "700", "silver"),
        (entries["chen"], "13.33", "676", "bronze"), (entries["dilnur"], "70.00", "700", "gold")]
    text = ok(run("results", str(ed26), db=db))
    assert "Pastry" in text and "Welding" in text and "Ayla" in text
    assert re.search(r"^\s+1\s+%d\s+Ayla\s+%d\s+100\.00\s+720\s+gold$" % (entries["ayla"], w["A"]["id"]), text, re.M)
    assert re.search(r"^\s+%d\s+7\s+1\s+1\s+0\s+0\s+2\s+700\.0$" % w["B"]["id"], text, re.M), text

    # --- statistics across the two editions ------------------------------------------
    st = json.loads(ok(run("stats", "--format", "json", db=db)))
    e25, e26 = ({x["edition_id"]: x for x in st["editions"]}[i] for i in (ed25, ed26))
    assert (e25["participants"], e25["categories"], e25["growth"]["participants"]) == (2, 1, None)
    assert (e26["participants"], e26["categories"], e26["institutions"]) == (4, 2, 2)
    assert e26["competitors_by_sex"] == {"female": 2, "male": 1, "unrecorded": 1}
    # 2 -> 4 participants: +100%; 1 -> 2 categories: +100%
    assert e26["growth"] == {"previous_edition_id": ed25, "participants": 1.0, "categories": 1.0}
    assert [(m["institution_id"], m["points"]) for m in e26["medals_by_institution"]] == \
        [(w["B"]["id"], 7), (w["A"]["id"], 6)]
    assert [(m["area_id"], m["points"]) for m in e26["medals_by_area"]] == [(w["county"]["id"], 13)]
    assert st["totals"]["distinct_competitors"] == 4 and st["totals"]["participants"] == 6
    table = {int(x["edition_id"]): x for x in csv.DictReader(io.StringIO(ok(run("stats", "--format", "csv", db=db))))}
    assert (table[ed26]["participants_growth"], table[ed26]["gold"], table[ed25]["participants_growth"]) == \
        ("1.0000", "2", "")
    text = ok(run("stats", db=db))
    assert re.search(r"^2026\s+%d\s+published\s+4\s+\+100\.0%%\s+2\s+\+100\.0%%\s+2\s+2\s+1\s+1$" % ed26, text, re.M), text
    assert re.search(r"^2025\s+%d\s+registration\s+2\s+-\s+1\s+-" % ed25, text, re.M), text
    # every write is in the audit log and the chain holds
    assert subprocess.run([GUILD, "audit", "verify", "--db", db], capture_output=True).returncode == 0


def test_usage_errors(world):
    db = world["db"]
    assert run("frobnicate", db=db).returncode == 2
    assert run("scheme", "export", db=db).returncode == 2
    assert run("results", "1", "--format", "xml", db=db).returncode == 2
    assert run("lock", "abc", db=db).returncode == 2
    assert run("create", "--year", "2026", db=db).returncode == 2
    r = run("transition", "999999", "marking", db=db)
    assert r.returncode == 1


def test_help_explains_the_formula():
    r = subprocess.run([GUILD, "help", "competition"], capture_output=True, text=True)
    assert r.returncode == 0
    header = open(os.path.join(os.path.dirname(__file__), "..", "..", "src", "domain", "competition", "comp_results.h")).read()
    formula = header[header.index("The formula, for people:"):header.index("*/")]
    for line in formula.splitlines()[1:]:
        line = re.sub(r"^ \* ?", "", line).rstrip()
        if line:
            assert line in r.stdout, line
