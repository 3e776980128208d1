/* authz.c: the router's share of access control (see authz.h): sign-in for
 * every route that is not public, and a one-time password changed before
 * any route but /me and the change (R_FIRST_SIGN_IN); for a route that is not an entity's
 * record operation (those the domain checks itself, in dom_list, dom_read,
 * dom_create, dom_update and dom_delete), the policy's answer about the
 * record its {id} names, or whether the caller may use the rule at all. */
#include "http/authz.h"
#include "api/api.h"
#include "domain/accounts/auth.h"
#include <string.h>

/* 1 when the route is one of the generic record operations, which the
 * domain checks on every path. */
static int is_record_operation(const route *p) {
  return p->xHandler == api_entity_list || p->xHandler == api_entity_get || p->xHandler == api_entity_create ||
         p->xHandler == api_entity_update || p->xHandler == api_entity_delete || p->xHandler == api_entity_export;
}

int az_authorize(http_req *r, gerr *e) {
  const pol_rule *pRule = r->pRoute->pRule;
  if (pRule->bPublic) return 0;
  if (!r->pAuth->bSignedIn) return gerr_set(e, GERR_UNAUTHORIZED, NULL, "sign in first (POST /api/v1/session)");
  if (r->pAuth->bMustChange && !(r->pRoute->flags & R_FIRST_SIGN_IN))
    return gerr_set(e, GERR_PASSWORD_CHANGE, NULL,
                    "change your one-time password first (POST /api/v1/me/password)");
  if (pRule->bAnyUser || is_record_operation(r->pRoute) || (r->pRoute->flags & R_DOMAIN)) return 0;
  dom_ctx c = api_ctx(r);
  if (r->pRoute->pArg && strstr(r->pRoute->zPath, "{id}")) return pol_check(&c, pRule, r->pRoute->pArg, r->aId[0], e);
  return pol_check_any(&c, pRule, e);
}

int az_authorize_upload(http_req *r, gerr *e) {
  if (az_authorize(r, e)) return -1;
  const pol_rule *pRule = r->pRoute->pRule;
  if (pRule->bPublic || !(r->pRoute->flags & R_DOMAIN)) return 0;
  dom_ctx c = api_ctx(r);
  return pol_check_any(&c, pRule, e);   /* the domain decides on the record; the caller must have the right at all */
}
