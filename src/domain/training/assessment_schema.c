/* assessment_schema.c: the DDL of migration 10 (training_schema.c lists it):
 * units of competency and their performance criteria, the programs'
 * assessment settings, assessment events and their results, evidence (the
 * files themselves in evidence_blobs, keyed by their SHA-256, so that every
 * server sees them and a file given twice is kept once), appeals, and the
 * skill and program awards. One text per engine, written once below: only
 * the id, integer and binary column types differ. */

/* ID: the identity primary key; I: an integer column; B: binary */
#define ASMT_DDL(ID, I, B)                                                                                           \
  "CREATE TABLE units_of_competency ("                                                                               \
  "  id " ID ", version " I " NOT NULL, created_at " I " NOT NULL, updated_at " I " NOT NULL,"                        \
  "  program_id " I " NOT NULL REFERENCES programs(id), code TEXT NOT NULL, title TEXT NOT NULL,"                    \
  "  sufficiency " I " NOT NULL, UNIQUE (program_id, code));"                                                        \
  "CREATE TABLE performance_criteria ("                                                                              \
  "  id " ID ", version " I " NOT NULL, created_at " I " NOT NULL, updated_at " I " NOT NULL,"                        \
  "  unit_id " I " NOT NULL REFERENCES units_of_competency(id), code TEXT NOT NULL, text TEXT NOT NULL,"             \
  "  UNIQUE (unit_id, code));"                                                                                       \
  "CREATE TABLE assessment_settings ("                                                                               \
  "  id " ID ", version " I " NOT NULL, created_at " I " NOT NULL, updated_at " I " NOT NULL,"                        \
  "  program_id " I " NOT NULL UNIQUE REFERENCES programs(id), currency_months " I " NOT NULL);"                     \
  "CREATE TABLE assessments ("                                                                                       \
  "  id " ID ", version " I " NOT NULL, created_at " I " NOT NULL, updated_at " I " NOT NULL,"                        \
  "  cohort_id " I " NOT NULL REFERENCES cohorts(id), unit_id " I " NOT NULL REFERENCES units_of_competency(id),"    \
  "  assessor_id " I " NOT NULL REFERENCES persons(id), date TEXT NOT NULL, method TEXT NOT NULL,"                   \
  "  second_marking_of " I " REFERENCES assessments(id));"                                                          \
  "CREATE INDEX assessments_cohort ON assessments(cohort_id);"                                                       \
  "CREATE INDEX assessments_unit ON assessments(unit_id, date);"                                                     \
  "CREATE INDEX assessments_second ON assessments(second_marking_of) WHERE second_marking_of IS NOT NULL;"           \
  "CREATE TABLE assessment_results ("                                                                                \
  "  id " ID ", version " I " NOT NULL, created_at " I " NOT NULL, updated_at " I " NOT NULL,"                        \
  "  assessment_id " I " NOT NULL REFERENCES assessments(id), person_id " I " NOT NULL REFERENCES persons(id),"      \
  "  criterion_id " I " NOT NULL REFERENCES performance_criteria(id), outcome TEXT NOT NULL,"                        \
  "  evidence_valid " I " NOT NULL, evidence_sufficient " I " NOT NULL, evidence_authentic " I " NOT NULL,"         \
  "  evidence_current " I " NOT NULL, recorded_by TEXT NOT NULL, UNIQUE (assessment_id, person_id, criterion_id));" \
  "CREATE INDEX assessment_results_person ON assessment_results(person_id, criterion_id);"                           \
  "CREATE TABLE evidence_blobs ("                                                                                    \
  "  sha256 TEXT PRIMARY KEY, size " I " NOT NULL, content " B " NOT NULL, created_at " I " NOT NULL);"              \
  "CREATE TABLE evidence_items ("                                                                                    \
  "  id " ID ", version " I " NOT NULL, created_at " I " NOT NULL, updated_at " I " NOT NULL,"                        \
  "  assessment_id " I " NOT NULL REFERENCES assessments(id), person_id " I " NOT NULL REFERENCES persons(id),"      \
  "  file_name TEXT NOT NULL, media_type TEXT NOT NULL, sha256 TEXT REFERENCES evidence_blobs(sha256),"              \
  "  size " I " NOT NULL, date TEXT NOT NULL, uploaded_by TEXT NOT NULL, erased_at " I ");"                          \
  "CREATE INDEX evidence_items_event ON evidence_items(assessment_id, person_id);"                                   \
  "CREATE INDEX evidence_items_person ON evidence_items(person_id);"                                                 \
  "CREATE INDEX evidence_items_sha256 ON evidence_items(sha256) WHERE sha256 IS NOT NULL;"                           \
  "CREATE TABLE assessment_appeals ("                                                                                \
  "  id " ID ", version " I " NOT NULL, created_at " I " NOT NULL, updated_at " I " NOT NULL,"                        \
  "  person_id " I " NOT NULL REFERENCES persons(id), result_id " I " REFERENCES assessment_results(id),"            \
  "  assessment_id " I " NOT NULL REFERENCES assessments(id), reason TEXT NOT NULL, status TEXT NOT NULL,"           \
  "  lodged_at " I " NOT NULL, lodged_by TEXT NOT NULL, decided_at " I ", decided_by TEXT);"                         \
  "CREATE INDEX assessment_appeals_person ON assessment_appeals(person_id, status);"                                 \
  "CREATE INDEX assessment_appeals_event ON assessment_appeals(assessment_id);"                                      \
  "CREATE TABLE skill_awards ("                                                                                      \
  "  id " ID ", version " I " NOT NULL, created_at " I " NOT NULL, updated_at " I " NOT NULL,"                        \
  "  person_id " I " NOT NULL REFERENCES persons(id), unit_id " I " NOT NULL REFERENCES units_of_competency(id),"    \
  "  program_id " I " NOT NULL REFERENCES programs(id), institution_id " I " NOT NULL REFERENCES institutions(id),"  \
  "  enrollment_id " I " NOT NULL REFERENCES enrollments(id), date TEXT NOT NULL,"                                   \
  "  assessor_id " I " NOT NULL REFERENCES persons(id), status TEXT NOT NULL, revoked_reason TEXT,"                  \
  "  revoked_at " I ", revoked_by TEXT);"                                                                            \
  "CREATE UNIQUE INDEX skill_awards_held ON skill_awards(person_id, unit_id) WHERE status = 'awarded';"              \
  "CREATE INDEX skill_awards_enrollment ON skill_awards(enrollment_id);"                                             \
  "CREATE TABLE skill_awards_evidence ("                                                                             \
  "  owner_id " I " NOT NULL REFERENCES skill_awards(id) ON DELETE CASCADE, pos " I " NOT NULL,"                     \
  "  value " I " NOT NULL REFERENCES evidence_items(id), PRIMARY KEY (owner_id, pos));"                             \
  "CREATE TABLE program_awards ("                                                                                    \
  "  id " ID ", version " I " NOT NULL, created_at " I " NOT NULL, updated_at " I " NOT NULL,"                        \
  "  person_id " I " NOT NULL REFERENCES persons(id), program_id " I " NOT NULL REFERENCES programs(id),"            \
  "  institution_id " I " NOT NULL REFERENCES institutions(id), enrollment_id " I " NOT NULL REFERENCES "           \
  "enrollments(id), date TEXT NOT NULL, status TEXT NOT NULL, revoked_reason TEXT, revoked_at " I ","                \
  "  revoked_by TEXT);"                                                                                              \
  "CREATE UNIQUE INDEX program_awards_held ON program_awards(person_id, program_id) WHERE status = 'awarded';"        \
  "CREATE INDEX program_awards_enrollment ON program_awards(enrollment_id);"                                         \
  "CREATE TABLE program_awards_skill_awards ("                                                                       \
  "  owner_id " I " NOT NULL REFERENCES program_awards(id) ON DELETE CASCADE, pos " I " NOT NULL,"                   \
  "  value " I " NOT NULL REFERENCES skill_awards(id), PRIMARY KEY (owner_id, pos));"

const char asmt_zSchemaSqlite[] = ASMT_DDL("INTEGER PRIMARY KEY", "INTEGER", "BLOB");
const char asmt_zSchemaPostgres[] = ASMT_DDL("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT", "BYTEA");
