"""Bidirectional control characters (U+202A..U+202E embeddings and
overrides, U+2066..U+2069 isolates) make a name or code display in another
order than it is stored ("ABC" shown as "CBA"): refused in names and
codes (422, naming the field), while right-to-left text itself (Uyghur in
Arabic script) is stored as it is."""
import pytest

from conftest import assert_error, nothing_changes

CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("ch", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_bidi_controls_refused_in_names_and_codes(api, ch):
    with nothing_changes(api):
        assert_error(api.post("/api/v1/persons", {"given_name": f"Ali{ch}ce"}), 422, "validation", field="given_name")
        assert_error(api.post("/api/v1/areas", {"code": f"65{ch}01", "name": "Area", "level": "region"}), 422,
                     "validation", field="code")


def test_right_to_left_names_are_kept(api):
    r = api.post("/api/v1/persons", {"given_name": "ئابدۇللا", "family_name": "تۇرسۇن"})
    assert r.status == 201 and r.json["given_name"] == "ئابدۇللا", r
    # a right-to-left mark (U+200F) is not among them: it orders nothing around it
    r = api.post("/api/v1/persons", {"given_name": "Ayla\u200f", "family_name": "Marks"})
    assert r.status == 201, r
