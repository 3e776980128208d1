-- fill_persons.sql: a stand-in for `guild demo` used by bench/run.sh only when
-- `guild demo` is unavailable (BENCH_FILL=sql, or auto after demo fails).
-- Expects a database just created by `guild init`; run.sh replaces @N@ with
-- the number of learners. Fills a small area tree and @N@ persons whose rows
-- look like the demo's (names, sex, birth date, home township, phone, e-mail).
-- name_key / given_key approximate guild's search key (lower case, no spaces).
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO areas (id, version, created_at, updated_at, code, name, level, parent_id)
VALUES (1, 1, 1767225600, 1767225600, 'R', 'Demo Region', 'region', NULL);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10)
INSERT INTO areas (id, version, created_at, updated_at, code, name, level, parent_id)
SELECT 1 + i, 1, 1767225600, 1767225600, printf('R.%02d', i), printf('Prefecture %d', i), 'prefecture', 1 FROM c;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100)
INSERT INTO areas (id, version, created_at, updated_at, code, name, level, parent_id)
SELECT 11 + i, 1, 1767225600, 1767225600, printf('R.%02d.%02d', (i - 1) / 10 + 1, i), printf('County %d', i),
       'county', 2 + (i - 1) / 10 FROM c;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000)
INSERT INTO areas (id, version, created_at, updated_at, code, name, level, parent_id)
SELECT 111 + i, 1, 1767225600, 1767225600, printf('R.%03d.%04d', (i - 1) / 10 + 1, i), printf('Township %d', i),
       'township', 12 + (i - 1) / 10 FROM c;
CREATE TEMP TABLE given (k INTEGER PRIMARY KEY, v TEXT);
INSERT INTO given (k, v) VALUES (0, 'Aynur'), (1, 'Mehmet'), (2, 'Gulnar'), (3, 'Wei'), (4, 'Li Na'),
  (5, 'Abdulla'), (6, 'Patigul'), (7, 'Zhang Min'), (8, 'Dilnur'), (9, 'Erkin'), (10, 'Mei'), (11, 'Alim'),
  (12, 'Rukiye'), (13, 'Jun'), (14, 'Nurgul'), (15, 'Yusuf'), (16, 'Xiaoling'), (17, 'Tursun'), (18, 'Ayse'),
  (19, 'Hao');
CREATE TEMP TABLE family (k INTEGER PRIMARY KEY, v TEXT);
INSERT INTO family (k, v) VALUES (0, 'Tursun'), (1, 'Wang'), (2, 'Abdurehim'), (3, 'Li'), (4, 'Ismayil'),
  (5, 'Zhang'), (6, 'Memet'), (7, 'Liu'), (8, 'Hasan'), (9, 'Chen'), (10, 'Qasim'), (11, 'Yang'), (12, 'Niyaz'),
  (13, 'Huang'), (14, 'Osman'), (15, 'Zhao'), (16, 'Rozi'), (17, 'Wu'), (18, 'Ablimit'), (19, 'Zhou'),
  (20, 'Eziz'), (21, 'Xu'), (22, 'Sabir'), (23, 'Sun'), (24, 'Yasin'), (25, 'Ma'), (26, 'Kerim'), (27, 'Zhu'),
  (28, 'Imin'), (29, 'Hu'), (30, 'Nasir');
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < @N@),
  p AS (SELECT i, (SELECT v FROM given WHERE k = (i * 7919) % 20) AS g,
               (SELECT v FROM family WHERE k = (i * 104729) % 31) AS f FROM c)
INSERT INTO persons (id, version, created_at, updated_at, sourced_id, given_name, family_name, sex, birth_date,
                     home_area_id, phone, email, name_key, given_key)
SELECT i, 1, 1767225600 + i, 1767225600 + i, printf('P%07d', i), g, f,
       CASE i % 7 WHEN 0 THEN NULL WHEN 1 THEN 'male' WHEN 3 THEN 'male' WHEN 5 THEN 'male' ELSE 'female' END,
       CASE WHEN i % 11 = 0 THEN NULL
            ELSE printf('%04d-%02d-%02d', 1985 + i % 22, 1 + (i * 13) % 12, 1 + (i * 17) % 28) END,
       112 + (i * 31) % 1000, printf('+86 1%02d %04d %04d', 30 + i % 60, (i * 37) % 10000, i % 10000),
       printf('%s.%s.%d@example.org', lower(replace(g, ' ', '')), lower(f), i),
       lower(replace(f || g, ' ', '')), lower(replace(g, ' ', ''))
FROM p;
COMMIT;
