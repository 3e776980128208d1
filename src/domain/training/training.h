/* training.h: the training module (trainer work): training sessions and
 * attendance, units of competency and their assessment, and the skill
 * awards learners achieve. Its descriptor is module.c; its access rules and
 * entities are declared here for the API and the module's own files. */
#ifndef GUILD_TRAINING_H
#define GUILD_TRAINING_H
#include "domain/engine/module.h"

extern const dom_module mod_training;

/* Sessions and attendance (module.c; what each allows: its zHelp). */
extern const pol_rule trn_rule_session_read, trn_rule_session_write, trn_rule_attendance, trn_rule_mark_read,
    trn_rule_check_in, trn_rule_own_attendance, trn_rule_status_write, trn_rule_threshold_write;
extern dom_entity dom_attendance_status, dom_training_session, dom_attendance_mark, dom_attendance_threshold;

#endif
