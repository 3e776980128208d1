// search.test.js: the text search of the lists of areas, institutions,
// programs and cohorts in a real browser (Debian's chromium, headless)
// against `guild serve` on the demo database: typing in the search box
// narrows the list to what the API finds, the search stays in the address
// and pages, Clear brings the whole list back, a bad value in the address
// is shown beside the search box, and the box is labelled in Uyghur too.
// Screenshots: build/ui-artifacts/search-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiCall, axeViolations, goTo, openIn, shot, signIn, start, stopChecked } from './harness.js';

let env;
const pages = [];

before(async () => {
  env = await start();
});

after(async () => {
  await stopChecked(env, pages);
});

const open = (opts) => openIn(env, pages, opts);
const go = (page, path) => goTo(env, page, path);

/** The total the API gives for a list query (the page's own session). */
async function apiTotal(page, plural, query) {
  const r = await apiCall(page, 'GET', `/${plural}?${new URLSearchParams({ limit: 1, ...query })}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.total;
}

/** The pager's "1–N of TOTAL" as [N, TOTAL]. */
async function range(page) {
  const text = await page.locator('.pager span').first().textContent();
  const m = text.replace(/,/g, '').match(/(\d+)–(\d+) of (\d+)/);
  assert.ok(m, text);
  return [Number(m[2]), Number(m[3])];
}

/** Types q into the list's search box (label) and searches; waits for the address to carry it. */
async function search(page, label, q) {
  await page.getByLabel(label).fill(q);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL((u) => new URL(u).searchParams.get('q') === q.trim());
}

/** The text of column i of every row once the list shows total rows in all. */
async function column(page, total, i = 0) {
  await page.waitForFunction(
    (total) => (document.querySelector('.pager span') || {}).textContent?.replace(/,/g, '').endsWith(`of ${total}`),
    total,
  );
  return page.locator(`main table tbody tr td:nth-child(${i + 1})`).allTextContents();
}

test('areas: a part of the name narrows the list, pages, and Clear brings all back', async () => {
  const page = await open();
  await signIn(page, 'admin');
  await go(page, '/areas');
  await page.locator('main table tbody tr').first().waitFor();
  const all = await apiTotal(page, 'areas', {});
  assert.deepEqual(await range(page), [25, all]);

  await search(page, 'Name or code contains', '团结');
  const n = await apiTotal(page, 'areas', { q: '团结' });
  assert.ok(n > 1 && n < all, `${n} of ${all}`);
  const names = await column(page, n);
  assert.equal(names.length, Math.min(n, 25));
  for (const name of names) assert.match(name, /团结/);
  await shot(page, 'search-areas');

  // a code, anywhere in it: the region's prefecture codes start 65..., townships end 001
  await search(page, 'Name or code contains', '  101001 ');
  const codes = await column(page, await apiTotal(page, 'areas', { q: '101001' }), 1);
  assert.ok(codes.length >= 1);
  for (const code of codes) assert.match(code, /101001/);

  await page.getByRole('button', { name: 'Clear' }).click();
  await page.waitForURL((u) => !new URL(u).search);
  assert.equal(await page.getByLabel('Name or code contains').inputValue(), '');
  await column(page, all);
  assert.deepEqual(page.errors, []);
});

test('institutions: the code ignores case; the search stays in the address', async () => {
  const page = await open();
  await signIn(page, 'staff');
  await go(page, '/institutions');
  await search(page, 'Name or code contains', 'vc0');
  const n = await apiTotal(page, 'institutions', { q: 'vc0' });
  assert.ok(n >= 2, String(n));
  const names = await column(page, n);
  for (const name of names) assert.match(name, /Vocational College/);
  const codes = await page.locator('main table tbody tr td:nth-child(2)').allTextContents();
  for (const code of codes) assert.match(code, /^VC0/);
  // reloading the address shows the same search
  await page.reload();
  await page.locator('main table tbody tr').first().waitFor();
  assert.equal(await page.getByLabel('Name or code contains').inputValue(), 'vc0');
  assert.deepEqual(await column(page, n), names);
  assert.deepEqual(page.errors, []);
});

test('programs by title and cohorts by their program’s title', async () => {
  const page = await open();
  await signIn(page, 'admin');
  await go(page, '/programs');
  await search(page, 'Title contains', 'WELD');
  const nProg = await apiTotal(page, 'programs', { q: 'weld' });
  const allProg = await apiTotal(page, 'programs', {});
  assert.ok(nProg >= 1 && nProg < allProg, `${nProg} of ${allProg}`);
  for (const title of await column(page, nProg)) assert.match(title, /Weld/);
  await shot(page, 'search-programs');

  await go(page, '/cohorts');
  await search(page, 'Cohort or program contains', 'welding');
  const nCo = await apiTotal(page, 'cohorts', { q: 'welding' });
  const allCo = await apiTotal(page, 'cohorts', {});
  assert.ok(nCo >= 1 && nCo < allCo, `${nCo} of ${allCo}`);
  await column(page, nCo);
  // the program column names a welding program in every row
  await page.waitForFunction(() =>
    [...document.querySelectorAll('main table tbody tr td:nth-child(2)')].every((td) => /Weld/.test(td.textContent)),
  );
  // and by the cohort's own name, combined with the program's title
  await search(page, 'Cohort or program contains', '2024 SPRING');
  const nSpring = await apiTotal(page, 'cohorts', { q: '2024 spring' });
  for (const name of await column(page, nSpring)) assert.match(name, /2024 spring/);
  assert.deepEqual(page.errors, []);
});

test('a bad search in the address is shown beside the search box', async () => {
  const page = await open();
  await signIn(page, 'admin');
  await go(page, '/programs?q=' + 'x'.repeat(101));
  const box = page.getByLabel('Title contains');
  await page.locator('.field-error').waitFor();
  assert.equal(await box.getAttribute('aria-invalid'), 'true');
  const errId = await box.getAttribute('aria-describedby');
  assert.match(await page.locator(`#${errId}`).textContent(), /must be 1 to 100 characters long \(it has 101\)/);
  await page.getByRole('alert').getByText('Please correct the marked field.').waitFor();
  // the box itself takes no more than 100 characters
  assert.equal(await box.getAttribute('maxlength'), '100');
  await shot(page, 'search-error');
  await search(page, 'Title contains', 'weld');
  await page.locator('main table tbody tr').first().waitFor();
  assert.equal(await page.locator('.field-error').count(), 0);
  assert.equal(await box.getAttribute('aria-invalid'), null);
});

test('in Uyghur the search box is labelled and finds Chinese names, right to left', async () => {
  const page = await open();
  await signIn(page, 'admin');
  await go(page, '/institutions');
  await page.getByLabel('Language').selectOption('ug');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  const label = 'نامى ياكى كودىدىن ئىزدەش';
  await page.getByLabel(label).fill('职业技术学院');
  await page.locator('form[role=search] button[type=submit]').click();
  await page.waitForURL((u) => new URL(u).searchParams.get('q') === '职业技术学院');
  const n = await apiTotal(page, 'institutions', { q: '职业技术学院' });
  await page.waitForFunction((n) => document.querySelectorAll('main table tbody tr').length === n, n);
  for (const name of await page.locator('main table tbody tr td:nth-child(1)').allTextContents())
    assert.match(name, /职业技术学院/);
  await shot(page, 'search-institutions-ug');
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(page.errors, []);
});
