// erase.jsx: erasing a person's personal data (region administrators; POST
// /api/v1/persons/{id}/erase). The person is chosen (or named by
// ?person=ID, the person page's link), the consequences are stated — what
// is removed (names, birth date, contact details, external id, their
// accounts, their evidence files) and what is kept (sex, home area,
// institution, enrollments and results, anonymised, and the audit log,
// which holds digests and account names, never a person's details) — and
// the erasure needs the person's name or code typed exactly. It cannot be
// undone.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { t } from '../../i18n/index.js';
import { refForget } from '../../refs.js';
import { Link, setQuery } from '../../router.js';
import { personName } from '../../resources.js';
import { Busy, ErrorNotice, Status } from '../../ui/notice.jsx';
import { PersonPicker } from '../../ui/pickers.jsx';
import { AdminOnly, isAdmin } from './common.jsx';

/** What a typed confirmation must be: the person's full name, or their code (sourced_id) when they have one. */
export function confirmsErasure(person, typed) {
  const s = typed.trim();
  if (!s || !person) return false;
  return s === personName(person) || (!!person.sourced_id && s === person.sourced_id);
}

const REMOVED = ['admin.erase.removed_names', 'admin.erase.removed_birth', 'admin.erase.removed_contact', 'admin.erase.removed_code', 'admin.erase.removed_accounts', 'admin.erase.removed_evidence'];
const KEPT = ['admin.erase.kept_profile', 'admin.erase.kept_enrollments', 'admin.erase.kept_audit'];

export function EraseScreen({ user, query }) {
  const id = query.person ? Number(query.person) : null;
  const [person, setPerson] = useState(null);
  const [err, setErr] = useState(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!isAdmin(user)) return undefined;
    let live = true;
    setPerson(null);
    setErr(null);
    setTyped('');
    if (id)
      api
        .get(`/persons/${id}`)
        .then((p) => live && setPerson(p))
        .catch((e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [id]);
  if (!isAdmin(user)) return <AdminOnly title="admin.erase.title" />;

  const erase = async (e) => {
    e.preventDefault();
    if (!confirmsErasure(person, typed)) return;
    setBusy(true);
    setErr(null);
    try {
      const out = await api.post(`/persons/${person.id}/erase`);
      refForget('persons');
      setPerson(out);
      setDone(true);
      setTyped('');
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };
  const erased = person && person.erased_at;
  return (
    <section class="admin erase">
      <h1 tabindex="-1">{t('admin.erase.title')}</h1>
      <p>{t('admin.erase.intro')}</p>
      <div class="field">
        <label for="erase-person">{t('admin.erase.person')}</label>
        <PersonPicker
          id="erase-person"
          value={id}
          onChange={(v) => {
            setDone(false);
            setQuery(v ? { person: v } : {});
          }}
        />
      </div>
      <ErrorNotice err={err} />
      {done && <Status text={t('admin.erase.done')} />}
      {id && !person && !err && <Busy />}
      {person && erased && !done && <p class="notice">{t('admin.erase.already')}</p>}
      {person && !erased && (
        <>
          <h2>
            {t('admin.erase.about', { name: personName(person) })}
            {person.sourced_id && (
              <>
                {' · '}
                <bdi>{person.sourced_id}</bdi>
              </>
            )}
          </h2>
          <p>
            <Link href={`/persons/${person.id}`}>{t('admin.erase.open_person')}</Link>
          </p>
          <div class="consequences">
            <h3>{t('admin.erase.removed')}</h3>
            <ul>
              {REMOVED.map((k) => (
                <li key={k}>{t(k)}</li>
              ))}
            </ul>
            <h3>{t('admin.erase.kept')}</h3>
            <ul>
              {KEPT.map((k) => (
                <li key={k}>{t(k)}</li>
              ))}
            </ul>
            <p class="notice notice-error" role="note">
              {t('admin.erase.final')}
            </p>
          </div>
          <form class="record-form" onSubmit={erase}>
            <div class="field">
              <label for="erase-confirm">{t('admin.erase.type')}</label>
              <input id="erase-confirm" autocomplete="off" value={typed} aria-describedby="erase-confirm-hint" onInput={(e) => setTyped(e.currentTarget.value)} />
              <p class="hint" id="erase-confirm-hint">
                {person.sourced_id ? t('admin.erase.type_hint_code', { name: personName(person), code: person.sourced_id }) : t('admin.erase.type_hint', { name: personName(person) })}
              </p>
            </div>
            <div class="actions">
              <button type="submit" class="danger" disabled={busy || !confirmsErasure(person, typed)}>
                {t('admin.erase.submit')}
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
