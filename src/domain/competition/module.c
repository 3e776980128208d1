/* module.c: the competition module's descriptor: editions, categories,
 * marking schemes (criteria, aspects), competitors, judges and marks; who
 * may enter, mark and correct; the queries that say which categories a
 * judge judges; its tables in copy order and its migration
 * (comp_schema.c). */
#include "domain/competition/comp.h"
#include "domain/engine/module.h"

#define ALL POL_ALL
#define SCO POL_SCOPED
#define NO POL_NO

extern dom_entity dom_edition, dom_category, dom_criterion, dom_aspect, dom_competitor, dom_judge, dom_mark;
extern const schema_migration comp_migrations[];

/*                                      name              public any  admin staff trainer judge learner */
const pol_rule comp_rule_entry = {"competition_entry", 0, 0, {ALL, SCO, NO, NO, NO}, NULL, NULL, 0,
                                  "region administrators; staff of the entering institution"};
const pol_rule comp_rule_marking = {"marking", 0, 0, {ALL, NO, NO, SCO, NO}, NULL, NULL, 0,
                                    "region administrators; judges of the category"};
const pol_rule comp_rule_chief = {"chief_judge", 0, 0, {ALL, NO, NO, SCO, NO}, "category_chief", NULL, 0,
                                  "region administrators; the category's chief judge"};
const pol_rule comp_rule_mark_chief = {"chief_judge", 0, 0, {ALL, NO, NO, SCO, NO}, "mark_chief", NULL, 0,
                                       "region administrators; the category's chief judge"};

/* provisional results (before publication): comp_results_access.c */
const pol_rule comp_rule_results = {"provisional_results", 0, 0, {ALL, NO, NO, SCO, NO}, NULL, NULL, 0,
                                    "region administrators; the judges of the edition's categories (theirs only)"};

static const pol_rule *const apRule[] = {&comp_rule_entry, &comp_rule_marking, &comp_rule_chief, &comp_rule_mark_chief,
                                         &comp_rule_results};

/* A judge refused a record of one of these scopes is told why in their
 * terms (judge.c). */
static int judge_why(dom_ctx *c, const char *zScope, int64_t id, scope_kind kind, int64_t value, gerr *e) {
  return kind == SCOPE_JUDGE ? comp_judge_refusal(c, zScope, id, value, e) : 0;
}

/* $1 the record's id, $2 the judge's person id (or the institution). */
static const pol_scope aScope[] = {
    {"category", {NULL, NULL, NULL, "SELECT count(*) FROM judges WHERE category_id = $1 AND person_id = $2"}, judge_why},
    {"category_chief",
     {NULL, NULL, NULL, "SELECT count(*) FROM judges WHERE category_id = $1 AND person_id = $2 AND chief = 1"}, judge_why},
    {"competitor",
     {"SELECT count(*) FROM competitors WHERE id = $1 AND institution_id = $2", NULL, NULL,
      "SELECT count(*) FROM competitors c JOIN judges j ON j.category_id = c.category_id "
      "WHERE c.id = $1 AND j.person_id = $2"}, judge_why},
    {"mark", {NULL, NULL, NULL, "SELECT count(*) FROM marks WHERE id = $1 AND judge_id = $2"}, judge_why},
    {"mark_chief",
     {NULL, NULL, NULL,
      "SELECT count(*) FROM marks m JOIN competitors c ON c.id = m.competitor_id JOIN judges j "
      "ON j.category_id = c.category_id WHERE m.id = $1 AND j.person_id = $2 AND j.chief = 1"}, judge_why},
};

static const dom_entity *const apEntity[] = {&dom_edition,    &dom_category, &dom_criterion, &dom_aspect,
                                             &dom_competitor, &dom_judge,    &dom_mark};

static const schema_table aTable[] = {
    {"editions", "id", 1},     {"categories", "id", 1},  {"criteria", "id", 1},
    {"aspects", "id", 1},      {"aspects_part_marks", "owner_id, pos", 0},
    {"aspects_descriptors", "owner_id, pos", 0},         {"competitors", "id", 1},
    {"judges", "id", 1},       {"marks", "id", 1},       {"mark_corrections", "id", 1},
};

const dom_module mod_competition = {
    "competition", "skills competitions: editions, categories, marking schemes, competitors, judges, marks, results",
    apEntity, sizeof apEntity / sizeof apEntity[0], apRule, sizeof apRule / sizeof apRule[0], aScope,
    sizeof aScope / sizeof aScope[0], aTable, sizeof aTable / sizeof aTable[0], comp_migrations, NULL, 0, NULL, 0,
};
