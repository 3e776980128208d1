/* test_export.c: the table writer (src/io/xlsx/table_out.c) as CSV, every cell
 * type, its limits; as XLSX, read back through Python's zipfile (the XML
 * of the worksheet: typed cells, the frozen header); and the streamed walk
 * over a list (dom_each) across its batches, with the export's columns. */
#include "unit.h"
#include "domain/imports/export.h"
#include "io/xlsx/table_out.h"
#include <math.h>

static const tab_col aCol[] = {{"name", TC_TEXT, 0}, {"n", TC_INT, 0},   {"mark", TC_NUM, 2},
                               {"ok", TC_BOOL, 0},   {"day", TC_DATE, 0}, {"at", TC_TIME, 0}};
#define NCOL ((int)(sizeof aCol / sizeof aCol[0]))

/* Two rows: every type with a value, then every type empty. */
static int write_rows(tab_out *t) {
  return tab_sheet(t, "things", aCol, NCOL) | tab_text(t, "a, \"b\"\nc") | tab_int(t, -42) | tab_num(t, 85.5) |
         tab_bool(t, 1) | tab_date(t, "1999-12-31") | tab_time(t, 1750000000) | tab_null(t) | tab_null(t) |
         tab_num(t, NAN) | tab_bool(t, 0) | tab_date(t, NULL) | tab_null(t);
}

static void csv_every_type(void **state) {
  (void)state;
  gbuf b;
  gbuf_init(&b, 4096);
  tab_out *t = tab_csv_buf(&b);
  assert_int_equal(write_rows(t), 0);
  gerr e;
  assert_int_equal(tab_close(t, &e), 0);
  assert_string_equal(b.z, "name,n,mark,ok,day,at\n"
                           "\"a, \"\"b\"\"\nc\",-42,85.50,true,1999-12-31,2025-06-15T15:06:40Z\n"
                           ",,,false,,\n");
  gbuf_free(&b);
}

static void csv_limits(void **state) {
  (void)state;
  gbuf b;
  gbuf_init(&b, 30);   /* the header fits, the first row does not */
  tab_out *t = tab_csv_buf(&b);
  assert_int_equal(write_rows(t), -1);
  gerr e;
  gerr_clear(&e);
  assert_int_equal(tab_close(t, &e), -1);
  assert_int_equal(e.code, GERR_TOO_LARGE);
  assert_int_equal(e.reason, GR_CSV_TOO_LARGE);   /* the rule, with its limit */
  assert_int_equal(gerr_param_get(&e, "max")->i, 30);
  gbuf_free(&b);
  /* one table per CSV file */
  gbuf_init(&b, 4096);
  t = tab_csv_buf(&b);
  assert_int_equal(tab_sheet(t, "a", aCol, 1), 0);
  assert_int_equal(tab_text(t, "x"), 0);
  assert_int_equal(tab_sheet(t, "b", aCol, 1), -1);
  assert_int_equal(tab_close(t, &e), -1);
  assert_int_equal(e.reason, GR_CSV_ONE_TABLE);
  gbuf_free(&b);
  tab_format f;
  assert_int_equal(tab_format_parse("xlsx", &f), 0);
  assert_int_equal(f, TAB_XLSX);
  assert_int_equal(tab_format_parse("xls", &f), -1);
  assert_string_equal(tab_content_type(TAB_CSV), "text/csv; charset=utf-8");
}

/* The XML of member zMember of the zip file zPath, read by Python's
 * zipfile (an independent reader of the format); caller frees. */
static char *zip_member(const char *zPath, const char *zMember) {
  char zCmd[600];
  snprintf(zCmd, sizeof zCmd,
           "/usr/bin/python3 -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2])"
           ".decode())' %s %s",
           zPath, zMember);
  FILE *p = popen(zCmd, "r");
  assert_non_null(p);
  gbuf b;
  gbuf_init(&b, 1 << 20);
  char aBuf[4096];
  size_t n;
  while ((n = fread(aBuf, 1, sizeof aBuf, p)) > 0) gbuf_append(&b, aBuf, n);
  assert_int_equal(pclose(p), 0);
  return b.z;
}

/* Cell zRef of the sheet XML has a style (a number format) and its value
 * starts with zValue. */
static void assert_styled(const char *zSheet, const char *zRef, const char *zValue) {
  char zWant[64];
  snprintf(zWant, sizeof zWant, "<c r=\"%s\" s=\"", zRef);
  const char *p = strstr(zSheet, zWant);
  if (!p) fail_msg("no styled cell %s", zRef);
  p = strchr(p + strlen(zWant), '>');
  if (!p || strncmp(p, "><v>", 4) || strncmp(p + 4, zValue, strlen(zValue))) fail_msg("cell %s: %.60s", zRef, p);
}

static void xlsx_typed_cells(void **state) {
  (void)state;
  char zPath[] = "/tmp/guild-unit-XXXXXX.xlsx";
  int fd = mkstemps(zPath, 5);
  assert_true(fd >= 0);
  close(fd);
  gerr e;
  tab_out *t = tab_xlsx(zPath, &e);
  assert_non_null(t);
  assert_int_equal(write_rows(t), 0);
  static const tab_col aOther[] = {{"k", TC_INT, 0}};
  assert_int_equal(tab_sheet(t, "second", aOther, 1) | tab_int(t, 7), 0);
  assert_int_equal(tab_close(t, &e), 0);
  char *zBook = zip_member(zPath, "xl/workbook.xml");
  assert_non_null(strstr(zBook, "name=\"things\""));
  assert_non_null(strstr(zBook, "name=\"second\""));
  char *zSheet = zip_member(zPath, "xl/worksheets/sheet1.xml");
  /* the header row is frozen; the header is text */
  assert_non_null(strstr(zSheet, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"));
  assert_non_null(strstr(zSheet, "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>name</t></is></c>"));
  /* a number, a decimal with its format, booleans, a date (Excel day
   * 36525) and a time (a day number with a fraction) */
  assert_non_null(strstr(zSheet, "<c r=\"B2\"><v>-42</v></c>"));
  assert_styled(zSheet, "C2", "85.5</v>");
  assert_non_null(strstr(zSheet, "<c r=\"D2\" t=\"b\"><v>1</v></c>"));
  assert_non_null(strstr(zSheet, "<c r=\"D3\" t=\"b\"><v>0</v></c>"));
  assert_styled(zSheet, "E2", "36525</v>");
  assert_styled(zSheet, "F2", "45823.62962962");
  /* empty cells are not written */
  assert_null(strstr(zSheet, "r=\"A3\""));
  assert_null(strstr(zSheet, "r=\"C3\""));
  char *zStyles = zip_member(zPath, "xl/styles.xml");
  assert_non_null(strstr(zStyles, "formatCode=\"yyyy-mm-dd\""));
  assert_non_null(strstr(zStyles, "formatCode=\"yyyy-mm-dd hh:mm:ss\""));
  assert_non_null(strstr(zStyles, "formatCode=\"0.00\""));
  free(zBook);
  free(zSheet);
  free(zStyles);
  unlink(zPath);
}

/* dom_each: every person once, in id order, across batches; a callback
 * that stops ends the walk. */
typedef struct walk {
  int n;
  int64_t idLast;
  int nStop;
} walk;

static int count_row(void *pArg, const dom_rec *r, gerr *e) {
  walk *w = pArg;
  if (r->id <= w->idLast) fail_msg("ids out of order: %lld after %lld", (long long)r->id, (long long)w->idLast);
  w->idLast = r->id;
  if (++w->n == w->nStop) return gerr_set(e, GERR_CONFLICT, NULL, "stop");
  return 0;
}

static void each_crosses_batches(void **state) {
  unit_fx *f = *state;
  gerr e;
  int nPerson = 2 * DOM_EACH_BATCH + 7;
  assert_int_equal(db_begin(f->pDb, &e), 0);
  for (int i = 0; i < nPerson; i++) {
    dom_rec r;
    dom_rec_init(&r, &dom_person);
    dom_set_text(&r, "given_name", arena_printf(&f->ar, "P%d", i));
    dom_set_text(&r, "name_key", "p");
    dom_set_text(&r, "given_key", "p");
    if (dom_insert_raw(&f->c, &r, &e)) fail_msg("%s", e.msg);
  }
  assert_int_equal(db_commit(f->pDb, &e), 0);
  dom_query q;
  memset(&q, 0, sizeof q);
  q.limit = 3;   /* ignored */
  walk w = {0, 0, 0};
  assert_int_equal(dom_each(&f->c, &dom_person, &q, count_row, &w, &e), 0);
  assert_int_equal(w.n, nPerson);
  walk w2 = {0, 0, DOM_EACH_BATCH + 1};
  assert_int_equal(dom_each(&f->c, &dom_person, &q, count_row, &w2, &e), -1);
  assert_string_equal(e.msg, "stop");
  assert_int_equal(w2.n, DOM_EACH_BATCH + 1);
  /* a filter set from text, as the API and the CLI set it */
  assert_int_equal(dom_query_set(&q, &dom_person, "sourced_id", "nobody", &f->ar, &e), 0);
  walk w3 = {0, 0, 0};
  assert_int_equal(dom_each(&f->c, &dom_person, &q, count_row, &w3, &e), 0);
  assert_int_equal(w3.n, 0);
  assert_int_equal(dom_query_set(&q, &dom_person, "status", "x", &f->ar, &e), -1);
  assert_string_equal(e.field, "status");
  assert_int_equal(dom_query_set(&q, &dom_person, "area", "0", &f->ar, &e), -1);
}

static void columns_follow_the_field_table(void **state) {
  (void)state;
  tab_col a[DOM_MAXF + 4];
  int n = export_columns(&dom_person, a);
  static const char *const azWant[] = {"id", "version", "sourced_id", "given_name", "family_name", "sex",
                                       "birth_date", "home_area_id", "phone", "email", "institution_id",
                                       "erased_at", "created_at", "updated_at"};
  assert_int_equal(n, (int)(sizeof azWant / sizeof azWant[0]));
  for (int i = 0; i < n; i++) assert_string_equal(a[i].zName, azWant[i]);
  assert_int_equal(a[6].type, TC_DATE);
  assert_int_equal(a[7].type, TC_INT);
  assert_int_equal(a[11].type, TC_TIME);
  n = export_columns(&dom_enrollment, a);
  for (int i = 0; i < n; i++) assert_string_not_equal(a[i].zName, "consent");   /* input only */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(csv_every_type),
      cmocka_unit_test(csv_limits),
      cmocka_unit_test(xlsx_typed_cells),
      cmocka_unit_test_setup_teardown(each_crosses_batches, fx_setup, fx_teardown),
      cmocka_unit_test(columns_follow_the_field_table),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
