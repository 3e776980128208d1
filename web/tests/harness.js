// harness.js: what the browser tests share: a `guild serve` (the sanitizer
// build, $GUILD_BIN) on a fresh demo database on a free port, with known
// passwords for the demo accounts (set with `guild user passwd
// --password-stdin`); Debian's chromium driven by playwright-core (never a
// downloaded browser); signing in through the screen; screenshots under
// build/ui-artifacts/; and the console errors (CSP refusals among them) a page logged.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

import { ROOT } from './paths.js';

export { ROOT };
export const GUILD = process.env.GUILD_BIN || path.join(ROOT, 'build/san/guild');
export const ARTIFACTS = path.join(ROOT, 'build/ui-artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const USERS = ['admin', 'staff', 'trainer', 'judge', 'learner'];
export const password = (user) => `ui test pass phrase of ${user} 2026`;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function guild(args, input) {
  const r = spawnSync(GUILD, args, { input, encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' } });
  if (r.status !== 0) throw new Error(`guild ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

async function waitForPort(port, proc) {
  for (let i = 0; i < 400; i++) {
    if (proc.exitCode !== null) throw new Error(`guild serve exited (${proc.exitCode})`);
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => (c.end(), resolve(true)));
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('guild serve did not start');
}

/** Starts guild on a demo database and chromium; returns {base, browser, stop()}.
 * serveArgs: more options of `guild serve` (e.g. ['--max-upload', '1']);
 * empty: a new database of `guild init` (its administrator, admin, alone) instead of the demo. */
export async function start({ serveArgs = [], empty = false } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'guild-ui-'));
  const db = path.join(dir, 'ui.db');
  if (empty) guild(['init', '--db', db, '--password-stdin'], password('admin') + '\n');
  else guild(['demo', '--db', db]);
  for (const u of empty ? [] : USERS) guild(['user', 'passwd', u, '--password-stdin', '--db', db], password(u) + '\n');
  const port = await freePort();
  let log = '';
  const proc = spawn(GUILD, ['serve', '--db', db, '--port', String(port), '--threads', '2', ...serveArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  await waitForPort(port, proc);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  return {
    base: `http://127.0.0.1:${port}`,
    browser,
    db,
    log: () => log,
    async stop() {
      await browser.close();
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
      return { code: proc.exitCode, log };
    },
  };
}

/** A new page (own cookies and storage) that records console errors and page errors; context: more context options (e.g. hasTouch). */
export async function newPage(env, { width = 1280, height = 900, lang, context: more } = {}) {
  const context = await env.browser.newContext({ viewport: { width, height }, locale: lang || 'en-US', acceptDownloads: true, ...more });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && page.errors.push(m.text()));
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.setDefaultTimeout(10000);
  await page.goto(env.base + '/');
  return page;
}

/** newPage, remembered in pages (which stopChecked closes). */
export async function openIn(env, pages, opts) {
  const p = await newPage(env, opts);
  pages.push(p);
  return p;
}

/** Opens path (with its query) and waits for the screen's heading. */
export async function goTo(env, page, path) {
  await page.goto(env.base + path);
  await page.locator('main h1').first().waitFor();
}

/** Signs in through the sign-in screen and waits for the menu. */
export async function signIn(page, user) {
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password(user));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#main-menu:visible, main h1:visible').first().waitFor();   // on a phone the menu is folded
  await page.waitForFunction(() => !document.querySelector('.signin'));
}

/**
 * Chooses in the searchable picker (combobox) labelled label (a string,
 * or the input's locator): types text when given and takes the first match
 * containing it, else the match of record id, else the index-th match.
 */
export async function choose(page, label, { text, id, index = 0 } = {}) {
  const box = typeof label === 'string' ? page.getByRole('combobox', { name: label, exact: true }) : label;
  await box.click();
  if (text !== undefined) await box.fill(text);
  const list = page.locator(`[id="${await box.getAttribute('aria-controls')}"]`);
  const options = list.getByRole('option');
  const opt = id !== undefined ? list.locator(`[role=option][data-id="${id}"]`) : text ? options.filter({ hasText: text }).first() : options.nth(index);
  const handle = await box.elementHandle();
  await opt.click();
  // closed, or gone (a single person picker shows the chosen one instead)
  await page.waitForFunction((el) => !el.isConnected || el.getAttribute('aria-expanded') === 'false', handle);
}

/** Saves a screenshot of the whole page as build/ui-artifacts/NAME.png. */
export async function shot(page, name) {
  await page.waitForTimeout(150);  // let charts draw after their module loads
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The axe-core violations of impact serious or critical on the page. */
export async function axeViolations(page) {
  const src = readFileSync(path.join(ROOT, 'web/node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(src);   // by the DevTools protocol: not subject to the page's CSP
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** The body of an API answer r ({status, body}, as apiCall gives) after asserting it succeeded. */
export function ok(r, what) {
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Calls the API from inside the page (its session and CSRF token). */
export async function apiCall(page, method, apiPath, body) {
  return page.evaluate(
    async ({ method, apiPath, body }) => {
      const me = await (await fetch('/api/v1/me')).json();
      const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token };
      let etag;
      if (method === 'PATCH') etag = (await fetch('/api/v1' + apiPath)).headers.get('ETag');
      if (etag) headers['If-Match'] = etag;
      const r = await fetch('/api/v1' + apiPath, { method, headers, body: body ? JSON.stringify(body) : undefined });
      return { status: r.status, body: r.status === 204 ? null : await r.json() };
    },
    { method, apiPath, body },
  );
}

/**
 * The setup most test files share, for the file that calls it: guild and
 * chromium started before its tests (start(opts)) and stopped, checked,
 * after them; returns {env (once started), open(pageOpts), go(page, path)}.
 */
export function withGuild(opts) {
  const s = { env: null, pages: [] };
  before(async () => {
    s.env = await start(opts);
  });
  after(async () => {
    await stopChecked(s.env, s.pages);
  });
  s.open = (pageOpts) => openIn(s.env, s.pages, pageOpts);
  s.go = (page, where) => goTo(s.env, page, where);
  return s;
}

/** Closes pages, stops guild and asserts it stopped cleanly with no sanitizer report and no 5xx answer. */
export async function stopChecked(env, pages) {
  for (const p of pages) await p.context().close();
  const { code, log } = await env.stop();
  assert.equal(code, 0, 'guild serve did not stop cleanly:\n' + log.slice(-3000));
  assert.doesNotMatch(log, /AddressSanitizer|runtime error|LeakSanitizer/);
  assert.doesNotMatch(log, /^access \S+ \S+ 5\d\d /m, 'server errors (5xx) in the log');
}
