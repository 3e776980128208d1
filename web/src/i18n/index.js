// i18n/index.js: the chosen language, its catalog (one JSON file per
// language, the same keys in each: tests/i18n.test.js checks), the
// document's lang and dir, and numbers and dates formatted for the
// language (format.js: Intl for English and Chinese, guild's own for
// Uyghur). In a right-to-left language every value put into a message is
// isolated (U+2068 … U+2069), so a Latin name, a code or a number keeps its
// own order inside the Uyghur sentence. English is built in; the others
// load when chosen. The choice is remembered in localStorage.
import en from './en.json';
import { dateParts, formatRange, formatterFor, isolate } from './format.js';

export { isolate };

export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr', locale: 'en' },
  { code: 'zh', name: '中文', dir: 'ltr', locale: 'zh-CN' },
  { code: 'ug', name: 'ئۇيغۇرچە', dir: 'rtl', locale: 'ug' },
];
const loaders = { zh: () => import('./zh.json'), ug: () => import('./ug.json') };
const STORE_KEY = 'guild.lang';

let current = LANGUAGES[0];
let catalog = en;
let fmt = formatterFor('en');

/** The catalog's text for key, with {name} placeholders filled from vars. */
export function t(key, vars) {
  let s = catalog[key] ?? en[key];
  if (s === undefined) {
    if (import.meta.env.DEV) console.warn('i18n: no key', key);
    s = key;
  }
  if (!vars) return s;
  const rtl = current.dir === 'rtl';
  return s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : rtl ? isolate(String(vars[k])) : String(vars[k])));
}

/** 1 when the catalog has key (for optional, data-driven labels). */
export function hasKey(key) {
  return key in en;
}

export function language() {
  return current;
}

/** The language to start in: the remembered one, else the browser's. */
export function initialLanguage() {
  let saved = null;
  try {
    saved = localStorage.getItem(STORE_KEY);
  } catch {
    /* storage refused: fall through */
  }
  if (saved && LANGUAGES.some((l) => l.code === saved)) return saved;
  for (const l of navigator.languages || []) {
    const code = l.toLowerCase().split('-')[0];
    if (LANGUAGES.some((x) => x.code === code)) return code;
  }
  return 'en';
}

/** Loads and applies language code: catalog, <html lang dir>, formats; remembers it. */
export async function setLanguage(code) {
  const lang = LANGUAGES.find((l) => l.code === code) || LANGUAGES[0];
  catalog = lang.code === 'en' ? en : (await loaders[lang.code]()).default;
  current = lang;
  fmt = formatterFor(lang.locale);
  document.documentElement.lang = lang.code === 'ug' ? 'ug-Arab' : lang.locale;
  document.documentElement.dir = lang.dir;
  try {
    localStorage.setItem(STORE_KEY, lang.code);
  } catch {
    /* not remembered; still applied */
  }
  return lang;
}

/** A number in the language's digits and grouping ("" for null). */
export function fmtNumber(n) {
  return n === null || n === undefined ? '' : fmt.number(n);
}

/** A percentage of a fraction 0..1. */
export function fmtPercent(x) {
  return x === null || x === undefined ? '' : fmt.percent(x);
}

/** A date (YYYY-MM-DD) or a time (ISO 8601) in the language's words; withTime: date and time of
 * day; opts.weekday: the long form with the weekday. Text that is no date is returned as it is. */
export function fmtDate(s, withTime = false, opts = {}) {
  const p = dateParts(s);
  if (!p) return s || '';
  return withTime && !p.dateOnly ? fmt.dateTime(p) : fmt.date(p, opts);
}

/** The time of day of an ISO 8601 time ("" when s is none). */
export function fmtTime(s) {
  const p = dateParts(s);
  return p && !p.dateOnly ? fmt.time(p) : '';
}

/** A range of two dates (YYYY-MM-DD), in reading order, never reordered by right-to-left text. */
export function fmtDateRange(from, to) {
  return formatRange(fmt, from, to);
}

/** The name of month m (1..12). */
export function monthName(m) {
  return fmt.month(m);
}

/** The name of weekday wd (0 Sunday .. 6). */
export function weekdayName(wd) {
  return fmt.weekday(wd);
}
