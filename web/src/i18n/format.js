// i18n/format.js: dates, times, date ranges and numbers in the reader's
// language. English and Chinese use the browser's Intl; Uyghur has no
// locale data in browsers (Intl falls back to "2024 M07 11"), so guild
// formats it itself from CLDR's ug data:
//   months (format, wide = abbreviated), weekdays (format, wide), the day
//   periods (abbreviated چ.ب / چ.ك), the patterns date medium "d-MMM، y",
//   date full "y d-MMMM، EEEE", time short "h:mm a", date-time "{1}، {0}",
//   number "#,##0.###" and percent "#,##0%" with "." and "," and Latin digits;
// as published in CLDR's ug locale and generated from it into
// @angular/common/locales/ug.js and Perl's DateTime::Locale::ug (both read
// with the search tool, December 2026). Date ranges keep each date whole
// and in reading order: each is isolated (U+2068 … U+2069), so right-to-left
// text never swaps their digits or the two dates.
// Pure functions (no DOM): web/tests/format.test.js runs them under node.

export const FSI = '\u2068';
export const PDI = '\u2069';

/** s wrapped in a first-strong isolate, so its direction does not leak into, or take from, the text around it. */
export function isolate(s) {
  return `${FSI}${s}${PDI}`;
}

/** CLDR ug: month names (January first), weekday names (Sunday first), AM / PM. */
export const UG = {
  months: ['يانۋار', 'فېۋرال', 'مارت', 'ئاپرېل', 'ماي', 'ئىيۇن', 'ئىيۇل', 'ئاۋغۇست', 'سېنتەبىر', 'ئۆكتەبىر', 'نويابىر', 'دېكابىر'],
  weekdays: ['يەكشەنبە', 'دۈشەنبە', 'سەيشەنبە', 'چارشەنبە', 'پەيشەنبە', 'جۈمە', 'شەنبە'],
  dayPeriods: ['چ.ب', 'چ.ك'],
};

/** Digits of a non-negative integer string with "," every three from the right. */
function group(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** n in CLDR ug's "#,##0.###" (at most maxFrac decimals, no trailing zeros).
 * A negative number is kept left-to-right (U+2066 … U+2069) so its minus stays in front in RTL text. */
export function ugNumber(n, maxFrac = 3) {
  if (typeof n !== 'number') n = Number(n);
  if (!Number.isFinite(n)) return String(n);
  const fixed = Math.abs(n).toFixed(maxFrac);
  let [int, frac = ''] = fixed.split('.');
  frac = frac.replace(/0+$/, '');
  const s = group(int) + (frac ? '.' + frac : '');
  return n < 0 && Number(fixed) !== 0 ? `\u2066-${s}${PDI}` : s;
}

/** A fraction 0..1 in CLDR ug's "#,##0%". */
export function ugPercent(x) {
  return ugNumber(Math.round(x * 100), 0) + '%';
}

/** The parts of s (YYYY-MM-DD: that calendar day; an ISO time: local time), or null. */
export function dateParts(s) {
  if (!s) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) {
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return { y: +m[1], m: +m[2], d: +m[3], wd: d.getUTCDay(), dateOnly: true };
  }
  const t = new Date(s);
  if (Number.isNaN(t.getTime())) return null;
  return { y: t.getFullYear(), m: t.getMonth() + 1, d: t.getDate(), wd: t.getDay(), h: t.getHours(), min: t.getMinutes(), dateOnly: false };
}

/** "11-ئىيۇل، 2024" (CLDR ug date medium); with weekday "2024 11-ئىيۇل، پەيشەنبە" (full). */
export function ugDate(p, { weekday = false } = {}) {
  const day = `${p.d}-${UG.months[p.m - 1]}`;
  return weekday ? `${p.y} ${day}، ${UG.weekdays[p.wd]}` : `${day}، ${p.y}`;
}

/** "2:05 چ.ك" (CLDR ug time short, h:mm a). */
export function ugTime(p) {
  const h12 = p.h % 12 === 0 ? 12 : p.h % 12;
  return `${h12}:${String(p.min).padStart(2, '0')} ${UG.dayPeriods[p.h < 12 ? 0 : 1]}`;
}

/** Formatting for locale (a BCP 47 tag; 'ug' is guild's own): number, percent, date, dateTime, range, month, weekday. */
export function formatterFor(locale) {
  if (locale === 'ug') {
    return {
      number: (n) => ugNumber(n),
      percent: (x) => ugPercent(x),
      date: (p, o) => ugDate(p, o),
      dateTime: (p) => `${ugDate(p)}، ${ugTime(p)}`,
      time: (p) => ugTime(p),
      range: (a, b) => `${isolate(ugDate(a))} – ${isolate(ugDate(b))}`,
      month: (m) => UG.months[m - 1],
      weekday: (wd) => UG.weekdays[wd],
    };
  }
  const num = new Intl.NumberFormat(locale);
  const pct = new Intl.NumberFormat(locale, { style: 'percent' });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dayLong = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' });
  const stamp = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const clock = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  const months = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  const weekdays = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  const utc = (p) => new Date(Date.UTC(p.y, p.m - 1, p.d));
  const local = (p) => new Date(p.y, p.m - 1, p.d, p.h || 0, p.min || 0);
  return {
    number: (n) => num.format(n),
    percent: (x) => pct.format(x),
    date: (p, { weekday = false } = {}) => (weekday ? dayLong : day).format(utc(p)),
    dateTime: (p) => stamp.format(local(p)),
    time: (p) => clock.format(local(p)),
    range: (a, b) => day.formatRange(utc(a), utc(b)),
    month: (m) => months.format(new Date(Date.UTC(2024, m - 1, 1))),
    weekday: (wd) => weekdays.format(new Date(Date.UTC(2024, 0, 7 + wd))),   // 2024-01-07 is a Sunday
  };
}

/** The same calendar day? */
function sameDay(a, b) {
  return a.y === b.y && a.m === b.m && a.d === b.d;
}

/** A date range from a to b (YYYY-MM-DD each) with f (formatterFor); one date when they are the same day, one side when the other is missing. */
export function formatRange(f, a, b) {
  const pa = dateParts(a);
  const pb = dateParts(b);
  if (!pa && !pb) return '';
  if (!pb) return f.date(pa);
  if (!pa) return f.date(pb);
  if (sameDay(pa, pb)) return f.date(pa);
  return f.range(pa, pb);
}
