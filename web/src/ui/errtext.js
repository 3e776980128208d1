// errtext.js: an API error in the reader's language, written from the
// catalog: "reason.<reason>" with the error's parameters ({max}, {got}, ...)
// and its field (through the field.* labels). The server's English message
// is never shown in place of it: an unknown reason, or one whose sentence
// needs a parameter the error did not bring, falls back to the general
// sentence of the error's code class (error.<code>). Only an English reader
// of an error that names no rule of its own (a general reason: invalid,
// refused, ...) is given the server's own English words, which say more.
import { fmtNumber, hasKey, language, t } from '../i18n/index.js';

const FSI = '\u2068';   // first-strong isolate: a value read in its own direction inside the sentence
const PDI = '\u2069';
const FIELD_PARAMS = ['other'];   // parameters that name another field

/** The label of an API field name in the reader's language (field.* or comp.field.*); when it has
 * none, the API's name to an English reader, else "this field". */
export function fieldLabel(name) {
  if (!name) return t('error.this_field');
  for (const key of [`field.${name}`, `comp.field.${name}`]) if (hasKey(key)) return t(key);
  return language().code === 'en' ? name : t('error.this_field');
}

/** The variables of a reason's sentence: numbers formatted, texts isolated, fields labelled. */
function vars(e) {
  const out = { field: fieldLabel(e.field) };
  for (const [k, v] of Object.entries(e.params || {})) {
    if (FIELD_PARAMS.includes(k)) out[k] = fieldLabel(v);
    else out[k] = typeof v === 'number' ? fmtNumber(v) : FSI + String(v) + PDI;
  }
  return out;
}

/** The general sentence of an error's code class. */
export function classText(e) {
  if (e.status === 412) return t('error.stale');
  return hasKey(`error.${e.code}`) ? t(`error.${e.code}`) : t('error.generic');
}

/** The sentence for e ({code, reason, params, field}: an ApiError or one of its rows), in the reader's language. */
export function errorText(e) {
  if (!e) return '';
  if (englishDetail(e)) return e.message;
  const key = `reason.${e.reason}`;
  if (e.reason && hasKey(key)) {
    const s = t(key, vars(e));
    if (!/\{\w+\}/.test(s)) return s.charAt(0).toUpperCase() + s.slice(1);
  }
  return classText(e);
}

/** 1 when the reason names no rule of its own (the class's general word): the server's English words add something. */
export function isGeneral(e) {
  return !e || !e.reason || ['invalid', 'refused', 'forbidden', 'no_such', 'usage', 'bad_request'].includes(e.reason);
}

/** The server's English message, only where it says more than the catalog can (a general reason) and the reader reads English; else null. */
export function englishDetail(e) {
  return e && e.message && language().code === 'en' && isGeneral(e) && e.code !== 'network' ? e.message : null;
}

/** Where a refused row is: "Row 3" (a file's row) or "Item 4" (a list's entry, from 1). */
export function rowPlace(row) {
  if (row.row) return t('error.row', { row: fmtNumber(row.row) });
  if (row.index !== undefined && row.index !== null) return t('error.item', { n: fmtNumber(row.index + 1) });
  return '';
}
