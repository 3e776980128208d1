// accounts.jsx: the region administrator's accounts screens. The list
// (GET /api/v1/accounts: each account with its grants and open sessions;
// search and role filter in the address); a new account (POST /users with a
// password nobody sees, then POST /users/{id}/password_reset: the one-time
// password is shown once, to be changed at the first sign-in; a first role
// granted at once); one account: its name and person, disable / enable,
// reset the password (one-time, shown once), grant and revoke roles (with
// their institution for staff), and its open sessions (end one, or all by
// disabling). The server decides every step (pol_admin).
import { useEffect, useState } from 'preact/hooks';
import { api, request } from '../../api.js';
import { fmtNumber, t } from '../../i18n/index.js';
import { refForget } from '../../refs.js';
import { Link, setQuery } from '../../router.js';
import { ROLES } from '../../session.js';
import { PAGE_SIZE, Pager } from '../../ui/list.jsx';
import { Busy, ErrorNotice, FieldError, Status } from '../../ui/notice.jsx';
import { PersonPicker, RefPicker } from '../../ui/pickers.jsx';
import { RefName } from '../../ui/refname.jsx';
import { AdminOnly, DataTable, GrantText, ShownOnce, When, isAdmin } from './common.jsx';

export const ROLE_NAMES = Object.values(ROLES);
/** Roles that act through the account's person (the server refuses them without one). */
const PERSON_ROLES = [ROLES.trainer, ROLES.judge, ROLES.learner];

/** A password for the moment between creating an account and resetting it: random, never shown, never used. */
function throwaway() {
  const a = new Uint8Array(24);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'[b % 56]).join('');
}

/** The list of accounts: search, role, page in the address. */
export function AccountList({ user, query }) {
  const [page, setPage] = useState(null);
  const [err, setErr] = useState(null);
  const [q, setQ] = useState(query.q || '');
  const offset = Number(query.offset) || 0;
  const apiQuery = { limit: PAGE_SIZE, offset, q: query.q, role: query.role };
  const key = JSON.stringify(apiQuery);
  useEffect(() => {
    if (!isAdmin(user)) return undefined;
    let live = true;
    setErr(null);
    api
      .get('/accounts', apiQuery)
      .then((d) => live && setPage(d))
      .catch((e) => live && (setErr(e), setPage({ items: [], total: 0 })));
    return () => {
      live = false;
    };
  }, [key]);
  if (!isAdmin(user)) return <AdminOnly title="admin.accounts.title" />;
  const search = (e) => {
    e.preventDefault();
    setQuery({ ...query, q: q.trim() || undefined, offset: undefined });
  };
  return (
    <section class="list-screen admin">
      <div class="heading-row">
        <h1 tabindex="-1">{t('admin.accounts.title')}</h1>
        <Link class="button primary" href="/admin/accounts/new">
          {t('admin.accounts.new')}
        </Link>
      </div>
      <form class="filters" role="search" aria-label={t('list.filters')} onSubmit={search}>
        <div class="field">
          <label for="acct-q">{t('admin.accounts.search')}</label>
          <input id="acct-q" type="search" value={q} maxlength="100" onInput={(e) => setQ(e.currentTarget.value)} aria-describedby={err?.field === 'q' ? 'acct-q-err' : undefined} />
          <FieldError err={err} field="q" id="acct-q-err" />
        </div>
        <div class="field">
          <label for="acct-role">{t('admin.accounts.role')}</label>
          <select id="acct-role" value={query.role || ''} onChange={(e) => setQuery({ ...query, role: e.currentTarget.value || undefined, offset: undefined })}>
            <option value="">{t('admin.accounts.any_role')}</option>
            {ROLE_NAMES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="actions">
          <button type="submit">{t('list.search')}</button>
        </div>
      </form>
      <ErrorNotice err={err && err.field !== 'q' ? err : null} />
      <DataTable
        columns={[
          { label: t('admin.accounts.username'), cell: (a) => <Link href={`/admin/accounts/${a.id}`}><bdi>{a.username}</bdi></Link> },
          { label: t('admin.accounts.display_name'), cell: (a) => a.display_name },
          { label: t('admin.accounts.roles'), cell: (a) => <GrantList grants={a.grants} /> },
          { label: t('admin.accounts.status'), cell: (a) => <AccountStatus account={a} /> },
          { label: t('admin.accounts.sessions'), cell: (a) => fmtNumber(a.open_sessions) },
        ]}
        rows={page && page.items}
        empty={t('list.empty')}
      />
      {page && <Pager offset={offset} total={page.total} count={page.items.length} onPage={(o) => setQuery({ ...query, offset: o || undefined })} />}
    </section>
  );
}

function GrantList({ grants }) {
  if (grants.length === 0) return <span class="muted">{t('admin.accounts.no_roles')}</span>;
  return (
    <ul class="plain">
      {grants.map((g) => (
        <li key={g.id}>
          <GrantText grant={g} />
        </li>
      ))}
    </ul>
  );
}

function AccountStatus({ account }) {
  if (account.disabled) return <span class="badge badge-off">{t('admin.accounts.disabled')}</span>;
  if (account.password_must_change) return <span class="badge">{t('admin.accounts.must_change')}</span>;
  return <span>{t('admin.accounts.active')}</span>;
}

/** The role and institution of a grant to give; onChange({role, institution_id}). */
function GrantFields({ prefix, value, onChange, err, hasPerson }) {
  return (
    <>
      <div class="field">
        <label for={`${prefix}-role`}>{t('admin.accounts.role')}</label>
        <select id={`${prefix}-role`} value={value.role || ''} aria-describedby={`${prefix}-role-hint`} onChange={(e) => onChange({ role: e.currentTarget.value || null, institution_id: null })}>
          <option value="">{t('admin.accounts.no_role_yet')}</option>
          {ROLE_NAMES.map((r) => (
            <option key={r} value={r} disabled={PERSON_ROLES.includes(r) && !hasPerson}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
        <p class="hint" id={`${prefix}-role-hint`}>
          {t('admin.accounts.role_hint')}
        </p>
        <FieldError err={err} field="role" id={`${prefix}-role-err`} />
      </div>
      {value.role === ROLES.staff && (
        <div class="field">
          <label for={`${prefix}-inst`}>{t('admin.accounts.institution')}</label>
          <RefPicker id={`${prefix}-inst`} plural="institutions" required value={value.institution_id} onChange={(v) => onChange({ ...value, institution_id: v })} />
          <FieldError err={err} field="institution_id" id={`${prefix}-inst-err`} />
        </div>
      )}
    </>
  );
}

/** A new account: username, display name, person, a first role; answers with the one-time password, shown once. */
export function AccountNew({ user }) {
  const [username, setUsername] = useState('');
  const [display, setDisplay] = useState('');
  const [person, setPerson] = useState(null);
  const [grant, setGrant] = useState({ role: null, institution_id: null });
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState(null);
  if (!isAdmin(user)) return <AdminOnly title="admin.accounts.new" />;
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    try {
      const body = { username: username.trim(), display_name: display.trim() || username.trim(), password: throwaway() };
      if (person) body.person_id = person;
      const u = await api.post('/users', body);
      let grantErr = null;
      if (grant.role) {
        const g = { user_id: u.id, role: grant.role };
        if (grant.institution_id) g.institution_id = grant.institution_id;
        await api.post('/grants', g).catch((x) => (grantErr = x));
      }
      const reset = await api.post(`/users/${u.id}/password_reset`);
      refForget('users');
      setMade({ user: u, password: reset.one_time_password, grantErr });
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };
  if (made)
    return (
      <section class="admin">
        <h1 tabindex="-1">{t('admin.accounts.made', { name: made.user.username })}</h1>
        <ShownOnce id="one-time-password" label={t('admin.password.one_time')} value={made.password} note={t('admin.password.one_time_note')} />
        <ErrorNotice err={made.grantErr} title={t('admin.accounts.grant_failed')} />
        <p>
          <Link href={`/admin/accounts/${made.user.id}`}>{t('admin.accounts.open', { name: made.user.username })}</Link>
        </p>
      </section>
    );
  const fieldErr = err && err.field ? err : null;
  return (
    <section class="admin">
      <h1 tabindex="-1">{t('admin.accounts.new')}</h1>
      <p>{t('admin.accounts.new_intro')}</p>
      <ErrorNotice err={err} />
      <form class="record-form" onSubmit={submit}>
        <div class="field">
          <label for="new-username">{t('admin.accounts.username')}</label>
          <input id="new-username" required minlength="3" maxlength="64" autocomplete="off" value={username} aria-describedby="new-username-hint" onInput={(e) => setUsername(e.currentTarget.value.toLowerCase())} />
          <p class="hint" id="new-username-hint">
            {t('admin.accounts.username_hint')}
          </p>
          <FieldError err={fieldErr} field="username" id="new-username-err" />
        </div>
        <div class="field">
          <label for="new-display">{t('admin.accounts.display_name')}</label>
          <input id="new-display" maxlength="200" value={display} onInput={(e) => setDisplay(e.currentTarget.value)} />
          <FieldError err={fieldErr} field="display_name" id="new-display-err" />
        </div>
        <div class="field">
          <label for="new-person">{t('admin.accounts.person')}</label>
          <PersonPicker id="new-person" value={person} onChange={setPerson} describedBy="new-person-hint" />
          <p class="hint" id="new-person-hint">
            {t('admin.accounts.person_hint')}
          </p>
          <FieldError err={fieldErr} field="person_id" id="new-person-err" />
        </div>
        <GrantFields prefix="new" value={grant} onChange={setGrant} err={fieldErr} hasPerson={!!person} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('admin.accounts.create')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** One account: details, status, password reset, grants, sessions. */
export function AccountView({ user, params }) {
  const id = Number(params.id);
  const [acct, setAcct] = useState(null);
  const [etag, setEtag] = useState(null);
  const [grants, setGrants] = useState(null);
  const [sessions, setSessions] = useState(null);
  const [err, setErr] = useState(null);
  const [note, setNote] = useState(null);
  const [secret, setSecret] = useState(null);
  const [grant, setGrant] = useState({ role: null, institution_id: null });
  const [grantErr, setGrantErr] = useState(null);
  const [confirmReset, setConfirmReset] = useState(false);
  const [tick, setTick] = useState(0);
  const reload = () => setTick((n) => n + 1);
  useEffect(() => {
    if (!isAdmin(user)) return undefined;
    let live = true;
    Promise.all([request('GET', `/users/${id}`), api.get('/grants', { user: id, limit: 100 }), api.get(`/users/${id}/sessions`)])
      .then(([u, g, s]) => {
        if (!live) return;
        setAcct(u.data);
        setEtag(u.etag);
        setGrants(g.items);
        setSessions(s.items);
      })
      .catch((e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [id, tick]);
  if (!isAdmin(user)) return <AdminOnly title="admin.accounts.title" />;
  if (err && !acct) return <ErrorNotice err={err} />;
  if (!acct) return <Busy />;

  const act = async (fn, done) => {
    setErr(null);
    setNote(null);
    try {
      await fn();
      if (done) setNote(done);
      reload();
    } catch (x) {
      setErr(x);
    }
  };
  const setDisabled = (v) => act(() => api.patch(`/users/${id}`, { disabled: v }, etag), v ? t('admin.accounts.disabled_note') : t('admin.accounts.enabled_note'));
  const reset = () =>
    act(async () => {
      const r = await api.post(`/users/${id}/password_reset`);
      setConfirmReset(false);
      setSecret(r.one_time_password);
    });
  const addGrant = async (e) => {
    e.preventDefault();
    setGrantErr(null);
    try {
      const g = { user_id: id, role: grant.role };
      if (grant.institution_id) g.institution_id = grant.institution_id;
      await api.post('/grants', g);
      setGrant({ role: null, institution_id: null });
      setNote(t('admin.grants.granted'));
      reload();
    } catch (x) {
      setGrantErr(x);
    }
  };
  const revoke = (g) => act(() => api.del(`/grants/${g.id}`), t('admin.grants.revoked'));
  const endSession = (s) => act(() => api.del(`/users/${id}/sessions/${s.id}`), t('admin.sessions.ended'));

  return (
    <section class="admin account">
      <p>
        <Link href="/admin/accounts">{t('admin.accounts.back')}</Link>
      </p>
      <h1 tabindex="-1">
        <bdi>{acct.username}</bdi>
        {' · '}
        <bdi>{acct.display_name}</bdi>
      </h1>
      {note && <Status text={note} />}
      <ErrorNotice err={err} />
      <dl class="facts">
        <div>
          <dt>{t('admin.accounts.status')}</dt>
          <dd>
            <AccountStatus account={acct} />
          </dd>
        </div>
        <div>
          <dt>{t('admin.accounts.person')}</dt>
          <dd>
            <RefName plural="persons" id={acct.person_id} />
          </dd>
        </div>
        <div>
          <dt>{t('admin.accounts.password_changed')}</dt>
          <dd>
            <When at={acct.password_changed_at} />
          </dd>
        </div>
      </dl>
      <div class="actions">
        {acct.disabled ? (
          <button type="button" onClick={() => setDisabled(false)}>
            {t('admin.accounts.enable')}
          </button>
        ) : (
          <button type="button" class="danger" onClick={() => setDisabled(true)}>
            {t('admin.accounts.disable')}
          </button>
        )}
        {!confirmReset && (
          <button type="button" onClick={() => (setSecret(null), setConfirmReset(true))}>
            {t('admin.password.reset')}
          </button>
        )}
      </div>
      {confirmReset && (
        <div class="confirm" role="group" aria-label={t('admin.password.reset')}>
          <p>{t('admin.password.reset_confirm', { name: acct.username })}</p>
          <button type="button" class="danger" onClick={reset}>
            {t('admin.password.reset_yes')}
          </button>
          <button type="button" onClick={() => setConfirmReset(false)}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {secret && <ShownOnce id="one-time-password" label={t('admin.password.one_time')} value={secret} note={t('admin.password.one_time_note')} />}

      <h2>{t('admin.grants.title')}</h2>
      {grants.length === 0 ? (
        <p class="empty">{t('admin.accounts.no_roles')}</p>
      ) : (
        <ul class="rows">
          {grants.map((g) => (
            <li key={g.id}>
              <span>
                <GrantText grant={g} />
              </span>{' '}
              <button type="button" class="danger" onClick={() => revoke(g)} aria-label={t('admin.grants.revoke_named', { role: t(`role.${g.role}`) })}>
                {t('admin.grants.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="record-form" onSubmit={addGrant} aria-label={t('admin.grants.add')}>
        <ErrorNotice err={grantErr && !grantErr.field ? grantErr : null} />
        <GrantFields prefix="grant" value={grant} onChange={setGrant} err={grantErr} hasPerson={!!acct.person_id} />
        <div class="actions">
          <button type="submit" disabled={!grant.role}>
            {t('admin.grants.add')}
          </button>
        </div>
      </form>

      <h2>{t('admin.sessions.title')}</h2>
      <DataTable
        columns={[
          { label: t('admin.sessions.started'), cell: (x) => <When at={x.created_at} /> },
          { label: t('admin.sessions.last_seen'), cell: (x) => <When at={x.last_seen_at} /> },
          { label: t('admin.sessions.expires'), cell: (x) => <When at={x.expires_at} /> },
          {
            label: t('common.actions'),
            cell: (x) => (
              <button type="button" class="danger" onClick={() => endSession(x)}>
                {t('admin.sessions.end')}
              </button>
            ),
          },
        ]}
        rows={sessions}
        empty={t('admin.sessions.none')}
      />
    </section>
  );
}
