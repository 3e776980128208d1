// i18n/index.js: the chosen language, its catalog (one JSON file per
// language, the same keys in each: tests/i18n.test.js checks), the
// document's lang and dir, and numbers and dates formatted by Intl for the
// language. English is built in; the others load when chosen. The choice is
// remembered in localStorage.
import en from './en.json';

export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr', locale: 'en' },
  { code: 'zh', name: '中文', dir: 'ltr', locale: 'zh-CN' },
  { code: 'ug', name: 'ئۇيغۇرچە', dir: 'rtl', locale: 'ug' },
];
const loaders = { zh: () => import('./zh.json'), ug: () => import('./ug.json') };
const STORE_KEY = 'guild.lang';

let current = LANGUAGES[0];
let catalog = en;
let numberFmt = new Intl.NumberFormat('en');

/** The catalog's text for key, with {name} placeholders filled from vars. */
export function t(key, vars) {
  let s = catalog[key] ?? en[key];
  if (s === undefined) {
    if (import.meta.env.DEV) console.warn('i18n: no key', key);
    s = key;
  }
  return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k]))) : s;
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
  numberFmt = new Intl.NumberFormat(lang.locale);
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
  return n === null || n === undefined ? '' : numberFmt.format(n);
}

/** A percentage of a fraction 0..1. */
export function fmtPercent(x) {
  return x === null || x === undefined ? '' : new Intl.NumberFormat(current.locale, { style: 'percent' }).format(x);
}

/** A date (YYYY-MM-DD) or a time (ISO 8601) in the language's words. */
export function fmtDate(s, withTime = false) {
  if (!s) return '';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(s + 'T00:00:00Z') : new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  const opts = withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(current.locale, opts).format(d);
}
