// layout.test.js: Uyghur done right, phones and charts, in a real browser
// (Debian's chromium) against `guild serve` on the demo database: Uyghur
// dates, month names, a date range and grouped numbers written by guild's
// own formatter (the browser has no ug locale); Latin names isolated in
// right-to-left text; at 390 x 844 every main screen of every role fits
// without horizontal scrolling, its header is one line and every action of
// a row lies within the screen; the judge's banner says "your marks are
// saved" apart from "this competitor is complete"; the charts' axis titles,
// a legend with the value under the pointer and under the keyboard, and
// labels that do not collide. Screenshots: build/ui-artifacts/layout-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiCall, goTo, openIn, shot, signIn, start, stopChecked } from './harness.js';

// CLDR ug month names (as src/i18n/format.js has them), written out again here on purpose
const UG_MONTHS = ['يانۋار', 'فېۋرال', 'مارت', 'ئاپرېل', 'ماي', 'ئىيۇن', 'ئىيۇل', 'ئاۋغۇست', 'سېنتەبىر', 'ئۆكتەبىر', 'نويابىر', 'دېكابىر'];
const ugDate = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d}-${UG_MONTHS[m - 1]}، ${y}`;
};
const FSI = '\u2068';
const PDI = '\u2069';
const PHONE = { width: 390, height: 844, context: { hasTouch: true, isMobile: true } };

let env;
const pages = [];
const open = (opts) => openIn(env, pages, opts);

before(async () => {
  env = await start();
});

after(async () => {
  await stopChecked(env, pages);
});

/** Switches page to Uyghur and waits for right-to-left. */
async function toUyghur(page) {
  await page.getByLabel('Language').selectOption('ug');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
}

test('Uyghur dates, month names, a date range and numbers come from guild\'s formatter', async () => {
  const page = await open();
  await signIn(page, 'admin');
  const cohorts = (await apiCall(page, 'GET', '/cohorts?limit=25')).body.items;
  await toUyghur(page);
  // a list's dates: d-month، y with the CLDR month name, never Intl's fallback "2024 M07 11"
  await goTo(env, page, '/cohorts');
  await page.locator('main tbody tr').first().waitFor();
  const first = page.locator('main tbody tr').first();
  const cells = await first.locator('td').allTextContents();
  const start = ugDate(cohorts[0].start_date);
  assert.ok(cells.includes(start), `no cell reads ${start}: ${cells.join(' | ')}`);
  const body = await page.locator('main').textContent();
  assert.doesNotMatch(body, /M\d\d/);
  assert.ok(UG_MONTHS.some((m) => body.includes(m)));
  // numbers: grouped by three with ",", Latin digits (the pager's total)
  const total = (await apiCall(page, 'GET', '/cohorts?limit=1')).body.total;
  const grouped = String(total).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  assert.match(await page.locator('.pager span').textContent(), new RegExp(grouped));
  await shot(page, 'layout-cohorts-ug');
  // a range: the two dates whole, isolated, in reading order (the published editions)
  const eds = (await apiCall(page, 'GET', '/public/editions')).body.items;
  assert.ok(eds.length > 0);
  await goTo(env, page, '/results');
  const card = page.locator(`li[data-edition="${eds[0].id}"]`);
  const range = await card.locator('p.muted').textContent();
  assert.equal(range, `${FSI}${ugDate(eds[0].start_date)}${PDI} – ${FSI}${ugDate(eds[0].end_date)}${PDI}`);
  // the same screen in English and Chinese stays with Intl
  await page.getByLabel('تىل').selectOption('zh');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await card.waitFor();
  const zh = await page.evaluate(([a, b]) => new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeZone: 'UTC' }).formatRange(new Date(a + 'T00:00Z'), new Date(b + 'T00:00Z')), [eds[0].start_date, eds[0].end_date]);
  assert.equal(await card.locator('p.muted').textContent(), zh);
  assert.doesNotMatch(zh, /[\u0600-\u06FF]/);
  assert.deepEqual(page.errors, []);
});

test('a Latin cohort name and the values of a Uyghur sentence are isolated', async () => {
  const page = await open();
  await signIn(page, 'admin');
  const cohort = (await apiCall(page, 'GET', '/cohorts/5')).body;
  const renamed = (await apiCall(page, 'PATCH', '/cohorts/5', { name: 'Welding A-2026 (evening)' })).body;
  assert.equal(renamed.name, 'Welding A-2026 (evening)');
  await toUyghur(page);
  await goTo(env, page, '/cohorts?q=Welding%20A-2026');
  const name = page.locator('main tbody td bdi', { hasText: 'Welding A-2026 (evening)' }).first();
  await name.waitFor();
  assert.equal(await name.evaluate((el) => getComputedStyle(el).unicodeBidi), 'isolate');
  // the Latin text lays out left to right inside the right-to-left cell: "W" left of "(evening)"
  const order = await name.evaluate((el) => {
    const range = document.createRange();
    const node = el.firstChild;   // the name's text
    range.setStart(node, 0);
    range.setEnd(node, 1);
    const w = range.getBoundingClientRect().left;
    range.setStart(node, node.length - 1);
    range.setEnd(node, node.length);
    return { w, end: range.getBoundingClientRect().left };
  });
  assert.ok(order.w < order.end, `the name reads right to left: ${JSON.stringify(order)}`);
  // a value put into a Uyghur message is isolated too (the results' heading)
  const eds = (await apiCall(page, 'GET', '/public/editions')).body.items;
  await goTo(env, page, `/results/${eds[0].id}`);
  const h1 = await page.locator('main h1').textContent();
  assert.ok(h1.includes(`${FSI}${eds[0].name}${PDI}`), h1);
  await shot(page, 'layout-results-ug');
  await apiCall(page, 'PATCH', '/cohorts/5', { name: cohort.name });
  assert.deepEqual(page.errors, []);
});

/** Asserts the page fits 390 px: no horizontal scrolling, the header on one line, every action
 * of a table row or card within the screen. Returns nothing; where names the screen. */
async function assertFits(page, where) {
  const r = await page.evaluate(() => {
    const vw = window.innerWidth;
    const visible = (el) => {
      const b = el.getBoundingClientRect();
      return b.width > 0 && b.height > 0 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('.visually-hidden');
    };
    const header = document.querySelector('header.top');
    const items = [...header.querySelectorAll(':scope > *, :scope > .tools > *')].filter((el) => getComputedStyle(el).display !== 'contents' && visible(el));
    const mids = items.map((el) => {
      const b = el.getBoundingClientRect();
      return b.top + b.height / 2;
    });
    const outside = [...document.querySelectorAll('main tr :is(a, button, select, input), main .card :is(a, button), main .row-actions :is(a, button), main .actions :is(a, button)')]
      .filter(visible)
      .filter((el) => {
        const b = el.getBoundingClientRect();
        return b.left < -1 || b.right > vw + 1;
      })
      .map((el) => `${el.tagName} "${el.textContent.trim().slice(0, 30)}"`);
    return { scroll: document.scrollingElement.scrollWidth, vw, spread: Math.max(...mids) - Math.min(...mids), header: header.getBoundingClientRect().height, outside };
  });
  assert.ok(r.scroll <= r.vw, `${where}: the page is ${r.scroll} px wide in ${r.vw}`);
  assert.ok(r.spread < 8 && r.header < 64, `${where}: the header is not one line (${r.header} px high)`);
  assert.deepEqual(r.outside, [], `${where}: actions outside the screen`);
}

test('at 390 x 844 every main screen of every role fits, its header on one line', async () => {
  const admin = await open(PHONE);
  await signIn(admin, 'admin');
  const eds = (await apiCall(admin, 'GET', '/public/editions')).body.items;
  const big = eds.slice().sort((a, b) => b.competitors - a.competitors)[0];
  const person = (await apiCall(admin, 'GET', '/persons?limit=1')).body.items[0];
  const screens = {
    admin: ['/dashboard', '/areas', '/institutions', '/programs', '/cohorts', '/cohorts/5', '/persons', `/persons/${person.id}`, '/enrollments', '/imports', '/editions', `/editions/${big.id}`, `/editions/${big.id}/results`, '/competitions/history', '/reports/attendance', '/account/password'],
    staff: ['/dashboard', '/cohorts', '/enrollments', '/training', '/assessments', '/imports'],
    trainer: ['/training', '/cohorts', '/enrollments', '/assessments', '/reports/attendance'],
    judge: ['/marking'],
    learner: ['/learning', '/my-training'],
  };
  for (const [user, paths] of Object.entries(screens)) {
    const page = user === 'admin' ? admin : await open(PHONE);
    if (user !== 'admin') await signIn(page, user);
    for (const p of paths) {
      await goTo(env, page, p);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(100);   // ui/fit.js measures on the next frame
      await assertFits(page, `${user} ${p}`);
    }
    if (user === 'judge') {
      await page.locator('.cards a.primary').first().click();
      await page.locator('.mark-competitor').waitFor();
      await assertFits(page, 'judge marking');
      await shot(page, 'layout-marking-390');
    }
    if (user === 'admin') {
      await goTo(env, page, '/enrollments');
      await page.locator('main tbody tr').first().waitFor();
      await page.waitForTimeout(100);
      assert.equal(await page.locator('.table-wrap.as-cards').count(), 1, 'the enrollments became cards');
      await shot(page, 'layout-enrollments-390');
      // Uyghur, right to left, fits too
      await toUyghur(page);
      for (const p of ['/dashboard', '/cohorts', '/enrollments', `/editions/${big.id}/results`]) {
        await goTo(env, page, p);
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(100);
        await assertFits(page, `admin (ug) ${p}`);
      }
      await shot(page, 'layout-results-ug-390');
      await page.getByLabel('تىل').selectOption('en');
      await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    }
    assert.deepEqual(page.errors, [], `${user}: console errors`);
  }
  // signed out: the public results
  const anon = await open(PHONE);
  for (const p of ['/results', `/results/${big.id}`]) {
    await goTo(env, anon, p);
    await anon.waitForLoadState('networkidle');
    await assertFits(anon, `signed out ${p}`);
  }
});

test('at 390 px the menu and the account open from Menu, and long results are shortened with a jump', async () => {
  const page = await open(PHONE);
  await signIn(page, 'admin');
  assert.equal(await page.locator('.who').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).isVisible(), false);
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.locator('.who').waitFor();
  assert.equal(await page.locator('.who').textContent(), 'admin');
  assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible());
  await shot(page, 'layout-menu-390');
  await page.getByRole('button', { name: 'Menu' }).click();
  const eds = (await apiCall(page, 'GET', '/public/editions')).body.items;
  const big = eds.slice().sort((a, b) => b.competitors - a.competitors)[0];
  const res = (await apiCall(page, 'GET', `/editions/${big.id}/results`)).body;
  const long = res.categories.find((c) => c.results.length > 12);
  assert.ok(long, 'a category with more than 12 competitors');
  await goTo(env, page, `/editions/${big.id}/results`);
  // the jump: a choice of the categories, which moves to the one chosen
  await page.getByLabel('Go to a category').selectOption(String(long.category_id));
  const heading = page.locator(`#cat-${long.category_id}-h`);
  await page.waitForFunction((id) => document.activeElement && document.activeElement.id === id, `cat-${long.category_id}-h`);
  assert.ok((await heading.boundingBox()).y < 200, 'the category is at the top of the screen');
  const section = page.locator(`#cat-${long.category_id}`);
  assert.equal(await section.locator('tbody tr').count(), 10);
  await section.getByRole('button', { name: `Show all ${long.results.length}` }).click();
  assert.equal(await section.locator('tbody tr').count(), long.results.length);
  assert.ok(await section.getByRole('link', { name: 'Back to the list of categories' }).isVisible());
  await shot(page, 'layout-results-390');
  assert.deepEqual(page.errors, []);
});

test("the judge's banner says apart \"your marks are saved\" and \"this competitor is complete\"", async () => {
  const page = await open({ width: 820, height: 1180, context: { hasTouch: true } });
  await signIn(page, 'judge');
  await goTo(env, page, '/marking');
  await page.locator('.cards a.primary').first().click();
  await page.locator('.mark-competitor').waitFor();
  // the screen opens at the first competitor with marks to give: not complete
  const progress = page.locator('.mark-progress');
  assert.equal(await progress.getAttribute('data-state'), 'incomplete');
  assert.match(await progress.textContent(), /is not complete yet: \d+ of \d+ aspects marked, \d+ to go/);
  assert.match(await page.locator('.mark-summary').textContent(), /^Your marks are saved \(\d+\)\.$/);
  await shot(page, 'layout-banner-incomplete');
  // mark every aspect still without a mark
  const aspects = page.locator('fieldset.mark-aspect');
  const n = await aspects.count();
  for (let i = 0; i < n; i++) {
    const a = aspects.nth(i);
    if ((await a.locator('input:checked').count()) === 0) await a.locator('label.mark-option').first().click();
  }
  await page.locator('.mark-progress[data-state="complete"]').waitFor();
  await page.locator('.mark-summary-ok').waitFor();
  assert.match(await progress.textContent(), new RegExp(`is complete: all ${n} aspects are marked and saved`));
  assert.match(await page.locator('.mark-summary').textContent(), /^Your marks are saved \(\d+\)\.$/);
  await shot(page, 'layout-banner-complete');
  // the next competitor is not complete: the saved line stays, the competitor's changes
  await page.locator('.mark-bar .mark-next').click();
  await page.locator('.mark-progress[data-state="incomplete"]').waitFor();
  assert.match(await page.locator('.mark-summary').textContent(), /^Your marks are saved/);
  assert.deepEqual(page.errors, []);
});

test('charts: a title on each axis, the legend follows the pointer and the keyboard, labels do not collide', async () => {
  const page = await open({ width: 390, height: 844 });
  await signIn(page, 'admin');
  await goTo(env, page, '/dashboard');
  await page.locator('.chart canvas').nth(2).waitFor();
  await page.waitForTimeout(200);
  const charts = page.locator('figure.chart-box');
  assert.equal(await charts.count(), 3);
  const byProgram = charts.nth(0);
  assert.match(await byProgram.locator('.axis-y').textContent(), /Enrollments/);
  assert.equal(await byProgram.locator('.axis-x').textContent(), 'Program');
  const years = charts.nth(2);
  assert.match(await years.locator('.axis-y').textContent(), /Participants.*Categories/);
  assert.equal(await years.locator('.axis-x').textContent(), 'Year');
  // every chart keeps its table
  for (let i = 0; i < 3; i++) assert.equal(await charts.nth(i).locator('details.chart-table table').count(), 1);
  // the program labels: many bars on a phone, so turned and thinned so that they do not touch
  const dash = (await apiCall(page, 'GET', '/stats/overview')).body;
  const n = dash.by_program.length;
  const box = byProgram.locator('.chart');
  const layout = { labels: await box.getAttribute('data-labels'), step: Number(await box.getAttribute('data-step')) };
  await box.scrollIntoViewIfNeeded();
  const plot = await box.locator('.u-over').boundingBox();
  const gap = (plot.width / n) * layout.step;
  if (layout.labels === 'turned') assert.ok(gap * Math.SQRT1_2 >= 12, `turned labels ${gap} px apart`);
  // the canvas stays within its box (nothing cut at the edges)
  const canvas = await box.locator('canvas').boundingBox();
  const fig = await byProgram.boundingBox();
  assert.ok(canvas.x >= fig.x - 1 && canvas.x + canvas.width <= fig.x + fig.width + 1);
  // the pointer over a bar: the legend names the program and its value
  await page.mouse.move(plot.x + plot.width / n / 2, plot.y + plot.height - 5);
  const legend = byProgram.locator('.chart-legend');
  await legend.locator('.at').waitFor();
  assert.equal(await legend.locator('.at').textContent(), dash.by_program[0].title);
  assert.equal(await legend.locator('.value').textContent(), dash.by_program[0].enrollments.toLocaleString('en'));
  assert.equal(await legend.locator('.name').textContent(), 'Enrollments');
  await shot(page, 'layout-chart-pointer');
  // the keyboard: focus the chart, then End and ←
  await page.mouse.move(0, 0);
  await box.focus();
  await page.keyboard.press('End');
  await legend.locator('.at').waitFor();
  assert.equal(await legend.locator('.at').textContent(), dash.by_program[n - 1].title);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await legend.locator('.at').textContent(), dash.by_program[n - 2].title);
  // the year chart: both series with their values
  const yb = years.locator('.chart');
  await yb.focus();
  await page.keyboard.press('Home');
  const yl = years.locator('.chart-legend');
  await yl.locator('.at').waitFor();
  assert.equal(await yl.locator('.at').textContent(), String(dash.competitions[0].year));
  assert.deepEqual(await yl.locator('.value').allTextContents(), [dash.competitions[0].participants.toLocaleString('en'), dash.competitions[0].categories.toLocaleString('en')]);
  await shot(page, 'layout-chart-keyboard');
  assert.deepEqual(page.errors, []);
});
