"""UTF-8: names in Chinese, Uyghur (Arabic script) and other scripts round-trip
byte for byte; invalid UTF-8 is refused (400) and control characters too (422)."""
import json
import unicodedata

import pytest

from conftest import assert_error, nothing_changes, uniq

NAMES = [
    ("张", "伟"),
    ("欧阳", "娜娜"),
    ("تۇرسۇن", "گۈلنار"),
    ("ئەخمەت", "مۇھەممەت"),
    ("Müller", "Zoë"),
    ("O'Brien-Łukasz", "José María"),
    ("Қасымов", "Айгүл"),               # Kazakh Cyrillic
    ("", "😀 emoji 𠀋"),                 # outside the BMP
]


@pytest.mark.parametrize("family,given", NAMES)
def test_names_round_trip(api, make, family, given):
    body = {"given_name": given}
    if family:
        body["family_name"] = family
    p = make.person(**body)
    assert p["given_name"] == given
    assert p["family_name"] == (family or None)
    r = api.get(f"/api/v1/persons/{p['id']}")
    assert r.json["given_name"] == given and r.json["family_name"] == (family or None)
    # raw bytes of the response decode to the same text
    assert json.loads(r.body)["given_name"].encode() == given.encode()


def test_uyghur_area_and_institution_names(api, make):
    region = make.area("region", name="شىنجاڭ ئۇيغۇر ئاپتونوم رايونى")
    assert region["name"] == "شىنجاڭ ئۇيغۇر ئاپتونوم رايونى"
    county = make.tree()[2]
    inst = make.institution(county, name="喀什职业技术学院 قەشقەر كەسپىي تېخنىكا ئىنستىتۇتى")
    r = api.get(f"/api/v1/institutions/{inst['id']}")
    assert r.json["name"] == "喀什职业技术学院 قەشقەر كەسپىي تېخنىكا ئىنستىتۇتى"


def test_patch_round_trip(api, make):
    p = make.person()
    r = api.patch(f"/api/v1/persons/{p['id']}", {"given_name": "阿依古丽", "family_name": "ئابلىمىت"}, etag='"1"')
    assert r.status == 200
    assert api.get(f"/api/v1/persons/{p['id']}").json["given_name"] == "阿依古丽"


def test_length_counts_characters_not_bytes(api, make):
    ok = "汉" * 100  # 100 characters, 300 bytes; given_name allows 100
    assert make.person(given_name=ok)["given_name"] == ok
    with nothing_changes(api):
        assert_error(api.post("/api/v1/persons", {"given_name": "汉" * 101}), 422, "validation", field="given_name")
    ug = "ئ" * 100
    assert make.person(given_name=ug)["given_name"] == ug


def test_unicode_escapes_in_json_accepted(api, make):
    raw = '{"given_name": "\\u5f20\\u4f1f", "family_name": "\\ud83d\\ude00"}'
    r = api.post("/api/v1/persons", raw=raw)
    assert r.status == 201, r
    assert r.json["given_name"] == "张伟" and r.json["family_name"] == "😀"


@pytest.mark.parametrize("bad", [b"\xff", b"\xc3", b"\xe5\xbc", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80",
                                 b"\x80abc"])
def test_invalid_utf8_is_400(api, bad):
    raw = b'{"code": "' + uniq("U").encode() + b'", "name": "ab' + bad + b'cd", "level": "region"}'
    with nothing_changes(api):
        assert_error(api.post("/api/v1/areas", raw=raw), 400, "bad_json")


def test_invalid_utf8_in_key_is_400(api):
    raw = b'{"given_name": "x", "\xff": 1}'
    with nothing_changes(api):
        assert_error(api.post("/api/v1/persons", raw=raw), 400, "bad_json")


def test_lone_surrogate_escape_is_400(api):
    with nothing_changes(api):
        assert_error(api.post("/api/v1/persons", raw='{"given_name": "a\\ud800b"}'), 400, "bad_json")


@pytest.mark.parametrize("ch", ["\x01", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\n", "\r", "\t"])
def test_control_characters_are_422(api, make, ch):
    with nothing_changes(api):
        assert_error(api.post("/api/v1/persons", {"given_name": f"Ali{ch}ya"}), 422, "validation",
                     field="given_name")
    p = make.person()
    path = f"/api/v1/persons/{p['id']}"
    with nothing_changes(api, path):
        assert_error(api.patch(path, {"family_name": f"X{ch}"}, etag='"1"'), 422, "validation", field="family_name")


def test_nul_character_is_refused(api):
    with nothing_changes(api):
        r = api.post("/api/v1/persons", raw='{"given_name": "a\\u0000b"}')
        assert r.status in (400, 422), r
        assert_error(r, r.status, "bad_json" if r.status == 400 else "validation")


def test_control_character_in_skill_list(api, make):
    inst = make.institution()
    with nothing_changes(api):
        assert_error(api.post("/api/v1/programs", {"institution_id": inst["id"], "title": "t", "isco_code": "7512",
                                                   "hours": 1, "level": 1, "capacity": 1,
                                                   "skills": ["ok", "bad\x02"]}), 422, "validation", field="skills")


def test_search_matches_decomposed_input(api, make):
    """Search keys are NFC: a decomposed query finds a composed name."""
    p = make.person(family_name="Güzel", given_name="Ay")
    q = unicodedata.normalize("NFD", "güz")
    import urllib.parse
    r = api.get("/api/v1/persons?limit=500&q=" + urllib.parse.quote(q))
    assert r.status == 200
    assert p["id"] in [x["id"] for x in r.json["items"]]
