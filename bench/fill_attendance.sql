-- fill_attendance.sql: the attendance rows' databases (bench/run.sh,
-- row_attendance_*). Expects a database just created by `guild init`;
-- run.sh replaces @C@ (cohorts), @L@ (learners each, enrolled), @S@
-- (sessions each), @TODAY@ (YYYY-MM-DD, UTC) and @MARKED@ (1: every
-- learner marked at every session, for the rates; 0: none, for marking).
-- Sessions are dated today (S = 1: the check-in window and the marking of
-- today) or on the S days before today; rows look like the demo's, valid
-- under guild's rules. Marks, when made: 16 in 20 present, 1 late,
-- 1 excused, 2 absent, by a fixed pattern.
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO areas (id, version, created_at, updated_at, code, name, level) VALUES (1, 1, 0, 0, 'BR', 'Bench region', 'region');
INSERT INTO institutions (id, version, created_at, updated_at, code, name, kind, area_id)
VALUES (1, 1, 0, 0, 'BI', 'Bench college', 'vocational_college', 1);
INSERT INTO programs (id, version, created_at, updated_at, institution_id, title, isco_code, hours, level, capacity)
VALUES (1, 1, 0, 0, 1, 'Bench pastry-making', '7512', 480, 3, 100000);
INSERT INTO programs_skills (owner_id, pos, value) VALUES (1, 0, 'dough and laminating'), (1, 1, 'food hygiene');
-- trainers 1..C (one a cohort), learners C+1 .. C+C*L (L a cohort, in cohort order)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @C@ + @C@ * @L@)
INSERT INTO persons (id, version, created_at, updated_at, given_name, family_name, name_key, given_key, institution_id)
SELECT i, 1, 0, 0, CASE WHEN i <= @C@ THEN 'Trainer' ELSE 'Learner' END, printf('N%07d', i),
       printf('n%07d', i), CASE WHEN i <= @C@ THEN 'trainer' ELSE 'learner' END, 1 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @C@)
INSERT INTO cohorts (id, version, created_at, updated_at, program_id, name, start_date, end_date, capacity)
SELECT i, 1, 0, 0, 1, printf('Bench cohort %d', i), date('@TODAY@', '-365 days'), date('@TODAY@', '+365 days'), @L@
FROM n;
INSERT INTO cohorts_trainers (owner_id, pos, value) SELECT id, 0, id FROM cohorts;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @C@ * @L@)
INSERT INTO enrollments (id, version, created_at, updated_at, person_id, cohort_id, status, consent_at, consent_by, status_at)
SELECT i, 1, 0, 0, @C@ + i, (i - 1) / @L@ + 1, 'enrolled', 0, 'bench', 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @C@ * @S@)
INSERT INTO training_sessions (id, version, created_at, updated_at, cohort_id, date, start_time, end_time, place, topic,
                               trainer_id, checkin_secret)
SELECT i, 1, 0, 0, (i - 1) / @S@ + 1,
       CASE WHEN @S@ = 1 THEN '@TODAY@' ELSE date('@TODAY@', printf('-%d days', @S@ - (i - 1) % @S@)) END,
       CASE WHEN @S@ = 1 THEN '00:00' ELSE '09:00' END, CASE WHEN @S@ = 1 THEN '23:59' ELSE '12:00' END,
       'Kitchen 1', printf('Session %d', (i - 1) % @S@ + 1), (i - 1) / @S@ + 1, lower(hex(randomblob(32))) FROM n;
INSERT INTO training_sessions_skills (owner_id, pos, value) SELECT id, 0, 'food hygiene' FROM training_sessions;
INSERT INTO attendance_marks (version, created_at, updated_at, training_session_id, person_id, status, source, set_at, set_by)
SELECT 1, 0, 0, s.id, e.person_id,
       CASE (e.id * 7 + s.id * 13) % 20 WHEN 16 THEN 'late' WHEN 17 THEN 'excused' WHEN 18 THEN 'absent'
                                        WHEN 19 THEN 'absent' ELSE 'present' END, 'trainer', 0, 'bench'
FROM training_sessions s JOIN enrollments e ON e.cohort_id = s.cohort_id WHERE @MARKED@ = 1;
COMMIT;
