// admin.test.js: the administration screens and the first sign-in in
// chromium against a real `guild serve` on the demo database: an account
// made in the browser gets a one-time password shown once, whose first
// sign-in shows nothing but the change of password (the API refuses the
// rest: 403 password_change_required) until it is changed; a role granted
// and revoked; the password reset; the user's session ended by the
// administrator, after which that browser is told its session ended (a new
// browser never is); an API token shown once, then revoked; the audit log
// filtered by record and the chain verified; a person erased after the
// consequences and a typed confirmation; every other role kept out of these
// screens and told so; a new empty database greeting the administrator
// with first steps; axe-core on each screen and screenshots.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiCall, axeViolations, choose, goTo, ok, openIn, password, shot, signIn, start, stopChecked } from './harness.js';

let env;
const pages = [];
let admin;

before(async () => {
  env = await start();
  admin = await openIn(env, pages);
  await signIn(admin, 'admin');
});

after(async () => {
  await stopChecked(env, pages);
});

async function noAxe(page, what) {
  assert.deepEqual(await axeViolations(page), [], `axe on ${what}`);
}

/** Signs in page as username with pw through the sign-in screen (no menu is awaited). */
async function signInAs(page, username, pw) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(pw);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => !document.querySelector('.signin'));
}

const world = {};

test('an account made in the browser shows its one-time password once, and its first sign-in must change it first', async () => {
  await goTo(env, admin, '/admin/accounts');
  await noAxe(admin, 'the accounts list');
  await shot(admin, 'admin-accounts');
  await admin.getByRole('link', { name: 'New account' }).click();
  await admin.locator('main h1').getByText('New account').waitFor();
  await admin.getByLabel('Username').fill('ui.newcolleague');
  await admin.getByLabel('Name shown').fill('Aynur Colleague');
  await admin.getByLabel('Role', { exact: true }).selectOption('region_admin');
  await noAxe(admin, 'the new account form');
  await admin.getByRole('button', { name: 'Create the account' }).click();
  const secret = admin.locator('#one-time-password [data-secret]');
  await secret.waitFor();
  const pw = (await secret.textContent()).trim();
  assert.match(pw, /^[A-Za-z0-9]{20}$/);
  await shot(admin, 'admin-account-made');
  world.pw = pw;
  // the account's own page: shown with its role, the password never again
  await admin.getByRole('link', { name: 'Open the account ui.newcolleague' }).click();
  await admin.locator('main h1').getByText('ui.newcolleague').waitFor();
  assert.equal(await admin.locator('[data-secret]').count(), 0);
  assert.ok((await admin.locator('main').textContent()).includes('Must change password'));
  world.userPath = new URL(admin.url()).pathname;
  world.userId = Number(world.userPath.split('/').pop());

  // the first sign-in: a new browser, never told a session ended
  const fresh = await openIn(env, pages);
  await fresh.locator('.signin h1').waitFor();
  assert.equal(await fresh.getByText('Your session has ended').count(), 0);
  await signInAs(fresh, 'ui.newcolleague', pw);
  await fresh.locator('main h1').getByText('Choose your own password').waitFor();
  assert.equal(await fresh.locator('#main-menu').count(), 0, 'no menu before the change');
  await noAxe(fresh, 'the first sign-in');
  await shot(fresh, 'first-sign-in');
  // the server refuses everything else, not only the browser
  const r = await apiCall(fresh, 'GET', '/areas');
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'password_change_required');
  // any address shows the change, too
  await fresh.goto(env.base + '/persons');
  await fresh.locator('main h1').getByText('Choose your own password').waitFor();
  await fresh.getByLabel('One-time password').fill(pw);
  await fresh.getByLabel('New password', { exact: true }).fill('aynur chose this phrase 2026');
  await fresh.getByLabel('New password again').fill('aynur chose this phrase 2026');
  await fresh.getByRole('button', { name: 'Change password' }).click();
  await fresh.locator('#main-menu').waitFor();
  assert.ok((await fresh.locator('#main-menu a').allTextContents()).includes('Accounts'));
  assert.equal((await apiCall(fresh, 'GET', '/areas')).status, 200);
  world.colleague = fresh;
  assert.deepEqual(fresh.errors.filter((e) => !/403/.test(e)), []);
});

test('roles are granted and revoked, the password is reset once, and a session the administrator ends is said to have ended', async () => {
  await goTo(env, admin, world.userPath);
  // grant institution staff of the first institution, then revoke the administrator role
  await admin.getByLabel('Role', { exact: true }).selectOption('institution_staff');
  await choose(admin, 'Institution');   // the searchable picker: its first match
  await admin.getByRole('button', { name: 'Grant the role' }).click();
  await admin.getByRole('status').getByText('The role was granted.').waitFor();
  await admin.getByRole('button', { name: 'Revoke the role Region administrator' }).click();
  await admin.getByRole('status').getByText('The role was revoked.').waitFor();
  const grants = ok(await apiCall(admin, 'GET', `/grants?user=${world.userId}`), 'grants').items;
  assert.deepEqual(grants.map((g) => g.role), ['institution_staff']);
  // the colleague's session is listed; the administrator ends it
  await admin.getByRole('button', { name: 'End the session' }).first().waitFor();
  await noAxe(admin, 'an account');
  await shot(admin, 'admin-account');
  await admin.getByRole('button', { name: 'End the session' }).first().click();
  await admin.getByRole('status').getByText('The session was ended.').waitFor();
  await world.colleague.reload();
  await world.colleague.locator('.signin').getByText('Your session has ended').waitFor();
  // a reset: a one-time password shown once, asked for first
  await admin.getByRole('button', { name: 'Reset the password' }).click();
  await admin.getByRole('button', { name: 'Yes, reset it' }).click();
  const secret = admin.locator('#one-time-password [data-secret]');
  await secret.waitFor();
  const pw = (await secret.textContent()).trim();
  assert.notEqual(pw, world.pw);
  await admin.reload();
  await admin.locator('main h1').waitFor();
  assert.equal(await admin.locator('[data-secret]').count(), 0, 'shown once');
  const again = await openIn(env, pages);
  await signInAs(again, 'ui.newcolleague', pw);
  await again.locator('main h1').getByText('Choose your own password').waitFor();
  // disabling: the account cannot sign in
  await admin.getByRole('button', { name: 'Disable the account' }).click();
  await admin.getByRole('status').getByText('The account is disabled', { exact: false }).waitFor();
  assert.equal((await apiCall(again, 'GET', '/me')).status, 401);
});

test('an API token is shown once, listed without its secret, and revoked after a confirmation', async () => {
  await goTo(env, admin, '/admin/tokens');
  await admin.getByLabel('Name', { exact: true }).fill('ui-mis-export');
  await admin.getByLabel('Expires').selectOption('30');
  await admin.getByRole('button', { name: 'Create the token' }).click();
  const secret = admin.locator('#token-secret [data-secret]');
  await secret.waitFor();
  const tok = (await secret.textContent()).trim();
  assert.match(tok, /^gt_/);
  await noAxe(admin, 'the tokens');
  await shot(admin, 'admin-tokens');
  // the token works
  const st = await admin.evaluate((t) => fetch('/api/v1/areas', { headers: { Authorization: `Bearer ${t}` } }).then((r) => r.status), tok);
  assert.equal(st, 200);
  await admin.reload();
  await admin.locator('main h1').waitFor();
  await admin.getByRole('cell', { name: 'ui-mis-export', exact: true }).waitFor();
  assert.ok(!(await admin.locator('main').textContent()).includes(tok), 'the secret is shown only once');
  await admin.getByRole('button', { name: 'Revoke the token ui-mis-export' }).click();
  await admin.getByRole('button', { name: 'Yes, revoke it' }).click();
  await admin.getByRole('status').getByText('The token ui-mis-export was revoked.').waitFor();
  const st2 = await admin.evaluate((t) => fetch('/api/v1/areas', { headers: { Authorization: `Bearer ${t}` } }).then((r) => r.status), tok);
  assert.equal(st2, 401);
});

test('the audit log is filtered by record and its chain verified', async () => {
  const p = ok(await apiCall(admin, 'POST', '/persons', { given_name: 'Audited', family_name: 'Person' }), 'person');
  await goTo(env, admin, `/admin/audit?entity=person&entity_id=${p.id}`);
  const rows = admin.locator('#audit-entries tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.ok((await rows.first().textContent()).includes('user:admin'));
  await admin.getByRole('button', { name: 'Verify the chain' }).click();
  await admin.locator('#audit-verdict').getByText('The chain is intact', { exact: false }).waitFor();
  await noAxe(admin, 'the audit log');
  await shot(admin, 'admin-audit');
  // a range of days before anything happened holds nothing
  await goTo(env, admin, '/admin/audit?to=2000-01-01');
  await admin.locator('main').getByText('Nothing', { exact: false }).first().waitFor();
});

test('a person is erased only after the consequences and the typed name', async () => {
  const p = ok(await apiCall(admin, 'POST', '/persons', { given_name: 'Erasable', family_name: 'Learner', sourced_id: 'UI-ERASE-1', phone: '+86 991 555 0199' }), 'person');
  await goTo(env, admin, `/persons/${p.id}`);
  await admin.getByRole('link', { name: "Erase this person's personal data" }).click();
  await admin.locator('.consequences').waitFor();
  const text = await admin.locator('.consequences').textContent();
  for (const s of ['date of birth', 'telephone', 'external id', 'every account', 'audit log', 'cannot be undone']) assert.ok(text.includes(s), s);
  const submit = admin.getByRole('button', { name: 'Erase the personal data' });
  assert.ok(await submit.isDisabled());
  await admin.getByLabel("To confirm, type the person's name or code").fill('Erasable Learne');
  assert.ok(await submit.isDisabled(), 'a name not typed exactly does not confirm');
  await admin.getByLabel("To confirm, type the person's name or code").fill('UI-ERASE-1');
  assert.ok(await submit.isEnabled());
  await noAxe(admin, 'the erasure');
  await shot(admin, 'admin-erase');
  await submit.click();
  await admin.getByRole('status').getByText('The personal data was erased.').waitFor();
  const after = ok(await apiCall(admin, 'GET', `/persons/${p.id}`), 'erased');
  assert.equal(after.given_name, '(erased)');
  assert.equal(after.phone, null);
  assert.equal(after.sourced_id, null);
});

test('the other roles see no administration menu, and a screen opened by address says whom it is for', async () => {
  for (const user of ['staff', 'trainer', 'judge', 'learner']) {
    const page = await openIn(env, pages);
    await signIn(page, user);
    const menu = await page.locator('#main-menu a').allTextContents();
    for (const m of ['Accounts', 'API tokens', 'Audit log', 'Erase a person']) assert.ok(!menu.includes(m), `${user}: ${m}`);
    for (const path of ['/admin/accounts', '/admin/tokens', '/admin/audit', '/admin/erase', '/admin/accounts/1']) {
      await goTo(env, page, path);
      await page.getByText('This page is for region administrators.').waitFor();
    }
    if (user === 'trainer') {
      await noAxe(page, 'the refusal');
      await shot(page, 'admin-refused');
    }
    // the server says the same
    assert.equal((await apiCall(page, 'GET', '/accounts')).status, 403);
    assert.equal((await apiCall(page, 'GET', '/tokens')).status, 403);
    assert.equal((await apiCall(page, 'GET', '/audit')).status, 403);
  }
});

test('the accounts screen in Chinese and Uyghur', async () => {
  for (const lang of ['zh', 'ug']) {
    const page = await openIn(env, pages, { lang: lang === 'zh' ? 'zh-CN' : 'ug' });
    await page.evaluate((l) => localStorage.setItem('guild.lang', l), lang);
    await page.reload();
    await page.getByLabel(lang === 'zh' ? '用户名' : 'ئىشلەتكۈچى نامى').fill('admin');
    await page.getByLabel(lang === 'zh' ? '密码' : 'پارول').fill(password('admin'));
    await page.locator('form button[type=submit]').click();
    await page.locator('#main-menu').waitFor();
    await goTo(env, page, '/admin/accounts');
    await page.locator('main h1').getByText(lang === 'zh' ? '账户' : 'ھېساباتلار').waitFor();
    await noAxe(page, `the accounts in ${lang}`);
    await shot(page, `admin-accounts-${lang}`);
  }
});

test('a new, empty database greets the administrator with first steps', async () => {
  const empty = await start({ empty: true });
  const extra = [];
  try {
    const page = await openIn(empty, extra);
    await signIn(page, 'admin');
    await goTo(empty, page, '/dashboard');
    await page.locator('#first-steps').waitFor();
    assert.equal(await page.getByText('No figures yet').count(), 0);
    for (const [name, href] of [
      ['Add the region and its areas', '/areas/new'],
      ['Add an institution', '/institutions/new'],
      ['Add a program', '/programs/new'],
      ['Open a cohort', '/cohorts/new'],
      ['Give colleagues accounts', '/admin/accounts/new'],
    ])
      assert.equal(await page.getByRole('link', { name }).getAttribute('href'), href);
    await noAxe(page, 'the first steps');
    await shot(page, 'first-steps');
    // a step done is said so
    ok(await apiCall(page, 'POST', '/areas', { code: 'XJ', name: 'Xinjiang', level: 'region' }), 'area');
    await page.reload();
    await page.locator('#first-steps li.done').first().waitFor();
  } finally {
    await stopChecked(empty, extra);
  }
});
