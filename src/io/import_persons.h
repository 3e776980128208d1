/* import_persons.h: kept for the callers that include it: import_persons
 * and import_enrollments, and their types, are declared in import.h. */
#ifndef GUILD_IMPORT_PERSONS_H
#define GUILD_IMPORT_PERSONS_H
#include "import.h"
#endif
