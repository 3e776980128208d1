/* person.h: person rules other modules reuse (import, demo). */
#ifndef GUILD_PERSON_H
#define GUILD_PERSON_H
#include "entity.h"

/* Sets r's hidden search keys (name_key, given_key) from its names. */
void person_set_keys(dom_ctx *c, dom_rec *r);

#endif
