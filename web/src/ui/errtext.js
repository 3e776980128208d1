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

// Parameters that are codes (enum values), shown by their labels: every reason's {state}, {status},
// {from}, {to}, {want}; {got} and each entry of {allowed} of a not_one_of.
const CODE_PARAMS = ['state', 'status', 'from', 'to', 'want'];
const LIST_CODE_PARAMS = { not_one_of: ['got', 'allowed'] };
// Where a code's label is, first by the error's field (else enum.<field>), then by its reason, then
// any of the groups: the first that holds the code.
const FIELD_GROUPS = { state: 'comp.state', method: 'assess.method', role: 'role' };
const REASON_GROUPS = { edition_state: 'comp.state', edition_move: 'comp.state', status_move: 'enum.status', already_ended: 'enum.status' };
const ANY_GROUPS = ['enum.status', 'comp.state', 'enum.competitor_status', 'enum.award_status', 'enum.level', 'enum.kind', 'enum.sex', 'enum.reason', 'assess.method', 'role'];

/** The label of code, an enum value met in e (its field's, its reason's, else any group's); the code itself when none has it. */
export function codeLabel(e, code) {
  const groups = [FIELD_GROUPS[e.field] || (e.field && `enum.${e.field}`), REASON_GROUPS[e.reason], ...ANY_GROUPS];
  const key = groups.filter((g) => g).map((g) => `${g}.${code}`).find((k) => hasKey(k));
  return key ? t(key) : code;
}

/** A parameter's value: a code by its label, a list of codes ("a, b") each by its label, joined the language's way. */
function codeValue(e, v) {
  const parts = String(v).split(/,\s*/).filter((c) => c !== '');
  return parts.length > 1 ? parts.map((c) => codeLabel(e, c)).join(t('error.list_separator')) : codeLabel(e, String(v));
}

// Parameters that are record ids (or a port): numbers written as they are, not as amounts ("#1044", not "1,044").
const ID_PARAMS = ['id', 'person', 'competitor', 'institution', 'first', 'session', 'unit', 'criterion', 'category', 'port'];

/** The variables of a reason's sentence: numbers formatted, ids as written, codes labelled, texts isolated, fields labelled. */
function vars(e) {
  const out = { field: fieldLabel(e.field) };
  const codes = [...CODE_PARAMS, ...(LIST_CODE_PARAMS[e.reason] || [])];
  for (const [k, v] of Object.entries(e.params || {})) {
    if (FIELD_PARAMS.includes(k)) out[k] = fieldLabel(v);
    else if (typeof v === 'number' && (ID_PARAMS.includes(k) || k.endsWith('_id'))) out[k] = FSI + String(v) + PDI;
    else if (typeof v === 'number') out[k] = fmtNumber(v);
    else out[k] = FSI + (codes.includes(k) ? codeValue(e, v) : String(v)) + PDI;
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
