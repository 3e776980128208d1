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
    assert set(err["properties"]) == {"code", "message", "field"}
    assert set(err["required"]) == {"code", "message"}
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
            if method == "post" and not path.endswith(("/erase", "/lock")):
                assert "requestBody" in op
            if method == "delete":
                assert "204" in codes


def test_list_operations_document_their_filters(doc, api):
    """Every documented query parameter is accepted by the server, and an
    undocumented one is refused."""
    for path, item in doc["paths"].items():
        op = item.get("get")
        if not op or "{id}" in path or not op["summary"].startswith("List ") or path == "/api/v1/tokens":
            continue
        names = [p["name"] for p in op["parameters"] if p["in"] == "query"]
        assert {"limit", "offset", "after"} <= set(names), path
        for p in op["parameters"]:
            if p["in"] != "query" or p["name"] in ("offset", "after"):
                continue
            val = {"integer": "1"}.get(p["schema"]["type"], "2026-01-01" if p["name"] == "active_on" else "a")
            if "enum" in p["schema"]:
                val = p["schema"]["enum"][0]
            r = api.get(f"{path}?{p['name']}={val}")
            assert r.status == 200, (path, p["name"], r)
        assert_error(api.get(f"{path}?not_a_filter=1"), 422, "validation", field="not_a_filter")
