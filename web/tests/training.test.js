// training.test.js: the training screens in chromium against a real `guild
// serve` on the demo database: the trainer's day at 390 px (no horizontal
// overflow), one-tap attendance saved and read back, the check-in code on
// screen and a learner checking in with it, the learner's attendance and
// awards, an assessment recorded with an evidence file uploaded through the
// camera's file input, refused rows shown beside their learner or
// criterion and listed with the learner's name (in Chinese too, from the
// catalog: the row's reason and parameters), a new assessment event
// made from the assessment screen (the list newest first), and the staff
// reports. The demo's sessions are of
// past terms, so the test gives the demo trainer (person of user trainer)
// a cohort running today with the demo learner in it and a session today.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiCall, axeViolations, choose, goTo, openIn, shot, signIn, start, stopChecked } from './harness.js';
import { ROOT } from './paths.js';

const zh = JSON.parse(readFileSync(path.join(ROOT, 'web/src/i18n/zh.json'), 'utf8'));

let env;
const pages = [];
let admin;
const world = {};

const today = () => new Date().toISOString().slice(0, 10);
const ok = (r, what) => {
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

before(async () => {
  env = await start();
  admin = await openIn(env, pages);
  await signIn(admin, 'admin');
  const learnerPage = await openIn(env, pages);
  await signIn(learnerPage, 'learner');
  const learnerPerson = ok(await apiCall(learnerPage, 'GET', '/me'), 'me').person_id;
  const trainerPage = await openIn(env, pages);
  await signIn(trainerPage, 'trainer');
  const trainerPerson = ok(await apiCall(trainerPage, 'GET', '/me'), 'me').person_id;
  const d = new Date();
  const iso = (x) => x.toISOString().slice(0, 10);
  const cohort = ok(
    await apiCall(admin, 'POST', '/cohorts', {
      program_id: 1,
      name: 'UI training cohort',
      start_date: iso(new Date(d.getTime() - 30 * 86400e3)),
      end_date: iso(new Date(d.getTime() + 90 * 86400e3)),
      capacity: 30,
      trainers: [trainerPerson],
    }),
    'cohort',
  );
  const others = ok(await apiCall(admin, 'GET', '/persons?institution=1&limit=6'), 'persons').items.map((p) => p.id).filter((id) => id !== learnerPerson && id !== trainerPerson);
  const learners = [learnerPerson, ...others.slice(0, 4)];
  for (const pid of learners) ok(await apiCall(admin, 'POST', '/enrollments', { person_id: pid, cohort_id: cohort.id, status: 'enrolled', consent: true }), 'enrol');
  const applicant = others[4];
  ok(await apiCall(admin, 'POST', '/enrollments', { person_id: applicant, cohort_id: cohort.id, status: 'applied', consent: true }), 'apply');
  const session = ok(
    await apiCall(trainerPage, 'POST', '/training_sessions', { cohort_id: cohort.id, date: today(), start_time: '00:00', end_time: '23:59', place: 'Workshop 2', topic: 'UI test session', skills: [] }),
    'session',
  );
  // the check-in session starts now (at most 23:50), so that checking in is on time (present, not late)
  const now = new Date().toISOString().slice(11, 16);
  const session2 = ok(
    await apiCall(trainerPage, 'POST', '/training_sessions', { cohort_id: cohort.id, date: today(), start_time: now < '23:50' ? now : '23:50', end_time: '23:59', place: 'Workshop 3', topic: 'UI check-in session', skills: [] }),
    'session 2',
  );
  // yesterday's session, marked already (not the demo learner): changing a mark now needs a reason
  const yesterday = iso(new Date(d.getTime() - 86400e3));
  const past = ok(
    await apiCall(trainerPage, 'POST', '/training_sessions', { cohort_id: cohort.id, date: yesterday, start_time: '09:00', end_time: '12:00', place: 'Workshop 2', topic: 'UI past session', skills: [] }),
    'past session',
  );
  ok(await apiCall(trainerPage, 'POST', `/training_sessions/${past.id}/attendance`, { marks: learners.slice(1, 4).map((pid) => ({ person_id: pid, status: 'present' })) }), 'past marks');
  const names = {};
  for (const pid of learners) {
    const p = ok(await apiCall(admin, 'GET', `/persons/${pid}`), 'person');
    names[pid] = p.family_name ? (/^[\u3400-\u9fff]/.test(p.family_name) ? p.family_name + p.given_name : `${p.given_name} ${p.family_name}`) : p.given_name;
  }
  Object.assign(world, { session2, cohort, session, past, learners, applicant, learnerPerson, trainerPerson, names });
});

after(async () => {
  await stopChecked(env, pages);
});

test("the trainer's day at 390 px: today's session, the code, one-tap attendance saved and read back", async () => {
  const page = await openIn(env, pages, { width: 390, height: 844, context: { hasTouch: true, isMobile: true } });
  await signIn(page, 'trainer');
  assert.ok((await page.locator('#main-menu a').allTextContents()).includes("Today's sessions"));
  await goTo(env, page, '/training');
  const card = page.locator('.session-card', { hasText: 'UI test session' });
  await card.waitFor();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(await overflow(), 0, 'no horizontal overflow on the day');
  await shot(page, 'training-day-390');
  await card.click();
  await page.locator('.code-digits').waitFor();
  const code = await page.locator('.code-digits').getAttribute('data-code');
  assert.match(code, /^\d{6}$/);
  assert.equal(await page.locator('svg.qr path').count(), 1, 'the QR code is drawn');
  // every learner who may be marked starts present; the applicant is shown, not markable
  const rows = page.locator('.roster-list li');
  await rows.first().waitFor();
  assert.equal(await rows.count(), world.learners.length + 1);
  assert.equal(await page.locator('.roster-list button.mark[data-status=present]').count(), world.learners.length);
  assert.equal(await page.locator(`.roster-list li[data-person="${world.applicant}"] button`).count(), 0);
  // taps: one late (1 tap), one excused (2), one absent (3)
  const tap = async (pid, n) => {
    for (let i = 0; i < n; i++) await page.locator(`.roster-list li[data-person="${pid}"] button.mark`).tap();
  };
  const [, a, b, c] = world.learners;
  await tap(a, 1);
  await tap(b, 2);
  await tap(c, 3);
  assert.equal(await page.locator(`li[data-person="${c}"] button.mark`).getAttribute('data-status'), 'absent');
  assert.equal(await overflow(), 0, 'no horizontal overflow on the session');
  await shot(page, 'training-session-390');
  assert.deepEqual(await axeViolations(page), [], 'axe on the session screen');
  await page.locator('button.save-all').tap();
  await page.locator('.roster .notice-ok').waitFor();
  // read back from the server and from the screen after a reload
  const roster = ok(await apiCall(page, 'GET', `/training_sessions/${world.session.id}/attendance`), 'roster');
  const by = Object.fromEntries(roster.learners.map((l) => [l.person_id, l.mark && l.mark.status]));
  assert.equal(by[world.learnerPerson], 'present');
  assert.equal(by[a], 'late');
  assert.equal(by[b], 'excused');
  assert.equal(by[c], 'absent');
  assert.equal(by[world.applicant], null);
  await page.reload();
  await page.locator('.roster-list button.mark').first().waitFor();
  assert.equal(await page.locator(`li[data-person="${b}"] button.mark`).getAttribute('data-status'), 'excused');
  assert.match(await page.locator(`li[data-person="${b}"]`).textContent(), /Marked by the trainer/);
  world.code = code;
});

/** On yesterday's session (marked present), changes learner pid's mark to late without a reason and saves
 * (by touch: how 'tap', else 'click'); returns their row once it shows the refusal. */
async function refuseLateChange(page, pid, how) {
  const row = page.locator(`.roster-list li[data-person="${pid}"]`);
  await row.locator('button.mark').waitFor();
  await row.locator('button.mark')[how]();   // present -> late, after the day, and no reason given
  await page.locator('button.save-all')[how]();
  await row.locator('.field-error').waitFor();
  return row;
}

test('a refused row is shown beside its learner and listed with their name; nothing is written', async () => {
  const page = await openIn(env, pages, { width: 390, height: 844, context: { hasTouch: true, isMobile: true } });
  await signIn(page, 'trainer');
  await goTo(env, page, `/training/sessions/${world.past.id}`);
  const a = world.learners[1];
  const row = await refuseLateChange(page, a, 'tap');
  assert.match(await row.getAttribute('class'), /refused/);
  assert.match(await row.locator('.field-error').textContent(), /needs a reason/);
  assert.equal(await page.locator('.roster-list li.refused').count(), 1, 'only the changed mark is refused');
  const listed = page.locator(`.roster .notice-error .refused-rows li[data-person="${a}"]`);
  assert.match(await listed.textContent(), new RegExp(`^${world.names[a].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*needs a reason`));
  assert.equal(await page.locator('.roster .notice-error .refused-rows li').count(), 1);
  assert.doesNotMatch(await page.locator('.roster .notice-error').textContent(), /#\d+/, 'a learner is named, not numbered');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
  await shot(page, 'training-roster-refused-390');
  assert.deepEqual(await axeViolations(page), [], 'axe on the refused roster');
  const roster = ok(await apiCall(page, 'GET', `/training_sessions/${world.past.id}/attendance`), 'roster');
  const by = Object.fromEntries(roster.learners.map((l) => [l.person_id, l.mark && l.mark.status]));
  assert.equal(by[a], 'present', 'nothing was written');
  assert.equal(by[world.learnerPerson], null, 'nothing was written');
});

test('a refused row is written in the reader\'s language from its reason and parameters (Chinese)', async () => {
  const page = await openIn(env, pages);
  await signIn(page, 'trainer');
  await goTo(env, page, `/training/sessions/${world.past.id}`);
  await page.locator('#lang-select').selectOption('zh');
  await page.waitForFunction(() => document.documentElement.lang.startsWith('zh'));
  const b = world.learners[2];
  const row = await refuseLateChange(page, b, 'click');
  // the catalog's sentence for change_needs_reason, its {allowed} filled with the server's list
  const [head, tail] = zh['reason.change_needs_reason'].split('{allowed}');
  const text = (await row.locator('.field-error').textContent()).trim();
  assert.ok(text.startsWith(head) && text.endsWith(tail), text);
  assert.match(text, /arrived_late/);
  assert.doesNotMatch(text, /needs a reason|changing a mark/i, 'not the server\'s English');
  const listed = page.locator(`.roster .notice-error .refused-rows li[data-person="${b}"]`);
  assert.ok((await listed.textContent()).includes(head), await listed.textContent());
  await shot(page, 'training-roster-refused-zh');
  const roster = ok(await apiCall(page, 'GET', `/training_sessions/${world.past.id}/attendance`), 'roster');
  assert.equal(roster.learners.find((l) => l.person_id === b).mark.status, 'present', 'nothing was written');
});

test('the code on the trainer\'s screen checks a learner in; a wrong code is refused beside the field', async () => {
  const trainer = await openIn(env, pages, { width: 1024, height: 768 });
  await signIn(trainer, 'trainer');
  await goTo(env, trainer, `/training/sessions/${world.session2.id}`);
  await trainer.locator('.code-digits').waitFor();
  const learner = await openIn(env, pages, { width: 390, height: 844, context: { hasTouch: true, isMobile: true } });
  await signIn(learner, 'learner');
  assert.ok((await learner.locator('#main-menu a').allTextContents()).includes('My attendance and awards'));
  await goTo(env, learner, '/my-training');
  await learner.getByLabel('Session').selectOption(String(world.session2.id));
  const shown = await trainer.locator('.code-digits').getAttribute('data-code');
  const wrong = String((Number(shown) + 1) % 1000000).padStart(6, '0');
  await learner.getByLabel('Code shown by the trainer').fill(wrong);
  await learner.getByRole('button', { name: 'Check in' }).click();
  await learner.locator('.check-in-form .field-error').waitFor();
  assert.match(await learner.locator('.check-in-form .field-error').textContent(), /code/);
  await shot(learner, 'training-checkin-refused-390');
  const code = await trainer.locator('.code-digits').getAttribute('data-code');
  await learner.getByLabel('Code shown by the trainer').fill(code);
  await learner.getByRole('button', { name: 'Check in' }).click();
  await learner.locator('.check-in-form .notice-ok').waitFor();
  assert.match(await learner.locator('.check-in-form .notice-ok').textContent(), /You are checked in: Present/);
  assert.equal(await learner.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
  await shot(learner, 'training-checkin-390');
  assert.deepEqual(await axeViolations(learner), [], 'axe on the learner\'s page');
  // the QR code's address opens the form filled in; checking in twice keeps the mark
  const payload = ok(await apiCall(trainer, 'GET', `/training_sessions/${world.session2.id}/check_in_code`), 'code').qr_payload;
  await goTo(env, learner, payload);
  assert.equal(await learner.locator('#ci-session').inputValue(), String(world.session2.id));
  assert.match(await learner.locator('#ci-code').inputValue(), /^\d{6}$/);
  await learner.getByRole('button', { name: 'Check in' }).click();
  await learner.locator('.check-in-form .notice-ok').waitFor();
  assert.match(await learner.locator('.check-in-form .notice-ok').textContent(), /already marked: Present/);
  // the trainer's roster shows the check-in
  await trainer.reload();
  const row = trainer.locator(`.roster-list li[data-person="${world.learnerPerson}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /Checked in/);
  await shot(trainer, 'training-session-tablet');
});

// a 1x1 PNG: the server checks that the bytes bear their type out
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

test('an assessment recorded per criterion with an evidence photo; refusals beside their criterion', async () => {
  const page = await openIn(env, pages, { width: 820, height: 1180, context: { hasTouch: true } });
  await signIn(page, 'trainer');
  const event = ok(await apiCall(page, 'POST', '/assessments', { cohort_id: world.cohort.id, unit_id: 1, date: today(), method: 'practical_task' }), 'event');
  const criteria = ok(await apiCall(page, 'GET', '/performance_criteria?unit=1'), 'criteria').items;
  assert.ok(criteria.length >= 2);
  assert.ok((await page.locator('#main-menu a').allTextContents()).includes('Assessments'));
  await goTo(env, page, '/assessments');
  await page.locator(`.session-card[data-assessment="${event.id}"]`).click();
  await page.locator('.assess-learners li').first().waitFor();
  // every enrolled learner, not the applicant
  assert.equal(await page.locator('.assess-learners > li').count(), world.learners.length);
  const li = page.locator(`.assess-learners li[data-person="${world.learnerPerson}"]`);
  await li.locator('.learner-toggle').click();
  const input = li.locator('input[type=file]');
  assert.equal(await input.getAttribute('capture'), 'environment');
  assert.equal(await input.getAttribute('accept'), 'image/*,application/pdf');
  // competent on all but the last, declared, but without evidence: refused beside the competent criteria only
  const pick = (c, o) => li.locator(`fieldset[data-criterion="${c.id}"] input[value=${o}]`).check();
  for (const c of criteria.slice(0, -1)) await pick(c, 'competent');
  await pick(criteria.at(-1), 'not_yet_competent');
  for (const d of ['evidence_valid', 'evidence_sufficient', 'evidence_authentic', 'evidence_current']) await li.locator(`input[name=${d}]`).check();
  await li.getByRole('button', { name: "Record this learner's result" }).click();
  await li.locator('fieldset.criterion.has-error').first().waitFor();
  assert.equal(await li.locator('fieldset.criterion.has-error').count(), criteria.length - 1);
  assert.equal(await li.locator(`fieldset[data-criterion="${criteria.at(-1).id}"].has-error`).count(), 0);
  assert.match(await li.locator(`fieldset[data-criterion="${criteria[0].id}"] .field-error`).textContent(), /needs evidence/);
  // and listed in the notice, each with the learner's name and the criterion
  const listed = li.locator('.notice-error .refused-rows li');
  assert.equal(await listed.count(), criteria.length - 1);
  assert.match(await listed.first().textContent(), new RegExp(`${world.names[world.learnerPerson].split(' ')[0]}.* · ${criteria[0].code}: .*needs evidence`));
  await shot(page, 'training-assessment-refused');
  assert.deepEqual(await axeViolations(page), [], 'axe on the assessment screen');
  // the photo, uploaded with its media type
  await input.setInputFiles({ name: 'bench work.png', mimeType: 'image/png', buffer: PNG });
  await li.locator('.evidence-list li').waitFor();
  const items = ok(await apiCall(page, 'GET', `/evidence_items?assessment=${event.id}&person=${world.learnerPerson}`), 'evidence').items;
  assert.equal(items.length, 1);
  assert.equal(items[0].media_type, 'image/png');
  assert.equal(items[0].size, PNG.length);
  assert.equal(items[0].file_name, 'bench work.png');
  await pick(criteria.at(-1), 'competent');
  await li.getByRole('button', { name: "Record this learner's result" }).click();
  await page.locator('.assessment > .notice-ok').waitFor();
  assert.match(await page.locator('.assessment > .notice-ok').textContent(), /skill award was made/);
  await li.locator('.criteria-done').waitFor();
  assert.equal(await li.locator('.criteria-done li[data-outcome=competent]').count(), criteria.length);
  await shot(page, 'training-assessment-recorded');
  const results = ok(await apiCall(page, 'GET', `/assessment_results?assessment=${event.id}&person=${world.learnerPerson}`), 'results').items;
  assert.deepEqual(results.map((r) => r.outcome), criteria.map(() => 'competent'));
  assert.ok(results.every((r) => r.evidence_authentic === true && r.recorded_by));
});

test('a trainer creates an assessment event from the assessment screen; the list is newest first', async () => {
  const page = await openIn(env, pages, { width: 820, height: 1180, context: { hasTouch: true } });
  await signIn(page, 'trainer');
  await goTo(env, page, '/assessments');
  await page.getByRole('button', { name: 'New assessment event' }).click();
  await choose(page, page.locator('#ne-cohort'), { id: world.cohort.id });
  await page.locator('#ne-unit option[value="1"]').waitFor({ state: 'attached' });
  await page.locator('#ne-unit').selectOption('1');
  assert.equal(await page.locator('#ne-date').inputValue(), today());
  await page.locator('#ne-method').selectOption('oral_questions');
  assert.equal(await page.locator('#ne-assessor').inputValue(), String(world.trainerPerson), 'the trainer assesses by default');
  assert.equal(await page.locator('#ne-assessor option:checked').textContent(), 'Me');
  // the learners it assesses, by name: those holding a place, not the applicant
  const shown = await page.locator('.new-event-learners li').evaluateAll((li) => li.map((x) => [Number(x.dataset.person), x.textContent]));
  assert.deepEqual(shown.map(([pid]) => pid).sort(), world.learners.slice().sort());
  for (const [pid, text] of shown) assert.equal(text, world.names[pid]);
  await shot(page, 'training-assessment-new');
  assert.deepEqual(await axeViolations(page), [], 'axe on the new event form');
  await page.getByRole('button', { name: 'Create the event' }).click();
  await page.waitForURL(/\/assessments\/\d+$/);
  const id = Number(page.url().match(/(\d+)$/)[1]);
  const ev = ok(await apiCall(page, 'GET', `/assessments/${id}`), 'event');
  assert.deepEqual([ev.cohort_id, ev.unit_id, ev.date, ev.method, ev.assessor_id], [world.cohort.id, 1, today(), 'oral_questions', world.trainerPerson]);
  await page.locator('.assess-learners li').first().waitFor();
  // newest first: the event just made leads the list, as the server orders it
  await goTo(env, page, `/assessments?cohort=${world.cohort.id}`);
  await page.locator('.session-card').first().waitFor();
  const listed = await page.locator('.session-card').evaluateAll((a) => a.map((x) => Number(x.dataset.assessment)));
  const api = ok(await apiCall(page, 'GET', `/assessments?cohort=${world.cohort.id}&limit=100`), 'events').items;
  assert.equal(listed[0], id);
  assert.deepEqual(listed, api.map((x) => x.id));
  const dates = api.map((x) => x.date);
  assert.deepEqual(dates, dates.slice().sort().reverse());
});

test("the learner's attendance per cohort and the award just made", async () => {
  const page = await openIn(env, pages, { width: 390, height: 844 });
  await signIn(page, 'learner');
  await goTo(env, page, '/my-training');
  const card = page.locator(`.attendance-card[data-cohort="${world.cohort.id}"]`);
  await card.waitFor();
  // present at the first session, checked in at the second
  assert.equal(await card.locator('[data-rate]').getAttribute('data-rate'), '100');
  assert.match(await card.textContent(), /Present: 2/);
  const mine = ok(await apiCall(page, 'GET', '/me/attendance'), 'me/attendance');
  assert.equal(await page.locator('.attendance-card').count(), mine.cohorts.length);
  const award = page.locator('.skill-awards li[data-unit="1"]');
  await award.waitFor();
  assert.match(await award.textContent(), /U1 dough and laminating/);
  assert.equal(await award.getAttribute('data-status'), 'awarded');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
  await shot(page, 'training-learner-390');
});

test("staff's reports: a cohort's support list (said to be support, not a sanction) and every learner's rate", async () => {
  const page = await openIn(env, pages, { width: 1280, height: 900 });
  await signIn(page, 'staff');
  assert.ok((await page.locator('#main-menu a').allTextContents()).includes('Attendance reports'));
  // a demo cohort of the staff's institution with someone below the threshold
  const cohorts = ok(await apiCall(page, 'GET', '/cohorts?limit=40'), 'cohorts').items;
  let found = null;
  for (const c of cohorts) {
    const r = await apiCall(page, 'GET', `/cohorts/${c.id}/support_list`);
    if (r.status === 200 && r.body.learners.length > 0) {
      found = { cohort: c, support: r.body };
      break;
    }
  }
  assert.ok(found, 'the demo has a cohort with learners below the threshold');
  const rates = ok(await apiCall(page, 'GET', `/cohorts/${found.cohort.id}/attendance`), 'rates');
  await goTo(env, page, '/reports/attendance');
  await choose(page, page.locator('#rp-cohort'), { text: found.cohort.name, id: found.cohort.id });
  await page.locator('table.rates').waitFor();
  assert.match(page.url(), new RegExp(`cohort=${found.cohort.id}`));
  assert.match(await page.locator('.support-purpose').textContent(), /never a sanction/);
  const supportRows = await page.locator('table.support-list tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.dataset.person)));
  assert.deepEqual(supportRows, found.support.learners.map((l) => l.person_id));
  assert.equal(await page.locator('table.rates tbody tr').count(), rates.learners.length);
  const first = rates.learners.find((l) => l.rate_percent !== null);
  assert.match(await page.locator(`table.rates tr[data-person="${first.person_id}"] td[data-rate]`).textContent(), /%/);
  assert.equal(await page.locator('table.rates tr.below').count(), rates.learners.filter((l) => l.below_threshold).length);
  await shot(page, 'training-reports');
  assert.deepEqual(await axeViolations(page), [], 'axe on the reports');
});
