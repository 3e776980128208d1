"""Every route in openapi.json is exercised (answered 2xx) by this suite,
and every route the suite exercises is in openapi.json. Runs last (see the
collection hook in conftest.py)."""
import pytest

import conftest


@pytest.mark.route_coverage
def test_openapi_routes_equal_exercised_routes(api):
    others = {m for m in conftest.COLLECTED_MODULES if m.startswith("test_") and m != "test_zz_route_coverage.py"}
    if len(others) < 5:
        pytest.skip("compares against the whole suite's requests; run all of tests/api")
    doc = api.get("/api/v1/openapi.json").json
    documented = {(m.upper(), path) for path, item in doc["paths"].items() for m in item}
    exercised = set(conftest.EXERCISED)
    assert documented - exercised == set(), "routes in openapi.json that no test exercises"
    assert exercised - documented == set(), "routes the tests exercise that openapi.json does not list"
    # and the routes this suite was written for are all still there
    core = {("GET", "/api/v1/health"), ("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/occupations"),
            ("POST", "/api/v1/enrollments/{id}/withdraw")}
    for c in ["areas", "institutions", "programs", "cohorts", "persons", "enrollments"]:
        core |= {("GET", f"/api/v1/{c}"), ("POST", f"/api/v1/{c}"), ("GET", f"/api/v1/{c}/{{id}}"),
                 ("PATCH", f"/api/v1/{c}/{{id}}"), ("DELETE", f"/api/v1/{c}/{{id}}")}
    assert core <= documented, core - documented
