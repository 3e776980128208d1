/* export.c: answers that are files: the export routes (a whole filtered
 * list as CSV or XLSX) and the helper that every file answer (results, my
 * data) goes through. A file is written to a temporary file first and
 * sent from there, so a million rows take disk, not memory. */
#include "api.h"
#include "../core/tmp.h"
#include "../io/export.h"
#include <stdio.h>
#include <unistd.h>

int api_send_table(http_req *r, tab_format fmt, const char *zBase, api_table_fn xWrite, void *pArg, gerr *e) {
  char zPath[512];
  const char *zExt = tab_format_name(fmt);
  int fd = tmp_create("export", fmt == TAB_XLSX ? ".xlsx" : ".csv", zPath, sizeof zPath, e);
  if (fd < 0) return -1;
  FILE *f = NULL;
  tab_out *t;
  if (fmt == TAB_XLSX) {
    t = tab_xlsx(zPath, e);   /* writes the file again, by name, when closed */
  } else {
    int fd2 = dup(fd);
    f = fd2 < 0 ? NULL : fdopen(fd2, "wb");
    if (!f && fd2 >= 0) close(fd2);
    t = f ? tab_csv_file(f) : NULL;
    if (!t) gerr_set(e, GERR_INTERNAL, NULL, "cannot write the temporary file");
  }
  int rc = t ? xWrite(pArg, t, e) : -1;
  if (t && tab_close(t, rc ? NULL : e)) rc = -1;
  if (f && fclose(f) && rc == 0) rc = gerr_set(e, GERR_INTERNAL, NULL, "cannot write the temporary file");
  unlink(zPath);   /* fd keeps it until the router has sent it */
  if (rc) {
    close(fd);
    return -1;
  }
  http_send_file(r, fd, tab_content_type(fmt), arena_printf(r->pAr, "%s.%s", zBase, zExt));
  return 0;
}

typedef struct list_arg {
  dom_ctx c;
  const dom_entity *pEnt;
  dom_query q;
} list_arg;

static int write_list(void *pArg, tab_out *t, gerr *e) {
  list_arg *a = pArg;
  return export_entity(&a->c, a->pEnt, &a->q, t, e);
}

json_t *api_entity_export(http_req *r, gerr *e) {
  static const char *const azOther[] = {"format", NULL};
  list_arg a = {api_ctx(r), r->pRoute->pArg, {0}};
  const char *zFormat = http_query(r, "format");
  tab_format fmt = TAB_CSV;
  if (zFormat && tab_format_parse(zFormat, &fmt))
    return gerr_set(e, GERR_VALIDATION, "format", "format: csv (the default) or xlsx"), NULL;
  if (api_list_query(r, a.pEnt, 0, azOther, &a.q, e)) return NULL;
  api_send_table(r, fmt, a.pEnt->zPlural, write_list, &a, e);
  return NULL;
}
