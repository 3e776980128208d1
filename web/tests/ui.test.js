// ui.test.js: the web interface in a real browser (Debian's chromium,
// headless) against a real `guild serve` on the demo database: signing in
// as each role and the menu each sees; creating a program and a cohort;
// a validation error beside its field and a lost race (412) with reload;
// enrolling a learner with consent and withdrawing; the learner's own
// pages; Uyghur right-to-left; keyboard use; 360 px wide; axe-core on the
// main screens; a screenshot of each under build/ui-artifacts/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiCall, axeViolations, choose, newPage, shot, signIn, start } from './harness.js';

let env;
const pages = [];

before(async () => {
  env = await start();
});

after(async () => {
  for (const p of pages) await p.context().close();
  const { code, log } = await env.stop();
  assert.equal(code, 0, 'guild serve did not stop cleanly:\n' + log.slice(-3000));
  assert.doesNotMatch(log, /AddressSanitizer|runtime error|LeakSanitizer/);
  assert.doesNotMatch(log, /^access \S+ \S+ 5\d\d /m, 'server errors (5xx) in the log');
});

async function open(opts) {
  const p = await newPage(env, opts);
  pages.push(p);
  return p;
}

async function go(page, path) {
  await page.goto(env.base + path);
  await page.locator('main h1').first().waitFor();
}

const menuOf = (page) => page.locator('#main-menu a').allTextContents();

const MENUS = {
  admin: ['Dashboard', 'Areas', 'Institutions', 'Programs', 'Cohorts', 'Persons', 'Enrollments', 'Imports', 'Competitions', 'Competition history', 'Attendance reports', 'Accounts', 'API tokens', 'Audit log', 'Erase a person'],
  staff: ['Dashboard', 'Areas', 'Institutions', 'Programs', 'Cohorts', 'Persons', 'Enrollments', 'Imports', 'Competitions', 'Competition history', "Today's sessions", 'Assessments', 'Attendance reports'],
  trainer: ['Cohorts', 'Persons', 'Enrollments', "Today's sessions", 'Assessments', 'Attendance reports'],
  judge: ['Marking'],
  learner: ['My learning', 'My attendance and awards'],
};

test('each role signs in, sees only its own menu, and signs out', async () => {
  for (const [user, menu] of Object.entries(MENUS)) {
    const page = await open();
    await page.locator('.signin h1').waitFor();
    if (user === 'admin') await shot(page, 'signin');
    await signIn(page, user);
    assert.deepEqual(await menuOf(page), menu, `${user}'s menu`);
    assert.equal(await page.locator('.who').textContent(), user);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('.signin h1').waitFor();
    assert.equal(await page.locator('#main-menu').count(), 0);
    // the session really ended: the API refuses it
    const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status));
    assert.equal(me, 401);
    assert.deepEqual(page.errors, []);
  }
});

test('a wrong password is refused with a message', async () => {
  const page = await open();
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('The username or password is not right.').waitFor();
});

test('the dashboard shows key figures and charts for the region and one institution', async () => {
  const page = await open();
  await signIn(page, 'admin');
  await go(page, '/dashboard');
  await page.locator('.figures').waitFor();
  await page.locator('.chart canvas').nth(2).waitFor();
  const figures = await page.locator('.figure-value').allTextContents();
  assert.equal(figures.length, 5);
  assert.equal(figures[0], '2,000', 'learners of the demo region');
  assert.equal(await page.locator('.chart-box figcaption').count(), 3);
  await shot(page, 'dashboard');
  await choose(page, 'Show figures for');
  await page.waitForURL(/institution=\d+/);
  await page.locator('.figures').waitFor();
  assert.notEqual((await page.locator('.figure-value').allTextContents())[0], '2,000');
  assert.deepEqual(page.errors, []);

  const staff = await open();
  await signIn(staff, 'staff');
  await go(staff, '/dashboard');
  await staff.locator('.figures').waitFor();
  await staff.waitForFunction(() => /Vocational College/.test(document.querySelector('main h1').textContent));
  await shot(staff, 'dashboard-staff');
});

test('an administrator creates a program and a cohort of it through the forms', async () => {
  const page = await open();
  await signIn(page, 'admin');
  await go(page, '/programs');
  await shot(page, 'programs');
  await page.getByRole('link', { name: 'New program' }).click();
  await choose(page, 'Institution');
  await page.getByLabel('Title').fill('Solar panel installation');
  await page.getByLabel('Occupation (ISCO-08 code)').fill('7411');
  await page.getByLabel('Skills it confers (one per line)').fill('mounting\nwiring\n\nsafety');
  await page.getByLabel('Hours of training').fill('320');
  await page.getByLabel('Level').fill('2');
  await page.getByLabel('Places').fill('30');
  await shot(page, 'program-new');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/programs\/\d+\?created=1$/);
  await page.getByRole('status').getByText('Created.').waitFor();
  const programId = Number(page.url().match(/programs\/(\d+)/)[1]);
  const program = await apiCall(page, 'GET', `/programs/${programId}`);
  assert.equal(program.body.title, 'Solar panel installation');
  assert.deepEqual(program.body.skills, ['mounting', 'wiring', 'safety']);

  await page.getByRole('link', { name: 'New cohort of this program' }).click();
  await page.getByLabel('Name').fill('2027 spring');
  await page.getByLabel('First day').fill('2027-03-01');
  await page.getByLabel('Last day').fill('2027-02-01');
  await page.getByLabel('Places').fill('25');
  await page.getByRole('button', { name: 'Create' }).click();
  // the API's refusal is shown beside the field it concerns
  const endDate = page.locator('#f-cohorts-end_date');
  await page.locator('.field-error').waitFor();
  assert.equal(await endDate.getAttribute('aria-invalid'), 'true');
  const errId = (await endDate.getAttribute('aria-describedby')).split(' ').pop();
  assert.match(await page.locator(`#${errId}`).textContent(), /Last day must not be before First day/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-cohorts-end_date');
  await shot(page, 'cohort-validation');
  await page.getByLabel('Last day').fill('2027-06-30');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/cohorts\/\d+\?created=1$/);
  const cohortId = Number(page.url().match(/cohorts\/(\d+)/)[1]);
  const cohort = await apiCall(page, 'GET', `/cohorts/${cohortId}`);
  assert.equal(cohort.body.program_id, programId);
  assert.equal(cohort.body.end_date, '2027-06-30');
  assert.deepEqual(page.errors, []);
});

test('an edit that lost a race (412) says so and offers to reload', async () => {
  const page = await open();
  await signIn(page, 'admin');
  await go(page, '/programs/3');
  await page.getByLabel('Hours of training').fill('999');
  // someone else saves first
  const other = await apiCall(page, 'PATCH', '/programs/3', { title: 'Changed by someone else' });
  assert.equal(other.status, 200);
  await page.getByRole('button', { name: 'Save' }).click();
  const alert = page.getByRole('alert');
  await alert.getByText('Someone else changed this record after you opened it.').waitFor();
  await shot(page, 'program-stale');
  await alert.getByRole('button', { name: 'Reload' }).click();
  await page.waitForFunction(() => document.querySelector('#f-programs-title').value === 'Changed by someone else');
  assert.notEqual(await page.getByLabel('Hours of training').inputValue(), '999');
  await page.getByLabel('Hours of training').fill('999');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').getByText('Saved.').waitFor();
  assert.equal((await apiCall(page, 'GET', '/programs/3')).body.hours, 999);
});

test('staff register a person, enrol them with their consent, and withdraw them', async () => {
  const page = await open();
  await signIn(page, 'staff');
  // staff change their own institution's programs, and only read others'
  const mine = (await apiCall(page, 'GET', '/me')).body.roles[0].institution_id;
  const programs = (await apiCall(page, 'GET', '/programs?limit=500')).body.items;
  await go(page, `/programs/${programs.find((p) => p.institution_id === mine).id}`);
  await page.getByRole('button', { name: 'Save' }).waitFor();
  await go(page, `/programs/${programs.find((p) => p.institution_id !== mine).id}`);
  await page.locator('#f-programs-title').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Save' }).count(), 0);
  assert.equal(await page.locator('#f-programs-title').isDisabled(), true);
  await go(page, '/programs/new');
  await page.waitForFunction((id) => document.querySelector('#f-programs-institution_id')?.closest('.ref-picker').dataset.value === String(id), mine);
  await go(page, '/persons/new');
  await page.getByLabel('Given name').fill('Aygül');
  await page.getByLabel('Family name').fill('Testbayeva');
  await page.getByLabel('Date of birth').fill('2003-04-05');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/persons\/\d+\?created=1$/);
  const personId = Number(page.url().match(/persons\/(\d+)/)[1]);
  await page.getByRole('link', { name: 'Enrol a learner' }).click();
  await page.locator('.chips').getByText('Aygül Testbayeva').waitFor();
  await choose(page, 'Cohort');
  await page.getByRole('button', { name: 'Enrol' }).click();
  // no consent, no enrollment
  await page.locator('#enrol-consent-err').waitFor();
  assert.equal(await page.locator('#enrol-consent').getAttribute('aria-invalid'), 'true');
  assert.equal((await apiCall(page, 'GET', `/enrollments?person=${personId}`)).body.total, 0);
  await page.getByLabel('The learner has given their own consent to this enrollment.').check();
  await shot(page, 'enrol');
  await page.getByRole('button', { name: 'Enrol' }).click();
  await page.waitForURL(/\/enrollments\?cohort=\d+&enrolled=1$/);
  const list = (await apiCall(page, 'GET', `/enrollments?person=${personId}`)).body;
  assert.equal(list.total, 1);
  const e = list.items[0];
  assert.equal(e.status, 'enrolled');
  assert.match(e.consent_by, /^user:staff$/);
  const row = page.locator(`tr[data-enrollment="${e.id}"]`);
  await row.waitFor();
  await shot(page, 'enrollments');
  await row.getByRole('button', { name: 'Withdraw' }).click();
  await row.getByLabel('Reason (optional)').selectOption('work');
  await row.getByRole('button', { name: 'Confirm withdrawal' }).click();
  await row.getByText('Withdrawn').waitFor();
  const after = (await apiCall(page, 'GET', `/enrollments/${e.id}`)).body;
  assert.equal(after.status, 'withdrawn');
  assert.equal(after.withdrawal_reason, 'work');
  assert.deepEqual(page.errors, []);
});

test('a learner sees their programs and enrollments, withdraws, and downloads their data', async () => {
  const admin = await open();
  await signIn(admin, 'admin');
  const page = await open();
  await signIn(page, 'learner');
  const learner = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
  const cohort = (await apiCall(admin, 'GET', '/cohorts?active_on=2026-01-01&limit=1')).body.items[0] ||
    (await apiCall(admin, 'GET', '/cohorts?limit=1')).body.items[0];
  const created = await apiCall(admin, 'POST', '/enrollments', { person_id: learner.person_id, cohort_id: cohort.id, consent: true, status: 'applied' });
  assert.ok(created.status === 201 || created.status === 409, JSON.stringify(created));
  await go(page, '/learning');
  await page.locator('.cards').waitFor();
  assert.ok((await page.locator('.cards li').count()) >= 1);
  await shot(page, 'learning');
  const e = created.body.id ? created.body : null;
  if (e) {
    const row = page.locator(`tr[data-enrollment="${e.id}"]`);
    await row.getByRole('button', { name: /Withdraw/ }).click();
    await row.getByRole('button', { name: 'Confirm withdrawal' }).click();
    await page.getByRole('status').getByText('You have withdrawn.', { exact: false }).waitFor();
    assert.equal((await apiCall(admin, 'GET', `/enrollments/${e.id}`)).body.status, 'withdrawn');
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download my data' }).click()]);
  const path = await download.path();
  const data = JSON.parse((await import('node:fs')).readFileSync(path, 'utf8'));
  assert.equal(data.person.id, learner.person_id);
  assert.ok(data.enrollments.length >= 1);
  assert.deepEqual(page.errors, []);
});

test('changing the password works and a wrong current password is shown beside its field', async () => {
  const page = await open();
  await signIn(page, 'judge');
  await go(page, '/account/password');
  await page.getByLabel('Current password').fill('wrong wrong wrong');
  await page.getByLabel('New password', { exact: true }).fill('a brand new pass phrase 77');
  await page.getByLabel('New password again').fill('a brand new pass phrase 77');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.locator('#pw-current_password-err').waitFor();
  await shot(page, 'password');
  const { password } = await import('./harness.js');
  await page.getByLabel('Current password').fill(password('judge'));
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('status').getByText('Your password has been changed.', { exact: false }).waitFor();
  // the new password's session still works (a fresh CSRF token came with it)
  const r = await apiCall(page, 'POST', '/me/password', { current_password: 'a brand new pass phrase 77', new_password: password('judge') });
  assert.equal(r.status, 200);
});

test('Uyghur turns the whole page right-to-left, and the choice is remembered', async () => {
  const page = await open();
  await signIn(page, 'admin');
  await go(page, '/dashboard');
  await page.getByLabel('Language').selectOption('ug');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ug-Arab');
  await page.locator('.figures').waitFor();
  assert.deepEqual((await menuOf(page)).slice(0, 2), ['ئومۇمىي ئەھۋال', 'رايونلار']);
  // mirrored: the brand sits at the right edge, the menu starts from the right
  const brand = await page.locator('.brand').boundingBox();
  assert.ok(brand.x > 640, `brand at x=${brand.x}`);
  await page.locator('.chart canvas').nth(2).waitFor();
  await shot(page, 'dashboard-ug');
  await page.reload();
  await page.locator('.figures').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  await go(page, '/persons');
  await page.locator('table').waitFor();
  await shot(page, 'persons-ug');
  await page.locator('#lang-select').selectOption('zh');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN' && document.documentElement.dir === 'ltr');
  await page.locator('table').waitFor();
  assert.equal(await page.locator('main h1').textContent(), '人员');
  // numbers in the language's format
  await go(page, '/dashboard');
  await page.locator('.figures').waitFor();
  await shot(page, 'dashboard-zh');
  assert.deepEqual(page.errors, []);
});

test('the keyboard alone signs in and reaches the menu', async () => {
  const page = await open();
  await page.locator('.signin h1').waitFor();
  // the skip link comes first; from the heading, Tab reaches the username
  assert.equal(await page.evaluate(() => document.querySelector('a, button, input, select').className), 'skip');
  await page.locator('.signin h1').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'signin-username');
  await page.keyboard.type('staff');
  await page.keyboard.press('Tab');
  const { password } = await import('./harness.js');
  await page.keyboard.type(password('staff'));
  await page.keyboard.press('Enter');
  await page.locator('#main-menu').waitFor();
  // tab to the menu's Programs entry and follow it with Enter
  let found = false;
  for (let i = 0; i < 20 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement.textContent === 'Programs');
  }
  assert.ok(found, 'Programs was not reachable with Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/programs$/);
  await page.locator('table').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1');
});

test('at 360 px wide nothing overflows and the menu opens from a button', async () => {
  const page = await open({ width: 360, height: 740 });
  await signIn(page, 'staff');
  for (const path of ['/dashboard', '/programs', '/programs/new', '/enrollments', '/persons']) {
    await go(page, path);
    await page.waitForTimeout(200);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${path} is ${width} px wide`);
  }
  await go(page, '/enrollments');
  await page.locator('table').waitFor();
  await shot(page, 'enrollments-360');
  assert.equal(await page.locator('#main-menu').isVisible(), false);
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.locator('#main-menu').getByRole('link', { name: 'Programs' }).click();
  await page.waitForURL(/\/programs$/);
  await page.locator('table').waitFor();
  await shot(page, 'programs-360');
});

test('axe-core finds no serious or critical problem on the main screens', async () => {
  const screens = {
    admin: ['/dashboard', '/areas', '/areas/2', '/institutions', '/programs', '/programs/new', '/cohorts', '/cohorts/5', '/persons', '/persons/new', '/enrollments', '/enrollments/new', '/imports', '/account/password'],
    learner: ['/learning'],
  };
  const signinPage = await open();
  await signinPage.locator('.signin h1').waitFor();
  const problems = (await axeViolations(signinPage)).map((v) => `/ (sign in): ${v}`);
  for (const [user, paths] of Object.entries(screens)) {
    const page = await open();
    await signIn(page, user);
    for (const path of paths) {
      await go(page, path);
      await page.waitForLoadState('networkidle');
      problems.push(...(await axeViolations(page)).map((v) => `${path}: ${v}`));
      if (['/cohorts/5', '/institutions', '/areas'].includes(path)) await shot(page, path.slice(1).replace('/', '-'));
    }
  }
  assert.deepEqual(problems, []);
});
