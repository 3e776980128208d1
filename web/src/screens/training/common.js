// common.js: what the training screens share: today's date (UTC, as the
// server counts days), the label of an attendance status, a rate as a
// percentage, and the refusals a bulk call names ("marks[3] person 812
// (Name): reason; ..." or "results[0].evidence_authentic: reason; ...")
// picked out of the server's message so that each is shown beside its row.
import { fmtNumber, hasKey, t } from '../../i18n/index.js';

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

/** {person_id: reason} from a refused bulk attendance call's message. */
export function refusedMarks(err) {
  const out = {};
  if (!err || err.field !== 'marks' || !err.message) return out;
  for (const m of err.message.matchAll(/marks\[\d+\] person (\d+)(?: \([^)]*\))?: ([^;]+)/g)) out[m[1]] = m[2].trim();
  return out;
}

/** {index: reason} (index into the results sent) and the refusals naming no row, from a refused results call. */
export function refusedResults(err) {
  const rows = {};
  const general = [];
  if (!err || !err.message) return { rows, general };
  for (const part of err.message.split(/;\s*/)) {
    const m = part.match(/results\[(\d+)\](?:\.(\w+))?: (.+)/);
    if (m) rows[m[1]] = (rows[m[1]] ? rows[m[1]] + '; ' : '') + m[3];
    else if (part.trim()) general.push(part.trim());
  }
  return { rows, general };
}
