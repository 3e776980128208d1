/* oneroster_org.c: orgs.csv -> areas and institutions. National, state,
 * local and district orgs are areas: a root org (no parent) is a region and
 * each org below is one level down (prefecture, county, township), so the
 * level follows the tree, not the type's name. Schools are institutions in
 * their parent area; a department is an institution too, in its school's
 * area. The file is read whole first, then each org is written after its
 * parent, wherever the parent stands in the file. */
#include "domain/imports/oneroster_int.h"
#include <string.h>
#include <strings.h>

extern dom_entity dom_area, dom_institution;

enum { OG_NAME = 3, OG_TYPE, OG_IDENTIFIER, OG_PARENT, OG_KIND, OG__N };
static const or_col aCol[] = {
    {"sourcedId", ORC_REQ | ORC_VALUE}, {"status", 0}, {"dateLastModified", 0},
    {"name", ORC_REQ | ORC_VALUE},      {"type", ORC_REQ | ORC_VALUE}, {"identifier", 0},
    {"parentSourcedId", 0},             {"metadata.guild.kind", 0},
};
const or_spec or_spec_orgs = {aCol, OG__N};

static const char *const azLevel[] = {"region", "prefecture", "county", "township"};
#define NLEVEL 4
#define AREA_CODE_MAX 32

typedef enum { KIND_AREA, KIND_SCHOOL, KIND_DEPARTMENT } org_kind;
typedef enum { ST_NEW, ST_BUSY, ST_DONE, ST_BAD } org_state;

/* One org of the file, with what placing it found out. */
typedef struct org {
  or_row row;
  org_kind kind;
  org_state state;
  int64_t id;        /* the area or institution */
  int iLevel;        /* an area's level */
  int64_t idArea;    /* an institution's area */
} org;

/* The orgs of the file (m->pOrgs while it is imported). */
struct or_org_list {
  org **a;
  int n, nAlloc;
  or_map bySid;
};

static const struct {
  const char *zType;
  org_kind kind;
} aType[] = {
    {"national", KIND_AREA}, {"state", KIND_AREA},   {"local", KIND_AREA},
    {"district", KIND_AREA}, {"school", KIND_SCHOOL}, {"department", KIND_DEPARTMENT},
};

/* Collects each valid row of the file (the first pass). */
static int collect_row(or_importer *m, const or_row *r) {
  if (r->bDelete) {
    or_defer_delete(m, r);
    return 0;
  }
  int iType = -1;
  for (size_t i = 0; i < sizeof aType / sizeof aType[0]; i++)
    if (strcasecmp(aType[i].zType, r->az[OG_TYPE]) == 0) iType = (int)i;
  if (iType < 0)
    return or_err(m, r, OG_TYPE,
                  "is not a type guild keeps: national, state, local and district orgs become areas, school and "
                  "department orgs institutions");
  org *p = arena_alloc(m->pAr, sizeof *p);
  p->row = or_keep_row(m, r);
  p->kind = aType[iType].kind;
  struct or_org_list *pList = m->pOrgs;
  or_grow(m->pAr, &pList->a, pList->n, &pList->nAlloc, sizeof(org *));
  pList->a[pList->n++] = p;
  or_map_put(&pList->bySid, r->az[ORC_SOURCED_ID], p);
  return 0;
}

static const char zAreaBySid[] = "SELECT id FROM areas WHERE sourced_id = $1";
static const char zAreaByCode[] = "SELECT id FROM areas WHERE code = $1 AND sourced_id IS NULL";
static const char zInstBySid[] = "SELECT id, area_id FROM institutions WHERE sourced_id = $1";
static const char zInstByCode[] = "SELECT id FROM institutions WHERE code = $1 AND sourced_id IS NULL";
static const char zAreaLevel[] =
    "SELECT id, CASE level WHEN 'region' THEN 0 WHEN 'prefecture' THEN 1 WHEN 'county' THEN 2 ELSE 3 END "
    "FROM areas WHERE sourced_id = $1";

static const or_fieldcol aAreaMap[] = {
    {"code", OG_IDENTIFIER}, {"name", OG_NAME}, {"level", OG_PARENT}, {"parent_id", OG_PARENT},
    {"sourced_id", ORC_SOURCED_ID}, {NULL, 0}};
static const or_fieldcol aInstMap[] = {
    {"code", OG_IDENTIFIER}, {"name", OG_NAME}, {"kind", OG_KIND}, {"area_id", OG_PARENT},
    {"sourced_id", ORC_SOURCED_ID}, {NULL, 0}};

/* The parent of p, when the file or guild has it: *ppParent is the file's
 * org (placed already), else pKind, pId and piLevel say what guild has. 0, 1
 * after reporting the parent as missing or invalid, -1 on error. */
static int find_parent(or_importer *m, org *p, org **ppParent, or_org_kind *pKind, int64_t *pId, int *piLevel) {
  const or_row *r = &p->row;
  const char *zParent = r->az[OG_PARENT];
  *ppParent = or_map_get(&m->pOrgs->bySid, zParent);
  if (*ppParent) {
    org *q = *ppParent;
    if (q->state == ST_BUSY) return or_err(m, r, OG_PARENT, "the parents of this org lead back to it") + 1;
    if (q->state == ST_BAD) return or_err(m, r, OG_PARENT, "the parent org (row %d) is invalid", q->row.iRow) + 1;
    return 0;
  }
  int64_t iLevel = 0;
  int rc = or_find(m, zAreaLevel, zParent, pId, &iLevel);
  if (rc < 0) return -1;
  if (rc == 1) {
    *pKind = OR_ORG_AREA;
    *piLevel = (int)iLevel;
    return 0;
  }
  if (or_find_org(m, zParent, pKind, pId)) return -1;
  if (*pKind == OR_ORG_NONE)
    return or_err(m, r, OG_PARENT, "no org has this sourcedId, neither in orgs.csv nor in guild") + 1;
  return 0;
}

/* Writes area p under its parent (found first). */
static int place_area(or_importer *m, org *p) {
  const or_row *r = &p->row;
  int bParent = r->az[OG_PARENT][0] != 0, iLevel = 0;
  int64_t idParent = 0;
  if (bParent) {
    org *q;
    or_org_kind kind;
    int rc = find_parent(m, p, &q, &kind, &idParent, &iLevel);
    if (rc) return rc < 0 ? -1 : 0;
    if (q && q->kind != KIND_AREA) return or_err(m, r, OG_PARENT, "the parent of an area is an area: a national, "
                                                                  "state, local or district org");
    if (!q && kind != OR_ORG_AREA) return or_err(m, r, OG_PARENT, "names an institution: the parent of an area is an area");
    if (q) idParent = q->id, iLevel = q->iLevel;
    if (++iLevel >= NLEVEL)
      return or_err(m, r, OG_PARENT, "an area below a township: guild's areas are four levels deep (region, "
                                     "prefecture, county, township)");
  }
  const char *zSid = r->az[ORC_SOURCED_ID], *zCode = r->az[OG_IDENTIFIER];
  if (!zCode[0] && strlen(zSid) <= AREA_CODE_MAX) zCode = zSid;
  int64_t idOld = 0;
  int rc = or_find(m, zAreaBySid, zSid, &idOld, NULL);
  if (rc == 0 && zCode[0]) rc = or_find(m, zAreaByCode, zCode, &idOld, NULL);   /* an area guild had: adopted */
  if (rc < 0) return -1;
  dom_rec in;
  dom_rec_init(&in, &dom_area);
  dom_set_text(&in, "sourced_id", zSid);
  dom_set_text(&in, "name", r->az[OG_NAME]);
  if (r->az[OG_IDENTIFIER][0] || !idOld) {
    if (!zCode[0])
      return or_err(m, r, OG_IDENTIFIER, "an area needs a code of at most %d characters: give identifier (the "
                                         "sourcedId is too long to serve as one)", AREA_CODE_MAX);
    dom_set_text(&in, "code", zCode);
  }
  if (bParent) {
    dom_set_int(&in, "parent_id", idParent);
    dom_set_text(&in, "level", azLevel[iLevel]);
  } else if (!idOld) {
    dom_set_text(&in, "level", azLevel[0]);
    dom_set_text(&in, "parent_id", NULL);
  }   /* else: an area guild has keeps its place in the tree */
  rc = or_upsert(m, r, &dom_area, idOld, &in, aAreaMap, &p->id);
  if (rc) return rc < 0 ? -1 : 0;
  int64_t iStored = 0;
  if (or_find(m, zAreaLevel, zSid, &p->id, &iStored) < 0) return -1;
  p->iLevel = (int)iStored;
  return 0;
}

/* Writes institution p (a school, or a department) in its area. */
static int place_institution(or_importer *m, org *p) {
  const or_row *r = &p->row;
  const char *zSid = r->az[ORC_SOURCED_ID];
  int64_t idArea = 0;
  if (r->az[OG_PARENT][0]) {
    org *q;
    or_org_kind kind;
    int64_t idParent = 0, idParentArea = 0;
    int iLevel;
    int rc = find_parent(m, p, &q, &kind, &idParent, &iLevel);
    if (rc) return rc < 0 ? -1 : 0;
    int bParentArea = q ? q->kind == KIND_AREA : kind == OR_ORG_AREA;
    if (p->kind == KIND_SCHOOL && !bParentArea)
      return or_err(m, r, OG_PARENT, "the parent of a school is an area: a national, state, local or district org");
    if (p->kind == KIND_DEPARTMENT && bParentArea)
      return or_err(m, r, OG_PARENT, "the parent of a department is a school");
    if (bParentArea) idArea = q ? q->id : idParent;
    else if (q) idArea = q->idArea;
    else if (or_find(m, zInstBySid, r->az[OG_PARENT], &idParent, &idParentArea) < 0) return -1;
    else idArea = idParentArea;
  }
  int64_t idOld = 0, idOldArea = 0;
  int rc = or_find(m, zInstBySid, zSid, &idOld, &idOldArea);
  if (rc == 0 && r->az[OG_IDENTIFIER][0]) rc = or_find(m, zInstByCode, r->az[OG_IDENTIFIER], &idOld, NULL);
  if (rc < 0) return -1;
  if (!idArea && !idOld)
    return or_err(m, r, OG_PARENT, "a new institution needs its area: parentSourcedId names a district, local, "
                                   "state or national org%s", p->kind == KIND_DEPARTMENT ? " (a department: its school)" : "");
  dom_rec in;
  dom_rec_init(&in, &dom_institution);
  dom_set_text(&in, "sourced_id", zSid);
  dom_set_text(&in, "name", r->az[OG_NAME]);
  if (or_has(m, OG_IDENTIFIER)) dom_set_text(&in, "code", r->az[OG_IDENTIFIER][0] ? r->az[OG_IDENTIFIER] : NULL);
  if (idArea) dom_set_int(&in, "area_id", idArea);
  if (r->az[OG_KIND][0]) dom_set_text(&in, "kind", r->az[OG_KIND]);
  else if (!idOld) dom_set_text(&in, "kind", "vocational_college");
  rc = or_upsert(m, r, &dom_institution, idOld, &in, aInstMap, &p->id);
  if (rc) return rc < 0 ? -1 : 0;
  p->idArea = idArea ? idArea : idOldArea;
  return 0;
}

/* Writes org p, in a savepoint of its own, after its parent when the file
 * has that. 0 (written, or reported), -1 on a database error. */
static int place(or_importer *m, org *p) {
  if (p->state != ST_NEW) return 0;
  p->state = ST_BUSY;
  org *q = or_map_get(&m->pOrgs->bySid, p->row.az[OG_PARENT]);
  if (q && place(m, q)) return -1;
  dom_ctx *c = m->c;
  int nBefore = or_nerr(m);
  if (db_begin(c->pDb, m->e)) return -1;
  arena *pSaved = c->pAr;
  c->pAr = &m->rowAr;
  int rc = p->kind == KIND_AREA ? place_area(m, p) : place_institution(m, p);
  int bBad = or_nerr(m) != nBefore;
  if (rc || bBad) db_rollback(c->pDb);
  else rc = db_commit(c->pDb, m->e);
  c->pAr = pSaved;
  p->state = bBad ? ST_BAD : ST_DONE;
  return rc ? -1 : 0;
}

int or_import_orgs(or_importer *m) {
  struct or_org_list list;
  memset(&list, 0, sizeof list);
  list.bySid.pAr = m->pAr;
  m->pOrgs = &list;
  int rc = or_read(m, OR_ORGS, &or_spec_orgs, collect_row);
  m->f = OR_ORGS;
  m->pSpec = &or_spec_orgs;
  for (int i = 0; !rc && i < list.n; i++) {
    rc = place(m, list.a[i]);
    arena_reset(&m->rowAr);
  }
  or_map_free(&list.bySid);
  m->pOrgs = NULL;
  return rc;
}

/* A tobedeleted org: its institution, else its area, when nothing refers
 * to it. */
int or_delete_org(or_importer *m, const or_row *r) {
  int64_t id = 0;
  int rc = or_find(m, zInstBySid, r->az[ORC_SOURCED_ID], &id, NULL);
  if (rc < 0) return -1;
  return or_delete_record(m, r, rc ? &dom_institution : &dom_area, rc ? zInstBySid : zAreaBySid);
}
