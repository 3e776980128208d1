// headings.test.js: a record page's heading in Uyghur keeps the record's
// Latin or numeric name in its own order (the name in a <bdi>, as are the
// names of the records it links to), and a record that cannot be read still
// has a heading and its list above the error, in the reader's language.
// chromium against a real `guild serve` on the demo database.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './paths.js';
import { apiCall, ok, shot, signIn, withGuild } from './harness.js';

const catalogs = Object.fromEntries(['en', 'zh', 'ug'].map((l) => [l, JSON.parse(readFileSync(path.join(ROOT, `web/src/i18n/${l}.json`), 'utf8'))]));
const G = withGuild();

async function chooseLanguage(page, code) {
  await page.locator('#lang-select').selectOption(code);
  await page.waitForFunction((c) => document.documentElement.lang.startsWith(c), code);
}

test("in Uyghur a cohort's heading isolates its Latin name, and the list's links to its program isolate theirs", async () => {
  const page = await G.open();
  await signIn(page, 'admin');
  const cohort = ok(await apiCall(page, 'GET', '/cohorts?limit=1'), 'cohorts').items[0];
  assert.match(cohort.name, /[A-Za-z0-9]/, 'a demo cohort name with Latin letters or digits');
  await G.go(page, `/cohorts/${cohort.id}`);
  await chooseLanguage(page, 'ug');
  const h1 = page.locator('main h1');
  await h1.locator('bdi').waitFor();
  assert.equal(await h1.locator('bdi').textContent(), cohort.name);
  assert.equal(await h1.textContent(), `${catalogs.ug['entity.cohort']}: ${cohort.name}`);
  await shot(page, 'heading-cohort-ug');
  // in the list, the program each cohort belongs to is a link whose name is isolated inside it
  await G.go(page, '/cohorts');
  const link = page.locator(`main td a[href="/programs/${cohort.program_id}"]`).first();
  await link.locator('bdi').waitFor();
});

test('a record that cannot be read has a heading and its list, with the error in Chinese', async () => {
  const page = await G.open();
  await signIn(page, 'admin');
  await G.go(page, '/cohorts');
  await chooseLanguage(page, 'zh');
  await G.go(page, '/cohorts/999999');
  assert.equal(await page.locator('main h1').textContent(), catalogs.zh['entity.cohort']);
  assert.equal(await page.locator('main .crumbs a').getAttribute('href'), '/cohorts');
  await page.locator('main .notice-error').getByText(catalogs.zh['reason.not_found']).waitFor();
  await shot(page, 'record-not-found-zh');
});
