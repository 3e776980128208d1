// dashboard.jsx: key figures and charts for the whole region or one
// institution (GET /api/v1/stats/overview): learners, enrolled now, active
// cohorts, completions and competition participation; enrollments by
// program and by the learners' home area; competition participants and
// categories over the years. Staff see their own institution. A region
// administrator whose region has no learners yet (a new database) sees the
// first steps instead (screens/admin/first_steps.jsx).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtNumber, t } from '../i18n/index.js';
import { setQuery } from '../router.js';
import { ROLES, hasRole } from '../session.js';
import { BarChart, YearChart } from '../ui/chart.jsx';
import { Busy, ErrorNotice } from '../ui/notice.jsx';
import { RefName } from '../ui/refname.jsx';
import { RefPicker } from '../ui/pickers.jsx';
import { FirstSteps } from './admin/first_steps.jsx';

export function Figure({ label, value, note }) {
  return (
    <div class="figure">
      <dt>{label}</dt>
      <dd>
        <span class="figure-value">{fmtNumber(value)}</span>
        {note && <span class="figure-note">{note}</span>}
      </dd>
    </div>
  );
}

export function Dashboard({ user, query }) {
  const isAdmin = hasRole(user, [ROLES.admin]);
  const institution = query.institution ? Number(query.institution) : null;
  const [data, setData] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    let live = true;
    setData(null);
    setErr(null);
    api
      .get('/stats/overview', institution ? { institution } : {})
      .then((d) => live && setData(d))
      .catch((e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [institution]);

  const latest = data && [...data.competitions].reverse().find((c) => c.participants > 0);
  const empty = isAdmin && !institution && data && data.learners === 0 && data.by_program.length === 0 && !latest;
  return (
    <section class="dashboard">
      <h1 tabindex="-1">
        {t('dashboard.title')}
        {': '}
        {data && data.institution_id ? <RefName plural="institutions" id={data.institution_id} link={false} /> : t('dashboard.region')}
      </h1>
      {isAdmin && (
        <div class="field inline-field">
          <label for="dash-institution">{t('dashboard.scope')}</label>
          <RefPicker
            id="dash-institution"
            plural="institutions"
            value={institution}
            emptyLabel={t('dashboard.region')}
            onChange={(v) => setQuery(v ? { institution: v } : {})}
          />
        </div>
      )}
      <ErrorNotice err={err} />
      {!data && !err && <Busy />}
      {empty && <FirstSteps />}
      {data && !empty && (
        <>
          <dl class="figures">
            <Figure label={t('dashboard.learners')} value={data.learners} />
            <Figure label={t('dashboard.enrolled')} value={data.enrolled} />
            <Figure label={t('dashboard.active_cohorts')} value={data.active_cohorts} />
            <Figure label={t('dashboard.completions')} value={data.completions} />
            <Figure
              label={t('dashboard.competitors')}
              value={latest ? latest.participants : 0}
              note={latest ? t('dashboard.in_year', { year: latest.year }) : null}
            />
          </dl>
          <div class="charts">
            <BarChart
              title={t('dashboard.by_program')}
              labels={data.by_program.map((p) => p.title)}
              values={data.by_program.map((p) => p.enrollments)}
              valueLabel={t('dashboard.enrollments')}
              categoryLabel={t('field.program_id')}
            />
            <BarChart
              title={t('dashboard.by_area', { level: t(`enum.level.${data.by_area.level}`) })}
              labels={data.by_area.items.map((a) => a.name)}
              values={data.by_area.items.map((a) => a.enrollments)}
              valueLabel={t('dashboard.enrollments')}
              categoryLabel={t(`enum.level.${data.by_area.level}`)}
            />
            <YearChart
              title={t('dashboard.competition_years')}
              years={data.competitions.map((c) => c.year)}
              series={[
                { label: t('dashboard.participants'), values: data.competitions.map((c) => c.participants) },
                { label: t('dashboard.categories'), values: data.competitions.map((c) => c.categories) },
              ]}
            />
          </div>
        </>
      )}
    </section>
  );
}
