/* cmd_competition.c: `guild competition create|scheme export|scheme import|
 * scheme copy|enter|judges|marks import|lock|transition|publish|results|
 * stats`: a skills competition from the command line. Every write goes
 * through the domain (dom_create, comp_transition, comp_scheme_import, ...)
 * so the same rules apply as in the API; the CSV files are the domain's
 * (comp_csv.h), the results and statistics too (comp_render.h). */
#include "cli/clidb.h"
#include "core/buf.h"
#include "core/text.h"
#include "domain/competition/comp.h"
#include "domain/competition/comp_csv.h"
#include "domain/competition/comp_render.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern dom_entity dom_edition, dom_competitor, dom_judge;

#define CMD "competition"
#define OPT(z) cli_get(CMD, azVal, z)

/* A positional id; prints a usage error otherwise. */
static int pos_id(const char *zWhat, const char *z, int64_t *pOut) {
  if (z && text_int64(z, pOut) == 0 && *pOut > 0) return CLI_OK;
  fprintf(stderr, "guild competition: %s must be a positive whole number (got '%s')\n", zWhat, z ? z : "");
  return CLI_USAGE;
}

/* --- create ------------------------------------------------------------------ */

static int c_create(cli_db *d, const char **azArg, const char **azVal) {
  (void)azArg;
  gerr e;
  int64_t year, idArea;
  int rc;
  const char *zYear = OPT("year"), *zName = OPT("name"), *zArea = OPT("area");
  if (!zYear || !zName || !zArea || !OPT("start") || !OPT("end")) {
    fprintf(stderr, "guild competition: create needs --year --name --area --start and --end\n");
    return CLI_USAGE;
  }
  if ((rc = cli_int(CMD, "year", zYear, 2000, 2100, &year)) || (rc = cli_int(CMD, "area", zArea, 1, INT64_MAX, &idArea)))
    return rc;
  dom_rec in, out;
  dom_rec_init(&in, &dom_edition);
  dom_set_int(&in, "year", year);
  dom_set_text(&in, "name", zName);
  dom_set_int(&in, "area_id", idArea);
  dom_set_text(&in, "start_date", OPT("start"));
  dom_set_text(&in, "end_date", OPT("end"));
  if (dom_create(&d->c, &dom_edition, &in, &out, &e)) return cli_fail(&e);
  printf("edition %lld created: %s (%s)\n", (long long)out.id, dom_v(&out, "name")->z, dom_v(&out, "state")->z);
  return CLI_OK;
}

/* --- marking schemes ----------------------------------------------------------- */

static int c_scheme_export(cli_db *d, const char **azArg, const char **azVal) {
  int64_t idCat;
  int rc = pos_id("CATEGORY_ID", azArg[0], &idCat);
  if (rc) return rc;
  gerr e;
  gbuf b;
  int n;
  gbuf_init(&b, (size_t)64 << 20);
  if (comp_scheme_csv(&d->c, idCat, &b, &n, &e)) {
    gbuf_free(&b);
    return cli_fail(&e);
  }
  const char *zOut = OPT("out");
  FILE *f = zOut ? fopen(zOut, "wb") : stdout;
  if (!f) {
    gbuf_free(&b);
    fprintf(stderr, "guild: cannot write %s\n", zOut);
    return CLI_FAIL;
  }
  int bOk = fwrite(b.z ? b.z : "", 1, b.n, f) == b.n;
  if (zOut) bOk &= fclose(f) == 0;
  gbuf_free(&b);
  if (!bOk) {
    fprintf(stderr, "guild: cannot write the marking scheme%s%s\n", zOut ? " to " : "", zOut ? zOut : "");
    return CLI_FAIL;
  }
  if (zOut) printf("category %lld: %d rows written to %s\n", (long long)idCat, n, zOut);
  return CLI_OK;
}

static int c_scheme_import(cli_db *d, const char **azArg, const char **azVal) {
  (void)azVal;
  int64_t idCat;
  int rc = pos_id("CATEGORY_ID", azArg[0], &idCat);
  if (rc) return rc;
  gerr e;
  int n;
  if (comp_scheme_import(&d->c, idCat, azArg[1], &n, &e)) {
    fprintf(stderr, "guild: %s: nothing was imported\n", azArg[1]);
    return cli_fail(&e);
  }
  printf("category %lld: marking scheme imported (%d rows)\n", (long long)idCat, n);
  return CLI_OK;
}

static int c_scheme_copy(cli_db *d, const char **azArg, const char **azVal) {
  (void)azArg;
  int64_t idFrom, idTo;
  int rc;
  if (!OPT("from") || !OPT("to")) {
    fprintf(stderr, "guild competition: scheme copy needs --from CATEGORY_ID and --to CATEGORY_ID\n");
    return CLI_USAGE;
  }
  if ((rc = cli_int(CMD, "from", OPT("from"), 1, INT64_MAX, &idFrom)) ||
      (rc = cli_int(CMD, "to", OPT("to"), 1, INT64_MAX, &idTo)))
    return rc;
  gerr e;
  int n;
  if (comp_scheme_copy(&d->c, idFrom, idTo, &n, &e)) return cli_fail(&e);
  printf("marking scheme of category %lld copied to category %lld (%d rows)\n", (long long)idFrom, (long long)idTo, n);
  return CLI_OK;
}

/* --- entries, judges, marks ---------------------------------------------------- */

static int c_enter(cli_db *d, const char **azArg, const char **azVal) {
  int64_t idCat, idPerson, idInst;
  int rc;
  if ((rc = pos_id("CATEGORY_ID", azArg[0], &idCat)) || (rc = pos_id("PERSON_ID", azArg[1], &idPerson))) return rc;
  if (!OPT("institution")) {
    fprintf(stderr, "guild competition: enter needs --institution ID (the institution entering the learner)\n");
    return CLI_USAGE;
  }
  if ((rc = cli_int(CMD, "institution", OPT("institution"), 1, INT64_MAX, &idInst))) return rc;
  gerr e;
  dom_rec in, out;
  dom_rec_init(&in, &dom_competitor);
  dom_set_int(&in, "category_id", idCat);
  dom_set_int(&in, "person_id", idPerson);
  dom_set_int(&in, "institution_id", idInst);
  dom_set_int(&in, "consent", OPT("consent") != NULL);   /* the domain refuses an entry without it */
  if (dom_create(&d->c, &dom_competitor, &in, &out, &e)) {
    if (!strcmp(e.field, "consent"))
      fprintf(stderr, "guild: give --consent once the learner has agreed to take part\n");
    return cli_fail(&e);
  }
  printf("competitor %lld entered: person %lld in category %lld (consent recorded by %s)\n", (long long)out.id,
         (long long)idPerson, (long long)idCat, dom_v(&out, "consent_by")->z);
  return CLI_OK;
}

static int c_judges(cli_db *d, const char **azArg, const char **azVal) {
  int64_t idCat, idPerson, idInst = 0;
  int rc;
  if ((rc = pos_id("CATEGORY_ID", azArg[0], &idCat)) || (rc = pos_id("PERSON_ID", azArg[1], &idPerson))) return rc;
  if (OPT("institution") && (rc = cli_int(CMD, "institution", OPT("institution"), 1, INT64_MAX, &idInst))) return rc;
  gerr e;
  dom_rec in, out;
  dom_rec_init(&in, &dom_judge);
  dom_set_int(&in, "category_id", idCat);
  dom_set_int(&in, "person_id", idPerson);
  if (idInst) dom_set_int(&in, "institution_id", idInst);
  dom_set_int(&in, "chief", OPT("chief") != NULL);
  if (dom_create(&d->c, &dom_judge, &in, &out, &e)) return cli_fail(&e);
  printf("judge %lld: person %lld judges category %lld%s\n", (long long)out.id, (long long)idPerson, (long long)idCat,
         OPT("chief") ? " as chief judge" : "");
  return CLI_OK;
}

static int c_marks_import(cli_db *d, const char **azArg, const char **azVal) {
  (void)azVal;
  gerr e;
  int n;
  if (comp_marks_import(&d->c, azArg[0], &n, &e)) {
    fprintf(stderr, "guild: %s: nothing was imported\n", azArg[0]);
    return cli_fail(&e);
  }
  printf("%d marks imported\n", n);
  return CLI_OK;
}

static int c_lock(cli_db *d, const char **azArg, const char **azVal) {
  (void)azVal;
  int64_t idCat;
  int rc = pos_id("CATEGORY_ID", azArg[0], &idCat);
  if (rc) return rc;
  gerr e;
  dom_rec out;
  if (comp_lock_category(&d->c, idCat, &out, &e)) return cli_fail(&e);
  printf("category %lld locked by %s\n", (long long)idCat, dom_v(&out, "locked_by")->z);
  return CLI_OK;
}

static int transition(cli_db *d, const char *zEdition, const char *zTo) {
  int64_t id;
  int rc = pos_id("EDITION_ID", zEdition, &id);
  if (rc) return rc;
  gerr e;
  dom_rec out;
  if (comp_transition(&d->c, id, zTo, &out, &e)) return cli_fail(&e);
  printf("edition %lld is now %s\n", (long long)id, dom_v(&out, "state")->z);
  return CLI_OK;
}

static int c_transition(cli_db *d, const char **azArg, const char **azVal) {
  (void)azVal;
  return transition(d, azArg[0], azArg[1]);
}

static int c_publish(cli_db *d, const char **azArg, const char **azVal) {
  (void)azVal;
  return transition(d, azArg[0], "published");
}

/* --- results and statistics ---------------------------------------------------- */

/* The --format: 0 text, 1 json, 2 csv; -1 after a usage error. */
static int format_of(const char **azVal) {
  const char *z = OPT("format");
  if (!z || !strcmp(z, "text")) return 0;
  if (!strcmp(z, "json")) return 1;
  if (!strcmp(z, "csv")) return 2;
  fprintf(stderr, "guild competition: --format is text, json or csv (got '%s')\n", z);
  return -1;
}

/* Prints the document d wrote (and frees it) as JSON. */
static int print_doc(doc_out *d) {
  json_t *j = doc_json(d);
  char *z = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
  json_decref(j);
  if (!z) return CLI_FAIL;
  printf("%s\n", z);
  free(z);
  return CLI_OK;
}

static int print_csv(int rc, gbuf *b, gerr *e) {
  if (rc == 0) fwrite(b->z ? b->z : "", 1, b->n, stdout);
  gbuf_free(b);
  return rc ? cli_fail(e) : CLI_OK;
}

static void print_results_text(const comp_edition_results *p) {
  printf("edition %lld (%s): results\n", (long long)p->edition_id, p->zState);
  for (int k = 0; k < p->nCat; k++) {
    const comp_cat_results *cat = &p->aCat[k];
    printf("\n%s (category %lld)\n", cat->zName, (long long)cat->category_id);
    printf("  %-5s %-11s %-30s %-11s %7s %8s  %s\n", "rank", "competitor", "name", "institution", "raw", "standard",
           "medal");
    for (int rank = 1; rank <= cat->nRow; rank++)
      for (int i = 0; i < cat->nRow; i++) {
        const comp_result_row *x = &cat->aRow[i];
        if (x->rank != rank) continue;
        char zName[200];
        snprintf(zName, sizeof zName, "%s%s%s", x->zGiven, x->zFamily[0] ? " " : "", x->zFamily);
        printf("  %-5d %-11lld %-30s %-11lld %7.2f %8d  %s\n", x->rank, (long long)x->competitor_id, zName,
               (long long)x->institution_id, round(x->raw * 100) / 100, x->standard,
               x->medal ? comp_medal_name(x->medal) : "-");
      }
  }
  printf("\ninstitutions (gold 4, silver 3, bronze 2, medallion 1)\n");
  printf("  %-11s %6s %4s %6s %6s %9s %11s %13s\n", "institution", "points", "gold", "silver", "bronze", "medallion",
         "competitors", "mean_standard");
  for (int i = 0; i < p->nInst; i++) {
    const comp_institution_row *x = &p->aInst[i];
    printf("  %-11lld %6d %4d %6d %6d %9d %11d %13.1f\n", (long long)x->institution_id, x->points, x->gold, x->silver,
           x->bronze, x->medallion, x->competitors, round(x->meanStandard * 10) / 10);
  }
}

static int c_results(cli_db *d, const char **azArg, const char **azVal) {
  int64_t id;
  int rc = pos_id("EDITION_ID", azArg[0], &id), fmt = format_of(azVal);
  if (rc) return rc;
  if (fmt < 0) return CLI_USAGE;
  gerr e;
  comp_edition_results res;
  if (comp_edition_results_load(&d->c, id, &res, &e)) return cli_fail(&e);
  if (fmt == 1) {
    doc_out *pDoc = doc_new();
    comp_results_doc(&res, pDoc);
    return print_doc(pDoc);
  }
  if (fmt == 2) {
    gbuf b;
    gbuf_init(&b, COMP_CSV_MAX);
    return print_csv(comp_results_csv(&res, NULL, &b, &e), &b, &e);
  }
  print_results_text(&res);
  return CLI_OK;
}

static const char *pct(char *z, size_t n, int bGrowth, double x) {
  if (!bGrowth || isnan(x)) snprintf(z, n, "-");
  else snprintf(z, n, "%+.1f%%", x * 100);
  return z;
}

static void print_medals_text(const char *zTitle, const comp_medal_count *a, int n) {
  if (!n) return;
  printf("  %s\n", zTitle);
  for (int i = 0; i < n; i++)
    printf("    %-8lld %-30s points %3d  gold %2d  silver %2d  bronze %2d  medallion %2d\n", (long long)a[i].id,
           a[i].zName, a[i].points, a[i].gold, a[i].silver, a[i].bronze, a[i].medallion);
}

static void print_stats_text(const comp_stats *p) {
  printf("%-5s %-8s %-13s %12s %8s %10s %8s %12s %6s %5s %10s\n", "year", "edition", "state", "participants", "growth",
         "categories", "growth", "institutions", "female", "male", "unrecorded");
  for (int i = 0; i < p->nEdition; i++) {
    const comp_edition_stats *s = &p->aEdition[i];
    char zP[16], zC[16];
    printf("%-5d %-8lld %-13s %12d %8s %10d %8s %12d %6d %5d %10d\n", s->year, (long long)s->edition_id, s->zState,
           s->participants, pct(zP, sizeof zP, s->bGrowth, s->participantGrowth), s->categories,
           pct(zC, sizeof zC, s->bGrowth, s->categoryGrowth), s->institutions, s->female, s->male, s->unrecorded);
  }
  printf("all   %-8d %-13s %12d %8s %10d %8s %12d %6d %5d %10d\n", p->nEdition, "editions", p->participants, "",
         p->categories, "", p->institutions, p->female, p->male, p->unrecorded);
  printf("distinct competitors: %d\n", p->distinct_competitors);
  for (int i = 0; i < p->nEdition; i++) {
    const comp_edition_stats *s = &p->aEdition[i];
    if (!s->bMedals) continue;
    printf("\nmedals %d (edition %lld, %s)\n", s->year, (long long)s->edition_id, s->zName);
    print_medals_text("by institution", s->aInstMedal, s->nInstMedal);
    print_medals_text("by area", s->aAreaMedal, s->nAreaMedal);
  }
  if (p->nInstMedal) {
    printf("\nmedals across editions\n");
    print_medals_text("by institution", p->aInstMedal, p->nInstMedal);
    print_medals_text("by area", p->aAreaMedal, p->nAreaMedal);
  }
}

static int c_stats(cli_db *d, const char **azArg, const char **azVal) {
  (void)azArg;
  int fmt = format_of(azVal);
  if (fmt < 0) return CLI_USAGE;
  gerr e;
  comp_stats st;
  if (comp_stats_load(&d->c, &st, &e)) return cli_fail(&e);
  if (fmt == 1) {
    doc_out *pDoc = doc_new();
    comp_stats_doc(&st, pDoc);
    return print_doc(pDoc);
  }
  if (fmt == 2) {
    gbuf b;
    gbuf_init(&b, COMP_CSV_MAX);
    return print_csv(comp_stats_csv(&st, NULL, &b, &e), &b, &e);
  }
  print_stats_text(&st);
  return CLI_OK;
}

/* --- the subcommand table ------------------------------------------------------ */

static const struct {
  const char *zSub, *zSub2;   /* e.g. "scheme" "import"; zSub2 NULL for one word */
  int nArg;
  int (*xRun)(cli_db *d, const char **azArg, const char **azVal);
  const char *zUsage;
} aSub[] = {
    {"create", NULL, 0, c_create, "competition create --year Y --name NAME --area ID --start DATE --end DATE"},
    {"scheme", "export", 1, c_scheme_export, "competition scheme export CATEGORY_ID [--out FILE]"},
    {"scheme", "import", 2, c_scheme_import, "competition scheme import CATEGORY_ID FILE"},
    {"scheme", "copy", 0, c_scheme_copy, "competition scheme copy --from CATEGORY_ID --to CATEGORY_ID"},
    {"enter", NULL, 2, c_enter, "competition enter CATEGORY_ID PERSON_ID --institution ID --consent"},
    {"judges", NULL, 2, c_judges, "competition judges CATEGORY_ID PERSON_ID [--institution ID] [--chief]"},
    {"marks", "import", 1, c_marks_import, "competition marks import FILE"},
    {"lock", NULL, 1, c_lock, "competition lock CATEGORY_ID"},
    {"transition", NULL, 2, c_transition, "competition transition EDITION_ID STATE"},
    {"publish", NULL, 1, c_publish, "competition publish EDITION_ID"},
    {"results", NULL, 1, c_results, "competition results EDITION_ID [--format text|json|csv]"},
    {"stats", NULL, 0, c_stats, "competition stats [--format text|json|csv]"},
};

int cmd_competition(int argc, char **argv) {
  const char *azVal[20] = {0}, *azPos[5] = {0};
  int nPos, rc = cli_parse(CMD, argc, argv, azVal, azPos, 5, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  size_t i = 0, nSub = sizeof aSub / sizeof aSub[0];
  while (i < nSub && !(azPos[0] && !strcmp(aSub[i].zSub, azPos[0]) &&
                       (!aSub[i].zSub2 || (azPos[1] && !strcmp(aSub[i].zSub2, azPos[1])))))
    i++;
  if (i == nSub) {
    fprintf(stderr, "guild competition: say create, scheme export|import|copy, enter, judges, marks import, lock, "
                    "transition, publish, results or stats (see guild help competition)\n");
    return CLI_USAGE;
  }
  int nWord = aSub[i].zSub2 ? 2 : 1;
  if (nPos != nWord + aSub[i].nArg) {
    fprintf(stderr, "guild competition: usage: guild %s\n", aSub[i].zUsage);
    return CLI_USAGE;
  }
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(OPT("db")), &d, &e)) return cli_fail(&e);
  rc = aSub[i].xRun(&d, azPos + nWord, azVal);
  cli_close(&d);
  return rc;
}
