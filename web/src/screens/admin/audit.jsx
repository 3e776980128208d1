// audit.jsx: the audit log for region administrators (GET /api/v1/audit):
// filtered by entity and record, by actor and by a range of days (UTC), in
// the address; 100 entries at a time with "show more" (next_after); and
// verifying the hash chain (GET /api/v1/audit/verify): intact with the
// number of entries, or the first entry that does not match and why.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { fmtNumber, t } from '../../i18n/index.js';
import { Filters } from '../../ui/list.jsx';
import { Busy, ErrorNotice } from '../../ui/notice.jsx';
import { AdminOnly, DataTable, When, isAdmin } from './common.jsx';

const DAY = 86400;

/** The API's query for the address's filters: days become seconds (from the start of `from`, to the end of `to`, UTC). */
export function auditQuery(q) {
  const out = {};
  if (q.entity) out.entity = q.entity;
  if (q.entity_id) out.entity_id = q.entity_id;
  if (q.actor) out.actor = q.actor;
  if (q.from) out.since = Date.parse(q.from + 'T00:00:00Z') / 1000;
  if (q.to) out.until = Date.parse(q.to + 'T00:00:00Z') / 1000 + DAY;
  return out;
}

/** The filters, drawn by the lists' Filters (ui/list.jsx); the API names two of them otherwise. */
const FILTERS = [
  { name: 'entity', type: 'text', label: 'admin.audit.entity' },
  { name: 'entity_id', type: 'int', min: 1, label: 'admin.audit.entity_id' },
  { name: 'actor', type: 'text', label: 'admin.audit.actor' },
  { name: 'from', type: 'date', label: 'admin.audit.from' },
  { name: 'to', type: 'date', label: 'admin.audit.to' },
];
const FIELD_OF = { since: 'from', until: 'to' };

export function AuditScreen({ user, query }) {
  const [items, setItems] = useState(null);
  const [next, setNext] = useState(null);
  const [err, setErr] = useState(null);
  const [check, setCheck] = useState(null);
  const [checking, setChecking] = useState(false);
  const key = JSON.stringify(auditQuery(query));
  const load = (after) =>
    api.get('/audit', { ...auditQuery(query), after }).then((d) => {
      setItems((old) => (after ? [...old, ...d.items] : d.items));
      setNext(d.next_after);
    });
  useEffect(() => {
    if (!isAdmin(user)) return;
    setErr(null);
    setItems(null);
    load().catch((e) => (setErr(e), setItems([])));
  }, [key]);
  if (!isAdmin(user)) return <AdminOnly title="admin.audit.title" />;

  const verify = async () => {
    setChecking(true);
    setCheck(null);
    try {
      setCheck(await api.get('/audit/verify'));
    } catch (x) {
      setCheck({ err: x });
    } finally {
      setChecking(false);
    }
  };
  return (
    <section class="admin list-screen">
      <h1 tabindex="-1">{t('admin.audit.title')}</h1>
      <p>{t('admin.audit.intro')}</p>
      <div class="actions">
        <button type="button" onClick={verify} disabled={checking}>
          {t('admin.audit.verify')}
        </button>
      </div>
      {checking && <Busy />}
      {check && check.err && <ErrorNotice err={check.err} />}
      {check && !check.err && (
        <div class={`notice ${check.intact ? 'notice-ok' : 'notice-error'}`} role={check.intact ? 'status' : 'alert'} id="audit-verdict">
          <strong>{check.intact ? t('admin.audit.intact', { n: fmtNumber(check.entries) }) : t('admin.audit.broken', { id: fmtNumber(check.first_bad_entry) })}</strong>
          {!check.intact && (
            <p class="detail" lang="en" dir="ltr">
              {check.reason}
            </p>
          )}
        </div>
      )}
      <Filters id="audit" filters={FILTERS} query={query} err={err && { ...err, field: FIELD_OF[err.field] || err.field }} />
      <p class="hint">{t('admin.audit.filter_hint')}</p>
      <ErrorNotice err={err && !err.field ? err : null} />
      <DataTable
        id="audit-entries"
        columns={[
          { label: t('admin.audit.number'), cell: (a) => fmtNumber(a.id) },
          { label: t('admin.audit.when'), cell: (a) => <When at={a.at} /> },
          { label: t('admin.audit.actor'), cell: (a) => <bdi>{a.actor}</bdi> },
          { label: t('admin.audit.action'), cell: (a) => <bdi>{a.action}</bdi> },
          { label: t('admin.audit.entity'), cell: (a) => <bdi>{a.entity}</bdi> },
          { label: t('admin.audit.entity_id'), cell: (a) => fmtNumber(a.entity_id) },
        ]}
        rows={items}
        empty={t('list.empty')}
      />
      {items && next && (
        <div class="actions">
          <button type="button" onClick={() => load(next).catch(setErr)}>
            {t('admin.audit.more')}
          </button>
        </div>
      )}
    </section>
  );
}
