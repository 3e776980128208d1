// errcodes.test.js: an error whose parameters are codes (enum values) names
// them in the reader's words (ui/errtext.js codeLabel): a list filter the
// server refuses (not_one_of: {allowed}, each entry by its label, joined the
// language's way) in Chinese, and an edition moved by someone else while the
// page was open (edition_move: {from} and {to} by the edition's stage names)
// in Uyghur. chromium against a real `guild serve` on the demo database.
// Screenshots under build/ui-artifacts/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './paths.js';
import { apiCall, ok, shot, signIn, withGuild } from './harness.js';

const catalogs = Object.fromEntries(['en', 'zh', 'ug'].map((l) => [l, JSON.parse(readFileSync(path.join(ROOT, `web/src/i18n/${l}.json`), 'utf8'))]));
const FSI = '\u2068';
const PDI = '\u2069';

const G = withGuild();

async function chooseLanguage(page, code) {
  await page.locator('#lang-select').selectOption(code);
  await page.waitForFunction((c) => document.documentElement.lang.startsWith(c), code);
}

/** The text of the page's error notices and field errors, once one shows. */
async function errorTexts(page) {
  await page.locator('.notice-error').first().waitFor();
  return (await page.locator('.notice-error, .field-error').allTextContents()).join(' | ');
}

test('a refused filter value lists the allowed statuses by their Chinese names, not their codes', async () => {
  const page = await G.open();
  await signIn(page, 'admin');
  // what the server says: the codes
  const r = await apiCall(page, 'GET', '/enrollments?status=bogus');
  assert.equal(r.status, 422);
  assert.equal(r.body.error.reason, 'not_one_of');
  const allowed = r.body.error.params.allowed.split(', ');
  assert.ok(allowed.includes('withdrawn') && allowed.includes('not_completed'), r.body.error.params.allowed);
  await G.go(page, '/enrollments');
  await chooseLanguage(page, 'zh');
  await G.go(page, '/enrollments?status=bogus');
  const text = await errorTexts(page);
  const names = allowed.map((c) => catalogs.zh[`enum.status.${c}`]);
  assert.ok(names.every((n) => n), 'each allowed status has a Chinese name');
  assert.ok(text.includes(names.join('、')), text);
  for (const c of allowed) assert.ok(!text.includes(c), `${c} shown raw: ${text}`);
  await shot(page, 'errcodes-not-one-of-zh');
});

test('an edition moved meanwhile names both stages in Uyghur, isolated, not their codes', async () => {
  const page = await G.open();
  await signIn(page, 'admin');
  const ed = ok(await apiCall(page, 'POST', '/editions', { year: 2029, name: 'Codes draft', area_id: 1, start_date: '2029-10-01', end_date: '2029-10-02' }), 'edition');
  assert.equal(ed.state, 'draft');
  // a scheme whose weights add up, so that the step to registration is open
  const cat = ok(await apiCall(page, 'POST', '/categories', { edition_id: ed.id, name: 'Welding', isco_code: '7212' }), 'category');
  const crit = ok(await apiCall(page, 'POST', '/criteria', { category_id: cat.id, code: 'A', name: 'Weld', weight: 100 }), 'criterion');
  ok(await apiCall(page, 'POST', '/aspects', { criterion_id: crit.id, code: 'A1', description: 'Bead', kind: 'judgement', max_mark: 100, descriptors: ['a', 'b', 'c', 'd'] }), 'aspect');
  await G.go(page, `/editions/${ed.id}`);
  await chooseLanguage(page, 'ug');
  const button = page.getByRole('button', { name: catalogs.ug['comp.steps.move'].replace('{state}', `${FSI}${catalogs.ug['comp.state.registration']}${PDI}`) });
  await button.waitFor();
  // someone else takes the step first; this page still offers it
  ok(await apiCall(page, 'POST', `/editions/${ed.id}/transition`, { to: 'registration' }), 'transition');
  await button.click();
  const text = await errorTexts(page);
  const stage = catalogs.ug['comp.state.registration'];
  assert.ok(text.includes(`${FSI}${stage}${PDI}`), `the stage isolated: ${text}`);
  const bare = text.replace(/[\u2068\u2069]/g, '');
  assert.ok(bare.includes(catalogs.ug['reason.edition_move'].replace('{from}', stage).replace('{to}', stage)), text);
  assert.ok(!/registration/.test(text), `the code shown raw: ${text}`);
  await shot(page, 'errcodes-edition-move-ug');
});
