// form.jsx: the create / edit form of any record kind (resources.js, its
// fields defined by the server's document: schema.js).
// Reads the record with its ETag; saves only what changed, with If-Match;
// shows each API validation error beside the field it names; when someone
// else saved first (412) it says so and offers to reload; deletes (with a
// confirmation) where the role may. Around the record, its context
// (ui/context.jsx: a person's enrollments, a cohort's roster...); a picker
// is narrowed by what the form has chosen beside it (a field's narrow).
import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from '../api.js';
import { fmtDate, t } from '../i18n/index.js';
import { refForget } from '../refs.js';
import { Link, navigate } from '../router.js';
import { narrowQuery, resource } from '../schema.js';
import { ROLES, hasRole, staffInstitutions } from '../session.js';
import { Field } from './field.jsx';
import { Busy, ErrorNotice, Status } from './notice.jsx';
import { ConfirmDelete } from './confirm.jsx';
import { errorText } from './errtext.js';
import { RecordContext } from './context.jsx';

/** The value of def as the API takes it (lists without blank lines, text trimmed). */
export function apiValue(def, v) {
  if (def.type === 'strlist') return (v || []).map((s) => s.trim()).filter((s) => s);
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  return v ?? null;
}

/** The fields whose value differs from the record as read (for PATCH). */
export function changedFields(fields, values, original) {
  const out = {};
  for (const def of fields) {
    const v = apiValue(def, values[def.name]);
    if (JSON.stringify(v) !== JSON.stringify(original[def.name] ?? (def.type === 'strlist' || def.type === 'persons' ? [] : null)))
      out[def.name] = v;
  }
  return out;
}

/** False when the user may change res's records only as staff of their owner and rec is another's. */
export function ownsRecord(user, res, rec) {
  if (!res.owner || hasRole(user, [ROLES.admin])) return true;
  return staffInstitutions(user).includes(res.owner(rec));
}

/** Defaults of a new record from the query (?program_id=3); staff's own institution. */
function initialValues(res, query, user) {
  const v = {};
  const mine = staffInstitutions(user);
  if (mine.length && !hasRole(user, [ROLES.admin]) && res.fields.some((d) => d.name === 'institution_id'))
    v.institution_id = mine[0];
  for (const def of res.fields) {
    const q = query[def.name];
    if (q === undefined) continue;
    v[def.name] = def.type === 'ref' || def.type === 'int' ? Number(q) : q;
  }
  return v;
}

/**
 * The form of record id of res (an entry of resources.js; "new" to
 * create). user decides which buttons show; query gives a new record's
 * defaults.
 */
export function ResourceForm({ res: shown, id, user, query = {} }) {
  const res = resource(shown);
  const isNew = id === 'new';
  const [rec, setRec] = useState(isNew ? {} : null);
  const [etag, setEtag] = useState(null);
  const [values, setValues] = useState(isNew ? initialValues(res, query, user) : {});
  const [err, setErr] = useState(null);
  const [saved, setSaved] = useState(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const formRef = useRef(null);
  const canWrite = hasRole(user, isNew ? res.create : res.write) && (isNew || !rec || ownsRecord(user, res, rec));
  const formId = `f-${res.plural}`;

  const load = async () => {
    setErr(null);
    try {
      const r = await request('GET', `/${res.plural}/${id}`);
      setRec(r.data);
      setEtag(r.etag);
      setValues({ ...r.data });
    } catch (e) {
      setErr(e);
    }
  };
  useEffect(() => {
    if (!isNew) load();
  }, [res.plural, id]);

  // after an error, move focus to the field it names, else to the message
  useEffect(() => {
    if (!err || !formRef.current) return;
    const el = err.field && formRef.current.querySelector(`#${formId}-${err.field}`);
    (el || formRef.current.querySelector('[role=alert]'))?.focus?.();
  }, [err]);

  const set = (name) => (v) => {
    setValues((old) => ({ ...old, [name]: v }));
    setSaved(null);
  };

  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    setSaved(null);
    try {
      if (isNew) {
        const body = {};
        for (const def of res.fields) {
          const v = apiValue(def, values[def.name]);
          if (v !== null && !(Array.isArray(v) && v.length === 0)) body[def.name] = v;
        }
        const r = await request('POST', `/${res.plural}`, { body });
        refForget(res.plural);
        navigate(`/${res.plural}/${r.data.id}?created=1`, { replace: true });
        return;
      }
      const body = changedFields(res.fields, values, rec);
      if (Object.keys(body).length === 0) {
        setSaved(t('form.nothing_changed'));
        return;
      }
      const r = await request('PATCH', `/${res.plural}/${id}`, { body, etag });
      refForget(res.plural);
      setRec(r.data);
      setEtag(r.etag);
      setValues({ ...r.data });
      setSaved(t('form.saved'));
    } catch (ex) {
      setErr(ex);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setErr(null);
    try {
      await request('DELETE', `/${res.plural}/${id}`, { etag });
      refForget(res.plural);
      navigate(`/${res.plural}`, { replace: true });
    } catch (ex) {
      setErr(ex);
      setConfirmDelete(false);
    } finally {
      setBusy(false);
    }
  };

  if (!isNew && !rec)
    return err ? (
      // a record that cannot be read (gone, or not the user's) still has its list and a heading
      <section class="form-screen">
        <p class="crumbs">
          <Link href={`/${res.plural}`}>{t(res.title)}</Link>
        </p>
        <h1 tabindex="-1">{t(res.one)}</h1>
        <ErrorNotice err={err} />
      </section>
    ) : (
      <Busy />
    );
  const fieldNames = res.fields.map((d) => d.name);
  const fieldError = (name) => (err && err.field === name && err.status !== 412 ? errorText(err) : null);
  const generalErr = err && (err.status === 412 || !fieldNames.includes(err.field)) ? err : null;
  // the record's name is isolated: a Latin or numeric name keeps its order inside a right-to-left heading
  const title = isNew ? t(res.new) : (
    <>
      {t(res.one)}: <bdi>{res.label(rec)}</bdi>
    </>
  );
  const links = !isNew && res.links ? res.links(rec).filter((l) => hasRole(user, l.roles)) : [];

  return (
    <section class="form-screen">
      <p class="crumbs">
        <Link href={`/${res.plural}`}>{t(res.title)}</Link>
      </p>
      <h1 tabindex="-1">{title}</h1>
      {query.created && !saved && !err && <Status text={t('form.created')} />}
      {saved && <Status text={saved} />}
      {err && err.field && fieldNames.includes(err.field) && err.status !== 412 && (
        <ErrorNotice err={{ ...err, message: '' }} />
      )}
      <ErrorNotice err={generalErr}>
        {err && err.status === 412 && (
          <p>
            {t('form.stale_explain')}{' '}
            <button type="button" onClick={load}>
              {t('form.reload')}
            </button>
          </p>
        )}
      </ErrorNotice>
      <form ref={formRef} id={formId} onSubmit={save} novalidate class="record-form">
        {res.fields.map((def) => (
          <Field
            key={def.name}
            def={def.narrow ? { ...def, query: narrowQuery(def, values) } : def}
            formId={formId}
            value={values[def.name]}
            onChange={set(def.name)}
            error={fieldError(def.name)}
            disabled={!canWrite || (!isNew && def.immutable)}
          />
        ))}
        {!isNew && rec.updated_at && (
          <p class="meta muted small">
            {t('form.changed_at', { when: fmtDate(rec.updated_at, true) })}
          </p>
        )}
        {canWrite && (
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {isNew ? t('form.create') : t('form.save')}
            </button>
            {!isNew && hasRole(user, res.remove) && !confirmDelete && (
              <button type="button" class="danger" onClick={() => setConfirmDelete(true)} disabled={busy}>
                {t('form.delete')}
              </button>
            )}
          </div>
        )}
        {confirmDelete && <ConfirmDelete busy={busy} onYes={remove} onNo={() => setConfirmDelete(false)} />}
      </form>
      {!isNew && <RecordContext res={res} rec={rec} user={user} />}
      {links.length > 0 && (
        <nav class="related" aria-label={t('form.related')}>
          <ul>
            {links.map((l) => (
              <li key={l.href}>
                <Link href={l.href}>{t(l.label)}</Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </section>
  );
}
