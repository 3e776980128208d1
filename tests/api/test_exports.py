"""Exports: GET /api/v1/{persons,enrollments,programs,cohorts}/export as CSV
and XLSX, the competition results as XLSX, and a learner's own data as CSV
(GET /api/v1/me/export?format=csv).

The CSV is read back with Python's csv module and compared, cell by cell,
with the same records read through the JSON list; the XLSX is opened with
zipfile and its XML read to check the header row, the frozen pane, typed
cells (numbers as numbers, dates and times as date cells with a date
format) and column widths, and again with openpyxl as a spreadsheet reader
would. Each caller's export holds exactly the records their list shows."""
import csv
import io
import re
import xml.etree.ElementTree as ET
import zipfile

import openpyxl
import pytest

from conftest import CALLERS, World, assert_error, guild_cli, uniq
from test_competition_stats import hist  # noqa: F401  (a fixture: a published edition)

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LISTS = ["persons", "enrollments", "programs", "cohorts"]


def list_all(client, path):
    """Every record of a JSON list (all pages), by id."""
    out, after = {}, 0
    while True:
        sep = "&" if "?" in path else "?"
        r = client.get(f"{path}{sep}limit=500&after={after}")
        assert r.status == 200, r
        out.update({x["id"]: x for x in r.json["items"]})
        if r.json["next_after"] is None:
            return out
        after = r.json["next_after"]


def csv_rows(r):
    assert r.status == 200, r
    assert r.header("Content-Type") == "text/csv; charset=utf-8", r.headers
    return list(csv.DictReader(io.StringIO(r.body, newline="")))


def cell(v):
    """A JSON value as the CSV writes it."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "; ".join(str(x) for x in v)
    return str(v)


def get_bytes(client, path):
    """GET returning the raw body (XLSX is binary)."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", client.port, timeout=60)
    conn.request("GET", path, headers={"Cookie": f"guild_session={client.cookie}"})
    r = conn.getresponse()
    body, headers = r.read(), dict(r.getheaders())
    conn.close()
    from conftest import record_route
    record_route("GET", path, r.status)
    return r.status, headers, body


class Sheet:
    """One worksheet of an XLSX file, read from its XML."""

    def __init__(self, data, index=1):
        z = zipfile.ZipFile(io.BytesIO(data))
        self.xml = ET.fromstring(z.read(f"xl/worksheets/sheet{index}.xml"))
        styles = ET.fromstring(z.read("xl/styles.xml"))
        fmts = {f.get("numFmtId"): f.get("formatCode") for f in styles.iterfind("m:numFmts/m:numFmt", NS)}
        self.style_format = [fmts.get(x.get("numFmtId"), x.get("numFmtId"))
                             for x in styles.find("m:cellXfs", NS).iterfind("m:xf", NS)]
        self.bold = [x.get("applyFont") == "1" for x in styles.find("m:cellXfs", NS).iterfind("m:xf", NS)]
        self.names = [s.get("name") for s in ET.fromstring(z.read("xl/workbook.xml")).iterfind("m:sheets/m:sheet", NS)]

    def rows(self):
        """[[(type, style format, text)]] per row; type is the cell's t
        attribute ('n' when absent)."""
        out = []
        for row in self.xml.iterfind("m:sheetData/m:row", NS):
            cells = {}
            for c in row.iterfind("m:c", NS):
                col = re.match(r"[A-Z]+", c.get("r")).group(0)
                t = c.get("t", "n")
                text = "".join(c.itertext())
                cells[col] = (t, self.style_format[int(c.get("s", "0"))], text, self.bold[int(c.get("s", "0"))])
            width = max((col_index(k) for k in cells), default=-1) + 1
            out.append([cells.get(col_name(i)) for i in range(width)])
        return out

    def pane(self):
        return self.xml.find("m:sheetViews/m:sheetView/m:pane", NS)

    def widths(self):
        return {int(c.get("min")): float(c.get("width")) for c in self.xml.iterfind("m:cols/m:col", NS)}


def col_index(name):
    n = 0
    for ch in name:
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


@pytest.fixture(scope="module")
def w(server):
    world = World(server)
    make = world.make
    # values that need quoting in CSV, and names in other scripts
    world.odd = make.person(given_name='Say "hi", friend', family_name="O'Brien, Jr", sex="male",
                            birth_date="1999-12-31", phone="+86 991 555 0199", institution_id=world.A["id"],
                            sourced_id=uniq("ODD-"))
    world.uy = make.person(given_name="گۈلنار", family_name="古丽", institution_id=world.A["id"])
    make.enrollment(world.odd, world.ca1)
    world.skilled = make.program(world.A, skills=["dough; laminating", "cake decoration"])
    return world


# --- CSV: the same records, fields and values as the JSON lists ---------------

@pytest.mark.parametrize("what", LISTS)
def test_csv_equals_the_json_list(w, what):
    api = w.api
    want = list_all(api, f"/api/v1/{what}")
    r = api.get(f"/api/v1/{what}/export")
    rows = csv_rows(r)
    assert r.header("Content-Disposition") == f'attachment; filename="{what}.csv"'
    # header: the JSON record's members, in the same order
    header = next(csv.reader(io.StringIO(r.body)))
    assert header == list(next(iter(want.values())).keys())
    assert [int(x["id"]) for x in rows] == sorted(want), "every record once, in id order"
    for x in rows:
        rec = want[int(x["id"])]
        assert x == {k: cell(v) for k, v in rec.items()}, x


def test_csv_quotes_and_scripts_round_trip(w):
    rows = {int(x["id"]): x for x in csv_rows(w.api.get("/api/v1/persons/export"))}
    odd = rows[w.odd["id"]]
    assert (odd["given_name"], odd["family_name"], odd["birth_date"]) == ('Say "hi", friend', "O'Brien, Jr",
                                                                           "1999-12-31")
    assert (rows[w.uy["id"]]["given_name"], rows[w.uy["id"]]["family_name"]) == ("گۈلنار", "古丽")
    prog = {int(x["id"]): x for x in csv_rows(w.api.get("/api/v1/programs/export"))}[w.skilled["id"]]
    assert prog["skills"] == "dough; laminating; cake decoration"


def test_filters_are_the_lists(w):
    api = w.api
    for what, q in [("persons", f"institution={w.A['id']}"), ("persons", "q=Gulnar"),
                    ("persons", f"area={w.town['id']}"), ("enrollments", "status=enrolled"),
                    ("enrollments", f"cohort={w.ca1['id']}"), ("cohorts", f"program={w.pa['id']}"),
                    ("cohorts", "active_on=2026-04-01"), ("programs", "isco_code=7512")]:
        want = sorted(list_all(api, f"/api/v1/{what}?{q}"))
        got = [int(x["id"]) for x in csv_rows(api.get(f"/api/v1/{what}/export?{q}"))]
        assert got == want and got, (what, q)
    assert [int(x["id"]) for x in csv_rows(api.get(f"/api/v1/persons/export?sourced_id={w.odd['sourced_id']}"))] \
        == [w.odd["id"]]
    # the list's checks, and no paging: the whole list or nothing
    assert_error(api.get("/api/v1/persons/export?status=enrolled"), 422, "validation", field="status")
    assert_error(api.get("/api/v1/enrollments/export?status=sleeping"), 422, "validation", field="status")
    assert_error(api.get("/api/v1/persons/export?area=0"), 422, "validation", field="area")
    assert_error(api.get("/api/v1/persons/export?limit=10"), 422, "validation", field="limit")
    assert_error(api.get("/api/v1/persons/export?format=pdf"), 422, "validation", field="format")
    assert_error(api.get("/api/v1/persons/export?format=json"), 422, "validation", field="format")
    # HEAD: the headers, no body
    h = api.request("HEAD", "/api/v1/persons/export")
    assert h.status == 200 and h.body == "" and h.header("Content-Type").startswith("text/csv")


# --- scope: an export holds exactly what the caller's list holds --------------

@pytest.mark.parametrize("caller", [c for c in CALLERS if c != "anonymous"])
def test_export_scope_equals_list_scope(w, caller):
    client = w.c[caller]
    for what in LISTS:
        lst = client.get(f"/api/v1/{what}?limit=1")
        exp = client.get(f"/api/v1/{what}/export")
        assert exp.status == lst.status, (caller, what, exp)
        if lst.status != 200:
            assert_error(exp, 403, "forbidden")
            continue
        got = [int(x["id"]) for x in csv_rows(exp)]
        assert got == sorted(list_all(client, f"/api/v1/{what}")), (caller, what)


def test_staff_export_holds_only_their_institution(w):
    staff = w.c["staff_a"]
    got = {int(x["id"]) for x in csv_rows(staff.get("/api/v1/persons/export"))}
    assert {w.l1["id"], w.l2["id"], w.odd["id"], w.uy["id"]} <= got
    assert w.lb["id"] not in got and w.j["id"] not in got
    enr = {int(x["id"]) for x in csv_rows(staff.get("/api/v1/enrollments/export"))}
    assert {w.e1["id"], w.e2["id"]} <= enr and w.eb["id"] not in enr
    assert_error(staff.get(f"/api/v1/persons/export?institution={w.B['id']}"), 403, "forbidden", field="institution")
    assert {int(x["id"]) for x in csv_rows(w.c["staff_b"].get("/api/v1/persons/export"))} == {w.lb["id"]}
    learner = w.c["learner"]
    assert {int(x["id"]) for x in csv_rows(learner.get("/api/v1/enrollments/export"))} == {w.e1["id"], w.e1w["id"]}
    assert_error(learner.get("/api/v1/persons/export"), 403, "forbidden")
    assert_error(w.c["anonymous"].get("/api/v1/persons/export"), 401, "unauthorized")


# --- XLSX: header, frozen pane, typed cells, widths -----------------------------

def test_xlsx_persons_typed_cells(w):
    status, headers, data = get_bytes(w.api, "/api/v1/persons/export?format=xlsx")
    assert status == 200
    assert headers["Content-Type"] == XLSX
    assert headers["Content-Disposition"] == 'attachment; filename="persons.xlsx"'
    want = list_all(w.api, "/api/v1/persons")
    sheet = Sheet(data)
    assert sheet.names == ["persons"]
    pane = sheet.pane()
    assert pane is not None and pane.get("state") == "frozen" and pane.get("ySplit") == "1"
    rows = sheet.rows()
    header = [c[2] for c in rows[0]]
    assert header == list(next(iter(want.values())).keys())
    assert all(c[3] for c in rows[0]), "the header row is bold"
    assert len(rows) == 1 + len(want)
    col = {name: i for i, name in enumerate(header)}
    by_id = {int(r[0][2]): r for r in rows[1:]}
    assert sorted(by_id) == sorted(want)
    odd = by_id[w.odd["id"]]
    # numbers are numbers, with no date format
    for name in ["id", "version", "institution_id"]:
        t, fmt, text, _ = odd[col[name]]
        assert t == "n" and not re.search(r"[ymd]", str(fmt)), (name, odd[col[name]])
    assert int(odd[col["institution_id"]][2]) == w.A["id"]
    # a date is a number with a date format: 1999-12-31 is Excel day 36525
    t, fmt, text, _ = odd[col["birth_date"]]
    assert t == "n" and fmt == "yyyy-mm-dd" and float(text) == 36525
    # times too (UTC), with the time of day
    t, fmt, text, _ = odd[col["created_at"]]
    assert t == "n" and fmt == "yyyy-mm-dd hh:mm:ss" and float(text) > 45000
    # text is text, exactly
    t, _, text, _ = odd[col["given_name"]]
    assert t == "inlineStr" and text == 'Say "hi", friend'
    # no value: no cell
    assert len(odd) <= col["erased_at"] or odd[col["erased_at"]] is None
    # widths follow the longest value (header included), within bounds
    widths = sheet.widths()
    assert set(widths) == set(range(1, len(header) + 1))
    assert widths[col["id"] + 1] < widths[col["given_name"] + 1] <= 62


def test_xlsx_read_by_a_spreadsheet_library(w):
    status, _, data = get_bytes(w.api, f"/api/v1/enrollments/export?format=xlsx&cohort={w.ca1['id']}")
    assert status == 200
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["enrollments"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    want = list_all(w.api, f"/api/v1/enrollments?cohort={w.ca1['id']}")
    assert header == list(next(iter(want.values())).keys())
    got = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        got[row[0]] = dict(zip(header, row))
    assert sorted(got) == sorted(want)
    e1 = got[w.e1["id"]]
    assert isinstance(e1["person_id"], int) and e1["person_id"] == w.l1["id"]
    assert e1["status"] == "enrolled"
    assert e1["consent_at"].strftime("%Y-%m-%dT%H:%M:%SZ") == want[w.e1["id"]]["consent_at"]
    assert e1["withdrawn_at"] is None


def test_programs_and_cohorts_xlsx(w):
    for what in ["programs", "cohorts"]:
        status, headers, data = get_bytes(w.api, f"/api/v1/{what}/export?format=xlsx")
        assert status == 200 and headers["Content-Type"] == XLSX
        ws = openpyxl.load_workbook(io.BytesIO(data))[what]
        want = list_all(w.api, f"/api/v1/{what}")
        assert ws.max_row == 1 + len(want)
    ws = openpyxl.load_workbook(io.BytesIO(get_bytes(w.api, "/api/v1/cohorts/export?format=xlsx")[2]))["cohorts"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == w.ca1["id"])
    assert row[header.index("start_date")].date().isoformat() == "2026-03-01"
    assert row[header.index("trainers")] == str(w.t1["id"])
    assert isinstance(row[header.index("capacity")], int)


# --- a long list crosses the batch boundaries ---------------------------------

def test_long_list_exports_every_row_once(server, tmp_path):
    n = 1234   # more than two batches of 500
    path = tmp_path / "many.csv"
    tag = uniq("LONG")
    path.write_text("sourced_id,given_name\n" + "".join(f"{tag}-{i},Many{i}\n" for i in range(n)))
    r = guild_cli(server, "import", "persons", str(path), "--quiet")
    assert r.returncode == 0, r.stderr
    api = server.client
    want = list_all(api, "/api/v1/persons")
    got = [int(x["id"]) for x in csv_rows(api.get("/api/v1/persons/export"))]
    assert got == sorted(want) and len(got) >= n
    mine = csv_rows(api.get(f"/api/v1/persons/export?q=Many"))
    assert sum(1 for x in mine if x["sourced_id"].startswith(tag)) == n
    status, _, data = get_bytes(api, "/api/v1/persons/export?format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True)["persons"]
    assert [row[0] for row in ws.iter_rows(min_row=2, values_only=True)] == sorted(want)


# --- results as XLSX ----------------------------------------------------------

def test_results_xlsx(api, server, hist):  # noqa: F811
    ed = hist["new"]["id"]
    status, headers, data = get_bytes(api, f"/api/v1/editions/{ed}/results?format=xlsx")
    assert status == 200 and headers["Content-Type"] == XLSX
    assert headers["Content-Disposition"] == f'attachment; filename="edition-{ed}-results.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["competitors", "institutions"]
    comp = list(wb["competitors"].iter_rows(values_only=True))
    assert comp[0][:4] == ("edition_id", "category_id", "category", "rank")
    got = [(r[4], r[2], r[3], r[9], r[10], r[11]) for r in comp[1:]]
    assert got == [(hist["e"][0]["id"], "Pastry", 1, 100, 720, "gold"),
                   (hist["e"][1]["id"], "Pastry", 2, 0, 680, "silver"),
                   (hist["e"][2]["id"], "Welding", 1, 100, 700, "gold")]
    inst = list(wb["institutions"].iter_rows(values_only=True))
    assert [(r[1], r[2], r[8]) for r in inst[1:]] == [(hist["A"]["id"], 8, 710), (hist["B"]["id"], 3, 680)]
    # the raw mark keeps two decimals as a number format
    sheet = Sheet(data, 1)
    raw = sheet.rows()[1][9]
    assert raw[0] == "n" and raw[1] == "0.00"
    # one table when named; the CSV is unchanged
    one = openpyxl.load_workbook(io.BytesIO(get_bytes(api, f"/api/v1/editions/{ed}/results?format=xlsx&table=institutions")[2]))
    assert one.sheetnames == ["institutions"]
    assert_error(api.get(f"/api/v1/editions/{ed}/results?format=xlsx&table=people"), 422, "validation", field="table")
    pub = get_bytes(server.anon, f"/api/v1/public/editions/{ed}/results?format=xlsx")
    assert pub[0] == 200 and openpyxl.load_workbook(io.BytesIO(pub[2])).sheetnames == ["competitors", "institutions"]


# --- a learner's own data -----------------------------------------------------

def flatten(o):
    """The JSON export as the CSV's (section, record, field) -> value."""
    out = {}

    def walk(section, rec, prefix, v):
        if isinstance(v, dict):
            for k, x in v.items():
                walk(section, rec, f"{prefix}.{k}" if prefix else k, x)
        elif isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v):
            for i, x in enumerate(v):
                walk(section, rec, f"{prefix}[{i}]", x)
        else:
            out[(section, rec, prefix)] = cell(v)

    for key, v in o.items():
        if isinstance(v, dict):
            walk(key, str(v.get("id", "")), "", v)
        elif isinstance(v, list):
            for x in v:
                walk(key, str(x.get("id", "")), "", x)
        else:
            out[("export", "", key)] = cell(v)
    return out


def test_my_data_as_csv(w):
    learner = w.c["learner"]
    js = learner.get("/api/v1/me/export").json
    r = learner.get("/api/v1/me/export?format=csv")
    rows = csv_rows(r)
    assert r.header("Content-Disposition") == 'attachment; filename="my-guild-data.csv"'
    assert list(rows[0].keys()) == ["section", "record", "field", "value"]
    got = {(x["section"], x["record"], x["field"]): x["value"] for x in rows}
    want = flatten(js)
    del want[("export", "", "exported_at")], got[("export", "", "exported_at")]
    assert got == want
    assert got[("person", str(w.l1["id"]), "given_name")] == w.l1["given_name"]
    assert got[("person", str(w.l1["id"]), "birth_date")] == "2004-05-06"
    assert got[("enrollments", str(w.e1["id"]), "status")] == "enrolled"
    assert got[("enrollments", str(w.e1["id"]), "cohort.name")] == w.ca1["name"]
    assert got[("account", str(w.users["learner"]["id"]), "roles[0].role")] == "learner"
    # only their own: nobody else's name is in it
    assert w.l2["given_name"] not in r.body and w.lb["given_name"] not in r.body
    status, headers, data = get_bytes(learner, "/api/v1/me/export?format=xlsx")
    assert status == 200 and openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["export"]
    assert_error(learner.get("/api/v1/me/export?format=pdf"), 422, "validation", field="format")
    # someone with no person record still gets their account
    staff = {(x["section"], x["field"]) for x in csv_rows(w.c["staff_a"].get("/api/v1/me/export?format=csv"))}
    assert ("account", "username") in staff and ("export", "person") in staff
