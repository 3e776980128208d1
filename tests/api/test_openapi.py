"""The meta routes: health, the ISCO-08 list and the OpenAPI document."""
import pytest

from conftest import assert_error

METHODS = {"get", "post", "patch", "put", "delete", "head", "options"}


def test_index(api):
    r = api.get("/")
    assert r.status == 200
    assert r.json["api"] == "/api/v1"
    ref = api.get(r.json["reference"])
    assert ref.status == 200 and "openapi" in ref.json


def test_health(api):
    r = api.get("/api/v1/health")
    assert r.status == 200
    assert r.json["status"] == "ok"
    assert isinstance(r.json["schema_version"], int) and r.json["schema_version"] >= 1
    assert isinstance(r.json["version"], str) and r.json["version"]


def test_occupations(api):
    r = api.get("/api/v1/occupations")
    assert r.status == 200
    items = r.json["items"]
    assert len(items) == 619
    assert "International Labour Organization" in r.json["attribution"]
    by_code = {x["code"]: x for x in items}
    assert by_code["7512"]["level"] == 4 and by_code["7512"]["parent"] == "751"
    assert "Bakers" in by_code["7512"]["title"]
    assert "parent" not in by_code["7"] or by_code["7"]["parent"] is None
    majors = api.get("/api/v1/occupations?level=1").json["items"]
    assert sorted(x["code"] for x in majors) == [str(i) for i in range(10)]
    units = api.get("/api/v1/occupations?level=4").json["items"]
    assert len(units) == 436 and all(len(x["code"]) == 4 for x in units)
    # q: code prefix or title words, case-insensitive
    got = {x["code"] for x in api.get("/api/v1/occupations?q=751").json["items"]}
    assert got >= {"751", "7511", "7512"} and all(c.startswith("751") for c in got)
    got = {x["code"] for x in api.get("/api/v1/occupations?q=BAKER&level=4").json["items"]}
    assert got == {"7512"}
    assert api.get("/api/v1/occupations?q=zzzzqqq").json["items"] == []


def test_occupations_bad_query(api):
    assert_error(api.get("/api/v1/occupations?level=0"), 422, "validation", field="level")
    assert_error(api.get("/api/v1/occupations?sort=code"), 422, "validation", field="sort")


@pytest.fixture(scope="module")
def doc(api):
    r = api.get("/api/v1/openapi.json")
    assert r.status == 200
    assert r.header("Content-Type").startswith("application/json")
    return r.json


def test_openapi_document(doc):
    assert doc["openapi"].startswith("3.1")
    assert doc["info"]["title"] and doc["info"]["version"]
    schemas = doc["components"]["schemas"]
    assert {"Error", "area", "institution", "program", "cohort", "person", "enrollment"} <= set(schemas)
    err = schemas["Error"]["properties"]["error"]
    assert set(err["properties"]) == {"code", "reason", "params", "message", "field", "rows"}
    assert set(err["properties"]["rows"]["items"]["properties"]) == {"index", "row", "field", "code", "reason", "params", "message"}
    assert set(err["required"]) == {"code", "reason", "message"}
    # the document lists every reason of reasons.def, and only those; each row's reasons too
    from conftest import REASONS
    assert set(err["properties"]["reason"]["enum"]) == REASONS
    assert set(err["properties"]["rows"]["items"]["properties"]["reason"]["enum"]) == REASONS
    assert {"validation", "conflict", "rows_refused", "precondition_failed"} <= set(err["properties"]["code"]["enum"])
    for name in ["area", "institution", "program", "cohort", "person", "enrollment"]:
        s = schemas[name]
        assert s["additionalProperties"] is False
        assert s["properties"]["id"]["readOnly"] is True
        assert s["properties"]["version"]["readOnly"] is True
        # hidden search keys are not part of the API
        assert "name_key" not in s["properties"] and "given_key" not in s["properties"]
    assert schemas["enrollment"]["properties"]["consent"].get("writeOnly") is True
    assert schemas["enrollment"]["properties"]["consent_at"].get("readOnly") is True
    assert schemas["program"]["properties"]["isco_code"]["pattern"] == "^[0-9]{4}$"
    assert set(schemas["area"]["properties"]["level"]["enum"]) == {"region", "prefecture", "county", "township"}
    assert set(schemas["area"]["required"]) == {"code", "name", "level"}


def test_every_operation_is_described(doc):
    op_ids = set()
    for path, item in doc["paths"].items():
        assert path == "/" or path.startswith("/api/v1/")
        for method, op in item.items():
            assert method in METHODS
            assert op["summary"] and op["tags"] and op["responses"]
            assert op["operationId"] not in op_ids
            op_ids.add(op["operationId"])
            params = {p["name"]: p for p in op.get("parameters", [])}
            if "{id}" in path:
                assert params["id"]["in"] == "path" and params["id"]["required"] is True
            codes = set(op["responses"])
            assert any(c.startswith("2") for c in codes)
            assert {"400", "404", "405", "422"} <= codes
            if method == "patch":
                assert params["If-Match"]["in"] == "header" and params["If-Match"]["required"] is True
                assert {"412", "428", "413", "415"} <= codes
                assert op["requestBody"]["required"] is True
            if method == "post" and not path.endswith(("/erase", "/lock", "/password_reset")):
                assert "requestBody" in op
            if method == "delete":
                assert "204" in codes


def test_guard_answers_are_documented(doc):
    """The connection guard's 408, 429 and 503 (and a storage fault's 503)
    on every operation, 429 and 503 with Retry-After."""
    comp = doc["components"]
    assert comp["headers"]["RetryAfter"]["schema"]["type"] == "integer"
    for name, retry in [("RequestTimeout", False), ("TooManyConnections", True), ("Unavailable", True)]:
        r = comp["responses"][name]
        assert r["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        assert ("Retry-After" in r.get("headers", {})) == retry, name
    assert "nothing was saved" in comp["responses"]["Unavailable"]["description"]
    n = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            res = op["responses"]
            assert res["408"] == {"$ref": "#/components/responses/RequestTimeout"}, (path, method)
            assert res["503"] == {"$ref": "#/components/responses/Unavailable"}, (path, method)
            t = res["429"]
            if "$ref" in t:
                assert t == {"$ref": "#/components/responses/TooManyConnections"}
            else:   # sign-in and imports: their own throttle as well
                assert t["headers"]["Retry-After"] == {"$ref": "#/components/headers/RetryAfter"}, (path, method)
                n += 1
    assert n == 2
    assert "sign-ins" in doc["paths"]["/api/v1/session"]["post"]["responses"]["429"]["description"]


def test_list_operations_document_their_filters(doc, api):
    """Every documented query parameter is accepted by the server, and an
    undocumented one is refused."""
    for path, item in doc["paths"].items():
        op = item.get("get")
        if not op or "{id}" in path or not op["summary"].startswith("List ") or path == "/api/v1/tokens":
            continue
        names = [p["name"] for p in op["parameters"] if p["in"] == "query"]
        assert {"limit", "offset", "after"} <= set(names), path
        if api.get(path).status == 403:
            # a list region administrators may not read (evidence is the learner's): said so in the
            # document; its filters are tried by its module's tests (test_training_assessment.py)
            assert "region administrators" not in op["responses"]["403"]["description"], path
            continue
        for p in op["parameters"]:
            if p["in"] != "query" or p["name"] in ("offset", "after"):
                continue
            val = {"integer": "1"}.get(p["schema"]["type"], "2026-01-01" if p["schema"].get("format") == "date" else "a")
            if "enum" in p["schema"]:
                val = p["schema"]["enum"][0]
            r = api.get(f"{path}?{p['name']}={val}")
            assert r.status == 200, (path, p["name"], r)
        assert_error(api.get(f"{path}?not_a_filter=1"), 422, "validation", field="not_a_filter")


def test_fields_say_their_constraints(doc):
    """What the web interface reads from the document: limits of texts and
    lists, references, fields fixed at creation, nullable enums, the
    references of list filters and the body of a withdrawal."""
    s = doc["components"]["schemas"]
    prog, cohort, area = s["program"]["properties"], s["cohort"]["properties"], s["area"]["properties"]
    assert prog["institution_id"]["x-references"] == "institution" and prog["institution_id"]["x-immutable"] is True
    assert "x-immutable" not in prog["title"]
    assert prog["title"]["minLength"] == 1 and prog["title"]["maxLength"] == 200
    assert "minLength" not in s["person"]["properties"]["family_name"]   # optional, may be empty
    assert prog["isco_code"]["format"] == "isco-08"
    assert prog["skills"]["items"] == {"type": "string", "minLength": 1, "maxLength": 200}
    assert prog["skills"]["maxItems"] == 100 and prog["skills"]["uniqueItems"] is True
    assert cohort["trainers"]["items"]["x-references"] == "person" and cohort["trainers"]["uniqueItems"] is True
    assert area["parent_id"]["type"] == ["integer", "null"] and area["parent_id"]["x-references"] == "area"
    # an optional enum takes null as well
    assert s["person"]["properties"]["sex"]["enum"] == ["female", "male", None]
    assert None not in area["level"]["enum"]
    # every reference names a schema of the document
    for name, schema in s.items():
        for prop, p in schema.get("properties", {}).items():
            target = p.get("x-references") or p.get("items", {}).get("x-references")
            assert target is None or target in s, (name, prop, target)
    params = {p["name"]: p["schema"] for p in doc["paths"]["/api/v1/programs"]["get"]["parameters"]}
    assert params["institution"]["x-references"] == "institution" and "x-references" not in params["area"]
    body = doc["paths"]["/api/v1/enrollments/{id}/withdraw"]["post"]["requestBody"]["content"]["application/json"]
    reason = body["schema"]["properties"]["reason"]
    assert reason["enum"] == s["enrollment"]["properties"]["withdrawal_reason"]["enum"]
    assert body["schema"]["additionalProperties"] is False
    body = doc["paths"]["/api/v1/competitors/{id}/withdraw"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["properties"] == {}


def _plural_of(doc):
    """schema name -> the collection path of its records (from GET .../{id})."""
    out = {}
    for path, item in doc["paths"].items():
        get = item.get("get")
        if path.endswith("/{id}") and get and path.count("/") == 4:
            ref = get["responses"]["200"]["content"]["application/json"]["schema"].get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                out[ref.rsplit("/", 1)[1]] = path[: -len("/{id}")]
    return out


def _refusals(prop, current, other_id):
    """Values the document says prop does not take (each should be a 422)."""
    t = prop["type"] if isinstance(prop["type"], str) else prop["type"][0]
    out = []
    if "enum" in prop:
        out.append("not_one_of_them")
    elif t == "string" and "format" not in prop:
        if "maxLength" in prop:
            out.append("x" * (prop["maxLength"] + 1))
        if prop.get("minLength"):
            out.append("")
    elif t == "integer" and "x-references" in prop:
        out.append(99999999)
        if prop.get("x-immutable") and other_id:
            out.append(other_id)
    elif t == "integer":
        out += [prop["minimum"] - 1, prop["maximum"] + 1]
    elif t == "array":
        items = prop["items"]
        many = list(range(1, prop["maxItems"] + 2)) if items["type"] == "integer" else \
            [f"s{k}" for k in range(prop["maxItems"] + 1)]
        out.append(many)
        if items["type"] == "string":
            out += [["x" * (items["maxLength"] + 1)], ["same", "same"]]
    return out


def test_server_keeps_to_what_the_document_says(doc, api, make):
    """For each registry record kind, every writable field refuses what its
    schema excludes (too long, too short, outside the range, not in the
    enum, no such record, changing a field fixed at creation, too many or
    repeated entries), naming the field; an integer takes its bounds."""
    plural = _plural_of(doc)
    person = make.person()
    records = {"area": make.tree()[2], "program": make.program(),
               "cohort": make.cohort(trainers=[person["id"]]), "person": make.person()}
    records["institution"] = make.institution()
    checked = 0
    for name, rec in records.items():
        path = f"{plural[name]}/{rec['id']}"
        for field, prop in doc["components"]["schemas"][name]["properties"].items():
            if prop.get("readOnly"):
                continue
            other = None
            if prop.get("x-immutable"):
                ids = [r["id"] for r in api.get(f"{plural[prop['x-references']]}?limit=5").json["items"]]
                other = next(i for i in ids if i != rec[field])
            for bad in _refusals(prop, rec[field], other):
                etag = api.get(path).header("ETag")
                assert_error(api.patch(path, {field: bad}, etag), 422, "validation", field=field)
                checked += 1
            if prop["type"] == "integer" and "minimum" in prop and "x-references" not in prop:
                for edge in (prop["minimum"], prop["maximum"]):
                    etag = api.get(path).header("ETag")
                    r = api.patch(path, {field: edge}, etag)
                    assert r.status == 200 and r.json[field] == edge, (name, field, r)
    # a person in the trainers twice
    path = f"/api/v1/cohorts/{records['cohort']['id']}"
    assert_error(api.patch(path, {"trainers": [person["id"]] * 2}, api.get(path).header("ETag")), 422,
                 "validation", field="trainers")
    assert checked >= 30
