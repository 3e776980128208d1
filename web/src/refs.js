// refs.js: names of the records other records point to (a program's
// institution, an enrollment's learner) and the options of a reference
// picker, fetched once and kept for the session; a write to a collection
// forgets what was kept of it.
import { api } from './api.js';
import { resources } from './resources.js';

const records = new Map();   // "plural/id" -> Promise<record|null>
const optionLists = new Map(); // "plural?query" -> Promise<records[]>

/** The record plural/id (null when it cannot be read: gone, or not ours to see). */
export function refRecord(plural, id) {
  const key = `${plural}/${id}`;
  if (!records.has(key)) records.set(key, api.get(`/${plural}/${id}`).catch(() => null));
  return records.get(key);
}

/** The display name of a record of plural. */
export function refLabel(plural, rec) {
  if (!rec) return '';
  const r = resources[plural];
  return r && r.label ? r.label(rec) : rec.name || rec.title || rec.display_name || rec.code || `#${rec.id}`;
}

/** Up to 500 records of plural matching query, for a picker. */
export function refOptions(plural, query = {}) {
  const key = plural + '?' + new URLSearchParams(query).toString();
  if (!optionLists.has(key)) {
    const p = api.get(`/${plural}`, { limit: 500, ...query }).then((d) => d.items);
    p.catch(() => optionLists.delete(key));
    optionLists.set(key, p);
  }
  return optionLists.get(key);
}

/**
 * The first matches of text among plural's records, narrowed by query: the
 * list's own search (resources.js `search(text)`, else `q`), 10 at a time;
 * a Promise of the list's answer ({items, total}).
 */
export function refSearch(plural, text, query = {}) {
  const r = resources[plural];
  const find = text ? (r && r.search ? r.search(text) : { q: text }) : {};
  return api.get(`/${plural}`, { limit: 10, ...query, ...find }).then((d) => {
    for (const rec of d.items) records.set(`${plural}/${rec.id}`, Promise.resolve(rec));
    return d;
  });
}

/** Forgets what was kept of plural (after a create, change or delete). */
export function refForget(plural) {
  for (const k of [...records.keys()]) if (k.startsWith(plural + '/')) records.delete(k);
  for (const k of [...optionLists.keys()]) if (k.startsWith(plural + '?')) optionLists.delete(k);
}
