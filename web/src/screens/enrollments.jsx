// enrollments.jsx: enrollments: the list (by cohort, learner, status) with
// withdrawal on every open enrollment (always possible, with an optional
// reason from a fixed list), trainers recording the end of training, and
// enrolling a learner in a cohort with the learner's own consent recorded.
// The list offers its whole filtered content as CSV and XLSX. Enrolling
// narrows the cohorts by the institution and program chosen first.
import { useEffect, useState } from 'preact/hooks';
import { api, request } from '../api.js';
import { fmtDate, t } from '../i18n/index.js';
import { refForget } from '../refs.js';
import { Link, navigate, setQuery } from '../router.js';
import { ROLES, hasRole } from '../session.js';
import { Control, enumLabel } from '../ui/field.jsx';
import { Filters, PAGE_SIZE, Pager } from '../ui/list.jsx';
import { ExportLinks } from '../ui/export.jsx';
import { Busy, ErrorNotice, FieldError, Status } from '../ui/notice.jsx';
import { PersonPicker, RefPicker } from '../ui/pickers.jsx';
import { RefName, RefVia } from '../ui/refname.jsx';
import { NEW_STATUSES, OPEN, REASON, STATUS, enrollmentFields } from './enrollment_fields.js';

/** Withdraw button, then a confirmation with the optional reason. onDone(enrollment) after. */
export function Withdraw({ enrollment, onDone, label }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState(null);
  const [err, setErr] = useState(null);
  const id = `wd-${enrollment.id}`;
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)} aria-label={label ? t('enrol.withdraw_named', { name: label }) : undefined}>
        {t('enrol.withdraw')}
      </button>
    );
  const confirm = async () => {
    setErr(null);
    try {
      const r = await request('POST', `/enrollments/${enrollment.id}/withdraw`, { body: reason ? { reason } : {} });
      refForget('enrollments');
      onDone(r.data);
    } catch (e) {
      setErr(e);
    }
  };
  return (
    <div class="confirm" role="group" aria-label={t('enrol.withdraw')}>
      <p>{t('enrol.withdraw_explain')}</p>
      <label for={id}>{t('field.withdrawal_reason')}</label>
      <Control def={enrollmentFields().reason} id={id} value={reason} onChange={setReason} />
      <ErrorNotice err={err} />
      <div class="actions">
        <button type="button" class="danger" onClick={confirm}>
          {t('enrol.withdraw_confirm')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}

/** A trainer's or staff member's recording of how training ended. */
function Finish({ enrollment, onDone }) {
  const [err, setErr] = useState(null);
  const set = async (status) => {
    try {
      const r = await request('PATCH', `/enrollments/${enrollment.id}`, { body: { status }, etag: `"${enrollment.version}"` });
      onDone(r.data);
    } catch (e) {
      setErr(e);
    }
  };
  return (
    <span class="finish">
      <button type="button" onClick={() => set('completed')}>{t('enrol.mark_completed')}</button>
      <button type="button" onClick={() => set('not_completed')}>{t('enrol.mark_not_completed')}</button>
      <ErrorNotice err={err} />
    </span>
  );
}

export function EnrollmentList({ user, query }) {
  const [page, setPage] = useState(null);
  const [err, setErr] = useState(null);
  const [note, setNote] = useState(query.enrolled ? t('enrol.done') : null);
  const offset = Number(query.offset) || 0;
  const chosen = { cohort: query.cohort, person: query.person, status: query.status };
  const apiQuery = { limit: PAGE_SIZE, offset, ...chosen };
  const key = JSON.stringify(apiQuery);
  const load = () =>
    api
      .get('/enrollments', apiQuery)
      .then(setPage)
      .catch((e) => (setErr(e), setPage({ items: [], total: 0 })));
  useEffect(() => {
    setErr(null);
    load();
  }, [key]);
  const canEnrol = hasRole(user, [ROLES.admin, ROLES.staff]);
  const canWithdraw = hasRole(user, [ROLES.admin, ROLES.staff]);
  const canFinish = hasRole(user, [ROLES.admin, ROLES.staff, ROLES.trainer]);
  const replace = (rec) => {
    setPage((p) => ({ ...p, items: p.items.map((x) => (x.id === rec.id ? rec : x)) }));
    setNote(t('enrol.updated'));
  };
  return (
    <section class="list-screen">
      <div class="heading-row">
        <h1 tabindex="-1">{t('menu.enrollments')}</h1>
        {canEnrol && (
          <Link class="button primary" href={`/enrollments/new${query.cohort ? `?cohort_id=${query.cohort}` : ''}`}>
            {t('enrol.new')}
          </Link>
        )}
      </div>
      <Filters id="enr" filters={enrollmentFields().filters} query={query} />
      {query.person && (
        <p>
          {t('field.person_id')}: <RefName plural="persons" id={Number(query.person)} />
        </p>
      )}
      {note && <Status text={note} />}
      <ErrorNotice err={err} />
      {page && !err && page.total > 0 && <ExportLinks plural="enrollments" filters={chosen} />}
      {!page ? (
        <Busy />
      ) : page.items.length === 0 ? (
        <p class="empty">{t('list.empty')}</p>
      ) : (
        <>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('field.person_id')}</th>
                  <th scope="col">{t('field.cohort_id')}</th>
                  <th scope="col">{t('field.program_id')}</th>
                  <th scope="col">{t('field.status')}</th>
                  <th scope="col">{t('field.consent_at')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((e) => (
                  <tr key={e.id} data-enrollment={e.id}>
                    <td>
                      <RefName plural="persons" id={e.person_id} />
                    </td>
                    <td>
                      <RefName plural="cohorts" id={e.cohort_id} />
                    </td>
                    <td>
                      <RefVia plural="cohorts" id={e.cohort_id} via="program_id" viaRef="programs" />
                    </td>
                    <td>
                      <span class={`status status-${e.status}`}>{enumLabel(STATUS, e.status)}</span>
                      {e.withdrawal_reason && <span class="muted small"> ({enumLabel(REASON, e.withdrawal_reason)})</span>}
                    </td>
                    <td>{fmtDate(e.consent_at, true)}</td>
                    <td class="row-actions">
                      {canWithdraw && OPEN.includes(e.status) && <Withdraw enrollment={e} onDone={replace} />}
                      {canFinish && e.status === 'enrolled' && <Finish enrollment={e} onDone={replace} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager offset={offset} total={page.total} count={page.items.length} onPage={(o) => setQuery({ ...query, offset: o || undefined })} />
        </>
      )}
    </section>
  );
}

/** Enrolling a learner: who, which cohort, applied or enrolled, and their consent. */
export function EnrolForm({ query }) {
  const [person, setPerson] = useState(query.person_id ? Number(query.person_id) : null);
  const [institution, setInstitution] = useState(null);
  const [program, setProgram] = useState(null);
  const [cohort, setCohort] = useState(query.cohort_id ? Number(query.cohort_id) : null);
  const [status, setStatus] = useState(NEW_STATUSES[0]);
  const [consent, setConsent] = useState(false);
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setErr(null);
    if (!consent) {
      setErr({ code: 'validation', field: 'consent', message: '', local: t('enrol.consent_needed') });
      return;
    }
    setBusy(true);
    try {
      const body = { person_id: person, cohort_id: cohort, status, consent: true };
      const r = await request('POST', '/enrollments', { body });
      refForget('enrollments');
      navigate(`/enrollments?cohort=${r.data.cohort_id}&enrolled=1`, { replace: true });
    } catch (ex) {
      setErr(ex);
    } finally {
      setBusy(false);
    }
  };
  const fieldErr = (name) => <FieldError err={err} field={name} id={`enrol-${name}-err`} />;
  const known = ['person_id', 'cohort_id', 'status', 'consent'];
  return (
    <section>
      <p class="crumbs">
        <Link href="/enrollments">{t('menu.enrollments')}</Link>
      </p>
      <h1 tabindex="-1">{t('enrol.new')}</h1>
      <ErrorNotice err={err && known.includes(err.field) ? { ...err, message: '' } : err} />
      <form class="record-form" onSubmit={submit} novalidate>
        <div class="field">
          <label for="enrol-person_id">{t('field.person_id')}</label>
          <PersonPicker id="enrol-person_id" value={person} onChange={setPerson} invalid={err?.field === 'person_id'} describedBy={err?.field === 'person_id' ? 'enrol-person_id-err' : undefined} />
          {fieldErr('person_id')}
        </div>
        <div class="field">
          <label for="enrol-institution">{t('field.institution_id')}</label>
          <RefPicker id="enrol-institution" plural="institutions" value={institution} emptyLabel={t('enrol.any_institution')} onChange={(v) => (setInstitution(v), setProgram(null), setCohort(null))} />
        </div>
        <div class="field">
          <label for="enrol-program">{t('field.program_id')}</label>
          <RefPicker id="enrol-program" plural="programs" query={institution ? { institution } : {}} value={program} emptyLabel={t('enrol.any_program')} onChange={(v) => (setProgram(v), setCohort(null))} />
        </div>
        <div class="field">
          <label for="enrol-cohort_id">{t('field.cohort_id')}</label>
          <RefPicker id="enrol-cohort_id" plural="cohorts" query={program ? { program } : institution ? { institution } : {}} value={cohort} onChange={setCohort} required invalid={err?.field === 'cohort_id'} describedBy={err?.field === 'cohort_id' ? 'enrol-cohort_id-err' : undefined} />
          {fieldErr('cohort_id')}
        </div>
        <div class="field">
          <label for="enrol-status">{t('field.status')}</label>
          <select id="enrol-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            {NEW_STATUSES.map((s) => (
              <option key={s} value={s}>
                {enumLabel(STATUS, s)}
              </option>
            ))}
          </select>
          {fieldErr('status')}
        </div>
        <div class={`field field-bool${err?.field === 'consent' ? ' has-error' : ''}`}>
          <input id="enrol-consent" type="checkbox" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} aria-describedby={`enrol-consent-hint${err?.field === 'consent' ? ' enrol-consent-err' : ''}`} aria-invalid={err?.field === 'consent' ? 'true' : undefined} />
          <label for="enrol-consent">{t('enrol.consent')}</label>
          <p class="hint" id="enrol-consent-hint">
            {t('enrol.consent_hint')}
          </p>
          {fieldErr('consent')}
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('enrol.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
