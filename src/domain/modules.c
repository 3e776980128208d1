/* modules.c: the list of the domain's modules, in dependency order (a
 * module's tables may refer to those of the modules before it). Adding a
 * module is one line here; everything else is in its folder. */
#include "domain/engine/module.h"

extern const dom_module mod_registry, mod_accounts, mod_competition, mod_training, mod_imports, mod_engine;

const dom_module *const dom_modules[] = {&mod_registry, &mod_accounts,  &mod_competition,
                                         &mod_training, &mod_imports, &mod_engine};
const int dom_nmodules = sizeof dom_modules / sizeof dom_modules[0];
