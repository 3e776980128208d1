// comp.test.js: the competition screens in a real browser against a real
// `guild serve` on the demo database. An administrator sets up a small
// competition through the screens (an edition, a category, its marking
// scheme with a validation error beside its field, a refused step shown
// with the API's reason, three judges of whom one chief, three
// competitors entered with their consent); two judges mark on a tablet,
// the third through the API; the chief judge's lock is refused listing the
// missing marks (in English, then in Chinese), then the review shows the flagged aspect and the lock
// succeeds; a judge's later change is refused with the API's reason; the
// chief judge corrects a mark (a reason from the API's list; refused
// without one), the old value kept; the administrator publishes and the public results page, signed out, shows
// the medals. Also: marks chosen while the network is down wait and are
// sent when it is back; the keyboard marks; Uyghur right-to-left and 360 px
// wide; axe-core on every competition screen; screenshots of each under
// build/ui-artifacts/comp-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiCall, axeViolations, choose as pickRecord, newPage, password, shot, signIn, start, stopChecked } from './harness.js';

let env;
const pages = [];
const TABLET = { width: 820, height: 1180 };

before(async () => {
  env = await start();
});

after(() => stopChecked(env, pages));

async function open(opts) {
  const p = await newPage(env, opts);
  pages.push(p);
  return p;
}

/** A page in a tablet-sized, touch context (its own cookies). */
const openTablet = () => open({ ...TABLET, context: { hasTouch: true, isMobile: true } });

async function go(page, path) {
  await page.goto(env.base + path);
  await page.locator('main h1').first().waitFor();
}

const idIn = (page, what) => Number(new URL(page.url()).pathname.match(new RegExp(`/${what}/(\\d+)`))[1]);

/** Chooses value for aspect (its code) on the marking screen. */
async function choose(page, aspect, value) {
  const box = page.locator(`fieldset[data-aspect="${aspect}"]`);
  await box.locator('label.mark-option', { has: page.locator(`input[value="${value}"]`) }).click();
}

async function saved(page, aspect) {
  await page.locator(`fieldset[data-aspect="${aspect}"].mark-saved`).waitFor();
}

// what the tests share, in order
const W = {};

test('an administrator creates an edition and a category through the forms', async () => {
  const page = await open();
  W.admin = page;
  await signIn(page, 'admin');
  await page.locator('#main-menu').getByRole('link', { name: 'Competitions' }).click();
  await page.locator('table').waitFor();
  await shot(page, 'comp-editions');
  await page.getByRole('link', { name: 'New edition' }).click();
  await page.getByLabel('Year').fill('2027');
  await page.getByLabel('Name of the edition').fill('UI test skills competition 2027');
  await pickRecord(page, 'Held for the area');
  await page.getByLabel('First day').fill('2027-10-12');
  await page.getByLabel('Last day').fill('2027-10-14');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/editions\/\d+\?created=1$/);
  W.edition = idIn(page, 'editions');
  await page.locator('.comp-steps li.current').getByText('Draft').waitFor();

  // without a category the edition cannot open registration: the API's reason is shown
  await page.getByRole('button', { name: 'Move on to Registration' }).click();
  const refusal = page.getByRole('alert');
  await refusal.getByText('The edition cannot move on to Registration yet').waitFor();
  assert.match(await refusal.textContent(), /the edition has no categories yet/i);

  await page.getByRole('link', { name: 'New category' }).click();
  await page.waitForURL(/\/categories\/new\?edition_id=\d+$/);
  await page.getByLabel('Skill').fill('Solar panel installation');
  await page.getByLabel('Occupation (ISCO-08 code)').fill('7411');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/categories\/\d+\?created=1$/);
  W.category = idIn(page, 'categories');
  const cat = (await apiCall(page, 'GET', `/categories/${W.category}`)).body;
  assert.equal(cat.edition_id, W.edition);
  assert.equal(cat.isco_code, '7411');
  await page.locator('.comp-hub').waitFor();
  await shot(page, 'comp-category');
  assert.deepEqual(page.errors, []);
});

test('the marking scheme is written in its editor, with the API refusals beside their fields', async () => {
  const page = W.admin;
  await page.getByRole('link', { name: 'Marking scheme' }).click();
  await page.waitForURL(/\/scheme$/);
  await page.getByRole('button', { name: 'Add a criterion' }).click();
  const newCrit = page.getByRole('form', { name: 'New criterion' });
  await newCrit.getByLabel('Code').fill('A');
  await newCrit.getByLabel('Criterion').fill('Installation');
  await newCrit.getByLabel('Weight (marks out of 100)').fill('100');
  await newCrit.getByRole('button', { name: 'Create' }).click();
  const crit = page.locator('section[data-criterion="A"]');
  await crit.waitFor();
  await crit.locator('.scheme-sum.off').getByText("Aspects' maximum marks add up to 0 of 100.").waitFor();

  // a measurement aspect with a part mark
  await page.getByRole('button', { name: 'Add an aspect to A' }).click();
  let form = page.getByRole('form', { name: 'New aspect' });
  await form.getByLabel('Code').fill('A1');
  await form.getByLabel('What is marked').fill('Panel angle');
  await form.getByLabel('Kind').selectOption('measurement');
  await form.getByLabel('Maximum mark').fill('40');
  // a part mark above the maximum: refused beside its field
  await form.getByLabel('Part marks (one per line: mark | condition)').fill('50 | within 5 degrees');
  await form.getByRole('button', { name: 'Create' }).click();
  const parts = form.getByLabel('Part marks (one per line: mark | condition)');
  await form.locator('.field-error').waitFor();
  assert.equal(await parts.getAttribute('aria-invalid'), 'true');
  const errId = (await parts.getAttribute('aria-describedby')).split(' ').pop();
  assert.match(await page.locator(`#${errId}`).textContent(), /the part mark 50 is above the aspect's maximum mark 40\./);
  assert.equal(await page.evaluate(() => document.activeElement.id), await parts.getAttribute('id'));
  await shot(page, 'comp-scheme-error');
  await parts.fill('20 | within 5 degrees');
  await form.getByRole('button', { name: 'Create' }).click();
  await page.locator('li[data-aspect="A1"]').waitFor();

  // a judgement aspect: four descriptors; one left out is refused beside the group
  await page.getByRole('button', { name: 'Add an aspect to A' }).click();
  form = page.getByRole('form', { name: 'New aspect' });
  await form.getByLabel('Code').fill('A2');
  await form.getByLabel('What is marked').fill('Neat and safe cabling');
  await form.getByLabel('Kind').selectOption('judgement');
  await form.getByLabel('Maximum mark').fill('50');
  await form.getByLabel('Score 0').fill('untidy or unsafe');
  await form.getByLabel('Score 1').fill('safe, untidy');
  await form.getByLabel('Score 2').fill('safe and tidy');
  await form.getByRole('button', { name: 'Create' }).click();
  await form.locator('.field-error').getByText(/What each score looks like/).waitFor();
  assert.equal(await form.getByLabel('Score 0').getAttribute('aria-invalid'), 'true');
  await form.getByLabel('Score 3').fill('as a master electrician would');
  await form.getByRole('button', { name: 'Create' }).click();
  await page.locator('li[data-aspect="A2"]').waitFor();
  await crit.locator('.scheme-sum.off').getByText("Aspects' maximum marks add up to 90 of 100.").waitFor();

  // the sums are wrong: opening registration is refused, naming the criterion
  await page.getByRole('link', { name: 'UI test skills competition 2027' }).click();
  await page.getByRole('button', { name: 'Move on to Registration' }).click();
  const refusal = page.getByRole('alert');
  await refusal.getByText('The edition cannot move on to Registration yet').waitFor();
  assert.match(await refusal.textContent(), /Criterion \u2068?Solar panel installation A\u2069?: its aspects' maximum marks must add up to its weight/);
  await shot(page, 'comp-step-refused');

  // corrected in the editor (PATCH with If-Match)
  await go(page, `/categories/${W.category}/scheme`);
  const a2 = page.locator('li[data-aspect="A2"]');
  await a2.getByLabel('Maximum mark').fill('60');
  await a2.getByRole('button', { name: 'Save' }).click();
  await page.locator('section[data-criterion="A"] .scheme-sum.ok').getByText("Aspects' maximum marks add up to 100 of 100.").waitFor();
  await shot(page, 'comp-scheme');
  const aspects = (await apiCall(page, 'GET', `/aspects?category=${W.category}`)).body.items;
  assert.deepEqual(
    aspects.map((a) => [a.code, a.kind, a.max_mark, a.part_marks, a.descriptors.length]),
    [['A1', 'measurement', 40, ['20 | within 5 degrees'], 0], ['A2', 'judgement', 60, [], 4]],
  );
  W.aspects = Object.fromEntries(aspects.map((a) => [a.code, a.id]));

  await go(page, `/editions/${W.edition}`);
  await page.getByRole('button', { name: 'Move on to Registration' }).click();
  await page.getByRole('status').getByText('The edition is now in Registration.').waitFor();
  await page.locator('.comp-steps li.current').getByText('Registration').waitFor();
  assert.equal((await apiCall(page, 'GET', `/editions/${W.edition}`)).body.state, 'registration');
  // the scheme is frozen now, and read as a table
  await go(page, `/categories/${W.category}/scheme`);
  await page.getByText('The edition has left draft: the scheme can no longer change.').waitFor();
  assert.equal(await page.locator('.scheme form').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('three judges (one chief) are assigned and three learners entered with their consent', async () => {
  const page = W.admin;
  // the judges' persons and accounts (tedious setup: through the API)
  W.judges = [];
  for (const [i, name] of ['Gulnar', 'Hamid', 'Ilham'].entries()) {
    const person = (await apiCall(page, 'POST', '/persons', { given_name: name, family_name: 'Judgeova' })).body;
    const username = `compjudge${i + 1}`;
    const user = (await apiCall(page, 'POST', '/users', { username, display_name: `${name} (judge)`, person_id: person.id, password: password(username) })).body;
    assert.ok(user.id, JSON.stringify(user));
    assert.equal((await apiCall(page, 'POST', '/grants', { user_id: user.id, role: 'judge' })).status, 201);
    W.judges.push({ username, person: person.id, name });
  }
  await go(page, `/categories/${W.category}/judges`);
  for (const [i, j] of W.judges.entries()) {
    await page.getByLabel('Judge', { exact: true }).fill(j.name);
    await page.locator('.found [role=option]', { hasText: `${j.name} Judgeova` }).click();
    if (i === 0) await page.getByLabel('Chief judge').check();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('status').getByText('The judge was added.').waitFor();
    await page.locator(`tbody tr`).nth(i).waitFor();
  }
  await page.locator('.scheme-sum.ok').getByText('Judges: 3.').waitFor();
  await page.locator('tr', { hasText: 'Gulnar Judgeova' }).getByText('Chief judge').waitFor();
  // the chief's role moves to another judge and back: never two chiefs, never none
  for (const name of ['Hamid', 'Gulnar']) {
    await page.locator('tr', { hasText: `${name} Judgeova` }).getByRole('button', { name: 'Make chief judge' }).click();
    await page.getByRole('status').getByText('The chief judge was changed.').waitFor();
    await page.locator('tr', { hasText: `${name} Judgeova` }).locator('.chief').waitFor();
    const chiefs = (await apiCall(page, 'GET', `/judges?category=${W.category}`)).body.items.filter((j) => j.chief);
    assert.deepEqual(chiefs.map((j) => j.person_id), [W.judges.find((j) => j.name === name).person]);
  }
  await shot(page, 'comp-judges');
  const judges = (await apiCall(page, 'GET', `/judges?category=${W.category}`)).body.items;
  assert.deepEqual(judges.map((j) => [j.person_id, j.chief]), W.judges.map((j, i) => [j.person, i === 0]));

  // the competitors: persons of an institution, entered through the screen
  const inst = (await apiCall(page, 'GET', '/institutions?limit=2')).body.items;
  W.learners = [];
  for (const [i, name] of ['Aylin', 'Bekzat', 'Chenxi'].entries()) {
    const p = (await apiCall(page, 'POST', '/persons', { given_name: name, family_name: 'Solarova', institution_id: inst[i % 2].id })).body;
    W.learners.push({ id: p.id, name: `${name} Solarova`, institution: inst[i % 2] });
  }
  await go(page, `/categories/${W.category}/competitors`);
  for (const [i, l] of W.learners.entries()) {
    await page.getByLabel('Competitor', { exact: true }).fill(l.name.split(' ')[0]);
    await page.locator('.found [role=option]', { hasText: l.name }).click();
    await pickRecord(page, 'Entered by', { text: l.institution.name, id: l.institution.id });
    if (i === 0) {
      // no consent, no entry
      await page.getByRole('button', { name: 'Enter', exact: true }).click();
      await page.locator('#enter-consent-err').getByText("Taking part needs the learner's own consent.").waitFor();
      assert.equal(await page.locator('#enter-consent').getAttribute('aria-invalid'), 'true');
      assert.equal((await apiCall(page, 'GET', `/competitors?category=${W.category}`)).body.total, 0);
    }
    await page.getByLabel("The learner has given their own consent to take part.").check();
    await page.getByRole('button', { name: 'Enter', exact: true }).click();
    await page.getByRole('status').getByText('The learner was entered.').waitFor();
    await page.locator('tbody tr').nth(i).waitFor();
  }
  // a fourth enters and withdraws (possible until marking starts, no questions asked)
  const dana = (await apiCall(page, 'POST', '/persons', { given_name: 'Dana', family_name: 'Solarova', institution_id: inst[0].id })).body;
  await page.getByLabel('Competitor', { exact: true }).fill('Dana');
  await page.locator('.found [role=option]', { hasText: 'Dana Solarova' }).click();
  await pickRecord(page, 'Entered by', { text: inst[0].name, id: inst[0].id });
  await page.getByLabel("The learner has given their own consent to take part.").check();
  await page.getByRole('button', { name: 'Enter', exact: true }).click();
  const row = page.locator('tr', { hasText: 'Dana Solarova' });
  await row.getByRole('button', { name: 'Withdraw' }).click();
  await row.getByRole('button', { name: 'Confirm withdrawal' }).click();
  await page.getByRole('status').getByText('The competitor has withdrawn.').waitFor();
  await row.getByText('Withdrawn').waitFor();
  const entries = (await apiCall(page, 'GET', `/competitors?category=${W.category}`)).body.items.filter((e) => e.person_id !== dana.id);
  assert.equal((await apiCall(page, 'GET', `/competitors?person=${dana.id}`)).body.items[0].status, 'withdrawn');
  assert.deepEqual(entries.map((e) => [e.person_id, e.status, e.consent_by]), W.learners.map((l) => [l.id, 'entered', 'user:admin']));
  W.competitors = entries.map((e) => e.id);
  await shot(page, 'comp-competitors');

  await go(page, `/editions/${W.edition}`);
  await page.getByRole('button', { name: 'Move on to Marking' }).click();
  await page.getByRole('status').getByText('The edition is now in Marking.').waitFor();
  assert.deepEqual(page.errors, []);
});

// marks: Aylin A1 40, A2 3 3 3 (raw 100); Bekzat A1 20, A2 2 2 1 (53.33);
// Chenxi A1 0, A2 1 3 1 (flagged: 3 - 1 > 1; 33.33; after the chief judge's
// correction of the third judge's 1 to 2: 1 3 2, raw 40)
const MARKS = [
  { A1: 40, A2: [3, 3, 3] },
  { A1: 20, A2: [2, 2, 1] },
  { A1: 0, A2: [1, 3, 1] },
];

test('two judges mark on a tablet, one competitor at a time, each mark saved as it is chosen', async () => {
  W.tablets = [];
  for (const k of [0, 1]) {
    const page = await openTablet();
    W.tablets.push(page);
    await signIn(page, W.judges[k].username);
    await page.waitForURL(/\/marking$/);   // a judge's first screen
    const card = page.locator(`li[data-category="${W.category}"]`);
    if (k === 0) await card.getByRole('link', { name: 'Review and lock' }).waitFor();
    await card.getByRole('link', { name: 'Enter marks' }).click();
    await page.waitForURL(new RegExp(`/marking/${W.category}$`));
    await page.locator('.mark-competitor').getByText(`Competitor #${W.competitors[0]}`).waitFor();
    for (const [i, m] of MARKS.entries()) {
      await choose(page, 'A1', m.A1);
      await choose(page, 'A2', m.A2[k]);
      await saved(page, 'A1');
      await saved(page, 'A2');
      if (k === 0 && i === 0) await shot(page, 'comp-marking-tablet');
      if (i < MARKS.length - 1) {
        await page.locator('.mark-bar').getByRole('button', { name: 'Next' }).click();
        await page.waitForURL(new RegExp(`competitor=${W.competitors[i + 1]}$`));
        await page.locator('.mark-competitor').getByText(`Competitor #${W.competitors[i + 1]}`).waitFor();
        // the focus follows to the next competitor's heading
        await page.waitForFunction(() => document.activeElement.classList.contains('mark-competitor'));
      }
    }
    await page.locator('.mark-summary-ok').getByText('Your marks are saved (6).').waitFor();
    // Previous goes back, and what was saved is shown chosen
    await page.locator('.mark-bar').getByRole('button', { name: 'Previous' }).click();
    await page.locator(`fieldset[data-aspect="A2"] label.chosen input[value="${MARKS[1].A2[k]}"]`).waitFor({ state: 'attached' });
    const mine = (await apiCall(page, 'GET', `/marks?category=${W.category}`)).body.items;
    const got = mine.map((x) => [W.competitors.indexOf(x.competitor_id), x.aspect_id === W.aspects.A1 ? 'A1' : 'A2', x.value]).sort();
    const want = MARKS.flatMap((m, i) => [[i, 'A1', m.A1], [i, 'A2', m.A2[k]]]).sort();
    assert.deepEqual(got, want);
    assert.deepEqual(page.errors, []);
  }
  // the same screen in Uyghur mirrors
  const page = W.tablets[1];
  await page.getByLabel('Language').selectOption('ug');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.locator('.mark-summary-ok').waitFor();
  const next = await page.locator('.mark-bar .mark-next').boundingBox();
  const prev = await page.locator('.mark-bar .mark-prev').boundingBox();
  assert.ok(next.x < prev.x, 'Next sits on the left in right-to-left');
  await shot(page, 'comp-marking-ug');
  await page.getByLabel('تىل').selectOption('en');
  await page.waitForFunction(() => document.documentElement.dir === 'ltr');
});

test("the chief judge's lock is refused while marks are missing, listing them; then review and lock", async () => {
  const chief = W.tablets[0];
  await go(chief, `/categories/${W.category}/review`);
  await chief.getByRole('button', { name: 'Lock the category' }).click();
  const refusal = chief.getByRole('alert');
  await refusal.getByText('The category cannot be locked yet').waitFor();
  // the refusal's reason (marks_missing) in the catalog's words, the list from the review
  // (isolation marks dropped; a competitor's number is an id, written as it is, never grouped by thousands)
  const plain = (s) => s.replace(/[\u2066-\u2069]/g, '');
  const first = `competitor #${W.competitors[0]}, aspect A2 (2 of 3 marks)`;
  assert.equal(plain(await refusal.locator('.detail').textContent()), `3 marks are still missing; the first: ${first}.`);
  const missing = await refusal.locator('.missing li').allTextContents();
  assert.deepEqual(missing, W.competitors.map((c) => `#${c} aspect A2: 2 of 3 marks`));
  await shot(chief, 'comp-lock-refused');
  // in Chinese the same refusal is written in Chinese, none of the server's English
  await chief.getByLabel('Language').selectOption('zh');
  await chief.getByRole('button', { name: '锁定本项目' }).click();
  await refusal.getByText('本项目还不能锁定').waitFor();
  await refusal.locator('.missing li').first().waitFor();
  assert.equal(plain(await refusal.locator('.detail').textContent()),
    `仍缺少 3 个评分；第一个：选手 #${W.competitors[0]}，评分项 A2（2/3 个评分）。`);
  assert.deepEqual(await refusal.locator('.missing li').allTextContents(), W.competitors.map((c) => `#${c} 评分项 A2：2/3`));
  assert.doesNotMatch(await refusal.textContent(), /missing|competitor|aspect/);
  await chief.getByLabel('语言').selectOption('en');
  await chief.getByRole('button', { name: 'Lock the category' }).waitFor();

  // the third judge's marks, through the API
  const third = await open();
  await signIn(third, W.judges[2].username);
  for (const [i, m] of MARKS.entries()) {
    const r = await apiCall(third, 'POST', '/marks', { competitor_id: W.competitors[i], aspect_id: W.aspects.A2, value: m.A2[2] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  await chief.reload();
  const flagged = chief.locator('table.flagged tbody tr');
  await flagged.first().waitFor();
  assert.equal(await flagged.count(), 1);
  assert.deepEqual((await flagged.first().locator('td').allTextContents()).slice(0, 5), [`#${W.competitors[2]}`, 'A2 Neat and safe cabling', '1', '3', '3']);
  await shot(chief, 'comp-review');
  await chief.getByRole('button', { name: 'Lock the category' }).click();
  await chief.getByRole('status').getByText('The category is locked.').waitFor();
  await chief.locator('.locked').waitFor();
  assert.ok((await apiCall(chief, 'GET', `/categories/${W.category}`)).body.locked_at);
  assert.deepEqual(chief.errors, []);
});

test('a change after the lock is refused on the marking screen, with the reason', async () => {
  const page = W.tablets[1];   // still open on the second competitor, loaded before the lock
  await choose(page, 'A2', 3);
  const box = page.locator('fieldset[data-aspect="A2"].mark-rejected');
  await box.waitFor();
  assert.match(await box.locator('.mark-status').textContent(), /Refused: the category is locked/i);
  await page.locator('.mark-summary-bad').getByText('1 refused — see below').waitFor();
  await shot(page, 'comp-marking-refused');
  const m = (await apiCall(page, 'GET', `/marks?competitor=${W.competitors[1]}`)).body.items.find((x) => x.aspect_id === W.aspects.A2);
  assert.equal(m.value, MARKS[1].A2[1], 'the stored mark did not change');
});

test('the chief judge corrects a mark after the lock: a reason from the list, the old value kept', async () => {
  const chief = W.tablets[0];
  // from the review of the locked category, the flagged aspect leads to its correction
  await go(chief, `/categories/${W.category}/review`);
  await chief.locator('table.flagged tbody tr').first().getByRole('link', { name: 'Correct a mark' }).click();
  await chief.waitForURL(new RegExp(`/categories/${W.category}/corrections\\?competitor=${W.competitors[2]}&aspect=${W.aspects.A2}$`));
  assert.equal(await chief.getByLabel('Competitor').inputValue(), String(W.competitors[2]));
  assert.equal(await chief.getByLabel('Aspect').inputValue(), String(W.aspects.A2));
  await chief.getByText('No mark has been corrected.').waitFor();
  // three judges scored Chenxi's A2: 1, 3, 1; the third judge's 1 was a slip for 2
  const marks = chief.locator('fieldset.correct-marks label');
  assert.deepEqual(await marks.allTextContents(), W.judges.map((j, k) => `${j.name} Judgeova: ${MARKS[2].A2[k]}`));
  await marks.nth(2).click();
  await chief.locator('.correct-current').getByText('Current value, given by Ilham Judgeova:').waitFor();
  assert.equal(await chief.locator('.correct-current .correct-value').textContent(), '1');
  // the reasons are the API's fixed list
  const doc = await (await chief.request.get(env.base + '/api/v1/openapi.json')).json();
  const reasons = doc.paths['/api/v1/marks/{id}/correction'].post.requestBody.content['application/json'].schema.properties.reason.enum;
  const options = await chief.locator('#correct-reason option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.deepEqual(options, reasons);
  // without a reason the API refuses, and says so beside the field; nothing changes
  await chief.getByLabel('New value').selectOption('2');
  await chief.getByRole('button', { name: 'Correct the mark' }).click();
  const reasonErr = chief.locator('#correct-reason-err');
  await reasonErr.waitFor();
  assert.match(await reasonErr.textContent(), /A correction says why: one of \u2068?entry_error, remeasured/);
  assert.equal(await chief.locator('#correct-reason').getAttribute('aria-invalid'), 'true');
  await chief.getByRole('alert').getByText('The correction was not accepted').waitFor();
  const markOf = async () =>
    (await apiCall(chief, 'GET', `/categories/${W.category}/marks`)).body.items.find((m) => m.competitor_id === W.competitors[2] && m.aspect === 'A2' && m.judge_id === W.judges[2].person);
  assert.deepEqual([(await markOf()).value, (await markOf()).corrections], [1, []]);
  await shot(chief, 'comp-correction-refused');
  // with a reason it is corrected; the screen shows the new value and the old one kept
  await chief.getByLabel('Reason').selectOption('entry_error');
  await chief.getByRole('button', { name: 'Correct the mark' }).click();
  await chief.getByRole('status').getByText('The mark was corrected from 1 to 2.').waitFor();
  await chief.locator('.correct-current .correct-value').getByText('2', { exact: true }).waitFor();
  assert.equal(await chief.locator('#correct-reason-err').count(), 0);
  const row = chief.locator('table.corrections tbody tr');
  await row.first().waitFor();
  assert.equal(await row.count(), 1);
  const cells = await row.first().locator('td').allTextContents();
  assert.deepEqual(cells.slice(0, 6), [`#${W.competitors[2]}`, 'A2', 'Ilham Judgeova', '1', '2', 'Entered wrongly (a slip of the hand)']);
  // who (the account, never the internal "user:NAME"; a judge may not read accounts: the sign-in name), then when
  assert.ok(cells[6].startsWith(W.judges[0].username) && !cells[6].includes('user:'), cells[6]);
  const fixed = await markOf();
  assert.equal(fixed.value, 2);
  assert.deepEqual(fixed.corrections.map((c) => [c.old_value, c.new_value, c.reason, c.actor]), [[1, 2, 'entry_error', `user:${W.judges[0].username}`]]);
  await shot(chief, 'comp-correction');
  assert.deepEqual(await axeViolations(chief), []);
  // an ordinary judge of the category has no such screen: the API refuses them
  const other = W.tablets[1];
  await go(other, `/categories/${W.category}/corrections`);
  await other.getByRole('alert').waitFor();
  assert.equal(await other.locator('form.correct-form').count(), 0);
  assert.deepEqual(chief.errors, []);
});

test('the administrator locks and publishes; the results show the medals and the institution table', async () => {
  const page = W.admin;
  await go(page, `/editions/${W.edition}`);
  await page.getByRole('button', { name: 'Move on to Locked' }).click();
  await page.getByRole('status').getByText('The edition is now in Locked.').waitFor();
  await page.getByRole('button', { name: 'Move on to Published' }).click();
  await page.getByRole('status').getByText('The edition is now in Published.').waitFor();
  await page.getByText('The results are public. This is the last step.').waitFor();
  await shot(page, 'comp-edition');
  await page.getByRole('link', { name: 'Results', exact: true }).click();
  await page.waitForURL(/\/editions\/\d+\/results$/);
  const rows = page.locator('.result-table tbody tr');
  await rows.first().waitFor();
  const table = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  assert.deepEqual(
    table.map((r) => [r[0], r[1], r[3], r[5]]),
    [['1', 'Aylin Solarova', '100', 'Gold'], ['2', 'Bekzat Solarova', '53.33', 'Silver'], ['3', 'Chenxi Solarova', '40', 'Bronze']],
  );
  await shot(page, 'comp-results');
  await go(page, '/competitions/history');
  await page.locator('.chart canvas').first().waitFor();
  assert.ok(await page.locator('tbody tr', { hasText: 'UI test skills competition 2027' }).count());
  await shot(page, 'comp-history');
  assert.deepEqual(page.errors, []);
});

test('signed out, the public results page shows the published medals', async () => {
  const page = await open();
  await page.locator('.signin h1').waitFor();
  await page.getByRole('link', { name: 'Competition results' }).click();
  await page.waitForURL(/\/results$/);
  const card = page.locator(`li[data-edition="${W.edition}"]`);
  await card.getByText('Categories: 1 · competitors: 3').waitFor();
  await shot(page, 'comp-public-editions');
  await card.getByRole('link', { name: 'UI test skills competition 2027' }).click();
  await page.waitForURL(new RegExp(`/results/${W.edition}$`));
  const cat = page.locator('section[data-category="Solar panel installation"]');
  await cat.locator('tbody tr').first().waitFor();
  const medals = await cat.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.children[1].textContent, tr.children[2].textContent, tr.children[5].textContent.trim()]));
  assert.deepEqual(medals, W.learners.map((l, i) => [l.name, l.institution.name, ['Gold', 'Silver', 'Bronze'][i]]));
  assert.equal(await page.locator('#main-menu').count(), 0, 'nobody is signed in');
  await shot(page, 'comp-public-results');
  // an edition that is not published is not shown
  await go(page, '/results/5');
  await page.getByText('These results have not been published.').waitFor();
  await page.getByLabel('Language').selectOption('ug');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await go(page, `/results/${W.edition}`);
  await cat.locator('tbody tr').first().waitFor();
  assert.equal(await page.locator('main h1').textContent(), 'نەتىجىلەر: \u2068UI test skills competition 2027\u2069');   // the Latin name isolated
  await shot(page, 'comp-public-results-ug');
  assert.deepEqual(page.errors, []);
});

test('marks chosen while the network is down wait, and are sent when it is back', async () => {
  // the demo judge marks in the demo's 2026 edition (in marking)
  const admin = W.admin;
  const me = (await (async () => {
    const p = await openTablet();
    await signIn(p, 'judge');
    W.demoJudge = p;
    return apiCall(p, 'GET', '/me');
  })()).body;
  const page = W.demoJudge;
  const assignments = (await apiCall(page, 'GET', `/judges?person=${me.person_id}`)).body.items;
  let category = null;
  for (const a of assignments) {
    const c = (await apiCall(page, 'GET', `/categories/${a.category_id}`)).body;
    const ed = (await apiCall(page, 'GET', `/editions/${c.edition_id}`)).body;
    if (ed.state === 'marking' && !c.locked_at) category = c;
  }
  assert.ok(category, 'the demo judge has a category in marking');
  const competitor = (await apiCall(page, 'GET', `/competitors?category=${category.id}&limit=1`)).body.items[0];
  const aspects = (await apiCall(page, 'GET', `/aspects?category=${category.id}&limit=500`)).body.items;
  const judgements = aspects.filter((a) => a.kind === 'judgement').slice(0, 2);
  const stored = async () => {
    const all = (await apiCall(admin, 'GET', `/marks?competitor=${competitor.id}&judge=${me.person_id}&limit=500`)).body.items;
    return judgements.map((a) => all.find((m) => m.aspect_id === a.id)?.value ?? null);
  };
  const before = await stored();
  const want = before.map((v) => (v === 3 ? 1 : 3));

  await go(page, `/marking/${category.id}?competitor=${competitor.id}`);
  await page.locator('.mark-competitor').getByText(`Competitor #${competitor.id}`).waitFor();
  await page.context().setOffline(true);
  for (const [i, a] of judgements.entries()) await choose(page, a.code, want[i]);
  for (const a of judgements) await page.locator(`fieldset[data-aspect="${a.code}"].mark-unsaved`).getByText('Not saved yet: waiting for the connection').waitFor();
  await page.locator('.mark-summary[data-offline="true"]').getByText('No connection: your marks are kept and will be sent when it is back.').waitFor();
  assert.match(await page.locator('.mark-summary').textContent(), /2 waiting to be sent/);
  // kept where a reload would find them
  const kept = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) || '[]'), `guild.marks.${me.person_id}.${category.id}`);
  assert.deepEqual(kept.map((x) => x.value).sort(), [...want].sort());
  await shot(page, 'comp-marking-offline');
  assert.deepEqual(await stored(), before, 'nothing reached the server while offline');

  await page.context().setOffline(false);
  for (const a of judgements) await saved(page, a.code);
  await page.locator('.mark-summary-ok').waitFor();
  assert.deepEqual(await stored(), want);
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), `guild.marks.${me.person_id}.${category.id}`), null);

  // the keyboard alone: the arrow keys move along a judgement's scores, and each choice is saved
  const first = judgements[0].code;
  await page.locator(`fieldset[data-aspect="${first}"] input[value="${want[0]}"]`).focus();
  await page.keyboard.press(want[0] === 3 ? 'ArrowLeft' : 'ArrowRight');
  const moved = want[0] === 3 ? 2 : want[0] + 1;
  await page.locator(`fieldset[data-aspect="${first}"] label.chosen input[value="${moved}"]`).waitFor({ state: 'attached' });
  await saved(page, first);
  assert.equal((await stored())[0], moved);
  assert.deepEqual(page.errors, []);
});

test('the same judge on two devices: a stored mark is found (409) and a stale one is refused (412) with the value now', async () => {
  const page = W.demoJudge;   // on the marking screen since the offline test
  const other = await openTablet();
  await signIn(other, 'judge');
  const url = new URL(page.url());
  const category = Number(url.pathname.split('/').pop());
  const competitor = Number(url.searchParams.get('competitor'));
  const aspects = (await apiCall(other, 'GET', `/aspects?category=${category}&limit=500`)).body.items;
  const marks = async () => (await apiCall(other, 'GET', `/marks?competitor=${competitor}&limit=500`)).body.items;
  // the other device stores a mark first: this screen's POST meets 409, finds that mark, and changes it
  const unmarked = [];
  const mine = await marks();
  for (const a of aspects) if (!mine.some((m) => m.aspect_id === a.id) && a.part_marks.length === 0) unmarked.push(a);
  assert.ok(unmarked.length > 0, 'an aspect without a mark of this judge');
  const a = unmarked[0];
  const top = a.kind === 'judgement' ? 3 : a.max_mark;
  const first = await apiCall(other, 'POST', '/marks', { competitor_id: competitor, aspect_id: a.id, value: 0 });
  assert.equal(first.status, 201);
  await choose(page, a.code, top);
  await saved(page, a.code);
  assert.equal((await apiCall(other, 'GET', `/marks/${first.body.id}`)).body.value, top);

  // a judgement the other device changes after this screen read it: the next change here is stale (412), refused naming the value now
  const j = aspects.find((x) => x.kind === 'judgement');
  const box = page.locator(`fieldset[data-aspect="${j.code}"]`);
  if ((await box.locator('input:checked').count()) === 0) {
    await choose(page, j.code, 0);
    await saved(page, j.code);
  }
  const cur = Number(await box.locator('input:checked').getAttribute('value'));
  const m = (await marks()).find((x) => x.aspect_id === j.id);
  const now = (cur + 1) % 4;
  const want = (cur + 2) % 4;
  assert.equal((await apiCall(other, 'PATCH', `/marks/${m.id}`, { value: now })).status, 200);
  await choose(page, j.code, want);
  await box.locator('.mark-status').getByText(`this mark was changed on another device (now ${now})`, { exact: false }).waitFor();
  assert.equal(await box.getAttribute('class'), 'mark-aspect mark-rejected');
  await shot(page, 'comp-marking-stale');
  // choosing it again sends it with the fresh version
  await choose(page, j.code, want);
  await saved(page, j.code);
  assert.equal((await apiCall(other, 'GET', `/marks/${m.id}`)).body.value, want);
  assert.deepEqual(page.errors, []);
});

test('at 360 px wide the competition screens fit', async () => {
  const page = await open({ width: 360, height: 740 });
  await signIn(page, 'admin');
  for (const path of ['/editions', `/editions/${W.edition}`, `/categories/${W.category}`, `/categories/${W.category}/scheme`, `/categories/${W.category}/judges`, `/categories/${W.category}/corrections`, `/editions/${W.edition}/results`, '/competitions/history', `/results/${W.edition}`]) {
    await go(page, path);
    await page.waitForLoadState('networkidle');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${path} is ${width} px wide`);
  }
  await shot(page, 'comp-history-360');
  const judge = await open({ width: 360, height: 740 });
  await signIn(judge, 'judge');
  await go(judge, '/marking');
  await judge.locator('.cards a').first().click();
  await judge.locator('.mark-competitor').waitFor();
  assert.ok((await judge.evaluate(() => document.documentElement.scrollWidth)) <= 360);
  const option = await judge.locator('label.mark-option').first().boundingBox();
  assert.ok(option.height >= 64, `a mark button is ${option.height} px high`);
  await shot(judge, 'comp-marking-360');
});

test('axe-core finds no serious or critical problem on the competition screens', async () => {
  const problems = [];
  const check = async (page, path, wait) => {
    await go(page, path);
    if (wait) await page.locator(wait).first().waitFor();
    await page.waitForLoadState('networkidle');
    problems.push(...(await axeViolations(page)).map((v) => `${path}: ${v}`));
  };
  const admin = W.admin;
  for (const path of ['/editions', `/editions/${W.edition}`, '/editions/5', `/categories/${W.category}`, '/categories/40/scheme', `/categories/${W.category}/judges`, `/categories/${W.category}/competitors`, `/categories/${W.category}/review`, `/editions/${W.edition}/results`, '/competitions/history', '/categories'])
    await check(admin, path);
  // an editable scheme (a draft edition of its own)
  const ed = (await apiCall(admin, 'POST', '/editions', { year: 2028, name: 'Axe draft', area_id: 1, start_date: '2028-10-01', end_date: '2028-10-02' })).body;
  const cat = (await apiCall(admin, 'POST', '/categories', { edition_id: ed.id, name: 'Welding', isco_code: '7212' })).body;
  const crit = (await apiCall(admin, 'POST', '/criteria', { category_id: cat.id, code: 'A', name: 'Weld', weight: 100 })).body;
  await apiCall(admin, 'POST', '/aspects', { criterion_id: crit.id, code: 'A1', description: 'Bead', kind: 'judgement', max_mark: 100, descriptors: ['a', 'b', 'c', 'd'] });
  await check(admin, `/categories/${cat.id}/scheme`, 'form.scheme-aspects');
  await shot(admin, 'comp-scheme-draft');
  await check(W.demoJudge, '/marking', '.cards');
  await shot(W.demoJudge, 'comp-marking-home');
  const judgeCategory = Number(await W.demoJudge.locator('.cards li[data-category]').first().getAttribute('data-category'));
  await check(W.demoJudge, `/marking/${judgeCategory}`, '.mark-aspect');
  const anon = await open();
  await check(anon, '/results', '.cards');
  await check(anon, `/results/${W.edition}`, '.result-table');
  assert.deepEqual(problems, []);
});
