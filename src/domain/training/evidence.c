/* evidence.c: the files an assessment decision rests on (photos of work,
 * scanned task sheets, a portfolio as PDF). Each evidence item (a learner,
 * an event, a file name, a media type, a size, the day the evidence was
 * made) names its bytes by their SHA-256; the bytes themselves are kept
 * once in evidence_blobs, in the database, so that every server sees them
 * and the same file given twice is stored once. Only the learner, the
 * cohort's trainers and the institution's staff may read them; an erased
 * person's files are deleted with their personal data. */
#include "domain/training/asmt_int.h"
#include "domain/engine/entity_int.h"
#include "core/text.h"
#include <string.h>

extern dom_entity dom_person, dom_cohort;

const char *const asmt_evidence_types[] = {"image/jpeg", "image/png", "image/webp", "application/pdf", NULL};

/* What the first bytes of each type are (the file must bear its type out:
 * a download is served as the type it was given). */
static const struct {
  const char *zType;
  const char *zMagic;
  size_t nMagic, nAt;      /* zMagic's bytes, found at offset nAt */
  const char *zMagic2;     /* and these at nAt2 (NULL: none) */
  size_t nMagic2, nAt2;
  const char *zWhat;
} aMagic[] = {
    {"image/jpeg", "\xff\xd8\xff", 3, 0, NULL, 0, 0, "a JPEG image"},
    {"image/png", "\x89PNG\r\n\x1a\n", 8, 0, NULL, 0, 0, "a PNG image"},
    {"image/webp", "RIFF", 4, 0, "WEBP", 4, 8, "a WebP image"},
    {"application/pdf", "%PDF-", 5, 0, NULL, 0, 0, "a PDF document"},
};

/* 1 when p (n bytes) starts as zType's files do; *pzWhat names the type. */
static int bears_type(const char *zType, const unsigned char *p, size_t n, const char **pzWhat) {
  for (size_t i = 0; i < sizeof aMagic / sizeof aMagic[0]; i++) {
    if (strcmp(aMagic[i].zType, zType)) continue;
    *pzWhat = aMagic[i].zWhat;
    if (n < aMagic[i].nAt + aMagic[i].nMagic || memcmp(p + aMagic[i].nAt, aMagic[i].zMagic, aMagic[i].nMagic)) return 0;
    return !aMagic[i].zMagic2 || (n >= aMagic[i].nAt2 + aMagic[i].nMagic2 &&
                                  !memcmp(p + aMagic[i].nAt2, aMagic[i].zMagic2, aMagic[i].nMagic2));
  }
  *pzWhat = NULL;
  return 0;
}

static const dom_field aField[] = {
    {"assessment_id", DT_REF, F_RO, 0, 0, NULL, &dom_assessment, "the assessment event"},
    {"person_id", DT_REF, F_RO, 0, 0, NULL, &dom_person, "the learner whose evidence it is"},
    {"file_name", DT_TEXT, F_RO, 0, 0, NULL, NULL, "the file's name as uploaded ((erased) once erased)"},
    {"media_type", DT_ENUM, F_RO, 0, 0, asmt_evidence_types, NULL, "image/jpeg, image/png, image/webp or application/pdf"},
    {"sha256", DT_TEXT, F_RO, 0, 0, NULL, NULL, "SHA-256 of the content (hex); null once erased"},
    {"size", DT_INT, F_RO, 0, 0, NULL, NULL, "bytes"},
    {"date", DT_DATE, F_RO, 0, 0, NULL, NULL, "the day the evidence was made (on or before the event)"},
    {"uploaded_by", DT_TEXT, F_RO, 0, 0, NULL, NULL, "who added it"},
    {"erased_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when the file was erased with its person's data"},
};

static const dom_filter aFilter[] = {
    {"assessment", FILT_INT, &dom_assessment, "assessment_id = ?", "evidence in this event", NULL},
    {"person", FILT_INT, &dom_person, "person_id = ?", "evidence of this learner", NULL},
    {"cohort", FILT_INT, &dom_cohort, "assessment_id IN (SELECT id FROM assessments WHERE cohort_id = ?)",
     "evidence in this cohort", NULL},
    ASMT_FILTER_INSTITUTION("evidence"),
    ASMT_FILTER_TRAINER("evidence"),
};

dom_entity dom_evidence_item = {
    "evidence_item", "evidence_items",
    "A file a decision rests on (POST /api/v1/assessments/{id}/evidence adds one; .../content reads it).",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0], NULL, NULL, NULL,
    .apRule = {&asmt_rule_evidence, &asmt_rule_evidence, NULL, NULL, NULL},
    .azScopeFilter = {[SCOPE_INSTITUTION] = "institution", [SCOPE_TRAINER] = "trainer", [SCOPE_SELF] = "person"},
    .zTag = "assessment",
};

static const char zPlace[] =
    "SELECT count(*) FROM enrollments WHERE person_id = $1 AND cohort_id = $2 AND status IN ('enrolled', "
    "'completed', 'not_completed')";
static const char zPutBlob[] =
    "INSERT INTO evidence_blobs (sha256, size, content, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO "
    "NOTHING";
static const char zGetBlob[] = "SELECT content FROM evidence_blobs WHERE sha256 = $1";

/* A file name guild can offer back for saving: 1 to 200 characters of
 * clean UTF-8, without quotes, slashes or backslashes. */
static int check_name(const char *z, gerr *e) {
  if (!z || !*z || !text_is_clean_utf8(z, 0) || text_nchars(z) > 200 || strpbrk(z, "\"/\\"))
    return gerr_setr(e, GERR_VALIDATION, GR_FILE_NAME, "name");
  return 0;
}

/* The upload's own checks, before anything is written. */
static int check_upload(dom_ctx *c, const dom_rec *pEvent, int64_t idPerson, const char *zName, const char *zType,
                        const char *zDate, const void *p, size_t n, gerr *e) {
  if (n > ASMT_EVIDENCE_MAX)
  if (n > ASMT_EVIDENCE_MAX) {
    gerr_setr(e, GERR_TOO_LARGE, GR_TOO_LARGE, NULL, GP_I("max", ASMT_EVIDENCE_MAX), GP_I("got", n));
    return gerr_msg(e, "the file is %zu bytes; evidence files are at most %zu", n, (size_t)ASMT_EVIDENCE_MAX);
  }
  if (!n) return gerr_setr(e, GERR_VALIDATION, GR_NO_FILE, NULL);
  const char *zWhat = NULL;
  if (!bears_type(zType, p, n, &zWhat)) {
    if (!zWhat) {
      gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "media_type", GP_S("allowed", "image/jpeg, image/png, image/webp, application/pdf"),
                GP_S("got", zType ? zType : ""));
      return gerr_msg(e, "media_type: evidence is an image (JPEG, PNG, WebP) or a PDF");
    }
    gerr_setr(e, GERR_VALIDATION, GR_FILE_NOT_TYPE, "media_type", GP_S("type", zType));
    return gerr_msg(e, "media_type: the file is not %s", zWhat);
  }
  if (check_name(zName, e)) return -1;
  if (!text_is_date(zDate, NULL)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_DATE, "date", GP_S("got", zDate));
  if (strcmp(zDate, dom_v(pEvent, "date")->z) > 0)
    return gerr_setr(e, GERR_VALIDATION, GR_EVIDENCE_AFTER, "date", GP_S("date", dom_v(pEvent, "date")->z));
  int rc = dom_exists(c, &dom_person, idPerson, e);
  if (rc <= 0)
    return rc < 0 ? -1
                  : gerr_setr(e, GERR_VALIDATION, GR_NO_SUCH_RECORD, "person", GP_S("entity", "person"), GP_I("id", idPerson));
  int64_t nPlace = 0, idCohort = dom_v(pEvent, "cohort_id")->i;
  if (asmt_query_int2(c, zPlace, idPerson, idCohort, &nPlace, e)) return -1;
  if (!nPlace) {
    gerr_setr(e, GERR_VALIDATION, GR_NO_PLACE, "person", GP_I("person", idPerson), GP_I("id", idCohort));
    return gerr_msg(e, "person: %lld holds no place in cohort %lld (withdrawn, or never enrolled)", (long long)idPerson,
                    (long long)idCohort);
  }
  return 0;
}

int asmt_evidence_add(dom_ctx *c, int64_t idEvent, int64_t idPerson, const char *zName, const char *zType,
                      const char *zDate, const void *p, size_t n, dom_rec *pOut, gerr *e) {
  if (pol_check(c, &asmt_rule_evidence_upload, &dom_assessment, idEvent, e)) return -1;
  gerr eNot;
  if (pol_check(c, &asmt_rule_event, &dom_assessment, idEvent, &eNot) && c->pActor->person_id != idPerson) {
    gerr_setr(e, GERR_FORBIDDEN, GR_ONLY_OWN, "person", GP_I("id", c->pActor->person_id));
    return gerr_msg(e, "person: learners add their own evidence (person=%lld)", (long long)c->pActor->person_id);
  }
  dom_rec event;
  if (dom_get(c, &dom_assessment, idEvent, &event, e)) return -1;
  if (!dom_v(&event, "second_marking_of")->bNull)
    return gerr_setr(e, GERR_VALIDATION, GR_EVIDENCE_SECOND_MARKING, NULL, GP_I("id", idEvent),
                     GP_I("first", dom_v(&event, "second_marking_of")->i));
  if (!zDate) zDate = dom_v(&event, "date")->z;
  if (check_upload(c, &event, idPerson, zName, zType, zDate, p, n, e)) return -1;
  char zSha[AUDIT_HEX];
  audit_digest_bytes(p, n, zSha);
  if (db_begin(c->pDb, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, zPutBlob, e);
  if (!s) goto fail;
  db_bind_text(s, 1, zSha);
  db_bind_int(s, 2, (int64_t)n);
  db_bind_blob(s, 3, p, n);
  db_bind_int(s, 4, c->now);
  int rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR) goto fail;
  dom_rec r;
  dom_rec_init(&r, &dom_evidence_item);
  dom_set_int(&r, "assessment_id", idEvent);
  dom_set_int(&r, "person_id", idPerson);
  dom_set_text(&r, "file_name", zName);
  dom_set_text(&r, "media_type", zType);
  dom_set_text(&r, "sha256", zSha);
  dom_set_int(&r, "size", (int64_t)n);
  dom_set_text(&r, "date", zDate);
  dom_set_text(&r, "uploaded_by", c->zActor);
  if (dom_insert_raw(c, &r, e) || dom_get(c, &dom_evidence_item, r.id, pOut, e) || audit_record(c, "upload", pOut, e))
    goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}

int asmt_evidence_content(dom_ctx *c, int64_t id, dom_rec *pItem, const void **pp, size_t *pn, gerr *e) {
  *pp = NULL;
  *pn = 0;
  if (pol_check(c, &asmt_rule_evidence, &dom_evidence_item, id, e) || dom_get(c, &dom_evidence_item, id, pItem, e))
    return -1;
  const dom_val *pSha = dom_v(pItem, "sha256");
  if (pSha->bNull)
    return gerr_setr(e, GERR_NOT_FOUND, GR_EVIDENCE_ERASED, NULL, GP_I("id", id));
  db_stmt *s = db_prepare(c->pDb, zGetBlob, e);
  if (!s) return -1;
  db_bind_text(s, 1, pSha->z);
  int rc = db_step(s, e);
  if (rc == DB_ROW) {
    size_t n = 0;
    const void *p = db_col_blob(s, 0, &n);
    void *pCopy = arena_alloc(c->pAr, n ? n : 1);
    if (n) memcpy(pCopy, p, n);
    *pp = pCopy;
    *pn = n;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_DONE) return gerr_set(e, GERR_INTERNAL, NULL, "evidence %lld: its content is missing", (long long)id);
  return 0;
}

/* ---- erasure ------------------------------------------------------------ */

static const char zLiveItems[] = "SELECT id FROM evidence_items WHERE person_id = $1 AND erased_at IS NULL ORDER BY id";
static const char zBlobUsed[] = "SELECT count(*) FROM evidence_items WHERE sha256 = $1";
static const char zDropBlob[] = "DELETE FROM evidence_blobs WHERE sha256 = $1";

/* Erases one item: its name and content go, the record (what an anonymous
 * aggregate needs) stays. */
static int erase_item(dom_ctx *c, int64_t id, gerr *e) {
  dom_rec r;
  if (dom_get(c, &dom_evidence_item, id, &r, e)) return -1;
  const char *zSha = dom_v(&r, "sha256")->bNull ? NULL : arena_strdup(c->pAr, dom_v(&r, "sha256")->z);
  dom_set_text(&r, "file_name", "(erased)");
  dom_set_text(&r, "sha256", NULL);
  dom_set_int(&r, "erased_at", c->now);
  if (dom_store(c, &r, r.version, e)) return -1;
  dom_rec out;
  if (dom_get(c, &dom_evidence_item, id, &out, e) || audit_record(c, "erase", &out, e)) return -1;
  if (!zSha) return 0;
  db_stmt *s = db_prepare(c->pDb, zBlobUsed, e);
  if (!s) return -1;
  db_bind_text(s, 1, zSha);
  int64_t nUsed = 0;
  if (asmt_query_int(s, &nUsed, e)) return -1;
  if (nUsed) return 0;   /* another learner's item has the same file */
  s = db_prepare(c->pDb, zDropBlob, e);
  if (!s) return -1;
  db_bind_text(s, 1, zSha);
  int rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* The hook on persons (module.c): once a person is erased (erased_at set),
 * so are the files of their evidence. */
int asmt_on_person(dom_ctx *c, const dom_rec *r, gerr *e) {
  if (dom_v(r, "erased_at")->bNull) return 0;
  int64_t aId[256];
  int n;
  do {   /* in batches: erase_item runs statements of its own */
    db_stmt *s = db_prepare(c->pDb, zLiveItems, e);
    if (!s) return -1;
    db_bind_int(s, 1, r->id);
    int rc = DB_DONE;
    n = 0;
    while (n < (int)(sizeof aId / sizeof aId[0]) && (rc = db_step(s, e)) == DB_ROW) aId[n++] = db_col_int(s, 0);
    db_done(s);
    if (n < (int)(sizeof aId / sizeof aId[0]) && rc == DB_ERROR) return -1;
    for (int i = 0; i < n; i++)
      if (erase_item(c, aId[i], e)) return -1;
  } while (n == (int)(sizeof aId / sizeof aId[0]));
  return 0;
}
