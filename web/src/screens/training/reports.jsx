// reports.jsx: staff's and trainers' reports of a cohort: the support list
// (the learners whose attendance is below the program's threshold, so that
// someone offers them help: never a sanction, and the screen says so) and
// every learner's attendance rate with their marks by status.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { fmtNumber, t } from '../../i18n/index.js';
import { setQuery } from '../../router.js';
import { personName } from '../../resources.js';
import { RefPicker, ownInstitutionQuery } from '../../ui/pickers.jsx';
import { Busy, ErrorNotice } from '../../ui/notice.jsx';
import { percent, statusLabel } from './common.js';

/** A table of learners: name, rate, counted marks, marks by status (and enrollment status when asked). */
function LearnerTable({ report, learners, withStatus, cls }) {
  return (
    <div class="table-wrap">
      <table class={cls}>
        <thead>
          <tr>
            <th scope="col">{t('entity.person')}</th>
            {withStatus && <th scope="col">{t('field.status')}</th>}
            <th scope="col">{t('training.me.rate')}</th>
            <th scope="col">{t('reports.counted')}</th>
            {report.statuses.map((s) => (
              <th scope="col" key={s.code}>
                {statusLabel(s)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {learners.map((l) => (
            <tr key={l.person_id} data-person={l.person_id} class={l.below_threshold ? 'below' : undefined}>
              <td dir="auto">{personName(l)}</td>
              {withStatus && <td>{t(`enum.status.${l.enrollment_status}`)}</td>}
              <td data-rate={l.rate_percent ?? ''}>
                {percent(l.rate_percent)}
                {l.below_threshold && <span class="small"> · {t('reports.below')}</span>}
              </td>
              <td>{fmtNumber(l.counted)}</td>
              {report.statuses.map((s) => (
                <td key={s.code}>{fmtNumber((l.statuses && l.statuses[s.code]) || 0)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CohortReports({ user, query }) {
  const cohort = query.cohort ? Number(query.cohort) : null;
  const [support, setSupport] = useState(null);
  const [rates, setRates] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    setSupport(null);
    setRates(null);
    setErr(null);
    if (!cohort) return;
    Promise.all([api.get(`/cohorts/${cohort}/support_list`), api.get(`/cohorts/${cohort}/attendance`)]).then(([s, r]) => {
      setSupport(s);
      setRates(r);
    }, setErr);
  }, [cohort]);
  return (
    <section class="reports">
      <h1 tabindex="-1">{t('reports.title')}</h1>
      <div class="filters">
        <div class="field">
          <label for="rp-cohort">{t('field.cohort_id')}</label>
          <RefPicker id="rp-cohort" plural="cohorts" query={ownInstitutionQuery(user)} value={cohort} onChange={(v) => setQuery({ cohort: v })} />
        </div>
      </div>
      {!cohort && <p class="empty">{t('reports.choose')}</p>}
      <ErrorNotice err={err} />
      {cohort && !err && !rates && <Busy />}
      {support && rates && (
        <>
          <p class="muted">
            <span dir="auto">{rates.program}</span> · <span dir="auto">{rates.cohort}</span> ·{' '}
            {t('reports.sessions', { n: rates.sessions_with_attendance, all: rates.sessions })}
          </p>
          <h2>{t('reports.support.title')}</h2>
          <p class="notice support-purpose">{t('reports.support.purpose')}</p>
          <p>{t(support.threshold_source === 'program' ? 'reports.threshold.program' : 'reports.threshold.default', { threshold: support.threshold })}</p>
          {support.learners.length === 0 ? (
            <p class="empty">{t('reports.support.none')}</p>
          ) : (
            <LearnerTable report={support} learners={support.learners} cls="support-list" />
          )}
          <h2>{t('reports.rates.title')}</h2>
          {rates.learners.length === 0 ? <p class="empty">{t('reports.rates.none')}</p> : <LearnerTable report={rates} learners={rates.learners} withStatus cls="rates" />}
        </>
      )}
    </section>
  );
}
