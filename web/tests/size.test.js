// size.test.js: the JavaScript a browser must fetch before the first
// screen (the entry script and what index.html preloads) is under 150 KB
// gzipped, and index.html carries no inline script (the CSP forbids it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DIST } from './paths.js';

const LIMIT = 150 * 1024;
const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');

test('the initial JavaScript is under 150 KB gzipped', () => {
  const urls = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g), ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(urls.length >= 1, 'index.html names no script');
  let total = 0;
  for (const u of urls) total += gzipSync(readFileSync(path.join(DIST, u))).length;
  console.log(`initial JavaScript: ${urls.join(', ')}: ${(total / 1024).toFixed(1)} KB gzipped (limit 150 KB)`);
  assert.ok(total < LIMIT, `${total} bytes gzipped`);
});

test('index.html has no inline script or style', () => {
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/);
  assert.doesNotMatch(html, /<style|\sstyle="/);
});
