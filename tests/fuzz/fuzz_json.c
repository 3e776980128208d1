/* fuzz_json.c: the JSON body decoder and the record validation behind every
 * create and change of the API: the fuzzer's bytes are a request body,
 * parsed as the router parses one (json_loadb, duplicates refused), turned
 * into a record of an entity by api_rec_from_json and checked by
 * dom_check, as a new record or as a change of a stored one, against a
 * SQLite database holding the demo region (1000 learners: every entity has
 * records, the competition's included).
 *
 * Input: byte 0 chooses the entity (dom_entities, in module order), byte 1
 * bit 0 a change of a stored record instead of a new one, bits 1-3 which
 * (of the entity's first eight: the demo's editions are in different
 * states); the rest is the body. With GUILD_FUZZ_WRITE_SEEDS=DIR the target
 * first writes seeds there: each entity's first stored record as a body
 * (its input-only fields filled), new and as a change (how
 * tests/fuzz/corpus/json/ was made); with GUILD_FUZZ_WRITE_DICT=FILE, a
 * libFuzzer dictionary of every field name and allowed value
 * (tests/fuzz/json.dict, then sorted and deduplicated).
 *
 * Property: a record that passes is what the API would store; shown as
 * JSON (api_rec_json) and read back (less what guild sets: id, version,
 * times and read-only fields; input-only fields such as consent come from
 * the first body), it passes again and is the same record but for its
 * read-only fields (a training session's check-in secret is drawn anew):
 * validation and normalisation are idempotent. Each input runs in a
 * transaction rolled back after it (a user's new password ends their
 * sessions). */
#include "fuzz.h"
#include "api/api.h"

static db *pDb;
static arena arOld;                        /* the stored records, for the whole run */
#define NOLD 8                             /* stored records kept per entity */
static dom_rec aaOld[DOM_MAXENT][NOLD];
static int anOld[DOM_MAXENT];

/* The fields guild sets: they are shown but cannot be written. */
static void drop_set_by_guild(const dom_entity *pEnt, json_t *o) {
  static const char *const az[] = {"id", "version", "created_at", "updated_at"};
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) json_object_del(o, az[i]);
  for (int k = 0; k < pEnt->nField; k++)
    if (pEnt->aField[k].flags & F_RO) json_object_del(o, pEnt->aField[k].zName);
}

/* Writes the seeds (see the top of the file) into directory zDir. */
static void write_seeds(const char *zDir) {
  for (int k = 0; k < dom_nentities; k++) {
    if (!anOld[k]) continue;
    const dom_entity *pEnt = dom_entities[k];
    json_t *o = api_rec_json(&aaOld[k][0]);
    drop_set_by_guild(pEnt, o);
    for (int j = 0; j < pEnt->nField; j++) {
      const dom_field *f = &pEnt->aField[j];
      if (!(f->flags & F_VIRT)) continue;
      json_object_set_new(o, f->zName, f->type == DT_BOOL ? json_true() : json_string("a fuzzing passphrase 42"));
    }
    char *z = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    for (int bChange = 0; bChange < 2; bChange++) {
      char zPath[600];
      snprintf(zPath, sizeof zPath, "%s/%s%s", zDir, pEnt->zName, bChange ? "_change" : "");
      FILE *f = fopen(zPath, "wb");
      FUZZ_ASSERT(f);
      fprintf(f, "%c%c%s", k, bChange, z);
      fclose(f);
    }
    free(z);
    json_decref(o);
  }
}

/* Prints to stderr each field of records r1 and r2 of pEnt side by side
 * (set, null, integer, text, count): which field differs when two records
 * that should be the same are not. */
static void show_fields(const dom_entity *pEnt, const dom_rec *r1, const dom_rec *r2) {
  for (int k = 0; k < pEnt->nField; k++) {
    const dom_val *v1 = &r1->a[k], *v2 = &r2->a[k];
    int bText = !dom_is_integer(&pEnt->aField[k]);
    fprintf(stderr, "  %s: set %d/%d null %d/%d i %lld/%lld z %s/%s n %d/%d\n", pEnt->aField[k].zName, v1->bSet,
            v2->bSet, v1->bNull, v2->bNull, (long long)v1->i, (long long)v2->i, bText && v1->z ? v1->z : "-",
            bText && v2->z ? v2->z : "-", v1->n, v2->n);
  }
}

/* out (checked from pIn) shown and read back passes again, the same. */
static void again(dom_ctx *c, const dom_entity *pEnt, const dom_rec *pIn, const dom_rec *pOld, const dom_rec *pOut) {
  json_t *o = api_rec_json(pOut);
  drop_set_by_guild(pEnt, o);
  char *z = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  FUZZ_ASSERT(z);
  json_error_t je;
  json_t *o2 = json_loads(z, JSON_REJECT_DUPLICATES, &je);
  FUZZ_ASSERT(o2);
  dom_rec in2, out2;
  gerr e;
  gerr_clear(&e);
  int rc = api_rec_from_json(c->pAr, pEnt, o2, &in2, &e);
  if (rc) fprintf(stderr, "read back %s: %s\n", z, e.msg);
  FUZZ_ASSERT(rc == 0);
  for (int k = 0; k < pEnt->nField; k++)
    if (pEnt->aField[k].flags & F_VIRT) in2.a[k] = pIn->a[k];
  rc = dom_check(c, pEnt, &in2, pOld, &out2, &e);
  if (rc) fprintf(stderr, "checked again %s: %s (%s)\n", z, e.msg, e.field);
  FUZZ_ASSERT(rc == 0);
  for (int k = 0; k < pEnt->nField; k++)   /* what guild sets may be new each time (a session's check-in secret) */
    if (pEnt->aField[k].flags & F_RO) out2.a[k] = pOut->a[k];
  if (!dom_same(pOut, &out2)) show_fields(pEnt, pOut, &out2);
  FUZZ_ASSERT(dom_same(pOut, &out2));
  free(z);
  json_decref(o2);
}

/* Writes the dictionary (see the top of the file) to zPath. */
static void write_dict(const char *zPath) {
  FILE *f = fopen(zPath, "w");
  FUZZ_ASSERT(f);
  fprintf(f, "# tests/fuzz/fuzz_json.c: field names and allowed values (GUILD_FUZZ_WRITE_DICT)\n");
  for (int k = 0; k < dom_nentities; k++)
    for (int j = 0; j < dom_entities[k]->nField; j++) {
      const dom_field *p = &dom_entities[k]->aField[j];
      fprintf(f, "\"\\\"%s\\\":\"\n", p->zName);
      for (int i = 0; p->azEnum && p->azEnum[i]; i++) fprintf(f, "\"\\\"%s\\\"\"\n", p->azEnum[i]);
    }
  fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  pDb = fuzz_demo_db(1000, NULL);
  arena_init(&arOld);
  dom_ctx c = dom_ctx_system(pDb, &arOld, "fuzz", 1750000000);
  for (int k = 0; k < dom_nentities; k++) {
    gerr e;
    for (int64_t id = 1; id <= 400 && anOld[k] < NOLD; id++)
      if (dom_get(&c, dom_entities[k], id, &aaOld[k][anOld[k]], &e) == 0) anOld[k]++;
  }
  if (getenv("GUILD_FUZZ_WRITE_SEEDS")) write_seeds(getenv("GUILD_FUZZ_WRITE_SEEDS"));
  if (getenv("GUILD_FUZZ_WRITE_DICT")) write_dict(getenv("GUILD_FUZZ_WRITE_DICT"));
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2 || dom_nentities == 0) return 0;
  int k = data[0] % dom_nentities;
  const dom_entity *pEnt = dom_entities[k];
  const dom_rec *pOld = (data[1] & 1) && anOld[k] ? &aaOld[k][(data[1] >> 1) % anOld[k]] : NULL;
  json_error_t je;
  json_t *o = json_loadb((const char *)data + 2, size - 2, JSON_REJECT_DUPLICATES, &je);
  if (!o) return 0;
  if (!json_is_object(o)) {
    json_decref(o);
    return 0;
  }
  arena a;
  arena_init(&a);
  dom_ctx c = dom_ctx_system(pDb, &a, "fuzz", 1750000000);
  dom_rec in, out;
  gerr e;
  gerr_clear(&e);
  FUZZ_ASSERT(db_begin(pDb, &e) == 0);
  if (api_rec_from_json(&a, pEnt, o, &in, &e) == 0) {
    if (dom_check(&c, pEnt, &in, pOld, &out, &e) == 0) {
      again(&c, pEnt, &in, pOld, &out);
    } else {
      if (getenv("GUILD_FUZZ_DEBUG")) fprintf(stderr, "%s: %s %s (%s)\n", pEnt->zName, gerr_name(e.code), e.msg, e.field);
      FUZZ_ASSERT(gerr_status(e.code) >= 400 && gerr_status(e.code) < 500);   /* the client's mistake, said as such */
    }
  } else {
    FUZZ_ASSERT(e.code == GERR_VALIDATION);   /* naming the member (which may be "") */
  }
  db_rollback(pDb);
  arena_free(&a);
  json_decref(o);
  return 0;
}
