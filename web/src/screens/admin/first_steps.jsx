// first_steps.jsx: what a new, empty database shows the region
// administrator on the dashboard instead of empty figures: the first steps
// in order (areas, an institution, a program, a cohort, colleagues'
// accounts, or importing persons), each a link, ticked once done (counted
// with the lists' totals).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { t } from '../../i18n/index.js';
import { Link } from '../../router.js';
import './admin.css';

const STEPS = [
  { key: 'areas', list: '/areas', href: '/areas/new', done: (n) => n > 0 },
  { key: 'institution', list: '/institutions', href: '/institutions/new', done: (n) => n > 0 },
  { key: 'program', list: '/programs', href: '/programs/new', done: (n) => n > 0 },
  { key: 'cohort', list: '/cohorts', href: '/cohorts/new', done: (n) => n > 0 },
  { key: 'accounts', list: '/accounts', href: '/admin/accounts/new', done: (n) => n > 1 },   // the administrator's own is one
  { key: 'import', list: '/persons', href: '/imports', done: (n) => n > 0 },
];

export function FirstSteps() {
  const [totals, setTotals] = useState({});
  useEffect(() => {
    let live = true;
    for (const s of STEPS)
      api
        .get(s.list, { limit: 1 })
        .then((d) => live && setTotals((o) => ({ ...o, [s.key]: d.total })))
        .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  return (
    <div class="first-steps-box" id="first-steps">
      <h2>{t('first.title')}</h2>
      <p>{t('first.intro')}</p>
      <ol class="first-steps">
        {STEPS.map((s) => {
          const done = totals[s.key] !== undefined && s.done(totals[s.key]);
          return (
            <li key={s.key} class={done ? 'done' : undefined}>
              <Link href={s.href}>{t(`first.${s.key}`)}</Link>
              {done && <span> — {t('first.done')}</span>}
              <p class="hint">{t(`first.${s.key}_hint`)}</p>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
