/* authz.h: what the router checks of access before a handler runs. Who may
 * do what is decided in the domain (src/domain/engine/policy.h), on every
 * path; the router only refuses (401) a caller who is not signed in on a
 * route whose rule is not public. The entities' record operations and the
 * operations of routes flagged R_DOMAIN check the rule themselves, in the
 * domain; for the few other routes (the key figures, imports: their handler
 * confines a parameter with the same policy) the router asks the policy
 * whether the caller may use the route's rule at all, or about the record
 * its {id} names. */
#ifndef GUILD_AUTHZ_H
#define GUILD_AUTHZ_H
#include "http/http.h"

/* 0, or -1 with e: GERR_UNAUTHORIZED (not signed in), GERR_FORBIDDEN,
 * GERR_NOT_FOUND (from the policy, naming the rule or the record). */
int az_authorize(http_req *r, gerr *e);
/* az_authorize, and for a route whose domain call decides (R_DOMAIN),
 * whether the caller has its rule at all: asked before an upload route's
 * body is read with the upload limit (http_head_plan). */
int az_authorize_upload(http_req *r, gerr *e);

#endif
