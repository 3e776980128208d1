/* attendance.c: the attendance routes beyond the generic entity handlers
 * (training sessions, statuses, marks and thresholds have those): a
 * session's roster and taking its attendance in one call, the check-in
 * code and the learner's check-in, a cohort's rates and support list, and
 * the learner's own attendance. Each parses, calls the domain
 * (domain/training/attendance.h), which checks access, and answers with the
 * document the domain wrote. */
#include "api/api.h"
#include "domain/training/attendance.h"
#include <string.h>

/* The document d as the answer, or NULL after the domain's error rc. */
static json_t *answer(int rc, doc_out *d) {
  json_t *j = doc_json(d);
  if (!rc) return j;
  json_decref(j);
  return NULL;
}

json_t *api_session_roster(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  doc_out *d = doc_new();
  return answer(att_roster_doc(&c, r->aId[0], d, e), d);
}

/* A string member, NULL when absent or null; -1 (422 naming zField) for another type. */
static int opt_text(http_req *r, json_t *o, const char *zKey, const char *zField, const char **pz, gerr *e) {
  json_t *j = json_object_get(o, zKey);
  *pz = NULL;
  if (!j || json_is_null(j)) return 0;
  if (!json_is_string(j)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_STRING, zField);
  *pz = arena_strdup(r->pAr, json_string_value(j));
  return 0;
}

/* One element of marks: {person_id, status, reason?}. */
static int parse_row(http_req *r, json_t *x, int i, att_row *p, gerr *e) {
  char zField[48];
  snprintf(zField, sizeof zField, "marks[%d]", i);
  if (!json_is_object(x)) {
    gerr_setr(e, GERR_VALIDATION, GR_ENTRY_NOT_OBJECT, zField);
    return gerr_msg(e, "%s: an object {person_id, status, reason}", zField);
  }
  const char *zKey;
  json_t *v;
  json_object_foreach(x, zKey, v) {
    if (strcmp(zKey, "person_id") && strcmp(zKey, "status") && strcmp(zKey, "reason")) {
      char zMember[112];
      snprintf(zMember, sizeof zMember, "%s.%.60s", zField, zKey);
      gerr_setr(e, GERR_VALIDATION, GR_NOT_ACCEPTED, zMember);
      return gerr_msg(e, "%s: %.60s is not a member (person_id, status, reason)", zField, zKey);
    }
  }
  json_t *pId = json_object_get(x, "person_id");
  if (!json_is_integer(pId) || json_integer_value(pId) < 1) {
    gerr_setr(e, GERR_VALIDATION, pId ? GR_NOT_ID : GR_REQUIRED, arena_printf(r->pAr, "%s.person_id", zField));
    return gerr_msg(e, "%s.person_id: the learner's person id (an integer)", zField);
  }
  p->person_id = json_integer_value(pId);
  snprintf(zField, sizeof zField, "marks[%d].status", i);
  if (opt_text(r, x, "status", zField, &p->zStatus, e)) return -1;
  if (!p->zStatus) {
    gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, zField);
    return gerr_msg(e, "%s: is required (e.g. present)", zField);
  }
  snprintf(zField, sizeof zField, "marks[%d].reason", i);
  return opt_text(r, x, "reason", zField, &p->zReason, e);
}

json_t *api_session_take(http_req *r, gerr *e) {
  static const char *const az[] = {"marks", "reason", NULL};
  if (api_only_keys(r, az, e)) return NULL;
  json_t *pMarks = json_object_get(r->pBody, "marks");
  if (!json_is_array(pMarks)) {
    gerr_setr(e, GERR_VALIDATION, pMarks ? GR_NOT_LIST : GR_REQUIRED, "marks");
    return gerr_msg(e, "marks: a list of {person_id, status, reason} (the whole cohort)"), NULL;
  }
  size_t n = json_array_size(pMarks);
  if (n > ATT_MAXROWS) return att_too_many(e), NULL;
  att_row *a = arena_alloc(r->pAr, (n ? n : 1) * sizeof *a);
  for (size_t i = 0; i < n; i++)
    if (parse_row(r, json_array_get(pMarks, i), (int)i, &a[i], e)) return NULL;
  const char *zReason;
  if (opt_text(r, r->pBody, "reason", "reason", &zReason, e)) return NULL;
  dom_ctx c = api_ctx(r);
  doc_out *d = doc_new();
  return answer(att_take(&c, r->aId[0], a, (int)n, zReason, d, e), d);
}

json_t *api_session_code(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  doc_out *d = doc_new();
  return answer(att_code_doc(&c, r->aId[0], d, e), d);
}

json_t *api_session_check_in(http_req *r, gerr *e) {
  static const char *const az[] = {"code", NULL};
  if (api_only_keys(r, az, e)) return NULL;
  const char *zCode;
  if (opt_text(r, r->pBody, "code", "code", &zCode, e)) return NULL;
  dom_ctx c = api_ctx(r);
  dom_rec m;
  int bNew;
  if (att_check_in(&c, r->aId[0], zCode, &m, &bNew, e)) return NULL;
  api_set_etag(r, m.version);
  json_t *o = api_rec_json(&m);
  json_object_set_new(o, "checked_in_now", json_boolean(bNew));
  return o;
}

json_t *api_cohort_attendance(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  doc_out *d = doc_new();
  return answer(att_cohort_doc(&c, r->aId[0], d, e), d);
}

json_t *api_cohort_support(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  doc_out *d = doc_new();
  return answer(att_support_doc(&c, r->aId[0], d, e), d);
}

json_t *api_me_attendance(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  doc_out *d = doc_new();
  return answer(att_mine_doc(&c, d, e), d);
}
