/* training.h: the training module (trainer work): training sessions and
 * attendance, units of competency and their assessment, and the skill
 * awards learners achieve. Its descriptor is module.c; its access rules and
 * entities are declared here for the API and the module's own files. */
#ifndef GUILD_TRAINING_H
#define GUILD_TRAINING_H
#include "domain/engine/module.h"

extern const dom_module mod_training;

#endif
