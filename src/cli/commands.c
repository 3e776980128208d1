/* commands.c: every command of guild, with its options and help text beside
 * it. `guild help` and `guild help CMD` print from this table. */
#include "cli.h"
#include <stddef.h>

#define DB_OPT {"db", "DB", "SQLite file or postgres://user@host:port/name (default: $GUILD_DB or guild.db)"}
#define HELP_OPT {"help", NULL, "show this help"}

static const cli_opt aInitOpt[] = {
    DB_OPT,
    {"admin", "NAME", "username of the first region administrator (default admin)"},
    {"password-stdin", NULL, "read the administrator's password from standard input instead of generating one"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aUserOpt[] = {
    DB_OPT,
    {"role", "ROLE", "add: grant this role too (region_admin, institution_staff, trainer, judge, learner)"},
    {"institution", "ID", "the institution of an institution_staff grant"},
    {"person", "ID", "add: the person the account belongs to (trainers, judges, learners)"},
    {"display", "NAME", "add: the name shown in the interface"},
    {"password-stdin", NULL, "read the password from standard input instead of generating one"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aAuditOpt[] = {
    DB_OPT,
    {"entity", "NAME", "log: only entries about this entity (person, enrollment, ...)"},
    {"actor", "WHO", "log: only entries by this actor (user:NAME, token:NAME, cli:LOGIN)"},
    {"since", "DATE", "log: only entries from this date (YYYY-MM-DD) or time (seconds since 1970)"},
    {"limit", "N", "log: at most N entries (default 100)"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aCopyOpt[] = {
    {"from", "DB", "the source: a SQLite file or postgres://..."},
    {"to", "DB", "the target: a SQLite file (created if missing) or postgres://..."},
    {"replace", NULL, "overwrite a target that already holds data"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aPersonOpt[] = {DB_OPT, HELP_OPT, {NULL, NULL, NULL}};
static const cli_opt aMigrateOpt[] = {DB_OPT, HELP_OPT, {NULL, NULL, NULL}};
static const cli_opt aServeOpt[] = {
    DB_OPT,
    {"port", "N", "TCP port (default 8080)"},
    {"addr", "IP", "address to listen on (default 127.0.0.1)"},
    {"threads", "N", "event-loop threads, each with its own connection (default: number of cores)"},
    {"quiet", NULL, "no access log"},
    {"session-cache", "SECONDS", "reuse a session lookup for up to SECONDS (default 2, 0 never; docs/security.md)"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aDemoOpt[] = {
    DB_OPT,
    {"learners", "N", "number of learners (default 2000; 1000000 works)"},
    {"seed", "S", "random seed: the same seed gives the same region (default 1)"},
    {"bench-edition", "C,N,A,J", "add an edition of C categories, N competitors, A aspects and J judges each"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aNoOpt[] = {HELP_OPT, {NULL, NULL, NULL}};

const cli_command cli_commands[] = {
    {"init", cmd_init, "[--db PATH] [--admin NAME] [--password-stdin]", "create a new guild database",
     "Creates the database file (if missing), applies every migration and, when\n"
     "there is no account yet, creates the first region administrator and prints\n"
     "a one-time password (or takes one from standard input with --password-stdin).", aInitOpt},
    {"migrate", cmd_migrate, "[--db PATH]", "apply pending schema migrations",
     "Applies the migrations the database does not have yet, each in its own\n"
     "transaction. A database newer than this guild is refused.", aMigrateOpt},
    {"serve", cmd_serve, "[--db PATH|postgres://...] [--port N] [--threads N]", "serve the JSON API (and the web UI)",
     "Serves /api/v1 until SIGINT or SIGTERM, then lets in-flight requests finish\n"
     "and closes the database. One access-log line per request goes to stderr:\n"
     "  access METHOD PATH STATUS MICROSECONDSus", aServeOpt},
    {"demo", cmd_demo, "[--db PATH] [--learners N] [--seed S]", "create a realistic demo region",
     "Creates (or fills an empty) database with a deterministic demo region:\n"
     "prefectures, counties and townships, vocational colleges and training centres,\n"
     "programs such as modern pastry-making, cohorts with trainers, and learners with\n"
     "one or more enrollments each. Refuses a database that already holds data.", aDemoOpt},
    {"user", cmd_user, "add|passwd|grant|revoke|list|disable|enable [NAME [ROLE]] [options]", "manage accounts",
     "  user add NAME [--role ROLE [--institution ID]] [--person ID] [--display NAME]\n"
     "  user passwd NAME          set a new password (generated and printed once, or --password-stdin)\n"
     "  user grant NAME ROLE [--institution ID]\n"
     "  user revoke NAME ROLE [--institution ID]\n"
     "  user list\n"
     "  user disable NAME | user enable NAME\n"
     "Roles: region_admin (everything), institution_staff (one institution: give\n"
     "--institution), trainer (their cohorts), judge (their competition categories),\n"
     "learner (their own record). Trainers, judges and learners need --person.\n"
     "Passwords: at least 12 characters, not one of the 10,000 most common.", aUserOpt},
    {"audit", cmd_audit, "verify|log [--entity E] [--actor A] [--since DATE] [--limit N]", "check or read the audit log",
     "  audit verify   recompute the hash chain of every entry; exit 1 naming the first\n"
     "                 entry that does not match (an edited, removed or inserted entry)\n"
     "  audit log      print entries: id, time, actor, action, entity, id, hash", aAuditOpt},
    {"person", cmd_person, "erase ID", "erase a person's personal data",
     "  person erase ID   remove the person's names, birth date, contact and external id\n"
     "                    and delete their accounts; sex, home area and enrollments stay\n"
     "                    so aggregate statistics stay correct. Recorded in the audit log.", aPersonOpt},
    {"copy", cmd_copy, "--from DB --to DB [--replace]", "move a whole database between SQLite and PostgreSQL",
     "Copies every table from one database to another (SQLite to PostgreSQL or back)\n"
     "in one transaction on the target, then verifies row counts and a checksum per\n"
     "table on both sides. A target that holds data is refused unless --replace.", aCopyOpt},
    {"version", cmd_version, "", "print the version", "Prints guild's version and schema version.", aNoOpt},
    {"help", cmd_help, "[COMMAND]", "show help", "Lists the commands, or explains one.", aNoOpt},
};
const int cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];
