// data.js: what the competition screens share: the edition's states in
// order, reading every page of a list, a record's ETag, the values an
// aspect allows (for the marking screen's buttons), medal names and the reasons a mark
// may be corrected for; the fields of the scheme editor, as the server's
// document defines them (schema.js).
import { api } from '../../api.js';
import { bodyField, definitions, field } from '../../schema.js';

/** An edition's states in the order it goes through them (the server's edition.state values). */
export const STATES = ['draft', 'registration', 'marking', 'locked', 'published'];
export const MEDALS = ['gold', 'silver', 'bronze', 'medallion'];
/** Why a mark may be corrected after the lock: the values POST /marks/{id}/correction takes (docs/competitions.md). */
export const correctionReason = definitions(() => bodyField('post', '/marks/{id}/correction', { name: 'reason' }));

/** The fields the scheme editor shows, by kind ("criteria", "aspects") and name: their limits are the server's. */
export const SCHEME_FIELDS = {
  criteria: ['code', 'name', 'weight'],
  aspects: ['code', 'description', 'kind', 'max_mark', 'part_marks', 'descriptors'],
};
export const schemeFields = definitions(() =>
  Object.fromEntries(
    Object.entries(SCHEME_FIELDS).map(([kind, names]) => [kind, Object.fromEntries(names.map((n) => [n, field(kind, n)]))]),
  ),
);

/** The state after state (null at the end). */
export function nextState(state) {
  const i = STATES.indexOf(state);
  return i >= 0 && i < STATES.length - 1 ? STATES[i + 1] : null;
}

/** Every record of a list (all pages, 500 at a time, by the `after` cursor). */
export async function listAll(path, query = {}) {
  const out = [];
  let after;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await api.get(path, { ...query, limit: 500, after });
    out.push(...page.items);
    if (!page.next_after || page.items.length === 0) break;
    after = page.next_after;
  }
  return out;
}

/** The ETag of a record as read (its version). */
export const etagOf = (rec) => `"${rec.version}"`;

/**
 * The marks an aspect allows, lowest first: [{value, note}]. Judgement:
 * the scores 0..3 with their descriptors; measurement: 0, the part marks
 * ("1.50 | within 5%") and the maximum.
 */
export function allowedValues(aspect) {
  if (aspect.kind === 'judgement') return [0, 1, 2, 3].map((v) => ({ value: v, note: (aspect.descriptors || [])[v] || '' }));
  const byValue = new Map([[0, ''], [aspect.max_mark, '']]);
  for (const p of aspect.part_marks || []) {
    const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*\|\s*(.+)$/.exec(p);
    if (m) byValue.set(Number(m[1]), m[2].trim());
  }
  return [...byValue.entries()].sort((a, b) => a[0] - b[0]).map(([value, note]) => ({ value, note }));
}

/** A competitor's label where names are not shown (judges): their entry number. */
export const competitorNo = (id) => `#${id}`;

/** s kept left-to-right inside right-to-left text (where no element can: an <option>'s text). */
export const ltr = (s) => `\u2066${s}\u2069`;
