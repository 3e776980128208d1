// history.jsx: the competition over the editions (GET
// /competitions/stats): participants and categories per year (a uPlot
// chart with its figures as a table), the institutions' medal points over
// all editions, and a table of every edition with its growth and the
// competitors by sex (aggregates only).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { fmtNumber, fmtPercent, t } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { BarChart, YearChart } from '../../ui/chart.jsx';
import { Busy, ErrorNotice } from '../../ui/notice.jsx';
import { StateBadge } from './editions.jsx';
import { Head } from './ui.jsx';

export function History() {
  const [data, setData] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    api.get('/competitions/stats').then(setData, setErr);
  }, []);
  if (err) return <ErrorNotice err={err} />;
  if (!data) return <Busy />;
  const eds = [...data.editions].sort((a, b) => a.year - b.year || a.edition_id - b.edition_id);
  const top = data.totals.medals_by_institution.slice(0, 10);
  const growth = (x) => (x === null || x === undefined ? '—' : (x > 0 ? '+' : '') + fmtPercent(x));
  return (
    <section class="history">
      <p class="crumbs">
        <Link href="/editions">{t('comp.menu.competitions')}</Link>
      </p>
      <h1 tabindex="-1">{t('comp.history.title')}</h1>
      <dl class="figures">
        {[
          ['comp.history.editions', data.totals.editions],
          ['comp.history.participants', data.totals.participants],
          ['comp.history.distinct', data.totals.distinct_competitors],
          ['comp.history.institutions', data.totals.institutions],
        ].map(([label, value]) => (
          <div class="figure" key={label}>
            <dt>{t(label)}</dt>
            <dd>
              <span class="figure-value">{fmtNumber(value)}</span>
            </dd>
          </div>
        ))}
      </dl>
      <div class="charts">
        <YearChart
          title={t('comp.history.chart')}
          years={eds.map((e) => e.year)}
          series={[
            { label: t('comp.history.participants'), values: eds.map((e) => e.participants) },
            { label: t('comp.categories'), values: eds.map((e) => e.categories) },
          ]}
        />
        <BarChart title={t('comp.history.medal_points')} labels={top.map((m) => m.name)} values={top.map((m) => m.points)} valueLabel={t('comp.results.points')} categoryLabel={t('field.institution_id')} />
      </div>
      <h2>{t('comp.history.by_edition')}</h2>
      <div class="table-wrap">
        <table>
          <Head cols={[t('comp.field.year'), t('comp.field.edition_name'), t('comp.field.state'), t('comp.history.participants'), t('comp.history.growth'), t('comp.categories'), t('comp.history.institutions'), t('comp.history.female'), t('comp.history.male')]} />
          <tbody>
            {eds.map((e) => (
              <tr key={e.edition_id}>
                <td>{e.year}</td>
                <td>
                  <Link href={`/editions/${e.edition_id}`}>{e.name}</Link>
                </td>
                <td>
                  <StateBadge state={e.state} />
                </td>
                <td>{fmtNumber(e.participants)}</td>
                <td>{growth(e.growth.participants)}</td>
                <td>{fmtNumber(e.categories)}</td>
                <td>{fmtNumber(e.institutions)}</td>
                <td>{fmtNumber(e.competitors_by_sex.female)}</td>
                <td>{fmtNumber(e.competitors_by_sex.male)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">{t('comp.history.notes')}</p>
    </section>
  );
}
