// entries.jsx: who takes part in a category: the competitors (entered by
// their institution with the learner's own consent, while registration is
// open; they may withdraw until marking starts) and the judges (at least
// three, one of them the chief judge, assigned before marking starts, with
// the institution they belong to: they never mark its competitors).
import { useEffect, useState } from 'preact/hooks';
import { request } from '../../api.js';
import { fmtDate, fmtNumber, t } from '../../i18n/index.js';
import { refForget } from '../../refs.js';
import { ROLES, hasRole, staffInstitutions } from '../../session.js';
import { Busy, ErrorNotice, FieldError, Status } from '../../ui/notice.jsx';
import { PersonPicker, RefPicker } from '../../ui/pickers.jsx';
import { RefName } from '../../ui/refname.jsx';
import { etagOf, listAll } from './data.js';
import { CategoryHeading, Head, Refusal, useCategory } from './ui.jsx';

/** The records of plural in category id, reloaded by reload(). */
function useList(plural, id) {
  const [items, setItems] = useState(null);
  const [err, setErr] = useState(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    listAll(`/${plural}`, { category: id })
      .then((l) => live && setItems(l))
      .catch((e) => live && (setErr(e), setItems([])));
    return () => {
      live = false;
    };
  }, [plural, id, n]);
  return { items, err, reload: () => setN((x) => x + 1) };
}

/** Props that tie a control to its error paragraph (id-err) when err names field. */
function errProps(err, field, id) {
  return err && err.field === field ? { invalid: true, describedBy: `${id}-err` } : {};
}

/** A form's sending: its error, whether it is busy, and run(fn) that sends through fn. */
function useSend() {
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn) => {
    setErr(null);
    setBusy(true);
    try {
      await fn();
    } catch (ex) {
      setErr(ex);
    } finally {
      setBusy(false);
    }
  };
  return { err, setErr, busy, run };
}

/** A picker's field (id prefix-field): label, control(props with id and the error's aria), hint, the API's error. */
function PickField({ prefix, field, label, err, hint, control }) {
  const id = `${prefix}-${field}`;
  return (
    <div class={`field${err?.field === field ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      {control({ id, ...errProps(err, field, id) })}
      {hint && <p class="hint">{hint}</p>}
      <FieldError err={err} field={field} id={`${id}-err`} />
    </div>
  );
}

/** The form that enters a learner: who, for which institution, and their consent. */
function EnterForm({ category, user, onDone }) {
  const mine = staffInstitutions(user);
  const [person, setPerson] = useState(null);
  const [institution, setInstitution] = useState(hasRole(user, [ROLES.admin]) ? null : mine[0] ?? null);
  const [consent, setConsent] = useState(false);
  const { err, setErr, busy, run } = useSend();
  const submit = (e) => {
    e.preventDefault();
    if (!consent) {
      setErr({ code: 'validation', field: 'consent', message: '', local: t('comp.enter.consent_needed') });
      return;
    }
    run(async () => {
      await request('POST', '/competitors', { body: { category_id: category.id, person_id: person, institution_id: institution, consent: true } });
      setPerson(null);
      setConsent(false);
      onDone(t('comp.enter.done'));
    });
  };
  const known = ['person_id', 'institution_id', 'consent'];
  return (
    <form class="record-form" onSubmit={submit} novalidate aria-labelledby="enter-h">
      <h2 id="enter-h">{t('comp.enter.title')}</h2>
      <Refusal err={err && known.includes(err.field) ? { ...err, message: '' } : err} title={t('comp.enter.refused')} />
      <PickField prefix="enter" field="person_id" label={t('comp.field.competitor')} err={err} control={(p) => <PersonPicker {...p} value={person} onChange={setPerson} />} />
      <PickField
        prefix="enter"
        field="institution_id"
        label={t('comp.field.entered_by')}
        err={err}
        control={(p) => <RefPicker {...p} plural="institutions" value={institution} onChange={setInstitution} required />}
      />
      <div class={`field field-bool${err?.field === 'consent' ? ' has-error' : ''}`}>
        <input
          id="enter-consent"
          type="checkbox"
          checked={consent}
          onChange={(e) => setConsent(e.currentTarget.checked)}
          aria-describedby={`enter-consent-hint${err?.field === 'consent' ? ' enter-consent-err' : ''}`}
          aria-invalid={err?.field === 'consent' ? 'true' : undefined}
        />
        <label for="enter-consent">{t('comp.enter.consent')}</label>
        <p class="hint" id="enter-consent-hint">
          {t('comp.enter.consent_hint')}
        </p>
        <FieldError err={err} field="consent" id="enter-consent-err" />
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('comp.enter.submit')}
        </button>
      </div>
    </form>
  );
}

/** Withdraw (with a confirmation) or, for an administrator, remove an entry made in error. */
function EntryActions({ entry, user, onDone }) {
  const [asking, setAsking] = useState(null); // 'withdraw' | 'remove'
  const [err, setErr] = useState(null);
  const act = async () => {
    setErr(null);
    try {
      if (asking === 'withdraw') await request('POST', `/competitors/${entry.id}/withdraw`);
      else await request('DELETE', `/competitors/${entry.id}`, { etag: etagOf(entry) });
      onDone(t(asking === 'withdraw' ? 'comp.enter.withdrawn' : 'comp.enter.removed'));
    } catch (e) {
      setErr(e);
    }
  };
  if (!asking)
    return (
      <span class="row-actions">
        <button type="button" onClick={() => setAsking('withdraw')}>
          {t('comp.enter.withdraw')}
        </button>
        {hasRole(user, [ROLES.admin]) && (
          <button type="button" class="danger" onClick={() => setAsking('remove')}>
            {t('comp.enter.remove')}
          </button>
        )}
      </span>
    );
  return (
    <div class="confirm" role="group" aria-label={t(asking === 'withdraw' ? 'comp.enter.withdraw' : 'comp.enter.remove')}>
      <p>{t(asking === 'withdraw' ? 'comp.enter.withdraw_explain' : 'comp.enter.remove_explain')}</p>
      <Refusal err={err} title={t('comp.enter.refused')} />
      <div class="actions">
        <button type="button" class="danger" onClick={act}>
          {t(asking === 'withdraw' ? 'comp.enter.withdraw_confirm' : 'form.delete_yes')}
        </button>
        <button type="button" onClick={() => setAsking(null)}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}

export function CompetitorsScreen({ params, user }) {
  const id = Number(params.id);
  const { category, edition, err: catErr } = useCategory(id);
  const { items, err, reload } = useList('competitors', id);
  const [note, setNote] = useState(null);
  if (catErr) return <ErrorNotice err={catErr} />;
  if (!category || !edition) return <Busy />;
  const open = edition.state === 'registration';
  const canWithdraw = ['draft', 'registration'].includes(edition.state);
  const mine = staffInstitutions(user);
  const isAdmin = hasRole(user, [ROLES.admin]);
  const done = (text) => {
    setNote(text);
    refForget('competitors');
    reload();
  };
  return (
    <section class="entries">
      <CategoryHeading category={category} edition={edition} title={t('comp.competitors')} />
      {note && <Status text={note} />}
      {!open && <p class="notice">{t('comp.enter.closed', { state: t(`comp.state.${edition.state}`) })}</p>}
      <ErrorNotice err={err} />
      {!items ? (
        <Busy />
      ) : items.length === 0 ? (
        <p class="empty">{t('comp.enter.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <Head cols={[t('comp.field.competitor'), t('comp.field.entered_by'), t('field.status'), t('comp.field.consent'), t('common.actions')]} />
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-competitor={c.id}>
                  <td>
                    <RefName plural="persons" id={c.person_id} />
                  </td>
                  <td>
                    <RefName plural="institutions" id={c.institution_id} />
                  </td>
                  <td>
                    <span class={`status status-${c.status}`}>{t(`comp.entry.${c.status}`)}</span>
                  </td>
                  <td>{fmtDate(c.consent_at, true)}</td>
                  <td>
                    {c.status === 'entered' && canWithdraw && (isAdmin || mine.includes(c.institution_id)) && <EntryActions entry={c} user={user} onDone={done} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && hasRole(user, [ROLES.admin, ROLES.staff]) && <EnterForm category={category} user={user} onDone={done} />}
    </section>
  );
}

/** Adding a judge: the person, the institution they belong to, chief or not. */
function JudgeForm({ category, onDone }) {
  const [person, setPerson] = useState(null);
  const [institution, setInstitution] = useState(null);
  const [chief, setChief] = useState(false);
  const { err, busy, run } = useSend();
  const submit = (e) => {
    e.preventDefault();
    run(async () => {
      const body = { category_id: category.id, person_id: person, chief };
      if (institution) body.institution_id = institution;
      await request('POST', '/judges', { body });
      setPerson(null);
      setInstitution(null);
      setChief(false);
      onDone(t('comp.judge.added'));
    });
  };
  const known = ['person_id', 'institution_id', 'chief'];
  return (
    <form class="record-form" onSubmit={submit} novalidate aria-labelledby="judge-h">
      <h2 id="judge-h">{t('comp.judge.add')}</h2>
      <Refusal err={err && known.includes(err.field) ? { ...err, message: '' } : err} title={t('comp.judge.refused')} />
      <PickField prefix="judge" field="person_id" label={t('comp.field.judge')} err={err} control={(p) => <PersonPicker {...p} value={person} onChange={setPerson} />} />
      <PickField
        prefix="judge"
        field="institution_id"
        label={t('comp.field.judge_institution')}
        err={err}
        hint={t('comp.hint.judge_institution')}
        control={(p) => <RefPicker {...p} plural="institutions" value={institution} onChange={setInstitution} emptyLabel={t('comp.judge.no_institution')} />}
      />
      <div class="field field-bool">
        <input id="judge-chief" type="checkbox" checked={chief} onChange={(e) => setChief(e.currentTarget.checked)} aria-describedby="judge-chief-hint" />
        <label for="judge-chief">{t('comp.field.chief')}</label>
        <p class="hint" id="judge-chief-hint">
          {t('comp.hint.chief')}
        </p>
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('comp.judge.submit')}
        </button>
      </div>
    </form>
  );
}

export function JudgesScreen({ params, user }) {
  const id = Number(params.id);
  const { category, edition, err: catErr } = useCategory(id);
  const { items, err, reload } = useList('judges', id);
  const [note, setNote] = useState(null);
  const [actErr, setActErr] = useState(null);
  if (catErr) return <ErrorNotice err={catErr} />;
  if (!category || !edition) return <Busy />;
  const open = ['draft', 'registration'].includes(edition.state) && hasRole(user, [ROLES.admin]);
  const done = (text) => {
    setNote(text);
    setActErr(null);
    reload();
  };
  const chiefs = (items || []).filter((j) => j.chief);
  // the new chief first, then the old one steps down: never a category without one
  const makeChief = async (j) => {
    setActErr(null);
    try {
      await request('PATCH', `/judges/${j.id}`, { body: { chief: true }, etag: etagOf(j) });
      for (const c of chiefs) if (c.id !== j.id) await request('PATCH', `/judges/${c.id}`, { body: { chief: false }, etag: etagOf(c) });
      done(t('comp.judge.chief_changed'));
    } catch (e) {
      setActErr(e);
      reload();
    }
  };
  const remove = async (j) => {
    setActErr(null);
    try {
      await request('DELETE', `/judges/${j.id}`, { etag: etagOf(j) });
      done(t('comp.judge.removed'));
    } catch (e) {
      setActErr(e);
    }
  };
  const enough = items && items.length >= 3 && chiefs.length === 1;
  return (
    <section class="entries">
      <CategoryHeading category={category} edition={edition} title={t('comp.judges')} />
      <p class="lead">{t('comp.judge.explain')}</p>
      {note && <Status text={note} />}
      {items && (
        <p class={`scheme-sum ${enough ? 'ok' : 'off'}`}>
          <span class="scheme-sum-icon" aria-hidden="true">
            {enough ? '✓' : '!'}
          </span>{' '}
          {t('comp.judge.count', { n: fmtNumber(items.length) })} {chiefs.length === 1 ? t('comp.hub.chief_yes') : t('comp.hub.chief_no')}
        </p>
      )}
      {!open && <p class="notice">{t('comp.judge.closed', { state: t(`comp.state.${edition.state}`) })}</p>}
      <ErrorNotice err={err} />
      <Refusal err={actErr} title={t('comp.judge.refused')} />
      {!items ? (
        <Busy />
      ) : items.length === 0 ? (
        <p class="empty">{t('comp.judge.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('comp.field.judge')}</th>
                <th scope="col">{t('comp.field.judge_institution')}</th>
                <th scope="col">{t('comp.field.chief')}</th>
                {open && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((j) => (
                <tr key={j.id} data-judge={j.id}>
                  <td>
                    <RefName plural="persons" id={j.person_id} />
                  </td>
                  <td>{j.institution_id ? <RefName plural="institutions" id={j.institution_id} /> : <span class="muted">—</span>}</td>
                  <td>{j.chief ? <strong class="chief">{t('comp.judge.chief')}</strong> : ''}</td>
                  {open && (
                    <td>
                      <div class="row-actions">
                        {!j.chief && (
                          <button type="button" onClick={() => makeChief(j)}>
                            {t('comp.judge.make_chief')}
                          </button>
                        )}
                        <button type="button" class="danger" onClick={() => remove(j)}>
                          {t('comp.judge.remove')}
                        </button>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && <JudgeForm category={category} onDone={done} />}
    </section>
  );
}
