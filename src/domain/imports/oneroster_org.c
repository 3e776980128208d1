/* oneroster_org.c: orgs.csv -> areas and institutions. National, state,
 * local and district orgs are areas: a root org (no parent) is a region and
 * each org below is one level down (prefecture, county, township), so the
 * level follows the tree, not the type's name. Schools are institutions in
 * their parent area; a department is an institution too, in its school's
 * area. The file is read whole first, then each org is written after its
 * parent, wherever the parent stands in the file.
 *
 * Orgs whose parentSourcedId is empty (it is optional) go where the
 * importer is told (or_opts: --area, --area-map, --create-areas). Orgs of
 * other types (ext:..., and any guild does not know) are not written: an
 * org below one of them is placed in its parent's area, a role or user
 * naming one gets no institution from it, and one nothing refers to is
 * skipped with a warning. */
#include "domain/imports/oneroster_int.h"
#include "io/csv/csv_in.h"
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

typedef enum { KIND_AREA, KIND_SCHOOL, KIND_DEPARTMENT, KIND_OTHER } org_kind;
typedef enum { ST_NEW, ST_BUSY, ST_DONE, ST_BAD } org_state;

/* One org of the file, with what placing it found out. */
typedef struct org {
  or_row row;
  org_kind kind;
  org_state state;
  int64_t id;        /* the area or institution */
  int iLevel;        /* an area's level */
  int64_t idArea;    /* an institution's area; the area an org of another kind stands in (0: none) */
  int bReferred;     /* another kind: something refers to it */
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
  org *p = arena_alloc(m->pAr, sizeof *p);
  p->row = or_keep_row(m, r);
  p->kind = iType < 0 ? KIND_OTHER : aType[iType].kind;
  if (p->kind == KIND_OTHER) {   /* not written; rows may refer to it */
    m->others.pAr = m->pAr;
    or_map_put(&m->others, r->az[ORC_SOURCED_ID], p);
    or_grow(m->pAr, &m->apOther, m->nOther, &m->nOtherAlloc, sizeof(void *));
    m->apOther[m->nOther++] = p;
    m->r->aCount[m->f].nSkipped++;
  }
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
    if (q->state == ST_BAD)
      return or_missing(m, r, OG_PARENT, OR_ORGS, zParent, "the parent org",
                        arena_printf(m->c->pAr, "the parent org (row %d) is invalid", q->row.iRow)) + 1;
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
    return or_missing(m, r, OG_PARENT, OR_ORGS, zParent, "the parent org",
                      "no org has this sourcedId, neither in orgs.csv nor in guild") + 1;
  return 0;
}

static const char zAreaByCodeLevel[] =
    "SELECT id, CASE level WHEN 'region' THEN 0 WHEN 'prefecture' THEN 1 WHEN 'county' THEN 2 ELSE 3 END "
    "FROM areas WHERE code = $1";
static const char zRegions[] = "SELECT id FROM areas WHERE parent_id IS NULL ORDER BY id LIMIT 2";

/* The region (guild's one root area) for --create-areas: *pId, or 1 after
 * reporting that there is none or more than one; -1 on error. */
static int the_region(or_importer *m, const or_row *r, int64_t *pId) {
  db_stmt *s = db_prepare(m->c->pDb, zRegions, m->e);
  if (!s) return -1;
  int rc, n = 0;
  while ((rc = db_step(s, m->e)) == DB_ROW) {
    if (!n) *pId = db_col_int(s, 0);
    n++;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (n == 1) return 0;
  return or_err(m, r, OG_PARENT, "--create-areas puts it under the region, but guild has %s: use --area CODE",
                n ? "more than one area without a parent" : "no area yet") + 1;
}

/* Where org p goes when its parentSourcedId is empty (or names an org
 * standing for no area) and it is new: the area --area-map or --area
 * names, or with --create-areas the region (an area org) or an area of
 * its own under the region (a school: code its sourcedId, name its name,
 * sourcedId guild-area-for-SID, made once). *pidArea 0 when none is said; *piLevel the area's level.
 * Returns 0, 1 after reporting a problem, -1 on error. */
static int orphan_area(or_importer *m, org *p, int64_t *pidArea, int *piLevel) {
  const or_row *r = &p->row;
  const char *zSid = r->az[ORC_SOURCED_ID];
  const char *zCode = or_map_get(&m->areaMap, zSid), *zWhence = "--area-map";
  if (!zCode) zCode = m->o->zArea, zWhence = "--area";
  *pidArea = 0;
  int64_t iLevel = 0;
  if (zCode) {
    int rc = or_find(m, zAreaByCodeLevel, zCode, pidArea, &iLevel);
    if (rc < 0) return -1;
    if (rc == 0) return or_err(m, r, OG_PARENT, "%s names the area code '%s', which no area has", zWhence, zCode) + 1;
    *piLevel = (int)iLevel;
    return 0;
  }
  if (!m->o->bCreateAreas) return 0;
  int64_t idRegion = 0;
  int rc = the_region(m, r, &idRegion);
  if (rc) return rc;
  if (p->kind == KIND_AREA) {
    *pidArea = idRegion;
    *piLevel = 0;
    return 0;
  }
  if (strlen(zSid) > AREA_CODE_MAX)
    return or_err(m, r, OG_PARENT, "--create-areas gives the new area the org's sourcedId as its code, and this one "
                                   "is longer than %d characters: use --area or --area-map", AREA_CODE_MAX) + 1;
  rc = or_find(m, zAreaByCodeLevel, zSid, pidArea, &iLevel);   /* made by an earlier import */
  if (rc < 0) return -1;
  if (rc == 1) {
    *piLevel = (int)iLevel;
    return 0;
  }
  dom_rec in, out;
  dom_rec_init(&in, &dom_area);
  dom_set_text(&in, "code", zSid);
  /* a sourcedId of its own, so that an exported set finds it again */
  dom_set_text(&in, "sourced_id", arena_printf(m->c->pAr, "guild-area-for-%s", zSid));
  dom_set_text(&in, "name", r->az[OG_NAME]);
  dom_set_text(&in, "level", azLevel[1]);
  dom_set_int(&in, "parent_id", idRegion);
  static const or_fieldcol aMap[] = {{"code", ORC_SOURCED_ID}, {"name", OG_NAME}, {NULL, 0}};
  if (dom_check(m->c, &dom_area, &in, NULL, &out, m->e)) return or_rule_error(m, r, m->e, aMap) < 0 ? -1 : 1;
  if (dom_insert_raw(m->c, &out, m->e)) return -1;
  m->r->nAreasCreated++;
  *pidArea = out.id;
  *piLevel = 1;
  return 0;
}

/* The message for a new school or department without its area. */
static const char zNoArea[] =
    "a new institution needs its area, and parentSourcedId is empty: name its area with --area CODE (for every "
    "such org) or --area-map FILE (orgSourcedId,areaCode for each), or make one for it under the region with "
    "--create-areas";

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
    if (q && q->kind == KIND_OTHER) {   /* stands in for its own parent's area, if any */
      q->bReferred = 1;
      bParent = q->idArea != 0;
      idParent = q->idArea, iLevel = q->iLevel;
    } else {
      if (q && q->kind != KIND_AREA) return or_err(m, r, OG_PARENT, "the parent of an area is an area: a national, "
                                                                    "state, local or district org");
      if (!q && kind != OR_ORG_AREA) return or_err(m, r, OG_PARENT, "names an institution: the parent of an area is an area");
      if (q) idParent = q->id, iLevel = q->iLevel;
    }
  }
  const char *zSid = r->az[ORC_SOURCED_ID], *zCode = r->az[OG_IDENTIFIER];
  if (!zCode[0] && strlen(zSid) <= AREA_CODE_MAX) zCode = zSid;
  int64_t idOld = 0;
  int rc = or_find(m, zAreaBySid, zSid, &idOld, NULL);
  if (rc == 0 && zCode[0]) rc = or_find(m, zAreaByCode, zCode, &idOld, NULL);   /* an area guild had: adopted */
  if (rc < 0) return -1;
  if (!bParent && !idOld) {   /* a new area without a parent: where the importer says, else a region */
    rc = orphan_area(m, p, &idParent, &iLevel);
    if (rc) return rc < 0 ? -1 : 0;
    bParent = idParent != 0;
  }
  if (bParent && ++iLevel >= NLEVEL)
    return or_err(m, r, OG_PARENT, "an area below a township: guild's areas are four levels deep (region, "
                                   "prefecture, county, township)");
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

/* The area of institution p from its parentSourcedId: *pidArea (0: the
 * parent gives none). 0, 1 after reporting the parent, -1 on error. */
static int institution_area(or_importer *m, org *p, int64_t *pidArea) {
  const or_row *r = &p->row;
  *pidArea = 0;
  if (!r->az[OG_PARENT][0]) return 0;
  org *q;
  or_org_kind kind;
  int64_t idParent = 0, idParentArea = 0;
  int iLevel;
  int rc = find_parent(m, p, &q, &kind, &idParent, &iLevel);
  if (rc) return rc;
  if (q && q->kind == KIND_OTHER) {   /* its own parent's area, if any */
    q->bReferred = 1;
    *pidArea = q->idArea;
    return 0;
  }
  int bParentArea = q ? q->kind == KIND_AREA : kind == OR_ORG_AREA;
  if (p->kind == KIND_SCHOOL && !bParentArea)
    return or_err(m, r, OG_PARENT, "the parent of a school is an area: a national, state, local or district org") + 1;
  if (p->kind == KIND_DEPARTMENT && bParentArea)
    return or_err(m, r, OG_PARENT, "the parent of a department is a school") + 1;
  if (bParentArea) *pidArea = q ? q->id : idParent;
  else if (q) *pidArea = q->idArea;
  else if (or_find(m, zInstBySid, r->az[OG_PARENT], &idParent, &idParentArea) < 0) return -1;
  else *pidArea = idParentArea;
  return 0;
}

/* Writes institution p (a school, or a department) in its area. */
static int place_institution(or_importer *m, org *p) {
  const or_row *r = &p->row;
  const char *zSid = r->az[ORC_SOURCED_ID];
  int64_t idArea = 0;
  int rc = institution_area(m, p, &idArea);
  if (rc) return rc < 0 ? -1 : 0;
  int64_t idOld = 0, idOldArea = 0;
  rc = or_find(m, zInstBySid, zSid, &idOld, &idOldArea);
  if (rc == 0 && r->az[OG_IDENTIFIER][0]) rc = or_find(m, zInstByCode, r->az[OG_IDENTIFIER], &idOld, NULL);
  if (rc < 0) return -1;
  if (!idArea && !idOld) {
    int iLevel;
    rc = orphan_area(m, p, &idArea, &iLevel);
    if (rc) return rc < 0 ? -1 : 0;
  }
  if (!idArea && !idOld) return or_err(m, r, OG_PARENT, "%s", zNoArea);
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

/* Org p of a type guild does not keep, its parent placed: the area it
 * stands in for the orgs below it (its parent's; 0 when its parent is
 * none, or invalid, or not found). Writes nothing, reports nothing. */
static int place_other(or_importer *m, org *p) {
  const char *zParent = p->row.az[OG_PARENT];
  org *q = or_map_get(&m->pOrgs->bySid, zParent);
  p->state = ST_DONE;
  p->iLevel = 0;
  if (q && q->state == ST_DONE) {
    if (q->kind == KIND_AREA) p->idArea = q->id, p->iLevel = q->iLevel;
    else p->idArea = q->idArea, p->iLevel = q->iLevel;
    if (q->kind == KIND_OTHER) q->bReferred = 1;
    return 0;
  }
  if (q || !zParent[0]) return 0;
  int64_t iLevel = 0, idParentArea = 0;
  int rc = or_find(m, zAreaLevel, zParent, &p->idArea, &iLevel);
  if (rc != 0) {
    p->iLevel = (int)iLevel;
    return rc < 0 ? -1 : 0;
  }
  rc = or_find(m, zInstBySid, zParent, &p->idArea, &idParentArea);
  p->idArea = rc == 1 ? idParentArea : 0;
  return rc < 0 ? -1 : 0;
}

/* Writes org p, in a savepoint of its own, after its parent when the file
 * has that. 0 (written, or reported), -1 on a database error. */
static int place(or_importer *m, org *p) {
  if (p->state != ST_NEW) return 0;
  p->state = ST_BUSY;
  org *q = or_map_get(&m->pOrgs->bySid, p->row.az[OG_PARENT]);
  if (q && place(m, q)) return -1;
  if (p->kind == KIND_OTHER) return place_other(m, p);
  dom_ctx *c = m->c;
  int nBefore = or_nerr(m), nBeforeFile = m->r->anErr[OR_ORGS];
  if (db_begin(c->pDb, m->e)) return -1;
  arena *pSaved = c->pAr;
  c->pAr = &m->rowAr;
  int rc = p->kind == KIND_AREA ? place_area(m, p) : place_institution(m, p);
  int bBad = or_nerr(m) != nBefore;
  if (rc || bBad) db_rollback(c->pDb);
  else rc = db_commit(c->pDb, m->e);
  c->pAr = pSaved;
  p->state = bBad ? ST_BAD : ST_DONE;
  if (bBad) or_note_bad(m, &p->row, nBeforeFile);
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

int or_other_org(or_importer *m, const char *zSid, int64_t *pidArea, const char **pzType) {
  org *p = or_map_get(&m->others, zSid);
  if (!p) return 0;
  p->bReferred = 1;
  *pidArea = p->idArea;
  if (pzType) *pzType = p->row.az[OG_TYPE];
  return 1;
}

void or_warn_unused_orgs(or_importer *m) {
  for (int i = 0; i < m->nOther; i++) {
    const org *p = m->apOther[i];
    if (!p->bReferred)
      or_warn(m, OR_ORGS, p->row.iRow, "type", p->row.azRaw[OG_TYPE],
              "skipped: guild keeps national, state, local and district orgs (areas) and schools and departments "
              "(institutions), and nothing in the set refers to this org");
  }
}

int or_read_area_map(or_importer *m) {
  const char *zPath = m->o->zAreaMap;
  m->areaMap.pAr = m->pAr;
  if (!zPath) return 0;
  csv_table t;
  gerr e;
  if (csv_read_file(m->pAr, zPath, 16, &t, &e))
  {
    *m->e = e;   /* the file's own reason, as the map's */
    m->e->code = GERR_USAGE;
    memcpy(m->e->field, "area-map", sizeof "area-map");
    return gerr_msg(m->e, "--area-map %.200s: %s", zPath, e.msg);
  }
  int jOrg = -1, jArea = -1;
  static const char *const azOrg[] = {"orgSourcedId", "sourcedId", "org", NULL};
  static const char *const azArea[] = {"areaCode", "area", "code", NULL};
  for (int j = 0; t.nRow && j < t.anField[0]; j++)
    for (int k = 0; azOrg[k]; k++) {
      if (!strcasecmp(t.aazField[0][j], azOrg[k]) && jOrg < 0) jOrg = j;
      if (!strcasecmp(t.aazField[0][j], azArea[k]) && jArea < 0) jArea = j;
    }
  if (jOrg < 0 || jArea < 0)
    return gerr_setr(m->e, GERR_USAGE, GR_AREA_MAP_HEADER, "area-map"),
           gerr_msg(m->e, "--area-map %.200s: its header must name the columns orgSourcedId and areaCode", zPath);
  for (int i = 1; i < t.nRow; i++) {
    if (t.anField[i] != t.anField[0] || !t.aazField[i][jOrg][0] || !t.aazField[i][jArea][0])
      return gerr_setr(m->e, GERR_USAGE, GR_AREA_MAP_ROW, "area-map", GP_I("row", i + 1)),
             gerr_msg(m->e, "--area-map %.200s: row %d: an orgSourcedId and an areaCode, as many fields as the header",
                      zPath, i + 1);
    if (or_map_put(&m->areaMap, t.aazField[i][jOrg], (void *)arena_strdup(m->pAr, t.aazField[i][jArea])))
      return gerr_setr(m->e, GERR_USAGE, GR_LISTED_TWICE, "area-map", GP_S("value", t.aazField[i][jOrg])),
             gerr_msg(m->e, "--area-map %.200s: row %d: org %.100s is named twice", zPath, i + 1, t.aazField[i][jOrg]);
  }
  return 0;
}

/* A tobedeleted org: its institution, else its area, when nothing refers
 * to it. */
int or_delete_org(or_importer *m, const or_row *r) {
  int64_t id = 0;
  int rc = or_find(m, zInstBySid, r->az[ORC_SOURCED_ID], &id, NULL);
  if (rc < 0) return -1;
  return or_delete_record(m, r, rc ? &dom_institution : &dom_area, rc ? zInstBySid : zAreaBySid);
}
