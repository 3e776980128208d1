/* commands.c: every command of guild, with its options and help text beside
 * it. `guild help` and `guild help CMD` print from this table. */
#include "cli/cli.h"
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
    {"checkpoint", "FILE", "verify: also check this exported checkpoint (nothing before it was cut or rewritten)"},
    {"out", "FILE", "checkpoint: write the signed checkpoint as JSON to FILE ('-': standard output)"},
    {"key", "FILE", "checkpoint, keygen, verify: the signing key (default $GUILD_AUDIT_KEY)"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aCopyOpt[] = {
    {"from", "DB", "the source: a SQLite file or postgres://..."},
    {"to", "DB", "the target: a SQLite file (created if missing) or postgres://..."},
    {"replace", NULL, "overwrite a target that already holds data"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aBackupOpt[] = {
    DB_OPT,
    {"to", "FILE", "the backup file to write (never overwritten)"},
    {"key", "FILE", "the audit signing key, to check the copy's checkpoints (default $GUILD_AUDIT_KEY)"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aRestoreOpt[] = {
    {"db", "DB", "the SQLite file to replace (default: $GUILD_DB or guild.db; created if missing)"},
    {"key", "FILE", "the audit signing key, to check the backup's checkpoints (default $GUILD_AUDIT_KEY)"},
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
    {"max-upload", "MIB", "largest CSV upload to POST /api/v1/imports, in MiB (default 16; also the most any body may be)"},
    {"max-connections", "N", "connections at once in all (default 1024; one more is answered 503)"},
    {"max-per-client", "N", "connections at once from one address (default 64, 0 no limit; one more is answered 429)"},
    {"request-timeout", "SECONDS", "a request's head must arrive within SECONDS, its body within SECONDS plus a second "
                                   "per 64 KiB (default 10; docs/operations.md)"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aDemoOpt[] = {
    DB_OPT,
    {"learners", "N", "number of learners (default 2000; 1000000 works)"},
    {"seed", "S", "random seed: the same seed gives the same region (default 1)"},
    {"bench-edition", "C,N,A,J", "add an edition of C categories, N competitors, A aspects and J judges each"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aCompetitionOpt[] = {
    DB_OPT,
    {"year", "Y", "create: the competition's year"},
    {"name", "NAME", "create: the edition's name"},
    {"area", "ID", "create: the area it is held for (usually the region)"},
    {"start", "DATE", "create: first day (YYYY-MM-DD)"},
    {"end", "DATE", "create: last day (YYYY-MM-DD)"},
    {"out", "FILE", "scheme export: write the CSV to FILE instead of standard output"},
    {"from", "ID", "scheme copy: the category whose scheme is copied (e.g. last year's)"},
    {"to", "ID", "scheme copy: the category that receives it (a draft without a scheme)"},
    {"institution", "ID", "enter: the entering institution; judges: the judge's own institution"},
    {"consent", NULL, "enter: the learner has agreed to take part (required: taking part is voluntary)"},
    {"chief", NULL, "judges: the chief judge (reviews flagged aspects, locks the category)"},
    {"format", "FMT", "results, stats: text (default), json or csv"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aImportOpt[] = {
    DB_OPT,
    {"errors", "OUT.csv", "also write the error report (file,row,column,value,reason) as CSV to OUT.csv"},
    {"skip-invalid", NULL, "import the valid rows and report the others (default: all or nothing)"},
    {"map", "H=F,...", "read header H as field F (an empty F ignores the column), e.g. 'Student ID=sourced_id'"},
    {"quiet", NULL, "no progress line (it is shown only when stderr is a terminal)"},
    {"isco", "CODE", "oneroster: the ISCO-08 unit group of new programs whose course's subjectCodes have none"},
    {"institution", "ID", "persons, enrollments: confine the import to this institution, as for its staff "
                          "(new persons are registered to it; only its cohorts and persons)"},
    {"encoding", "ENC", "the file's encoding when not UTF-8 (UTF-16, WINDOWS-1252, GB18030, ...: iconv's names)"},
    {"area", "CODE", "oneroster: the area (its code) of schools and districts whose parentSourcedId is empty"},
    {"area-map", "FILE", "oneroster: the same per org: a CSV file orgSourcedId,areaCode"},
    {"create-areas", NULL, "oneroster: make an area under the region for each school without a parent"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aExportOpt[] = {
    DB_OPT,
    {"format", "FMT", "csv (default; xlsx when --out ends in .xlsx) or xlsx"},
    {"out", "FILE", "write to FILE instead of standard output"},
    {"table", "NAME", "results: competitors or institutions (csv: competitors; xlsx: both worksheets)"},
    /* filters: the list's, as in the API ('-' for '_') */
    {"area", "ID", "in this area or within it (persons: home area)"},
    {"institution", "ID", "of this institution"},
    {"program", "ID", "cohorts, enrollments: of this program"},
    {"cohort", "ID", "persons, enrollments: in this cohort"},
    {"person", "ID", "enrollments: of this person"},
    {"trainer", "ID", "persons, cohorts, enrollments: of cohorts this person trains"},
    {"status", "STATUS", "enrollments: applied, enrolled, completed, withdrawn or not_completed"},
    {"q", "NAME", "persons: whose name starts so"},
    {"sourced-id", "ID", "persons: the one with this external id"},
    {"active-on", "DATE", "cohorts: running on this date"},
    {"isco-code", "CODE", "programs: for this occupation"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aAttendanceOpt[] = {
    DB_OPT,
    {"cohort", "ID", "export: only this cohort"},
    {"institution", "ID", "export: only this institution's cohorts"},
    {"format", "FMT", "csv (default; xlsx when --out ends in .xlsx) or xlsx"},
    {"out", "FILE", "write to FILE instead of standard output"},
    HELP_OPT,
    {NULL, NULL, NULL}};
static const cli_opt aNoOpt[] = {HELP_OPT, {NULL, NULL, NULL}};
static const cli_opt aAssessmentOpt[] = {
    DB_OPT,
    {"errors", "OUT.csv", "import: also write the error report as CSV (file,row,column,value,reason)"},
    HELP_OPT,
    {NULL, NULL, NULL}};

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
    {"audit", cmd_audit,
     "verify [--checkpoint FILE] | log [--entity E] [--actor A] [--since DATE] [--limit N] | checkpoint [--out FILE] "
     "| keygen [--key FILE]",
     "check, read or checkpoint the audit log",
     "  audit verify       recompute the hash chain of every entry and check every stored\n"
     "                     signed checkpoint (exit 1 naming the first entry that does not\n"
     "                     match: an edited, removed or inserted entry); then compare every\n"
     "                     row of every table with its latest entry (exit 1 naming each row\n"
     "                     changed, written or deleted behind guild's back, with its table\n"
     "                     and id); with --checkpoint FILE, also prove that nothing up to\n"
     "                     that checkpoint's entry was cut or rewritten\n"
     "  audit log          print entries: id, time, actor, action, entity, id, hash\n"
     "  audit checkpoint   sign the chain's head with the key (made there if missing) and\n"
     "                     store it; --out FILE also writes it as JSON, to keep elsewhere\n"
     "  audit keygen       make a new Ed25519 signing key in --key FILE (mode 0600)\n"
     "The key stays outside the database. With GUILD_AUDIT_KEY set, guild (the server\n"
     "too) signs a checkpoint every GUILD_AUDIT_CHECKPOINT_EVERY entries (default 1000;\n"
     "0: only on demand), and verify checks that stored checkpoints are signed by it.", aAuditOpt},
    {"person", cmd_person, "erase ID", "erase a person's personal data",
     "  person erase ID   remove the person's names, birth date, contact and external id\n"
     "                    and delete their accounts; sex, home area and enrollments stay\n"
     "                    so aggregate statistics stay correct. Recorded in the audit log.", aPersonOpt},
    {"copy", cmd_copy, "--from DB --to DB [--replace]", "move a whole database between SQLite and PostgreSQL",
     "Copies every table from one database to another (SQLite to PostgreSQL or back)\n"
     "in one transaction on the target, then verifies row counts and a checksum per\n"
     "table on both sides. A target that holds data is refused unless --replace.", aCopyOpt},
    {"backup", cmd_backup, "--to FILE [--db PATH]", "copy a SQLite database while it is in use, then verify the copy",
     "Copies the whole database into FILE with SQLite's online backup API: one\n"
     "consistent snapshot, taken while a server goes on reading and writing. Then\n"
     "verifies the copy as `guild audit verify` does (exit 1 when it does not hold).\n"
     "FILE must not exist. PostgreSQL is refused: back it up with pg_dump, the\n"
     "operator's tool (pg_dump -Fc -f FILE DBNAME).", aBackupOpt},
    {"restore", cmd_restore, "FILE [--db PATH]", "put a verified backup in place of a database",
     "Verifies the backup FILE as `guild audit verify` does and, only when it holds,\n"
     "replaces the database with it. Refused while anything has the database open\n"
     "(a running `guild serve`: stop it first); nothing is changed then. PostgreSQL\n"
     "is refused: restore it with pg_restore.", aRestoreOpt},
    {"competition", cmd_competition,
     "create|scheme export|scheme import|scheme copy|enter|judges|marks import|lock|transition|publish|results|stats",
     "run a skills competition",
     "  competition create --year Y --name NAME --area ID --start DATE --end DATE\n"
     "  competition scheme export CATEGORY_ID [--out FILE]\n"
     "  competition scheme import CATEGORY_ID FILE\n"
     "  competition scheme copy --from CATEGORY_ID --to CATEGORY_ID   (e.g. last year's scheme)\n"
     "  competition enter CATEGORY_ID PERSON_ID --institution ID --consent\n"
     "  competition judges CATEGORY_ID PERSON_ID [--institution ID] [--chief]\n"
     "  competition marks import FILE\n"
     "  competition lock CATEGORY_ID\n"
     "  competition transition EDITION_ID STATE   (draft -> registration -> marking -> locked -> published)\n"
     "  competition publish EDITION_ID\n"
     "  competition results EDITION_ID [--format text|json|csv]\n"
     "  competition stats [--format text|json|csv]\n"
     "\n"
     "Marking-scheme CSV (one row per aspect; the header is row 1):\n"
     "  criterion_code,criterion_name,criterion_weight,aspect_code,aspect_description,kind,max_mark,part_marks,descriptors\n"
     "A criterion's name and weight are repeated on each of its aspects' rows. kind is\n"
     "measurement or judgement; part_marks ('MARK | condition') and descriptors (scores\n"
     "0, 1, 2 and 3) are joined with ' ;; ' in their cells. Weights add up to 100 and\n"
     "each criterion's aspects' maximum marks to its weight.\n"
     "Marks CSV: competitor_id,aspect_id,judge_person_id,value; each mark is entered as\n"
     "the judge the row names, under the same rules as in the API.\n"
     "Imports are all or nothing: the first bad row is named (row and column) and\n"
     "nothing is written.\n"
     "\n"
     "Results: the formula, for people:\n"
     "\n"
     "  raw        = sum over measurement aspects of the mark awarded (the mean,\n"
     "               when several judges entered one)\n"
     "             + sum over judgement aspects of mean(judges' scores 0..3) / 3\n"
     "               * the aspect's maximum mark                        (0..100)\n"
     "  standard   = 700 + P * (raw - median) / s, rounded, clamped to 0..1000\n"
     "               where median is the category's median raw mark,\n"
     "               s = 1.4826 * median(|raw - median|)   (a robust standard\n"
     "               deviation), and P = points per standard deviation (the\n"
     "               edition's setting, 30 by default, the WorldSkills convention)\n"
     "  degenerate = one competitor: 700. When s is 0 (more than half the\n"
     "               competitors share the median mark), s is the mean absolute\n"
     "               deviation from the median * 1.2533 instead; when that is 0\n"
     "               too (all equal), everyone scores 700.\n"
     "  rank       = by raw mark, highest first; equal raw marks share a rank\n"
     "               (1, 2, 2, 4)\n"
     "  medals     = gold, silver, bronze to ranks 1, 2, 3 (shared ranks share\n"
     "               the medal); a medallion for excellence to any other\n"
     "               competitor with a standard score of 700 or more\n"
     "  institution table = medal points (gold 4, silver 3, bronze 2,\n"
     "               medallion 1) and the mean standard score of its\n"
     "               competitors, ordered by points, then by that mean.\n"
     "\n"
     "Statistics: per edition the participants (entered competitors), categories,\n"
     "institutions, competitors by sex (where recorded), medals by institution and\n"
     "area (once the edition is locked or published) and the growth of participants\n"
     "and categories over the previous edition of the same area.", aCompetitionOpt},
    {"import", cmd_import,
     "persons|enrollments FILE | oneroster PATH [--errors OUT.csv] [--skip-invalid] [--map H=F,...] "
     "[--encoding ENC] [--institution ID] [--quiet]",
     "import persons or enrollments from a CSV file, or a OneRoster set",
     "  import persons FILE       ('-' reads standard input)\n"
     "  import enrollments FILE   (import the persons first)\n"
     "  import oneroster PATH     a OneRoster 1.2 (or 1.1) CSV set: a directory or a .zip\n"
     "                            with manifest.csv (docs/oneroster.md has the mapping)\n"
     "\n"
     "OneRoster: orgs become areas (national, state, local, district) and institutions\n"
     "(school, department); courses programs; classes cohorts, dated by their academic\n"
     "sessions; students, teachers and aides persons (guardians, parents, relatives and\n"
     "staff are not kept); student enrollments enrollments (consent recorded as yours),\n"
     "teacher and aide enrollments cohort trainers. Every record keeps its sourcedId, so\n"
     "importing again updates. Bulk and delta files: in a delta, status tobedeleted\n"
     "deletes a record nothing refers to any more (an enrollment is withdrawn). A course\n"
     "needs its ISCO-08 occupation in subjectCodes, or --isco CODE for all that lack one.\n"
     "A new school without parentSourcedId goes into the area --area-map FILE\n"
     "(orgSourcedId,areaCode) or --area CODE names, or one --create-areas makes for it\n"
     "under the region. Org types guild does not keep (ext:...) are skipped. A set\n"
     "without manifest.csv is read as bulk.\n"
     "Files the manifest marks absent are not read; unknown columns are ignored; a\n"
     "missing required column is an error naming the file and the column. All or\n"
     "nothing, --skip-invalid and the report as below; one audit entry (entity\n"
     "oneroster, the .zip's SHA-256 or the files' digest).\n"
     "\n"
     "Plain CSV: the file is CSV (RFC 4180: quoted fields may hold commas, quotes and line\n"
     "breaks), UTF-8 with or without a byte-order mark (--encoding ENC reads another:\n"
     "UTF-16, WINDOWS-1252, GB18030, ...), CRLF or LF line ends, at most 256 columns.\n"
     "Row 1 is the header; its names (case and surrounding spaces ignored) are fields,\n"
     "in guild's spelling or OneRoster's (sourcedId, givenName, familyName, birthDate).\n"
     "persons:\n"
     "  sourced_id         the person's external id: a required column and value\n"
     "  given_name         required for a new person\n"
     "  family_name, sex (female|male; also F/M, 女/男, ئايال/ئەر), birth_date\n"
     "  (YYYY-MM-DD; also YYYY/MM/DD, DD.MM.YYYY, ... when unambiguous), phone, email\n"
     "  home_area_code     the code of an area (e.g. 650102), not its id\n"
     "enrollments (the key is the person and the cohort):\n"
     "  person_sourced_id  the learner's sourced_id (or person_id: guild's id)\n"
     "  cohort_id          the cohort's id\n"
     "  status             applied or enrolled when new (default applied); then\n"
     "                     completed, withdrawn or not_completed\n"
     "  consent            true: the learner's own consent, required when new\n"
     "  withdrawal_reason  personal, health, family, work, moved,\n"
     "                     program_unsuitable or other\n"
     "Other headers are an error; --map 'Student ID=sourced_id,Notes=' renames\n"
     "one and ignores another ('\"Name, given\"=given_name' for a comma or '=').\n"
     "\n"
     "Every row is checked with the same rules as the API. A record whose key is\n"
     "already stored is updated (the file's columns only; an empty cell clears an\n"
     "optional field), so importing the same file again changes nothing. Invalid\n"
     "UTF-8, a wrong number of fields, a bad date or value, an unknown area code,\n"
     "person or cohort, or a key twice in the file is an error for that row.\n"
     "\n"
     "--institution ID confines the import to one institution, as its staff's\n"
     "imports through the API are: new persons are registered to it; enrollments\n"
     "only into its cohorts, of its persons or of persons no institution has taken\n"
     "in; a stored record outside it is left alone and its row is an error.\n"
     "\n"
     "All or nothing: with any invalid row nothing is written, every problem is\n"
     "reported on stderr (file, row, column, value, reason; the header is row 1)\n"
     "and the exit status is 1. --skip-invalid imports the valid rows and reports\n"
     "the rest. The import is one audit entry: action import, entity persons or\n"
     "enrollments, the number of records created or updated as its id, and the\n"
     "file's SHA-256 as its digest. More in docs/import.md.", aImportOpt},
    {"export", cmd_export,
     "persons|enrollments|programs|cohorts|results [ID] [--format csv|xlsx] [--out FILE] [filters] | oneroster PATH",
     "export a list or results as CSV or XLSX, or the registry as OneRoster",
     "  export persons|enrollments|programs|cohorts [--FILTER VALUE]...\n"
     "  export results EDITION_ID [--table competitors|institutions]\n"
     "  export oneroster PATH\n"
     "\n"
     "Lists: writes every record the filters select (the filters of the API's lists),\n"
     "in id order, with the fields of the API's records as columns: CSV with a\n"
     "header row, or an XLSX workbook (a frozen header row, numbers, dates and\n"
     "true/false as typed cells). A list field is one cell, its entries joined\n"
     "by '; '. Memory stays flat however long the list. docs/export.md has it all.\n"
     "\n"
     "OneRoster: a bulk OneRoster 1.2 CSV set (manifest.csv, orgs, academicSessions,\n"
     "courses, classes, users, roles and enrollments) into directory PATH (made if\n"
     "missing), or a .zip when PATH ends in .zip. Erased persons and enrollments that\n"
     "have ended are left out; guild's own fields that OneRoster lacks travel in\n"
     "metadata.guild.* columns, so importing the set again gives the same registry\n"
     "(docs/oneroster.md).", aExportOpt},
    {"attendance", cmd_attendance, "export [--cohort ID | --institution ID] [--format csv|xlsx] [--out FILE]",
     "export attendance rates as CSV or XLSX",
     "  attendance export   one row per learner and cohort (enrollments past applying):\n"
     "                      institution, program, cohort, learner, enrollment status,\n"
     "                      marks, counted, weight_sum, rate_percent, threshold,\n"
     "                      below_threshold, and the marks by status ('present 10; late 2')\n"
     "Without --cohort or --institution: the whole region. The rate is\n"
     "  rate = sum of the weights of the counted marks / (100 x counted marks)\n"
     "where a mark counts unless its status does not count in the denominator\n"
     "(excused); weights are the institution's (present 100, late 50, absent 0 by\n"
     "default). The threshold is the program's (80 by default): whom to offer\n"
     "support, never a sanction. Memory stays flat however large the region\n"
     "(docs/training.md).", aAttendanceOpt},
    {"assessment", cmd_assessment, "import FILE [--errors OUT.csv]", "import assessment results from CSV",
     "  assessment import FILE   ('-' reads standard input)\n"
     "\n"
     "One row per decision, with a header row naming the columns (any order, any case):\n"
     "  assessment           the assessment event's id\n"
     "  learner              the learner's person id\n"
     "  criterion            the performance criterion's code in the event's unit\n"
     "  outcome              competent or not_yet_competent\n"
     "  evidence_valid, evidence_sufficient, evidence_authentic, evidence_current\n"
     "                       the assessor's declarations: true or false (yes/no, 1/0;\n"
     "                       empty is false); competent needs all four\n"
     "A learner's rows in one event are recorded together, as POST\n"
     "/api/v1/assessments/{id}/results records them, with the same rules: a decision\n"
     "on every criterion of the unit, the learner holding a place in the cohort, the\n"
     "evidence checks (docs/assessment.md). Awards follow as they do in the API.\n"
     "The import is all or nothing: every refused row is reported (row, column,\n"
     "value, reason) on stderr and, with --errors, as CSV, and nothing is written.\n"
     "Each result is audited, and the import once more: action import, entity\n"
     "assessment_results, the results written as its id, the file's SHA-256.", aAssessmentOpt},
    {"version", cmd_version, "", "print the version", "Prints guild's version and schema version.", aNoOpt},
    {"help", cmd_help, "[COMMAND]", "show help", "Lists the commands, or explains one.", aNoOpt},
};
const int cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];
