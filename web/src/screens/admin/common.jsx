// common.jsx: what the administration screens share: the "only for region
// administrators" notice (the server refuses the same with 403), a secret
// shown once (a one-time password, an API token) with a copy button, a
// grant's words (role at institution), dates of the API (ISO times), and
// the screens' tables.
import { useState } from 'preact/hooks';
import { fmtDate, t } from '../../i18n/index.js';
import { ROLES, hasRole } from '../../session.js';
import { Busy } from '../../ui/notice.jsx';
import { RefName } from '../../ui/refname.jsx';
import './admin.css';

/** True when user may use the administration screens (the server's rule: pol_admin). */
export function isAdmin(user) {
  return hasRole(user, [ROLES.admin]);
}

/** The screen for a user whose roles do not allow it: says so, and why. */
export function AdminOnly({ title }) {
  return (
    <section>
      <h1 tabindex="-1">{t(title)}</h1>
      <p class="notice" role="note">
        {t('admin.only_admins')}
      </p>
    </section>
  );
}

/** A secret the server shows this once: the value to copy, and what to do with it. */
export function ShownOnce({ label, value, note, id }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div class="notice notice-ok shown-once" role="status" id={id}>
      <p>
        <strong>{label}</strong>
      </p>
      <p>
        <code class="secret" dir="ltr" data-secret="1">
          {value}
        </code>{' '}
        <button type="button" onClick={copy}>
          {copied ? t('admin.copied') : t('admin.copy')}
        </button>
      </p>
      <p>{note}</p>
    </div>
  );
}

/** A grant in words: "Institution staff at <institution>". */
export function GrantText({ grant }) {
  return (
    <>
      {t(`role.${grant.role}`)}
      {grant.institution_id ? (
        <>
          {' · '}
          <RefName plural="institutions" id={grant.institution_id} />
        </>
      ) : null}
    </>
  );
}

/** An API time (ISO) as the reader's date and time; — for none. */
export function When({ at }) {
  return at ? fmtDate(at, true) : <span class="muted">—</span>;
}

/** A table of rows (null: still loading; none: the empty text): columns are {label, cell(row)}. */
export function DataTable({ id, columns, rows, empty }) {
  if (!rows) return <Busy />;
  if (rows.length === 0) return <p class="empty">{empty}</p>;
  return (
    <div class="table-wrap">
      <table id={id}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              {columns.map((c) => (
                <td key={c.label}>{c.cell(r)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
