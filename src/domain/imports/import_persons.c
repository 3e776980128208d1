/* import_persons.c: persons from CSV (see import.h): the columns a file may
 * have, for the import engine (import_run.c). The key is sourced_id, the
 * person's id in the system the file comes from. */
#include "domain/imports/import_int.h"

extern dom_entity dom_person;

static const imp_field aField[] = {
    {"sourced_id", "sourced_id", IMP_TEXT, IMPF_KEY, NULL, NULL,
     "the person's external id: a required column and value (the key)", "sourcedId"},
    {"given_name", "given_name", IMP_TEXT, 0, NULL, NULL, "required for a new person", "givenName"},
    {"family_name", "family_name", IMP_TEXT, 0, NULL, NULL, "may be empty", "familyName"},
    {"sex", "sex", IMP_SEX, 0, NULL, NULL, "female or male (also F/M, 女/男, ئايال/ئەر); optional", NULL},
    {"birth_date", "birth_date", IMP_DATE, 0, NULL, NULL,
     "YYYY-MM-DD (also YYYY/MM/DD, DD.MM.YYYY, ... when unambiguous); optional", "birthDate"},
    {"home_area_code", "home_area_id", IMP_LOOKUP, 0, "SELECT id FROM areas WHERE code = $1", "no area has this code",
     "the code of an area (e.g. 650102), not its id", NULL},
    {"phone", "phone", IMP_TEXT, 0, NULL, NULL, "contact telephone", NULL},
    {"email", "email", IMP_TEXT, 0, NULL, NULL, "contact e-mail", NULL},
};

/* built after the rows of a large import (import_defer.c) */
static const imp_defer defer = {{"persons_name_key", "persons_given_key"}};

/* an import confined to an institution registers its new persons to it */

static const imp_spec spec = {
    "persons", &dom_person, aField, sizeof aField / sizeof aField[0],
    "the external id that makes a second import update instead of duplicating",
    "the same sourced_id is already on row %d",
    NULL, NULL, &defer, 1,
};

int import_persons(dom_ctx *c, const char *zPath, const imp_opts *o, imp_result *pRes, gerr *e) {
  return imp_run(c, &spec, zPath, o, pRes, e);
}
