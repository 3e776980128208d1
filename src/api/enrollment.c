/* enrollment.c: enrollment actions beyond the generic handlers: withdrawal,
 * which needs no If-Match because it must never be blocked. */
#include "api/api.h"
#include "domain/registry/enrollment.h"
#include <string.h>

json_t *api_enrollment_withdraw(http_req *r, gerr *e) {
  const char *zReason = NULL;
  if (r->pBody) {
    const char *zKey;
    json_t *j;
    json_object_foreach(r->pBody, zKey, j) {
      if (strcmp(zKey, "reason") != 0) {
        gerr_setr(e, GERR_VALIDATION, GR_NOT_ACCEPTED, zKey);
        return gerr_msg(e, "%.60s: withdrawal takes only an optional reason", zKey), NULL;
      }
      if (!json_is_null(j) && !json_is_string(j))
        return gerr_setr(e, GERR_VALIDATION, GR_NOT_STRING, "reason"), NULL;
      zReason = json_is_string(j) ? arena_strdup(r->pAr, json_string_value(j)) : NULL;
    }
  }
  dom_ctx c = api_ctx(r);
  dom_rec out;
  if (enroll_withdraw(&c, r->aId[0], zReason, &out, e)) return NULL;
  api_set_etag(r, out.version);
  return api_rec_json(&out);
}
