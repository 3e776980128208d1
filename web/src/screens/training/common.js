// common.js: what the training screens share: today's date (UTC, as the
// server counts days), the label of an attendance status, a rate as a
// percentage, and the rows a refused bulk call names (error.rows: each
// refused row's index in the list sent, its field and why, written in the
// reader's language from the row's reason and parameters: errorText),
// keyed so that each is shown beside its learner or criterion.
import { fmtNumber, hasKey, t } from '../../i18n/index.js';
import { errorText } from '../../ui/errtext.js';

/** Today as YYYY-MM-DD in UTC (guild's sessions are dated in UTC). */
export function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}

/** The words for an attendance status ({code, label_key} or a code). */
export function statusLabel(st) {
  const code = typeof st === 'string' ? st : st.code;
  const key = (typeof st === 'object' && st.label_key) || `attendance.${code}`;
  return hasKey(key) ? t(key) : code;
}

/** "97.8 %" from a rate_percent (— when nothing is counted). */
export function percent(p) {
  return p === null || p === undefined ? '—' : `${fmtNumber(Math.round(p * 10) / 10)} %`;
}

/** The refused rows of err (a rows_refused answer) by their index in the list sent: {index: [{field, message}]},
 * each message the catalog's sentence for the row's reason (the server's English only for a general reason). */
export function refusedRows(err) {
  const out = {};
  if (!err || err.code !== 'rows_refused') return out;
  for (const r of err.rows || []) if (typeof r.index === 'number') (out[r.index] = out[r.index] || []).push({ field: r.field || null, message: errorText(r) });
  return out;
}

/** {person_id: reason} of a refused attendance call: sent is the marks sent ([{person_id, status}]). */
export function refusedMarks(err, sent) {
  const out = {};
  for (const [i, rows] of Object.entries(refusedRows(err))) {
    const m = sent && sent[Number(i)];
    if (m) out[m.person_id] = rows.map((r) => r.message).join('; ');
  }
  return out;
}

/** {index: reason} (index into the results sent) of a refused results call. */
export function refusedResults(err) {
  return Object.fromEntries(Object.entries(refusedRows(err)).map(([i, rows]) => [i, rows.map((r) => r.message).join('; ')]));
}
