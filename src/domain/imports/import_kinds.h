/* import_kinds.h: what can be imported in the background (POST
 * /api/v1/imports?kind=...): one row per kind, naming the importer. Every
 * importer has the signature of import_persons (src/domain/imports/import.h):
 * it streams the file, checks each row with the API's rules and writes in
 * one transaction with one audit entry, all or nothing unless
 * o->bSkipInvalid. */
#ifndef GUILD_IMPORT_KINDS_H
#define GUILD_IMPORT_KINDS_H
#include "domain/imports/import.h"

typedef int (*imp_fn)(dom_ctx *c, const char *zPath, const imp_opts *o, imp_result *pRes, gerr *e);

typedef struct imp_kind {
  const char *zName;    /* the kind parameter */
  imp_fn xImport;
  const char *zHelp;
} imp_kind;

extern const imp_kind imp_kinds[];
extern const int imp_nkinds;

/* The kind named zName, or NULL. */
const imp_kind *imp_kind_find(const char *zName);
/* Refuses kind zName (NULL: none given): GERR_VALIDATION, reason not_one_of
 * with the kinds there are. Returns -1. */
int imp_kind_refuse(const char *zName, gerr *e);

#endif
