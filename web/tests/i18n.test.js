// i18n.test.js: the catalogs (web/src/i18n/*.json) have the same keys, no
// empty text and the same {placeholders} in every language; every key the
// code names (t('...'), and the labels resources.js, routes and the import
// kinds derive) is in them. The labels of the values the server's enums
// take are checked against the server's document in schema.test.js.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './paths.js';
import { resources } from '../src/resources.js';
import { FAILURES, IMPORT_COUNTS, IMPORT_KINDS, IMPORT_STATUSES, UPLOAD_REFUSALS } from '../src/screens/imports/kinds.js';

const dir = path.join(ROOT, 'web/src/i18n');
const catalogs = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace('.json', ''), JSON.parse(readFileSync(path.join(dir, f), 'utf8'))]),
);
const en = catalogs.en;

function sources(d) {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(d, e.name)) : /\.(js|jsx)$/.test(e.name) ? [path.join(d, e.name)] : [],
  );
}

test('there are catalogs for English, Chinese and Uyghur', () => {
  assert.deepEqual(Object.keys(catalogs).sort(), ['en', 'ug', 'zh']);
});

for (const [lang, cat] of Object.entries(catalogs)) {
  if (lang === 'en') continue;
  test(`the ${lang} catalog has exactly the English keys`, () => {
    const missing = Object.keys(en).filter((k) => !(k in cat));
    const extra = Object.keys(cat).filter((k) => !(k in en));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  });
  test(`the ${lang} catalog keeps every {placeholder}`, () => {
    const holes = (s) => (s.match(/\{\w+\}/g) || []).sort().join();
    const wrong = Object.keys(en).filter((k) => k in cat && holes(en[k]) !== holes(cat[k]));
    assert.deepEqual(wrong, []);
  });
}

test('no catalog has an empty text', () => {
  const empty = Object.entries(catalogs).flatMap(([l, c]) => Object.keys(c).filter((k) => !String(c[k]).trim()).map((k) => `${l}:${k}`));
  assert.deepEqual(empty, []);
});

test("every t('key') in the code is in the catalogs", () => {
  const used = new Set();
  for (const f of sources(path.join(ROOT, 'web/src')))
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-z0-9_.]+)'/g)) used.add(m[1]);
  assert.ok(used.size > 50, `found only ${used.size} keys: is the pattern still right?`);
  assert.deepEqual([...used].filter((k) => !(k in en)), []);
});

test('every label the record kinds and menus derive is in the catalogs', () => {
  const keys = [];
  for (const res of Object.values(resources)) {
    keys.push(res.title, res.one, res.new);
    const asDef = (f) => (typeof f === 'string' ? { name: f } : f);
    const fields = res.fields.map(asDef);
    const columns = res.columns.filter((c) => !fields.some((d) => d.name === c));   // a form field's column has its label
    for (const f of [...fields, ...columns, ...(res.filters || [])]) {
      const def = asDef(f);
      keys.push(def.label || `field.${def.name}`);
      if (def.hint) keys.push(def.hint);
    }
    if (res.links) for (const l of res.links({ id: 1 })) keys.push(l.label);
  }
  for (const role of ['region_admin', 'institution_staff', 'trainer', 'judge', 'learner']) keys.push(`role.${role}`);
  for (const k of IMPORT_KINDS) {
    keys.push(`imports.kind.${k.kind}`, `imports.kind_hint.${k.kind}`, `imports.see.${k.kind}`);
    for (const c of k.columns) keys.push(`imports.col.${k.kind}.${c}`);
  }
  for (const s of IMPORT_STATUSES) keys.push(`imports.status.${s}`);
  for (const n of IMPORT_COUNTS) keys.push(`imports.count.${n}`);
  keys.push(...Object.values(UPLOAD_REFUSALS), ...Object.values(FAILURES));
  const errors = readFileSync(path.join(ROOT, 'src/core/errors.def'), 'utf8').matchAll(/^XX\(\s*\w+,\s*\d+,\s*"(\w+)"/gm);
  for (const m of errors) if (m[1] !== 'ok') keys.push(`error.${m[1]}`);
  assert.deepEqual([...new Set(keys)].filter((k) => !(k in en)), []);
});
