// records.test.js: choosing records and records shown in their context, in
// chromium against `guild serve` on the demo database: the searchable
// pickers (type to search through the list's filters, arrows and Enter, a
// combobox a screen reader follows; the program picker narrowed by the
// chosen institution, the cohort picker by the program), each match told
// apart (a program with its institution, a cohort with its program,
// institution and dates), the cohort list's institution and program
// columns, a person's page with their enrollments, entries and awards, a
// cohort's roster, trainers and sessions, an institution's programs,
// cohorts and staff, and no internal field ("Version 1", "user:admin") shown
// as data. Screenshots: build/ui-artifacts/records-*.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiCall, axeViolations, choose, shot, signIn, withGuild } from './harness.js';
import { SEARCHABLE, resources } from '../src/resources.js';
import { column, resource, setDocument } from '../src/schema.js';

const g = withGuild();
const { open, go } = g;

test("every record page's context is what the server has: each list's parameters, each column a field", async () => {
  const doc = await (await fetch(g.env.base + '/api/v1/openapi.json')).json();
  setDocument(doc);
  let n = 0;
  for (const res of Object.values(resources)) {
    resource(res);   // narrow and via are checked there
    if (!res.context) continue;
    for (const s of res.context({ id: 1, trainers: [2] })) {
      if (s.ids) continue;
      const params = doc.paths[`/api/v1/${s.plural}`].get.parameters.map((q) => q.name);
      for (const k of Object.keys(s.query)) assert.ok(params.includes(k), `${res.plural} ${s.name}: GET ${s.plural} takes no ${k}`);
      for (const c of s.columns) assert.ok(column(s.plural, c).type, `${res.plural} ${s.name}`);
      n++;
    }
  }
  assert.ok(n >= 9, `${n} sections`);
  // a searchable kind searches with parameters its list takes
  for (const plural of SEARCHABLE) {
    const params = doc.paths[`/api/v1/${plural}`].get.parameters.map((q) => q.name);
    for (const text of ['Wel', 'L0000001']) {
      const q = resources[plural].search ? resources[plural].search(text) : { q: text };
      for (const k of Object.keys(q)) assert.ok(params.includes(k), `${plural} search ${k}`);
    }
  }
});
const get = async (page, path) => {
  const r = await apiCall(page, 'GET', path);
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  return r.body;
};

/** The ids the open listbox of the combobox box offers, once it has settled. */
async function offered(page, box) {
  const list = page.locator(`[id="${await box.getAttribute('aria-controls')}"]`);
  await list.getByRole('option').first().waitFor();
  await page.waitForFunction((el) => !/Loading/.test(document.getElementById(`${el.id}-status`).textContent), await box.elementHandle());
  return list.getByRole('option').evaluateAll((os) => os.map((o) => Number(o.dataset.id)));
}

test('the program picker searches by typing, is narrowed by the chosen institution, and works by keyboard', async () => {
  const page = await open();
  await signIn(page, 'admin');
  const inst = (await get(page, '/institutions?q=Training%20Centre&limit=2')).items[1];
  const progs = (await get(page, `/programs?institution=${inst.id}&limit=100`)).items;
  await go(page, '/cohorts');
  // the institution: typed, then taken from the matches
  const instBox = page.getByRole('combobox', { name: 'Institution' });
  await instBox.fill(inst.name.slice(0, 4));
  assert.equal(await instBox.getAttribute('aria-expanded'), 'true');
  assert.ok((await offered(page, instBox)).includes(inst.id));
  await choose(page, instBox, { text: inst.name, id: inst.id });
  assert.equal(await instBox.inputValue(), inst.name);
  // the program picker offers that institution's programs only, each with the institution beside it
  const progBox = page.getByRole('combobox', { name: 'Program' });
  await progBox.click();
  const ids = await offered(page, progBox);
  assert.deepEqual(ids.sort(), progs.map((p) => p.id).sort());
  const first = page.locator(`[id="${await progBox.getAttribute('aria-controls')}"] [role=option]`).first();
  assert.match(await first.textContent(), new RegExp(inst.name.split(' ')[0]));
  await shot(page, 'records-picker-narrowed');
  // typing narrows further (the list's own q); arrows move the active option, Enter takes it
  const want = progs[1];
  await progBox.fill(want.title.slice(0, 6));
  const narrowed = await offered(page, progBox);
  assert.ok(narrowed.includes(want.id) && narrowed.every((id) => progs.some((p) => p.id === id)));
  const at = narrowed.indexOf(want.id);
  for (let i = 0; i <= at; i++) await progBox.press('ArrowDown');
  const active = await progBox.getAttribute('aria-activedescendant');
  assert.equal(await page.locator(`[id="${active}"]`).getAttribute('aria-selected'), 'true');
  assert.equal(Number(await page.locator(`[id="${active}"]`).getAttribute('data-id')), want.id);
  await progBox.press('Enter');
  assert.equal(await progBox.getAttribute('aria-expanded'), 'false');
  assert.equal(await progBox.inputValue(), want.title);
  // Escape closes without choosing
  await progBox.fill('zz');
  await progBox.press('Escape');
  assert.equal(await progBox.inputValue(), want.title);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(new RegExp(`program=${want.id}`));
  assert.match(page.url(), new RegExp(`institution=${inst.id}`));
  assert.deepEqual(await axeViolations(page), [], 'axe on the narrowed pickers');
  assert.deepEqual(page.errors, []);
});

test('enrolling narrows program and cohort by the institution, and a person is found by code', async () => {
  const page = await open();
  await signIn(page, 'admin');
  const learner = (await get(page, '/persons?sourced_id=L0000001')).items[0];
  const inst = (await get(page, '/institutions?limit=1')).items[0];
  await go(page, '/enrollments/new');
  // a person by their code, shown with it
  const who = page.getByRole('combobox', { name: 'Learner' });
  await who.fill('L0000001');
  assert.deepEqual(await offered(page, who), [learner.id]);
  assert.match(await page.locator('.found [role=option]').first().textContent(), /L0000001/);
  await choose(page, who, { id: learner.id });
  await choose(page, 'Institution', { text: inst.name, id: inst.id });
  const cohortBox = page.getByRole('combobox', { name: 'Cohort' });
  await cohortBox.click();
  const ids = await offered(page, cohortBox);
  const ofInst = (await get(page, `/cohorts?institution=${inst.id}&limit=10`)).items.map((c) => c.id);
  assert.deepEqual(ids, ofInst, 'the cohorts of the chosen institution');
  // a cohort is told apart by its program, institution and dates
  const text = await page.locator(`[id="${await cohortBox.getAttribute('aria-controls')}"] [role=option]`).first().textContent();
  const c0 = (await get(page, `/cohorts/${ids[0]}`));
  const p0 = await get(page, `/programs/${c0.program_id}`);
  assert.ok(text.includes(p0.title) && text.includes(inst.name) && /\d{4}/.test(text), text);
  await shot(page, 'records-enrol-cohort-picker');
  await cohortBox.press('Escape');
  assert.deepEqual(page.errors, []);
});

test('the cohort list shows each cohort with its program and institution', async () => {
  const page = await open();
  await signIn(page, 'admin');
  await go(page, '/cohorts');
  const heads = await page.locator('main thead th').allTextContents();
  assert.deepEqual(heads.slice(0, 3), ['Name', 'Program', 'Institution']);
  const row = page.locator('main tbody tr').first();
  const id = Number((await row.locator('td a').first().getAttribute('href')).match(/\d+$/)[0]);
  const c = await get(page, `/cohorts/${id}`);
  const p = await get(page, `/programs/${c.program_id}`);
  const i = await get(page, `/institutions/${p.institution_id}`);
  await row.locator('td').nth(2).getByText(i.name).waitFor();
  assert.equal((await row.locator('td').nth(1).textContent()).trim(), p.title);
  await shot(page, 'records-cohort-list');
  // enrollments: learner, cohort and the cohort's program
  await go(page, `/enrollments?cohort=${id}`);
  // the list's table is drawn when its rows have come (not at once with the page)
  await page.locator('main thead th', { hasText: 'Learner' }).first().waitFor();
  assert.deepEqual((await page.locator('main thead th').allTextContents()).slice(0, 3), ['Learner', 'Cohort', 'Program']);
  await page.locator('main tbody tr').first().locator('td').nth(2).getByText(p.title).waitFor();
  assert.deepEqual(page.errors, []);
});

/** The text of the page's main element. */
const mainText = (page) => page.locator('main').innerText();

test("a person's page shows their enrollments, entries and awards, and no internal field", async () => {
  const page = await open();
  await signIn(page, 'admin');
  // a learner with a unit achieved, and one who entered a competition
  const award = (await get(page, '/skill_awards?limit=1')).items[0];
  const pid = award.person_id;
  const enrollments = await get(page, `/enrollments?person=${pid}&limit=10`);
  await go(page, `/persons/${pid}`);
  const enr = page.locator('[data-context=enrollments]');
  await enr.locator('.context-rows li').first().waitFor();
  assert.equal(await enr.locator('.context-rows li').count(), enrollments.items.length);
  const c = await get(page, `/cohorts/${enrollments.items[0].cohort_id}`);
  const p = await get(page, `/programs/${c.program_id}`);
  await enr.locator('.context-rows li').first().getByText(c.name).waitFor();
  await enr.locator('.context-rows li').first().getByText(p.title).waitFor();
  const awards = page.locator('[data-context=skill_awards]');
  await awards.locator('.context-rows li').first().waitFor();
  const unit = await get(page, `/units_of_competency/${award.unit_id}`);
  await awards.getByText(unit.title || unit.name).first().waitFor();
  await shot(page, 'records-person');
  const text = await mainText(page);
  assert.doesNotMatch(text, /Version \d/);
  assert.doesNotMatch(text, /user:|token:/);
  assert.match(text, /Last changed/);

  const entry = (await get(page, '/competitors?limit=1')).items[0];
  await go(page, `/persons/${entry.person_id}`);
  const entries = page.locator('[data-context=entries]');
  await entries.locator('.context-rows li').first().waitFor();
  const cat = await get(page, `/categories/${entry.category_id}`);
  await entries.getByText(cat.name).first().waitFor();
  assert.deepEqual(page.errors, []);
});

test("a cohort's page shows its trainers, roster and coming sessions; an institution's its programs, cohorts and staff", async () => {
  const page = await open();
  await signIn(page, 'admin');
  const trainer = (await get(page, '/persons?sourced_id=T000001')).items[0];
  const today = new Date().toISOString().slice(0, 10);
  const cohort = (await get(page, `/cohorts?trainer=${trainer.id}&active_on=${today}`)).items[0];
  assert.ok(cohort, 'the demo trainer has a cohort running today');
  await go(page, `/cohorts/${cohort.id}`);
  await page.locator('[data-context=trainers]').getByRole('link', { name: `${trainer.given_name} ${trainer.family_name}` }).or(
    page.locator('[data-context=trainers]').getByRole('link', { name: `${trainer.family_name}${trainer.given_name}` })).waitFor();
  const roster = await get(page, `/enrollments?cohort=${cohort.id}&limit=1`);
  await page.locator('[data-context=roster] h2').getByText(`(${roster.total.toLocaleString('en')})`).waitFor();
  const sessions = await get(page, `/training_sessions?cohort=${cohort.id}&from=${today}`);
  assert.ok(sessions.total >= 1, 'a session today');
  await page.locator('[data-context=sessions] .context-rows li').first().waitFor();
  assert.equal(await page.locator('[data-context=sessions] .context-rows li').count(), Math.min(sessions.total, 10));
  await shot(page, 'records-cohort');
  assert.doesNotMatch(await mainText(page), /Version \d|user:/);

  // an institution with staff (the demo's staff account)
  const staffGrant = (await get(page, '/grants?role=institution_staff')).items[0];
  await go(page, `/institutions/${staffGrant.institution_id}`);
  const programs = await get(page, `/programs?institution=${staffGrant.institution_id}&limit=1`);
  await page.locator('[data-context=programs] h2').getByText(`(${programs.total})`).waitFor();
  await page.locator('[data-context=cohorts]').waitFor();
  const account = await get(page, `/users/${staffGrant.user_id}`);
  await page.locator('[data-context=staff]').getByText(account.display_name).waitFor();
  await shot(page, 'records-institution');
  assert.doesNotMatch(await mainText(page), /Version \d|user:/);
  assert.deepEqual(page.errors, []);

  // staff do not read grants: the staff section is not there, the rest is
  const staff = await open();
  await signIn(staff, 'staff');
  await go(staff, `/institutions/${staffGrant.institution_id}`);
  await staff.locator('[data-context=programs]').waitFor();
  assert.equal(await staff.locator('[data-context=staff]').count(), 0);
});

test('at 390 px the pickers and the context fit the width, in Uyghur too', async () => {
  const page = await open({ width: 390, height: 844 });
  await signIn(page, 'admin');
  await page.getByLabel('Language').selectOption('ug');
  const learner = (await get(page, '/persons?sourced_id=L0000001')).items[0];
  await go(page, `/persons/${learner.id}`);
  await page.locator('[data-context=enrollments] .context-rows li').first().waitFor();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(await overflow(), 0);
  await shot(page, 'records-person-ug-390');
  await go(page, '/enrollments/new');
  const box = page.locator('#enrol-cohort_id');
  await box.click();
  await page.locator('#enrol-cohort_id-list [role=option]').first().waitFor();
  assert.equal(await overflow(), 0);
  await shot(page, 'records-picker-ug-390');
  assert.deepEqual(page.errors, []);
});
