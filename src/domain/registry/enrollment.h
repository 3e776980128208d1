/* enrollment.h: domain actions on enrollments beyond generic updates. */
#ifndef GUILD_ENROLLMENT_H
#define GUILD_ENROLLMENT_H
#include "domain/engine/entity.h"

/* Withdraws enrollment id (reason: NULL or one of the withdrawal reasons).
 * Always allowed while applied or enrolled, needs no version, and is a
 * no-op on an already withdrawn enrollment. Fills pOut. */
int enroll_withdraw(dom_ctx *c, int64_t id, const char *zReason, dom_rec *pOut, gerr *e);

#endif
