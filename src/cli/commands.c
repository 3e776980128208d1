/* commands.c: every command of guild, with its options and help text beside
 * it. `guild help` and `guild help CMD` print from this table. */
#include "cli.h"
#include <stddef.h>

#define DB_OPT {"db", "PATH", "database file (default: $GUILD_DB or guild.db)"}
#define HELP_OPT {"help", NULL, "show this help"}

static const cli_opt aInitOpt[] = {DB_OPT, HELP_OPT, {NULL, NULL, NULL}};
static const cli_opt aMigrateOpt[] = {DB_OPT, HELP_OPT, {NULL, NULL, NULL}};
static const cli_opt aServeOpt[] = {
    DB_OPT,
    {"port", "N", "TCP port (default 8080)"},
    {"addr", "IP", "address to listen on (default 127.0.0.1)"},
    {"threads", "N", "event-loop threads, each with its own connection (default: number of cores)"},
    {"quiet", NULL, "no access log"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aDemoOpt[] = {
    DB_OPT,
    {"learners", "N", "number of learners (default 2000; 1000000 works)"},
    {"seed", "S", "random seed: the same seed gives the same region (default 1)"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aNoOpt[] = {HELP_OPT, {NULL, NULL, NULL}};

const cli_command cli_commands[] = {
    {"init", cmd_init, "[--db PATH]", "create a new guild database",
     "Creates the database file (if missing) and applies every migration.", aInitOpt},
    {"migrate", cmd_migrate, "[--db PATH]", "apply pending schema migrations",
     "Applies the migrations the database does not have yet, each in its own\n"
     "transaction. A database newer than this guild is refused.", aMigrateOpt},
    {"serve", cmd_serve, "[--db PATH] [--port N] [--threads N]", "serve the JSON API (and the web UI)",
     "Serves /api/v1 until SIGINT or SIGTERM, then lets in-flight requests finish\n"
     "and closes the database. One access-log line per request goes to stderr:\n"
     "  access METHOD PATH STATUS MICROSECONDSus", aServeOpt},
    {"demo", cmd_demo, "[--db PATH] [--learners N] [--seed S]", "create a realistic demo region",
     "Creates (or fills an empty) database with a deterministic demo region:\n"
     "prefectures, counties and townships, vocational colleges and training centres,\n"
     "programs such as modern pastry-making, cohorts with trainers, and learners with\n"
     "one or more enrollments each. Refuses a database that already holds data.", aDemoOpt},
    {"version", cmd_version, "", "print the version", "Prints guild's version and schema version.", aNoOpt},
    {"help", cmd_help, "[COMMAND]", "show help", "Lists the commands, or explains one.", aNoOpt},
};
const int cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];
