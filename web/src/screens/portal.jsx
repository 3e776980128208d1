// portal.jsx: the learner's own pages: my programs, my enrollments (with
// withdrawal, always possible) and a download of everything guild holds
// about me (GET /api/v1/me/export). Read from the export, which names each
// enrollment's cohort and program.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtDateRange, t } from '../i18n/index.js';
import { enumLabel } from '../ui/field.jsx';
import { Busy, ErrorNotice, Status } from '../ui/notice.jsx';
import { Withdraw } from './enrollments.jsx';
import { OPEN, REASON, STATUS } from './enrollment_fields.js';

export function Portal() {
  const [data, setData] = useState(null);
  const [err, setErr] = useState(null);
  const [note, setNote] = useState(null);
  const load = () =>
    api
      .get('/me/export')
      .then(setData)
      .catch(setErr);
  useEffect(() => {
    load();
  }, []);
  if (err) return <ErrorNotice err={err} />;
  if (!data) return <Busy />;
  const enrollments = data.enrollments || [];
  const programs = [];
  for (const e of enrollments) {
    const p = programs.find((x) => x.title === e.program.title);
    if (p) p.statuses.push(e.status);
    else programs.push({ title: e.program.title, isco: e.program.isco_code, statuses: [e.status] });
  }
  return (
    <section class="portal">
      <h1 tabindex="-1">{t('portal.title')}</h1>
      {data.person && (
        <p class="lead">
          {t('portal.hello', { name: data.person.given_name })}
        </p>
      )}
      {note && <Status text={note} />}
      <h2>{t('portal.my_programs')}</h2>
      {programs.length === 0 ? (
        <p class="empty">{t('portal.no_programs')}</p>
      ) : (
        <ul class="cards">
          {programs.map((p) => (
            <li key={p.title} class="card">
              <strong>{p.title}</strong>
              <span class="muted small">
                {' '}
                ISCO {p.isco}
              </span>
              <p>{p.statuses.map((s) => enumLabel(STATUS, s)).join(', ')}</p>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('portal.my_enrollments')}</h2>
      {enrollments.length === 0 ? (
        <p class="empty">{t('portal.no_enrollments')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('field.program_id')}</th>
                <th scope="col">{t('field.cohort_id')}</th>
                <th scope="col">{t('portal.dates')}</th>
                <th scope="col">{t('field.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {enrollments.map((e) => (
                <tr key={e.id} data-enrollment={e.id}>
                  <td>{e.program.title}</td>
                  <td>{e.cohort.name}</td>
                  <td>
                    {fmtDateRange(e.cohort.start_date, e.cohort.end_date)}
                  </td>
                  <td>
                    {enumLabel(STATUS, e.status)}
                    {e.withdrawal_reason && <span class="muted small"> ({enumLabel(REASON, e.withdrawal_reason)})</span>}
                  </td>
                  <td>
                    {OPEN.includes(e.status) && (
                      <Withdraw
                        enrollment={e}
                        label={e.program.title}
                        onDone={() => {
                          setNote(t('portal.withdrawn'));
                          load();
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('portal.my_data')}</h2>
      <p>{t('portal.my_data_explain')}</p>
      <p>
        <a class="button" href="/api/v1/me/export" download="guild-my-data.json">
          {t('portal.download')}
        </a>
      </p>
    </section>
  );
}
