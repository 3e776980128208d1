/* scope.c: one query per entity and kind of scope, answering whether a
 * record lies in it. $1 is the record's id, $2 the scope's value. */
#include "domain/engine/scope.h"
#include <string.h>

#define ENROLLED_AT_INSTITUTION                                                                        \
  "SELECT e.person_id FROM enrollments e JOIN cohorts c ON c.id = e.cohort_id "                         \
  "JOIN programs p ON p.id = c.program_id WHERE p.institution_id = $2"

static const struct {
  const char *zEntity;
  const char *azSql[SCOPE__MAX];   /* institution, trainer, self, judge */
} aScope[] = {
    {"institution", {"SELECT count(*) FROM institutions WHERE id = $1 AND id = $2", NULL, NULL}},
    {"program", {"SELECT count(*) FROM programs WHERE id = $1 AND institution_id = $2", NULL, NULL}},
    {"cohort",
     {"SELECT count(*) FROM cohorts c JOIN programs p ON p.id = c.program_id WHERE c.id = $1 AND p.institution_id = $2",
      "SELECT count(*) FROM cohorts_trainers WHERE owner_id = $1 AND value = $2", NULL}},
    {"person",
     {"SELECT count(*) FROM persons WHERE id = $1 AND (institution_id = $2 OR id IN (" ENROLLED_AT_INSTITUTION "))",
      "SELECT count(*) FROM enrollments e JOIN cohorts_trainers t ON t.owner_id = e.cohort_id "
      "WHERE e.person_id = $1 AND t.value = $2",
      "SELECT count(*) FROM persons WHERE id = $1 AND id = $2"}},
    {"enrollment",
     {"SELECT count(*) FROM enrollments e JOIN cohorts c ON c.id = e.cohort_id JOIN programs p ON p.id = c.program_id "
      "WHERE e.id = $1 AND p.institution_id = $2",
      "SELECT count(*) FROM enrollments e JOIN cohorts_trainers t ON t.owner_id = e.cohort_id "
      "WHERE e.id = $1 AND t.value = $2",
      "SELECT count(*) FROM enrollments WHERE id = $1 AND person_id = $2"}},
    {"category", {NULL, NULL, NULL, "SELECT count(*) FROM judges WHERE category_id = $1 AND person_id = $2"}},
    {"category_chief",
     {NULL, NULL, NULL, "SELECT count(*) FROM judges WHERE category_id = $1 AND person_id = $2 AND chief = 1"}},
    {"competitor",
     {"SELECT count(*) FROM competitors WHERE id = $1 AND institution_id = $2", NULL, NULL,
      "SELECT count(*) FROM competitors c JOIN judges j ON j.category_id = c.category_id "
      "WHERE c.id = $1 AND j.person_id = $2"}},
    {"mark", {NULL, NULL, NULL, "SELECT count(*) FROM marks WHERE id = $1 AND judge_id = $2"}},
    {"mark_chief",
     {NULL, NULL, NULL,
      "SELECT count(*) FROM marks m JOIN competitors c ON c.id = m.competitor_id JOIN judges j "
      "ON j.category_id = c.category_id WHERE m.id = $1 AND j.person_id = $2 AND j.chief = 1"}},
};

int scope_contains(dom_ctx *c, const char *zEntity, int64_t id, scope_kind kind, int64_t value, gerr *e) {
  for (size_t i = 0; i < sizeof aScope / sizeof aScope[0]; i++) {
    if (strcmp(aScope[i].zEntity, zEntity) != 0) continue;
    const char *zSql = aScope[i].azSql[kind];
    if (!zSql || value <= 0) return 0;
    db_stmt *s = db_prepare(c->pDb, zSql, e);
    if (!s) return -1;
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, value);
    int64_t n = 0;
    int rc = db_step(s, e);
    if (rc == DB_ROW) n = db_col_int(s, 0);
    db_done(s);
    if (rc == DB_ERROR) return -1;
    return n > 0;
  }
  return 0;
}

/* Records of these entities in no institution's scope: $1 the id; the count
 * is 0 when it is open. */
static const struct {
  const char *zEntity, *zAttached;
} aOpen[] = {
    {"person", "SELECT count(*) FROM persons WHERE id = $1 AND (institution_id IS NOT NULL OR id IN "
               "(SELECT person_id FROM enrollments))"},
};

int scope_open(dom_ctx *c, const char *zEntity, int64_t id, gerr *e) {
  for (size_t i = 0; i < sizeof aOpen / sizeof aOpen[0]; i++) {
    if (strcmp(aOpen[i].zEntity, zEntity) != 0) continue;
    int64_t nAttached = 0;
    if (db_query_int(c->pDb, aOpen[i].zAttached, 1, id, &nAttached, e) == DB_ERROR) return -1;
    return nAttached == 0;
  }
  return 0;
}
