// markqueue.js: a judge's marks on their way to the server. Each choice
// is kept at once (and in localStorage, so a reload or an ended session
// loses nothing) and sent in turn: POST /marks for a new mark, PATCH
// /marks/{id} with If-Match for a changed one. When the network or the
// server fails, the marks wait and are sent again (after 1, 2, 4, 8, then
// every 15 seconds, and at once when the browser says it is back online).
// A refusal (4xx) is kept with the API's reason; choosing again retries.
// A mark the server stored although its answer was lost (a POST that then
// meets 409) is found and, if need be, changed; a mark changed on another
// device (412) is read again and shown as refused when it differs.
//
// Status of a mark: saved (the server has this value), saving (on its way),
// unsaved (waiting to be sent) or rejected (refused; error says why).
import { request } from '../../api.js';

const RETRY_MS = [1000, 2000, 4000, 8000, 15000];
const RETRYABLE = new Set([0, 429, 500, 502, 503, 504]);

export class MarkQueue {
  /** storeKey: where unsent marks are kept; onChange(): called after every change of a mark or of the queue. */
  constructor({ storeKey, onChange }) {
    this.entries = new Map();
    this.storeKey = storeKey;
    this.onChange = onChange;
    this.busy = false;
    this.paused = false;
    this.timer = null;
    this.failures = 0;
    this.offline = false;
    this.stopped = false;
    this.onOnline = () => {
      clearTimeout(this.timer);
      this.pump();
    };
    window.addEventListener('online', this.onOnline);
  }

  /** Stops retrying (the screen closed); what is unsent stays in storage. */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    window.removeEventListener('online', this.onOnline);
  }

  key(competitor, aspect) {
    return `${competitor}:${aspect}`;
  }

  /** The entry of one competitor's aspect, or undefined. */
  get(competitor, aspect) {
    return this.entries.get(this.key(competitor, aspect));
  }

  /** Takes the judge's marks as read from the server, then what storage kept unsent; starts sending. */
  load(marks) {
    for (const m of marks)
      this.entries.set(this.key(m.competitor_id, m.aspect_id), { competitor: m.competitor_id, aspect: m.aspect_id, value: m.value, mark: m });
    for (const u of this.stored()) this.choose(u.competitor, u.aspect, u.value, true);
    this.changed();
    this.pump();
  }

  /** The judge chose value for an aspect of a competitor: keep it and send it. */
  set(competitor, aspect, value) {
    this.choose(competitor, aspect, value, false);
    this.persist();
    this.changed();
    this.pump();
  }

  choose(competitor, aspect, value, quiet) {
    const k = this.key(competitor, aspect);
    const e = this.entries.get(k) || { competitor, aspect, mark: null };
    e.value = value;
    e.error = null;
    this.entries.set(k, e);
    if (!quiet) this.paused = false;
  }

  /** saved, saving, unsaved or rejected (undefined when nothing was chosen). */
  status(e) {
    if (!e) return undefined;
    if (e.error) return 'rejected';
    if (e.sending) return 'saving';
    if (e.mark && e.mark.value === e.value) return 'saved';
    return 'unsaved';
  }

  /** How many marks are in each status. */
  summary() {
    const n = { saved: 0, saving: 0, unsaved: 0, rejected: 0 };
    for (const e of this.entries.values()) n[this.status(e)]++;
    return n;
  }

  needsSend(e) {
    return !e.error && !e.sending && !(e.mark && e.mark.value === e.value);
  }

  changed() {
    if (!this.stopped) this.onChange();
  }

  stored() {
    try {
      return JSON.parse(localStorage.getItem(this.storeKey) || '[]');
    } catch {
      return [];
    }
  }

  /** Keeps the unsent marks in storage (or forgets the key when all are sent). */
  persist() {
    const unsent = [...this.entries.values()].filter((e) => !e.error && !(e.mark && e.mark.value === e.value));
    try {
      if (unsent.length) localStorage.setItem(this.storeKey, JSON.stringify(unsent.map(({ competitor, aspect, value }) => ({ competitor, aspect, value }))));
      else localStorage.removeItem(this.storeKey);
    } catch {
      /* storage refused: the marks are still kept in memory */
    }
  }

  /** Sends what waits, one at a time, until nothing does or the network fails. */
  async pump() {
    if (this.busy || this.stopped || this.paused) return;
    this.busy = true;
    try {
      for (;;) {
        const e = [...this.entries.values()].find((x) => this.needsSend(x));
        if (!e) break;
        const went = await this.send(e);
        if (this.stopped) return;
        if (went === 'retry') {
          this.offline = true;
          this.failures++;
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.pump(), RETRY_MS[Math.min(this.failures, RETRY_MS.length) - 1]);
          break;
        }
        if (went === 'pause') {
          this.paused = true;
          break;
        }
        this.offline = false;
        this.failures = 0;
      }
    } finally {
      this.busy = false;
      this.changed();
    }
  }

  /** One attempt for e: 'done' (saved or refused), 'retry' (network or server trouble) or 'pause' (signed out). */
  async send(e) {
    const value = e.value;
    e.sending = true;
    this.changed();
    try {
      const r = e.mark
        ? await request('PATCH', `/marks/${e.mark.id}`, { body: { value }, etag: `"${e.mark.version}"` })
        : await request('POST', '/marks', { body: { competitor_id: e.competitor, aspect_id: e.aspect, value } });
      e.mark = r.data;
      return 'done';
    } catch (err) {
      return await this.refused(e, value, err);
    } finally {
      e.sending = false;
      this.persist();
    }
  }

  /** What to do after err answered sending value for e. */
  async refused(e, value, err) {
    if (RETRYABLE.has(err.status)) return 'retry';
    if (err.status === 401) return 'pause';
    try {
      if (err.status === 409 && !e.mark) {
        // perhaps the mark was stored and only the answer was lost: find it
        const mine = await request('GET', '/marks', { query: { competitor: e.competitor, limit: 500 } });
        const found = mine.data.items.find((m) => m.aspect_id === e.aspect);
        if (found) {
          e.mark = found;   // the loop sends a PATCH when the value differs
          return 'done';
        }
      } else if (err.status === 412 && e.mark) {
        const fresh = (await request('GET', `/marks/${e.mark.id}`)).data;
        e.mark = fresh;
        if (fresh.value !== value && e.value === value) e.error = { status: 412, code: 'changed_elsewhere', message: err.message, now: fresh.value };
        return 'done';
      }
    } catch (again) {
      if (RETRYABLE.has(again.status)) return 'retry';
      err = again;
    }
    if (e.value === value) e.error = err;
    return 'done';
  }
}
