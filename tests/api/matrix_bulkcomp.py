"""The authorization matrix's rows for the competition's bulk routes
(imported by test_authz_matrix.py, whose rule() it calls): every route x
every caller. The records are set up on first use (bulk(w)): an edition in
marking with category mark_cat (criterion A: a1 measurement 50, a2
judgement 50; judges: the matrix's judge, of institution B, and two more;
competitors c1 and c2, learners of A), and an edition in registration with
category entry_cat. Marks are the judge's own (the administrator has no
person to mark as), entries the entering institution's staff's (each
staff member enters a learner of their own institution), marking schemes
and one-call judges the region administrator's. What the routes do is
tests/api/test_comp_bulk.py's."""
from conftest import created, uniq
from test_authz_matrix import EVERYONE, rule

SIGNED_IN = EVERYONE - {"anonymous"}
ADMIN = {"region_admin"}
JUDGE = {"judge"}
ENTRY = {"region_admin", "staff_a", "staff_b"}

SCHEME = ("criterion_code,criterion_name,criterion_weight,aspect_code,aspect_description,kind,max_mark,part_marks,"
          "descriptors\n"
          "A,All,100,A1,measured,measurement,50,,\n"
          "A,All,100,A2,judged,judgement,50,,none ;; some ;; good ;; excellent\n")


class BulkWorld:
    def __init__(self, w):
        api = w.api
        self.w = w
        self.mark_ed = created(api.post("/api/v1/editions", w.edition_body()))
        self.mark_cat = self.category(self.mark_ed)
        r = api.post(f"/api/v1/categories/{self.mark_cat['id']}/judges",
                     {"person_id": w.j["id"], "user_id": w.users["judge"]["id"], "institution_id": w.B["id"],
                      "chief": True})
        assert r.status == 201, r
        for _ in range(2):
            r = api.post(f"/api/v1/categories/{self.mark_cat['id']}/judges",
                         {"person": {"given_name": uniq("Judge-")}, "username": uniq("mxj").replace("-", ".")})
            assert r.status == 201, r
        self.move(self.mark_ed, "registration")
        r = api.post(f"/api/v1/categories/{self.mark_cat['id']}/competitors",
                     {"competitors": [{"person_id": w.new_person()["id"], "institution_id": w.A["id"], "consent": True}
                                      for _ in range(2)]})
        assert r.status == 201, r
        self.c1, self.c2 = r.json["ids"]
        self.move(self.mark_ed, "marking")
        aspects = api.get(f"/api/v1/aspects?category={self.mark_cat['id']}").json["items"]
        self.a1, self.a2 = (next(a for a in aspects if a["code"] == c) for c in ("A1", "A2"))
        self.entry_ed = created(api.post("/api/v1/editions", w.edition_body()))
        self.entry_cat = self.category(self.entry_ed)
        self.move(self.entry_ed, "registration")

    def category(self, ed):
        """A category of edition ed (in draft) with the matrix's scheme."""
        api = self.w.api
        cat = created(api.post("/api/v1/categories", {"edition_id": ed["id"], "name": uniq("Bulk skill "),
                                                      "isco_code": "7512"}))
        r = api.request("POST", f"/api/v1/categories/{cat['id']}/scheme", raw=SCHEME, content_type="text/csv")
        assert r.status == 201, r
        return cat

    def move(self, ed, state):
        r = self.w.api.post(f"/api/v1/editions/{ed['id']}/transition", {"to": state})
        assert r.status == 200, r

    def draft_category(self):
        """A new category without a scheme, in the matrix's draft edition."""
        return created(self.w.api.post("/api/v1/categories", {"edition_id": self.w.draft["id"],
                                                              "name": uniq("Empty skill "), "isco_code": "7512"}))


def bulk(w):
    if not hasattr(w, "bulk_world"):
        w.bulk_world = BulkWorld(w)
    return w.bulk_world


def marks(w, with_competitor):
    b = bulk(w)
    rows = [{"aspect_id": b.a1["id"], "value": 50}, {"aspect_id": b.a2["id"], "value": 2}]
    return [dict(r, competitor_id=b.c2) for r in rows] if with_competitor else rows


def entry(w, c):
    """Staff enter a learner of their own institution (filled in); the administrator names it."""
    if c == "staff_b":
        return {"person_id": w.make.person(given_name=uniq("Entrant"), institution_id=w.B["id"])["id"], "consent": True}
    row = {"person_id": w.new_person()["id"], "consent": True}
    return dict(row, institution_id=w.A["id"]) if c == "region_admin" else row


# --- marks in bulk: the judge's own, in their category
rule("POST", "/api/v1/competitors/{id}/marks", JUDGE, ok=201,
     target=lambda w, c: f"/api/v1/competitors/{bulk(w).c1}/marks", body=lambda w, c: {"marks": marks(w, False)})
rule("POST", "/api/v1/categories/{id}/marks", JUDGE, ok=201,
     target=lambda w, c: f"/api/v1/categories/{bulk(w).mark_cat['id']}/marks",
     body=lambda w, c: {"marks": marks(w, True)})
# --- competitors in bulk: the entering institution's staff (and the administrator)
rule("POST", "/api/v1/categories/{id}/competitors", ENTRY, ok=201,
     target=lambda w, c: f"/api/v1/categories/{bulk(w).entry_cat['id']}/competitors",
     body=lambda w, c: {"competitors": [entry(w, c)]})
# --- marking schemes: everyone reads; the administrator imports and copies (into a draft category)
rule("GET", "/api/v1/categories/{id}/scheme", SIGNED_IN,
     target=lambda w, c: f"/api/v1/categories/{bulk(w).mark_cat['id']}/scheme")
rule("POST", "/api/v1/categories/{id}/scheme", ADMIN, ok=201,
     target=lambda w, c: f"/api/v1/categories/{bulk(w).draft_category()['id']}/scheme", csv=lambda w, c: SCHEME)
rule("POST", "/api/v1/categories/{id}/scheme/copy", ADMIN, ok=201,
     target=lambda w, c: f"/api/v1/categories/{bulk(w).draft_category()['id']}/scheme/copy",
     body=lambda w, c: {"from_category_id": bulk(w).mark_cat["id"]})
# --- a judge in one call (person, account, grant, assignment): the administrator
rule("POST", "/api/v1/categories/{id}/judges", ADMIN, ok=201,
     target=lambda w, c: f"/api/v1/categories/{w.draft_cat['id']}/judges",
     body=lambda w, c: {"person": {"given_name": uniq("Judge-")}, "username": uniq("mxa").replace("-", ".")})
