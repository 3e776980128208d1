// format.test.js: guild's own Uyghur formatter (src/i18n/format.js) under
// node: CLDR ug month and weekday names, the date, date-and-time and time
// patterns, ranges kept whole and in order, numbers and percentages, and the
// Intl path of the other languages (the same day, a range, no Uyghur words).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FSI, PDI, UG, dateParts, formatRange, formatterFor, isolate, ugNumber, ugPercent } from '../src/i18n/format.js';

const ug = formatterFor('ug');

test('the twelve months and seven weekdays are CLDR ug names in Arabic script', () => {
  assert.equal(UG.months.length, 12);
  assert.equal(UG.weekdays.length, 7);
  assert.equal(ug.month(1), 'يانۋار');
  assert.equal(ug.month(7), 'ئىيۇل');
  assert.equal(ug.month(9), 'سېنتەبىر');
  assert.equal(ug.month(12), 'دېكابىر');
  assert.equal(ug.weekday(0), 'يەكشەنبە');
  assert.equal(ug.weekday(4), 'پەيشەنبە');
  for (const name of [...UG.months, ...UG.weekdays]) assert.match(name, /^[\u0600-\u06FF.]+$/, name);
});

test('a date is d-MMM، y, never the fallback "2024 M07 11"', () => {
  const s = ug.date(dateParts('2024-07-11'));
  assert.equal(s, '11-ئىيۇل، 2024');
  assert.doesNotMatch(s, /M07/);
  assert.equal(ug.date(dateParts('2026-01-01')), '1-يانۋار، 2026');
  // the full form names the weekday: 2024-07-11 was a Thursday
  assert.equal(ug.date(dateParts('2024-07-11'), { weekday: true }), '2024 11-ئىيۇل، پەيشەنبە');
});

test('times are h:mm with the CLDR day period, after the date with an Arabic comma', () => {
  const p = { y: 2024, m: 7, d: 11, wd: 4, h: 14, min: 5, dateOnly: false };
  assert.equal(ug.time(p), '2:05 چ.ك');
  assert.equal(ug.time({ ...p, h: 0 }), '12:05 چ.ب');
  assert.equal(ug.time({ ...p, h: 12, min: 0 }), '12:00 چ.ك');
  assert.equal(ug.dateTime(p), '11-ئىيۇل، 2024، 2:05 چ.ك');
});

test('a range keeps both dates whole, each isolated, the first first', () => {
  const s = formatRange(ug, '2024-07-11', '2024-07-15');
  assert.equal(s, `${FSI}11-ئىيۇل، 2024${PDI} – ${FSI}15-ئىيۇل، 2024${PDI}`);
  assert.ok(s.indexOf('11-') < s.indexOf('15-'));
  assert.equal(formatRange(ug, '2024-07-11', '2024-07-11'), '11-ئىيۇل، 2024');
  assert.equal(formatRange(ug, '2024-07-11', null), '11-ئىيۇل، 2024');
  assert.equal(formatRange(ug, null, null), '');
});

test('numbers group by three with "," and keep at most three decimals', () => {
  assert.equal(ugNumber(0), '0');
  assert.equal(ugNumber(1234567), '1,234,567');
  assert.equal(ugNumber(12.5), '12.5');
  assert.equal(ugNumber(2.0004), '2');
  assert.equal(ugNumber(1234.5678), '1,234.568');
  assert.equal(ugNumber(-1500), '\u2066-1,500\u2069');
  assert.equal(ugNumber(-0.0001), '0');
  assert.equal(ugPercent(0.256), '26%');
  assert.equal(ug.number(1000), '1,000');
});

test('isolate wraps in U+2068 … U+2069', () => {
  assert.equal(isolate('Welding 2026'), '\u2068Welding 2026\u2069');
});

test('English and Chinese use Intl: a date, a range, a month, no Uyghur', () => {
  const en = formatterFor('en');
  assert.equal(en.date(dateParts('2024-07-11')), 'Jul 11, 2024');
  assert.equal(en.month(7), 'July');
  assert.equal(en.weekday(4), 'Thursday');
  assert.match(formatRange(en, '2024-07-11', '2024-07-15'), /^Jul 11\s*–\s*15, 2024$/);
  const zh = formatterFor('zh-CN');
  assert.equal(zh.date(dateParts('2024-07-11')), '2024年7月11日');
  assert.equal(zh.number(1234567), '1,234,567');
  assert.doesNotMatch(zh.month(7) + en.month(7), /[\u0600-\u06FF]/);
});
