// tokens.jsx: API tokens for integrations (region administrators): the list
// (GET /api/v1/tokens: name, role, institution, made by and when, last
// used, expiry, revoked), a new token (POST /tokens: name, role, the
// institution for staff, expiry in days) whose secret is shown this once,
// and revoking one (DELETE /tokens/{id}) after a confirmation.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { t } from '../../i18n/index.js';
import { ROLES } from '../../session.js';
import { ErrorNotice, FieldError, Status } from '../../ui/notice.jsx';
import { RefPicker } from '../../ui/pickers.jsx';
import { AdminOnly, DataTable, GrantText, ShownOnce, When, isAdmin } from './common.jsx';

/** The roles a token may act as (the server's rule). */
const TOKEN_ROLES = [ROLES.admin, ROLES.staff];
/** Expiry choices in days (the server takes 1 to 730, or none). */
const EXPIRY = [30, 90, 365, 730];

export function TokensScreen({ user }) {
  const [items, setItems] = useState(null);
  const [err, setErr] = useState(null);
  const [tick, setTick] = useState(0);
  const [name, setName] = useState('');
  const [role, setRole] = useState(ROLES.admin);
  const [inst, setInst] = useState(null);
  const [days, setDays] = useState('90');
  const [formErr, setFormErr] = useState(null);
  const [made, setMade] = useState(null);
  const [asked, setAsked] = useState(null);   // the token whose revocation is being confirmed
  const [note, setNote] = useState(null);
  useEffect(() => {
    if (!isAdmin(user)) return undefined;
    let live = true;
    api
      .get('/tokens')
      .then((d) => live && setItems(d.items))
      .catch((e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [tick]);
  if (!isAdmin(user)) return <AdminOnly title="admin.tokens.title" />;

  const create = async (e) => {
    e.preventDefault();
    setFormErr(null);
    setMade(null);
    setNote(null);
    try {
      const body = { name: name.trim(), role };
      if (role === ROLES.staff) body.institution_id = inst;
      if (days) body.expires_in_days = Number(days);
      const r = await api.post('/tokens', body);
      setMade(r);
      setName('');
      setTick((n) => n + 1);
    } catch (x) {
      setFormErr(x);
    }
  };
  const revoke = async (tok) => {
    setErr(null);
    try {
      await api.del(`/tokens/${tok.id}`);
      setAsked(null);
      setNote(t('admin.tokens.revoked_note', { name: tok.name }));
      setTick((n) => n + 1);
    } catch (x) {
      setErr(x);
    }
  };
  const now = Date.now();
  const state = (tok) =>
    tok.revoked_at ? t('admin.tokens.revoked') : tok.expires_at && Date.parse(tok.expires_at) <= now ? t('admin.tokens.expired') : t('admin.tokens.active');

  return (
    <section class="admin">
      <h1 tabindex="-1">{t('admin.tokens.title')}</h1>
      <p>{t('admin.tokens.intro')}</p>
      {made && <ShownOnce id="token-secret" label={t('admin.tokens.secret', { name: made.name })} value={made.token} note={t('admin.tokens.secret_note')} />}
      {note && <Status text={note} />}
      <h2>{t('admin.tokens.new')}</h2>
      <ErrorNotice err={formErr && !formErr.field ? formErr : null} />
      <form class="record-form" onSubmit={create}>
        <div class="field">
          <label for="tok-name">{t('admin.tokens.name')}</label>
          <input id="tok-name" required maxlength="64" value={name} aria-describedby="tok-name-hint" onInput={(e) => setName(e.currentTarget.value)} />
          <p class="hint" id="tok-name-hint">
            {t('admin.tokens.name_hint')}
          </p>
          <FieldError err={formErr} field="name" id="tok-name-err" />
        </div>
        <div class="field">
          <label for="tok-role">{t('admin.tokens.role')}</label>
          <select id="tok-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            {TOKEN_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
          <FieldError err={formErr} field="role" id="tok-role-err" />
        </div>
        {role === ROLES.staff && (
          <div class="field">
            <label for="tok-inst">{t('admin.accounts.institution')}</label>
            <RefPicker id="tok-inst" plural="institutions" required value={inst} onChange={setInst} />
            <FieldError err={formErr} field="institution_id" id="tok-inst-err" />
          </div>
        )}
        <div class="field">
          <label for="tok-days">{t('admin.tokens.expires')}</label>
          <select id="tok-days" value={days} onChange={(e) => setDays(e.currentTarget.value)}>
            {EXPIRY.map((d) => (
              <option key={d} value={String(d)}>
                {t('admin.tokens.days', { n: d })}
              </option>
            ))}
            <option value="">{t('admin.tokens.never')}</option>
          </select>
          <FieldError err={formErr} field="expires_in_days" id="tok-days-err" />
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {t('admin.tokens.create')}
          </button>
        </div>
      </form>
      <h2>{t('admin.tokens.list')}</h2>
      <ErrorNotice err={err} />
      <DataTable
        columns={[
          { label: t('admin.tokens.name'), cell: (tok) => <bdi>{tok.name}</bdi> },
          { label: t('admin.tokens.role'), cell: (tok) => <GrantText grant={tok} /> },
          { label: t('admin.tokens.made'), cell: (tok) => <When at={tok.created_at} /> },
          { label: t('admin.tokens.last_used'), cell: (tok) => <When at={tok.last_used_at} /> },
          { label: t('admin.tokens.expires'), cell: (tok) => (tok.expires_at ? <When at={tok.expires_at} /> : t('admin.tokens.never')) },
          { label: t('admin.accounts.status'), cell: state },
          { label: t('common.actions'), cell: (tok) => !tok.revoked_at && <RevokeToken tok={tok} asked={asked === tok.id} onAsk={setAsked} onRevoke={revoke} /> },
        ]}
        rows={items}
        empty={t('admin.tokens.none')}
      />
    </section>
  );
}

/** A token's revoke button, and the question it asks first. */
function RevokeToken({ tok, asked, onAsk, onRevoke }) {
  if (!asked)
    return (
      <button type="button" class="danger" onClick={() => onAsk(tok.id)} aria-label={t('admin.tokens.revoke_named', { name: tok.name })}>
        {t('admin.tokens.revoke')}
      </button>
    );
  return (
    <span class="confirm-inline" role="group" aria-label={t('admin.tokens.revoke')}>
      <span>{t('admin.tokens.revoke_confirm', { name: tok.name })}</span>
      <button type="button" class="danger" onClick={() => onRevoke(tok)}>
        {t('admin.tokens.revoke_yes')}
      </button>
      <button type="button" onClick={() => onAsk(null)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}
