/* demo_accounts.h: the demo region's sign-in accounts, one per role. */
#ifndef GUILD_DEMO_ACCOUNTS_H
#define GUILD_DEMO_ACCOUNTS_H
#include "domain/engine/entity.h"

#define DEMO_ACCOUNTS 5

typedef struct demo_account {
  const char *zUser, *zRole;
  char zPassword[24];   /* "": not made (a demo too small for the person it belongs to) */
} demo_account;

/* Creates the demo accounts (admin, staff of the first institution, a
 * trainer, a judge and a learner, each with a random password) in one
 * transaction, into a. 0, or -1 with e (nothing made). */
int demo_accounts(dom_ctx *c, demo_account a[DEMO_ACCOUNTS], gerr *e);

#endif
