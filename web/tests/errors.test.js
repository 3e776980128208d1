// errors.test.js: API errors in the reader's language. Every reason of
// src/core/reasons.def and every code of src/core/errors.def has a sentence
// in every catalog, with the same {placeholders} the server's template
// names; in the browser, a Chinese and a Uyghur error come from the catalog
// (the rule's figures filled in, no English server sentence, no API path),
// distinct conflicts have distinct headings, and a screen a role may not
// open says so instead of "Page not found". Screenshots under
// build/ui-artifacts/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from './paths.js';
import { apiCall, choose, goTo, openIn, shot, signIn, start, stopChecked } from './harness.js';

const catalogs = Object.fromEntries(['en', 'zh', 'ug'].map((l) => [l, JSON.parse(readFileSync(path.join(ROOT, `web/src/i18n/${l}.json`), 'utf8'))]));

/** [name, English template] of each row of an X-macro file: XX(NAME, ..., "name", ..., "template"). */
function rows(file, re) {
  return [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(re)].map((m) => [m[1], m[2]]);
}
const REASONS = rows('src/core/reasons.def', /^XX\(\w+,\s*"(\w+)",\s*"((?:[^"\\]|\\.)*)"\)/gm);
const CODES = rows('src/core/errors.def', /^XX\(\w+,\s*\d+,\s*"(\w+)",\s*"((?:[^"\\]|\\.)*)"\)/gm);

test('the server has reasons and codes to check', () => {
  assert.ok(REASONS.length >= 80, `${REASONS.length} reasons`);
  assert.ok(CODES.length >= 20, `${CODES.length} codes`);
  for (const r of ['length', 'already_enrolled', 'still_in_use', 'stale', 'not_your_category', 'duplicate_key']) assert.ok(REASONS.some(([n]) => n === r), r);
});

for (const [lang, cat] of Object.entries(catalogs)) {
  test(`every API error reason and code has a ${lang} sentence`, () => {
    const missing = [...REASONS.map(([n]) => `reason.${n}`), ...CODES.filter(([c]) => c !== 'ok').map(([c]) => `error.${c}`)].filter((k) => !cat[k] || !cat[k].trim());
    assert.deepEqual(missing, []);
  });
  test(`the ${lang} sentences use only parameters the server's reason gives`, () => {
    const holes = (s) => new Set(s.match(/\{\w+\}/g) || []);
    const bad = [];
    for (const [name, tmpl] of REASONS) {
      const given = holes(tmpl);
      for (const h of holes(cat[`reason.${name}`] || '')) if (!given.has(h) && h !== '{field}') bad.push(`${name}: ${h}`);
    }
    assert.deepEqual(bad, []);
  });
}

test('distinct conflicts have distinct sentences in every language', () => {
  for (const cat of Object.values(catalogs)) {
    const conflicts = ['already_enrolled', 'already_entered', 'already_judge', 'already_marked', 'still_in_use', 'duplicate_key', 'duplicate_value', 'cohort_full', 'stale'];
    const texts = conflicts.map((r) => cat[`reason.${r}`]);
    assert.equal(new Set(texts).size, texts.length, texts.join(' | '));
  }
});

let env;
const pages = [];
before(async () => {
  env = await start();
});
after(async () => {
  await stopChecked(env, pages);
});

const LATIN_SENTENCE = /[A-Za-z]{3,} [A-Za-z]{2,} [A-Za-z]{2,}/;   // three English words in a row

/** Asserts the page's error notice and field errors say sentence (from the
 * catalog), with no English server sentence, no API path and nothing
 * marked as English; saves a screenshot as name. Returns their text. */
async function expectCatalogError(page, sentence, name) {
  await page.locator('.notice-error').first().waitFor();
  const text = (await page.locator('.notice-error, .field-error').allTextContents()).join(' | ');
  assert.ok(text.includes(sentence), text);
  assert.doesNotMatch(text, LATIN_SENTENCE);
  assert.doesNotMatch(text, /\/api\//);
  assert.equal(await page.locator('main [lang="en"]').count(), 0, 'no English server words');
  await shot(page, name);
  return text;
}

async function chooseLanguage(page, code) {
  await page.locator('#lang-select').selectOption(code);
  await page.waitForFunction((c) => document.documentElement.lang.startsWith(c === 'zh' ? 'zh' : c), code);
}

test('a Chinese error from the catalog: a name that is too long', async () => {
  const page = await openIn(env, pages);
  await signIn(page, 'admin');
  await goTo(env, page, '/areas/new');
  await chooseLanguage(page, 'zh');
  await page.locator('#f-areas-code').fill('ZZ-LONG');
  await page.locator('#f-areas-name').evaluate((el) => el.removeAttribute('maxlength'));
  await page.locator('#f-areas-name').fill('长'.repeat(201));
  await page.locator('#f-areas-level').selectOption({ index: 1 });
  await page.getByRole('button', { name: catalogs.zh['form.create'] }).click();
  await expectCatalogError(page, '「名称」须为 1 至 200 个字符（现为 201 个）。', 'error-too-long-zh');
});

test('a Uyghur error from the catalog: already enrolled in this cohort, not "still in use"', async () => {
  const page = await openIn(env, pages);
  await signIn(page, 'admin');
  const list = await apiCall(page, 'GET', '/enrollments?limit=1');
  assert.equal(list.status, 200);
  const enr = list.body.items[0];
  const person = (await apiCall(page, 'GET', `/persons/${enr.person_id}`)).body;
  // the same enrollment again, through the API: the server names the rule
  const again = await apiCall(page, 'POST', '/enrollments', { person_id: enr.person_id, cohort_id: enr.cohort_id, status: 'applied', consent: true });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.reason, 'already_enrolled');
  assert.equal(again.body.error.field, 'cohort_id');
  // and through the enrolment screen, in Uyghur
  await goTo(env, page, '/enrollments/new');
  await chooseLanguage(page, 'ug');
  await choose(page, page.locator('#enrol-person_id'), { text: person.family_name || person.given_name, id: person.id });
  const cohort = (await apiCall(page, 'GET', `/cohorts/${enr.cohort_id}`)).body;
  await choose(page, page.locator('#enrol-cohort_id'), { text: cohort.name, id: enr.cohort_id });
  await page.locator('#enrol-consent').check();
  await page.getByRole('button', { name: catalogs.ug['enrol.submit'] }).click();
  const text = await expectCatalogError(page, catalogs.ug['reason.already_enrolled'], 'error-already-enrolled-ug');
  assert.ok(!text.includes(catalogs.ug['reason.still_in_use'].slice(0, 12)), text);
});

test('a screen a role may not open says so, in the language, not "Page not found"', async () => {
  const page = await openIn(env, pages);
  await signIn(page, 'learner');
  await goTo(env, page, '/areas');
  assert.equal(await page.locator('main h1').textContent(), catalogs.en['notallowed.title']);
  await shot(page, 'not-allowed-en');
  await chooseLanguage(page, 'zh');
  await page.locator('main h1', { hasText: catalogs.zh['notallowed.title'] }).waitFor();
  await shot(page, 'not-allowed-zh');
  await goTo(env, page, '/no-such-screen');
  assert.equal(await page.locator('main h1').textContent(), catalogs.zh['notfound.title']);
});
