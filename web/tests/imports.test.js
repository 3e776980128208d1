// imports.test.js: the Imports screen and the lists' export links in a real
// browser (Debian's chromium, headless) against a real `guild serve` on the
// demo database (uploads limited to 1 MiB, so a refusal for size is cheap):
// an administrator uploads CSV files of persons and enrollments through the
// file input and follows each import to its end (counts, the persons in
// their list, a second upload changing nothing); an invalid row fails the
// import with its report (table and CSV download), and "import the valid
// rows" imports the others; other column names (map); my imports newest
// first, with older pages; a failed import's error and report lines in the
// reader's language (Uyghur); refusals said in words (no file, an empty file,
// 413 from the server, 409 and a running import held by intercepting the
// server's answers, staff into their own institution); the export links carry
// the list's filters and answer CSV and XLSX; keyboard only, Uyghur
// right-to-left, 360 px and axe-core. Screenshots: build/ui-artifacts/import*.png.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiCall, axeViolations, goTo, openIn, shot, signIn, start, stopChecked } from './harness.js';

let env;
let dir;
const pages = [];

before(async () => {
  env = await start({ serveArgs: ['--max-upload', '1'] });
  dir = mkdtempSync(path.join(os.tmpdir(), 'guild-ui-imports-'));
});

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await stopChecked(env, pages);
});

const open = (opts) => openIn(env, pages, opts);
const go = (page, p) => goTo(env, page, p);

/** Writes text to a file NAME in the test's directory; returns its path. */
function csvFile(name, text) {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Uploads file through the Imports screen; answers the new import's id once its screen shows. */
async function upload(page, file, { kind = 'Persons', skip = false, map = '' } = {}) {
  await go(page, '/imports');
  await page.getByLabel(kind, { exact: true }).check();
  await page.getByLabel('CSV file').setInputFiles(file);
  if (skip) await page.getByLabel('Import the valid rows and report the others').check();
  if (map) await page.getByLabel('Other column names (optional)').fill(map);
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await page.waitForURL(/\/imports\/\d+$/);
  return Number(page.url().match(/imports\/(\d+)$/)[1]);
}

/** Waits until the import's screen shows it ended; answers "Done" or "Failed". */
async function ended(page) {
  const status = page.locator('.import-status .status');
  await page.locator('.import-status').getByText(/^(Done|Failed)$/).waitFor();
  return status.textContent();
}

/** The counts the import's screen shows, by label. */
async function counts(page) {
  const out = {};
  for (const f of await page.locator('.import-counts .figure').all())
    out[await f.locator('dt').textContent()] = Number((await f.locator('.figure-value').textContent()).replace(/,/g, ''));
  return out;
}

/** Uploads text over the API (the page's session) as file name; waits for the import to end and answers it. */
function apiUpload(page, name, text, query = {}) {
  return page.evaluate(
    async ({ name, text, query }) => {
      const me = await (await fetch('/api/v1/me')).json();
      const q = new URLSearchParams({ kind: 'persons', name, ...query });
      const r = await fetch(`/api/v1/imports?${q}`, { method: 'POST', headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': me.csrf_token }, body: text });
      if (r.status !== 202) throw new Error(`upload of ${name}: ${r.status} ${await r.text()}`);
      const { id } = await r.json();
      for (;;) {
        const imp = await (await fetch(`/api/v1/imports/${id}`)).json();
        if (imp.status === 'done' || imp.status === 'failed') return imp;
        await new Promise((res) => setTimeout(res, 30));
      }
    },
    { name, text, query },
  );
}

/** Fetches href in the page (its session): status, content type, disposition and text (or the first bytes). */
function fetchIn(page, href) {
  return page.evaluate(async (h) => {
    const r = await fetch(h);
    const buf = new Uint8Array(await r.arrayBuffer());
    return {
      status: r.status,
      type: r.headers.get('content-type'),
      disposition: r.headers.get('content-disposition'),
      text: new TextDecoder().decode(buf),
      magic: String.fromCharCode(buf[0], buf[1]),
    };
  }, href);
}

const PERSONS = 'sourced_id,given_name,family_name,sex,birth_date,home_area_code\r\n' +
  'UI-1,Aynur,Testimport,female,2004-05-06,650102\r\n' +
  'UI-2,Erkin,Testimport,male,,\r\n' +
  'UI-3,古丽,买买提,female,2005-01-02,\r\n';

test('an administrator imports persons from a CSV file; the import ends done and they are in the persons list', async () => {
  const page = await open();
  await signIn(page, 'admin');
  assert.ok((await page.locator('#main-menu a').allTextContents()).includes('Imports'));
  await go(page, '/imports');
  assert.equal(await page.getByLabel('Persons', { exact: true }).isChecked(), true);
  // the columns a persons file takes are shown, and change with the kind
  const columns = page.locator('.import-columns');
  assert.match(await columns.textContent(), /sourced_id.*given_name.*home_area_code/s);
  await page.getByLabel('Enrollments', { exact: true }).check();
  assert.match(await columns.textContent(), /person_sourced_id.*cohort_id.*consent/s);
  assert.doesNotMatch(await columns.textContent(), /home_area_code/);
  await shot(page, 'imports');

  const id = await upload(page, csvFile('roster.csv', PERSONS));
  assert.equal(await ended(page), 'Done');
  assert.deepEqual(await counts(page), { Rows: 3, Created: 3, Updated: 0, Unchanged: 0, Invalid: 0, 'Problems reported': 0 });
  await page.getByRole('status').getByText('Imported: 3 created, 0 updated, 0 unchanged.').waitFor();
  assert.equal(await page.locator('main h1').textContent(), `Import ${id}: roster.csv`);
  assert.equal(await page.getByRole('progressbar', { name: 'Progress' }).getAttribute('value'), '1');
  assert.equal(await page.locator('.import-report').count(), 0);
  await shot(page, 'import-done');

  // it has ended: the screen asks no more
  let asked = 0;
  const count = (r) => r.url().endsWith(`/api/v1/imports/${id}`) && asked++;
  page.on('request', count);
  await page.waitForTimeout(2500);
  page.off('request', count);
  assert.equal(asked, 0, 'an ended import was asked for again');

  await page.getByRole('link', { name: 'See the persons' }).click();
  await page.waitForURL(/\/persons$/);
  await page.getByLabel('Name begins with').fill('Testimport');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/q=Testimport/);
  await page.locator('main table tbody tr').nth(1).waitFor();
  const names = await page.locator('main table tbody').textContent();
  assert.match(names, /Aynur/);
  assert.match(names, /Erkin/);
  const stored = (await apiCall(page, 'GET', '/persons?sourced_id=UI-3')).body.items[0];
  assert.equal(stored.given_name, '古丽');
  assert.equal(stored.family_name, '买买提');

  // the same file again changes nothing
  await upload(page, csvFile('roster.csv', PERSONS));
  assert.equal(await ended(page), 'Done');
  assert.deepEqual(await counts(page), { Rows: 3, Created: 0, Updated: 0, Unchanged: 3, Invalid: 0, 'Problems reported': 0 });
  assert.deepEqual(page.errors, []);
});

/** A file whose row 3 has a day that does not exist; its sourced_ids begin with key. */
const bad = (key) => `sourced_id,given_name,birth_date\n${key}-10,Dilnur,2001-01-01\n${key}-11,Mahire,2001-02-30\n${key}-12,Nurgul,\n`;
const BAD = bad('UI');

test('an invalid row fails the whole import with its report; "import the valid rows" imports the others', async () => {
  const page = await open();
  await signIn(page, 'admin');
  const id = await upload(page, csvFile('bad.csv', BAD));
  assert.equal(await ended(page), 'Failed');
  const alert = page.getByRole('alert');
  await alert.getByText('Nothing was imported: the file has invalid rows.', { exact: false }).waitFor();
  assert.match(await alert.textContent(), /1 of 3 rows are invalid/);
  assert.deepEqual(await counts(page), { Rows: 3, Created: 0, Updated: 0, Unchanged: 0, Invalid: 1, 'Problems reported': 1 });
  // the report: an accessible table with row, column, value and reason
  const report = page.getByRole('table', { name: 'Error report' });
  assert.deepEqual(await report.locator('thead th').allTextContents(), ['Row', 'Column', 'Value', 'Reason']);
  const cells = await report.locator('tbody tr').first().locator('td').allTextContents();
  assert.deepEqual(cells.slice(0, 3), ['3', 'birth_date', '2001-02-30']);
  assert.match(cells[3], /must be a date/);
  await shot(page, 'import-failed');
  // nothing was written, not even the valid rows
  assert.equal((await apiCall(page, 'GET', '/persons?sourced_id=UI-10')).body.total, 0);

  // the report as CSV: a link answering text/csv with the same line, and a download
  const link = page.getByRole('link', { name: 'Download the report (CSV)' });
  const href = await link.getAttribute('href');
  assert.equal(href, `/api/v1/imports/${id}?format=csv`);
  const csv = await fetchIn(page, href);
  assert.equal(csv.status, 200);
  assert.match(csv.type, /^text\/csv/);
  assert.equal(csv.text.split('\n')[0], 'file,row,column,value,reason');
  assert.match(csv.text, /^bad\.csv,3,birth_date,2001-02-30,must be a date/m);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), `import-${id}-errors.csv`);
  assert.match(readFileSync(await download.path(), 'utf8'), /bad\.csv,3,birth_date/);
  const xlsx = await fetchIn(page, await page.getByRole('link', { name: 'Download the report (Excel, XLSX)' }).getAttribute('href'));
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.type, /spreadsheetml/);
  assert.equal(xlsx.magic, 'PK');

  // the same file, importing the valid rows and reporting the other
  await upload(page, csvFile('bad.csv', BAD), { skip: true });
  assert.equal(await ended(page), 'Done');
  assert.deepEqual(await counts(page), { Rows: 3, Created: 2, Updated: 0, Unchanged: 0, Invalid: 1, 'Problems reported': 1 });
  await page.getByRole('status').getByText('1 invalid rows were left out', { exact: false }).waitFor();
  assert.deepEqual((await page.getByRole('table', { name: 'Error report' }).locator('tbody td').allTextContents()).slice(0, 2), ['3', 'birth_date']);
  assert.equal(await page.locator('.import-facts').getByText('The valid rows are imported and the others reported').count(), 1);
  await shot(page, 'import-skipped');
  assert.equal((await apiCall(page, 'GET', '/persons?sourced_id=UI-10')).body.total, 1);
  assert.equal((await apiCall(page, 'GET', '/persons?sourced_id=UI-11')).body.total, 0);
  assert.deepEqual(page.errors, []);
});

test('other column names (map) and a file of enrollments for the imported persons', async () => {
  const page = await open();
  await signIn(page, 'admin');
  await upload(page, csvFile('other-names.csv', 'Student ID,First,Notes\nUI-20,Gulnar,likes welding\nUI-21,Patigul,\n'), {
    map: 'Student ID=sourced_id,First=given_name,Notes=',
  });
  assert.equal(await ended(page), 'Done');
  assert.equal((await counts(page)).Created, 2);
  assert.equal(await page.locator('.import-facts code').first().textContent(), 'Student ID=sourced_id,First=given_name,Notes=');
  assert.equal((await apiCall(page, 'GET', '/persons?sourced_id=UI-20')).body.items[0].given_name, 'Gulnar');

  const cohort = (await apiCall(page, 'GET', '/cohorts?limit=1')).body.items[0];
  // a file name in another script travels in the address and comes back
  const enrolId = await upload(page, csvFile('报名 2026.csv', `person_sourced_id,cohort_id,consent\nUI-20,${cohort.id},true\nUI-21,${cohort.id},yes\n`), { kind: 'Enrollments' });
  assert.equal(await ended(page), 'Done');
  assert.equal((await counts(page)).Created, 2);
  assert.equal(await page.locator('main h1').textContent(), `Import ${enrolId}: 报名 2026.csv`);
  await page.getByRole('link', { name: 'See the enrollments' }).click();
  await page.waitForURL(/\/enrollments$/);
  const person = (await apiCall(page, 'GET', '/persons?sourced_id=UI-21')).body.items[0];
  const enrolled = (await apiCall(page, 'GET', `/enrollments?person=${person.id}`)).body.items;
  assert.deepEqual(enrolled.map((e) => [e.cohort_id, e.status]), [[cohort.id, 'applied']]);
  assert.deepEqual(page.errors, []);
});

test('my imports, newest first, each opening its own screen, with older ones a page further', async () => {
  const page = await open();
  await signIn(page, 'admin');
  const failed = await apiUpload(page, 'list-bad.csv', bad('LIST'));
  const done = await apiUpload(page, 'list-bad.csv', bad('LIST'), { skip_invalid: 1 });
  assert.deepEqual([failed.status, done.status], ['failed', 'done']);
  const mine = (await apiCall(page, 'GET', '/imports?limit=100')).body.items;
  await go(page, '/imports');
  const rows = page.locator('table.import-list tbody tr');
  await rows.first().waitFor();
  const ids = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.import)));
  assert.deepEqual(ids, mine.map((i) => i.id).slice(0, 20));
  assert.deepEqual(ids.slice(0, 2), [done.id, failed.id]);
  assert.deepEqual((await page.locator(`tr[data-import="${done.id}"] td`).allTextContents()).slice(0, 7), ['list-bad.csv', 'Persons', 'Done', '3', '2', '0', '1']);
  assert.deepEqual((await page.locator(`tr[data-import="${failed.id}"] td`).allTextContents()).slice(0, 7), ['list-bad.csv', 'Persons', 'Failed', '3', '0', '0', '1']);
  await page.locator(`tr[data-import="${failed.id}"]`).getByRole('link', { name: 'list-bad.csv' }).click();
  await page.waitForURL(new RegExp(`/imports/${failed.id}$`));
  assert.equal(await ended(page), 'Failed');

  // more than a page: small files over the API until there are 22
  for (let i = mine.length; i < 22; i++) assert.equal((await apiUpload(page, `page-${i}.csv`, `sourced_id,given_name\nUI-P${i},Page${i}\n`)).status, 'done');
  await go(page, '/imports');
  await rows.nth(19).waitFor();
  assert.equal(await rows.count(), 20);
  await page.getByRole('button', { name: 'Show older imports' }).click();
  await rows.nth(20).waitFor();
  const all = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.import)));
  assert.equal(all.length, Math.max(22, mine.length));
  assert.deepEqual(all, [...all].sort((a, b) => b - a), 'newest first');
  assert.equal(new Set(all).size, all.length, 'no import twice');
  assert.equal(await page.getByRole('button', { name: 'Show older imports' }).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('while an import runs its screen shows the progress and asks every second, and stops when left', async () => {
  const page = await open();
  await signIn(page, 'admin');
  const { id } = await apiUpload(page, 'held.csv', 'sourced_id,given_name\nUI-H1,Held\n');
  // the server's real answer, held at "running" 42% of the way
  const viewUrl = new RegExp(`/api/v1/imports/${id}$`);
  await page.route(viewUrl, async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    Object.assign(body, { status: 'running', finished_at: null, progress: { rows_done: 3000, bytes_share: 0.42 }, error: null, errors: [], errors_shown: 0 });
    await route.fulfill({ response: res, json: body });
  });
  let asked = 0;
  page.on('request', (r) => viewUrl.test(r.url()) && asked++);
  await go(page, `/imports/${id}`);
  await page.locator('.import-status').getByText('Running').waitFor();
  const bar = page.getByRole('progressbar', { name: 'Progress' });
  assert.equal(await bar.getAttribute('value'), '0.42');
  await page.getByText('3,000 rows done, 42% of the file read').waitFor();
  assert.equal(await page.locator('.import-counts').count(), 0);
  await shot(page, 'import-running');
  const t0 = asked;
  await page.waitForTimeout(2500);
  assert.ok(asked >= t0 + 1, `asked ${asked - t0} times in 2.5 s while running`);
  // leaving the screen ends the polling
  await page.locator('.crumbs').getByRole('link', { name: 'Imports' }).click();
  await page.waitForURL(/\/imports$/);
  const left = asked;
  await page.waitForTimeout(2500);
  assert.equal(asked, left, 'the screen kept asking after it was left');
  await page.unroute(viewUrl);
  assert.deepEqual(page.errors, []);
});

test('what the server or the form refuses is said in words: no file, an empty file, 413, 409', async () => {
  const page = await open();
  await signIn(page, 'admin');
  await go(page, '/imports');
  await page.getByRole('button', { name: 'Upload and import' }).click();
  const file = page.getByLabel('CSV file');
  await page.locator('#imp-file-err').getByText('Choose a CSV file to upload.').waitFor();
  assert.equal(await file.getAttribute('aria-invalid'), 'true');
  assert.match(await file.getAttribute('aria-describedby'), /imp-file-err/);
  await file.setInputFiles(csvFile('empty.csv', ''));
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await page.locator('#imp-file-err').getByText('This file is empty.').waitFor();

  // more than guild serve --max-upload 1 (MiB) takes
  let big = 'sourced_id,given_name\n';
  for (let i = 0; big.length <= 1.1 * 1024 * 1024; i++) big += `BIG-${i},Name of row ${i}\n`;
  await file.setInputFiles(csvFile('big.csv', big));
  await page.getByRole('button', { name: 'Upload and import' }).click();
  const alert = page.getByRole('alert');
  await alert.getByText('The file is too large for the server. Split it into smaller files.').waitFor();
  assert.match(await alert.textContent(), /the limit is 1,048,576 bytes/);
  assert.equal(new URL(page.url()).pathname, '/imports');
  await shot(page, 'import-too-large');

  // SQLite writing another import: the answer is held to the server's 409, and what was sent is checked
  let sent = null;
  await page.route(/\/api\/v1\/imports\?/, async (route) => {
    const r = route.request();
    if (r.method() !== 'POST') return route.continue();
    sent = { url: new URL(r.url()), type: r.headers()['content-type'], csrf: r.headers()['x-csrf-token'], body: r.postData() };
    await route.fulfill({
      status: 409,
      json: { error: { code: 'conflict', message: 'import 7 is being written and SQLite writes one thing at a time: upload again when it has ended (GET /api/v1/imports/7)' } },
    });
  });
  await page.getByLabel('Enrollments', { exact: true }).check();
  await file.setInputFiles(csvFile('busy.csv', 'person_id,cohort_id,consent\n1,1,true\n'));
  await page.getByLabel('Import the valid rows and report the others').check();
  await page.getByLabel('Other column names (optional)').fill('Learner=person_id');
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await alert.getByText('Another import is being written. Upload again when it has ended.').waitFor();
  assert.match(await alert.textContent(), /import 7 is being written/);
  assert.equal(sent.type, 'text/csv');
  assert.ok(sent.csrf, 'the CSRF token was sent');
  assert.equal(sent.body, 'person_id,cohort_id,consent\n1,1,true\n');
  assert.deepEqual(Object.fromEntries(sent.url.searchParams), { kind: 'enrollments', name: 'busy.csv', skip_invalid: '1', map: 'Learner=person_id' });
  await page.unroute(/\/api\/v1\/imports\?/);
  assert.deepEqual(page.errors, []);
});

test('staff import into their own institution: the persons are registered to it', async () => {
  const page = await open();
  await signIn(page, 'staff');
  assert.ok((await page.locator('#main-menu a').allTextContents()).includes('Imports'));
  await go(page, '/imports');
  const list = await apiCall(page, 'GET', '/imports');
  assert.equal(list.status, 200);
  await page.locator('#imp-list-h').waitFor();
  const me = (await apiCall(page, 'GET', '/me')).body;
  const inst = me.roles.find((g) => g.role === 'institution_staff').institution_id;
  await page.getByLabel('CSV file').setInputFiles(csvFile('staff.csv', 'sourced_id,given_name\nUI-S1,Staffed\n'));
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await page.waitForURL(/\/imports\/\d+$/);
  assert.equal(await ended(page), 'Done');
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const job = (await apiCall(page, 'GET', `/imports/${id}`)).body;
  assert.equal(job.institution_id, inst);
  const person = (await apiCall(page, 'GET', '/persons?sourced_id=UI-S1')).body.items[0];
  assert.equal(person.institution_id, inst);
  await page.getByText('Confined to the institution').waitFor();   // and which one, by name
  await shot(page, 'imports-staff');
  assert.deepEqual(page.errors, []);
});

test('the export links of the lists carry their filters and answer CSV and XLSX', async () => {
  const page = await open();
  await signIn(page, 'admin');
  const imported = await apiUpload(page, 'export.csv', 'sourced_id,given_name,family_name,sex,birth_date\nUI-E1,Aynur,Exportova,female,2004-05-06\nUI-E2,Erkin,Exportova,male,\n');
  assert.equal(imported.status, 'done');
  await go(page, '/persons?q=Exportova');
  const csvLink = page.getByRole('link', { name: 'Download CSV' });
  await csvLink.waitFor();
  const href = await csvLink.getAttribute('href');
  const u = new URL(href, env.base);
  assert.equal(u.pathname, '/api/v1/persons/export');
  assert.deepEqual(Object.fromEntries(u.searchParams), { format: 'csv', q: 'Exportova' });
  const csv = await fetchIn(page, href);
  assert.equal(csv.status, 200);
  assert.match(csv.type, /^text\/csv/);
  const lines = csv.text.trim().split('\n');
  assert.match(lines[0], /^id,version,sourced_id,given_name,family_name,/);
  assert.equal(lines.length, 3, csv.text);
  assert.ok(lines.some((l) => /,UI-E1,Aynur,Exportova,female,2004-05-06,/.test(l)), csv.text);
  const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
  assert.equal(download.suggestedFilename(), 'persons.csv');
  assert.match(readFileSync(await download.path(), 'utf8'), /UI-E2,Erkin,Exportova/);
  const xlsxHref = await page.getByRole('link', { name: 'Download Excel (XLSX)' }).getAttribute('href');
  assert.deepEqual(Object.fromEntries(new URL(xlsxHref, env.base).searchParams), { format: 'xlsx', q: 'Exportova' });
  const xlsx = await fetchIn(page, xlsxHref);
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.type, /spreadsheetml/);
  assert.equal(xlsx.magic, 'PK');
  await shot(page, 'persons-export');

  // each list: its filters go with the link, and the file holds the list's rows
  const enrollment = (await apiCall(page, 'GET', '/enrollments?limit=1')).body.items[0];
  const cohort = (await apiCall(page, 'GET', `/cohorts/${enrollment.cohort_id}`)).body;
  const cases = [
    ['/programs', { institution: '1' }],
    ['/cohorts', { program: String(cohort.program_id) }],
    ['/enrollments', { cohort: String(cohort.id), status: enrollment.status }],
    ['/persons', { area: '7' }],
  ];
  for (const [list, filters] of cases) {
    await go(page, `${list}?${new URLSearchParams(filters)}`);
    const link = page.getByRole('link', { name: 'Download CSV' });
    await link.waitFor();
    const h = await link.getAttribute('href');
    assert.deepEqual(Object.fromEntries(new URL(h, env.base).searchParams), { format: 'csv', ...filters }, list);
    const file = await fetchIn(page, h);
    assert.equal(file.status, 200, `${list}: ${file.text}`);
    const total = (await apiCall(page, 'GET', `${list}?${new URLSearchParams({ ...filters, limit: 1 })}`)).body.total;
    assert.ok(total > 0, list);
    assert.equal(file.text.trim().split('\n').length - 1, total, `${list}: rows of the file`);
  }
  // an empty list offers no file
  await go(page, '/persons?q=Nobodyhasthisname');
  await page.locator('.empty').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Download CSV' }).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('the keyboard alone chooses the kind and the file, sets the options and uploads', async () => {
  const page = await open();
  await signIn(page, 'admin');
  await go(page, '/imports');
  await page.locator('main h1').focus();
  const focused = () => page.evaluate(() => document.activeElement.id);
  // Tab to the kind, arrow to Enrollments and back
  for (let i = 0; i < 10 && (await focused()) !== 'imp-kind-persons'; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(), 'imp-kind-persons');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByLabel('Enrollments', { exact: true }).isChecked(), true);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getByLabel('Persons', { exact: true }).isChecked(), true);
  for (let i = 0; i < 10 && (await focused()) !== 'imp-file'; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(), 'imp-file');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles(csvFile('keys.csv', 'sourced_id,given_name\nUI-K1,Keyboard\n'));
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'imp-skip');
  await page.keyboard.press('Space');
  assert.equal(await page.getByLabel('Import the valid rows and report the others').isChecked(), true);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'imp-map');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Upload and import');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/imports\/\d+$/);
  assert.equal(await ended(page), 'Done');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1');
  assert.equal((await apiCall(page, 'GET', '/persons?sourced_id=UI-K1')).body.total, 1);
});

test('Uyghur right-to-left, 360 px wide, and axe-core on the import screens', async () => {
  const page = await open();
  await signIn(page, 'admin');
  const failed = (await apiUpload(page, 'bad.csv', BAD)).id;
  const skipped = (await apiUpload(page, 'bad.csv', BAD, { skip_invalid: 1 })).id;
  // (the lists with their export links: ui.test.js's axe-core test)
  const screens = ['/imports', `/imports/${failed}`, `/imports/${skipped}`];
  const problems = [];
  for (const p of screens) {
    await go(page, p);
    await page.waitForLoadState('networkidle');
    problems.push(...(await axeViolations(page)).map((v) => `${p}: ${v}`));
  }
  await go(page, '/imports');
  await page.getByLabel('Language').selectOption('ug');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  assert.equal(await page.locator('main h1').textContent(), 'ئەكىرىش');
  assert.ok((await page.locator('#main-menu a').allTextContents()).includes('ئەكىرىش'));
  // mirrored: the upload button sits at the right of the form
  const form = await page.locator('.import-form').boundingBox();
  const button = await page.locator('.import-form button[type=submit]').boundingBox();
  assert.ok(button.x + button.width > form.x + form.width - 40, `button at x=${button.x}`);
  await shot(page, 'imports-ug');
  for (const p of [`/imports/${failed}`, `/imports/${skipped}`]) {
    await go(page, p);
    await page.locator('.import-status .status').waitFor();
    await page.waitForLoadState('networkidle');
    problems.push(...(await axeViolations(page)).map((v) => `${p} (ug): ${v}`));
  }
  await go(page, `/imports/${failed}`);
  await page.locator('.import-report').waitFor();
  // why it failed, and each line of its report, in Uyghur: written from the reason and parameters, not the server's English
  const why = (await page.getByRole('alert').textContent()).replace(/[\u2066-\u2069]/g, ''); // numbers come isolated
  assert.match(why, /3 قۇرنىڭ 1 قۇرى ئىناۋەتسىز؛ ھېچنېمە ساقلانمىدى/);
  assert.doesNotMatch(why, /rows are invalid/);
  const line = (await page.locator('.import-report tbody tr').first().locator('td').allTextContents())[3];
  assert.match(line, /چېسلا/);
  assert.doesNotMatch(line, /must be a date/);
  await shot(page, 'import-failed-ug');
  await go(page, '/persons');
  await page.locator('.exports').waitFor();
  await shot(page, 'persons-export-ug');
  assert.deepEqual(problems, []);

  const narrow = await open({ width: 360, height: 740 });
  await signIn(narrow, 'admin');
  for (const p of ['/imports', `/imports/${failed}`, `/imports/${skipped}`, '/persons']) {
    await go(narrow, p);
    await narrow.waitForLoadState('networkidle');
    const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${p} is ${width} px wide`);
  }
  await go(narrow, `/imports/${failed}`);
  await narrow.locator('.import-report').waitFor();
  await shot(narrow, 'import-failed-360');
  await go(narrow, '/imports');
  await narrow.locator('table.import-list').waitFor();
  await shot(narrow, 'imports-360');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(narrow.errors, []);
});
