/* competition_stats.c: GET /api/v1/competitions/stats, the competitions'
 * history (per edition and across editions) as JSON or CSV, and the CSV
 * answers the competition routes share (?format=csv). */
#include "api/api.h"
#include "core/buf.h"
#include "domain/competition/comp_render.h"
#include <string.h>

int api_format_csv(http_req *r, gerr *e) {
  const char *z = http_query(r, "format");
  if (!z || !strcmp(z, "json")) return 0;
  if (!strcmp(z, "csv")) return 1;
  gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "format", GP_S("allowed", "json, csv"), GP_S("got", z));
  return gerr_msg(e, "format: json (the default) or csv");
}

void api_send_csv(http_req *r, const gbuf *b) {
  r->zText = arena_strndup(r->pAr, b->z ? b->z : "", b->n);
  r->nText = b->n;
  r->zContentType = "text/csv; charset=utf-8";
}

json_t *api_competition_stats(http_req *r, gerr *e) {
  int bCsv = api_format_csv(r, e);
  const char *zTable = http_query(r, "table");
  if (bCsv < 0) return NULL;
  if (!bCsv && zTable) {
    gerr_setr(e, GERR_VALIDATION, GR_ONLY_WITH, "table", GP_S("other", "format"), GP_S("value", "csv"));
    return gerr_msg(e, "table: only with format=csv"), NULL;
  }
  dom_ctx c = api_ctx(r);
  comp_stats st;
  if (comp_stats_load(&c, &st, e)) return NULL;
  if (!bCsv) {
    doc_out *d = doc_new();
    comp_stats_doc(&st, d);
    return doc_json(d);
  }
  gbuf b;
  gbuf_init(&b, COMP_CSV_MAX);
  if (comp_stats_csv(&st, zTable, &b, e) == 0) api_send_csv(r, &b);
  gbuf_free(&b);
  return NULL;
}
