/* person.h: person rules other modules reuse (import, demo). */
#ifndef GUILD_PERSON_H
#define GUILD_PERSON_H
#include "domain/engine/entity.h"

/* Sets r's hidden search keys (name_key, given_key) from its names. */
void person_set_keys(dom_ctx *c, dom_rec *r);

/* Erases person id's personal data: names, birth date, contact and external
 * id are removed and accounts linked to the person are deleted; sex, home
 * area, registering institution and enrollments stay, so aggregate figures
 * stay correct. Idempotent. One audit entry. */
int person_erase(dom_ctx *c, int64_t id, dom_rec *pOut, gerr *e);

#endif
