// context.jsx: what a record's page shows around it (resources.js
// `context(rec)`): a person's enrollments, competition entries and awards; a
// cohort's roster, trainers and sessions; an institution's programs,
// cohorts and staff. Each section is a short list (a line a record: its
// first column, then the others, each named for screen readers; lines fit a
// phone's width where a table would not) read from the API with
// the list's own filters (its columns resolved from the server's document
// like any list's), a link to the whole list where the browser has one,
// and nothing at all when the user may not read it (a 403 leaves it out).
// A section of ids (a cohort's trainers) names each one.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtNumber, t } from '../i18n/index.js';
import { Link } from '../router.js';
import { column } from '../schema.js';
import { hasRole } from '../session.js';
import { fieldLabel } from './field.jsx';
import { Cell } from './list.jsx';
import { RefName } from './refname.jsx';
import './context.css';

export const CONTEXT_ROWS = 10;

/** One section: title, and either ids of ref (names), or plural's list by query with columns. */
function Section({ s }) {
  const [page, setPage] = useState(s.ids ? { items: [], total: s.ids.length } : null);
  const [hidden, setHidden] = useState(false);
  const key = JSON.stringify(s.query || {});
  useEffect(() => {
    if (s.ids) return undefined;
    let live = true;
    api
      .get(`/${s.plural}`, { limit: CONTEXT_ROWS, ...s.query })
      .then((d) => live && setPage(d))
      .catch(() => live && setHidden(true));
    return () => {
      live = false;
    };
  }, [s.plural, key]);
  if (hidden) return null;
  const id = `ctx-${s.name}`;
  const cols = s.ids ? [] : s.columns.map((c) => column(s.plural, c));
  return (
    <section class="context-section" aria-labelledby={id} data-context={s.name}>
      <h2 id={id}>
        {t(s.title)}
        {page && page.total > 0 && <span class="muted small"> ({fmtNumber(page.total)})</span>}
      </h2>
      {!page ? (
        <p class="muted">{t('common.loading')}</p>
      ) : s.ids ? (
        s.ids.length === 0 ? (
          <p class="muted">{t('context.none')}</p>
        ) : (
          <ul class="context-names">
            {s.ids.map((x) => (
              <li key={x}>
                <RefName plural={s.ref} id={x} />
              </li>
            ))}
          </ul>
        )
      ) : page.items.length === 0 ? (
        <p class="muted">{t('context.none')}</p>
      ) : (
        <ul class="context-rows">
          {page.items.map((rec) => (
            <li key={rec.id}>
              {cols.map((c, i) => (
                <span key={c.name + (c.via || '')} class={i === 0 ? 'ctx-first' : 'ctx-cell'}>
                  {i > 0 && <span class="visually-hidden">{fieldLabel(c)}: </span>}
                  <Cell def={c} rec={rec} />
                </span>
              ))}
            </li>
          ))}
        </ul>
      )}
      {s.href && page && page.total > (s.ids ? Infinity : page.items.length) && (
        <p>
          <Link href={s.href}>{t('context.all', { total: fmtNumber(page.total) })}</Link>
        </p>
      )}
    </section>
  );
}

/** The context sections of rec (of the resolved kind res) that user's roles may see. */
export function RecordContext({ res, rec, user }) {
  if (!res.context || !rec) return null;
  const sections = res.context(rec).filter((s) => hasRole(user, s.roles));
  if (sections.length === 0) return null;
  return (
    <div class="record-context">
      {sections.map((s) => (
        <Section key={s.name} s={s} />
      ))}
    </div>
  );
}
