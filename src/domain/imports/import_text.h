/* import_text.h: text helpers the importers share for their error reports. */
#ifndef GUILD_IMPORT_TEXT_H
#define GUILD_IMPORT_TEXT_H
#include "core/mem.h"

/* A copy of z in a for an error report: valid UTF-8 as it is, any invalid
 * byte written as \xHH. */
const char *imp_shown(arena *a, const char *z);

#endif
