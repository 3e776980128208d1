// editions.jsx: the competition editions: the list (newest first, with
// each one's state), and one edition: its form (the shared ResourceForm),
// its steps draft -> registration -> marking -> locked -> published with
// the button for the next one and the API's refusal shown in full, and its
// categories.
import { useEffect, useState } from 'preact/hooks';
import { api, request } from '../../api.js';
import { fmtDate, fmtNumber, t } from '../../i18n/index.js';
import { refForget } from '../../refs.js';
import { Link } from '../../router.js';
import { ROLES, hasRole } from '../../session.js';
import { ResourceForm } from '../../ui/form.jsx';
import { Busy, ErrorNotice, Status } from '../../ui/notice.jsx';
import { STATES, listAll, nextState } from './data.js';
import { compResources } from './resources.js';
import { Head, Refusal } from './ui.jsx';

/** The state of an edition as a badge. */
export function StateBadge({ state }) {
  return <span class={`comp-state comp-state-${state}`}>{t(`comp.state.${state}`)}</span>;
}

export function EditionList({ user }) {
  const [items, setItems] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    listAll('/editions')
      .then((l) => setItems(l.sort((a, b) => b.year - a.year || b.id - a.id)))
      .catch((e) => (setErr(e), setItems([])));
  }, []);
  return (
    <section class="list-screen">
      <div class="heading-row">
        <h1 tabindex="-1">{t('comp.menu.competitions')}</h1>
        {hasRole(user, [ROLES.admin]) && (
          <Link class="button primary" href="/editions/new">
            {t('comp.new_edition')}
          </Link>
        )}
      </div>
      <p class="actions">
        <Link href="/competitions/history">{t('comp.menu.history')}</Link>
        <Link href="/results">{t('comp.public.title')}</Link>
      </p>
      <ErrorNotice err={err} />
      {!items ? (
        <Busy />
      ) : items.length === 0 ? (
        <p class="empty">{t('list.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <Head cols={[t('comp.field.year'), t('comp.field.edition_name'), t('comp.field.state'), t('field.start_date'), t('comp.results.title')]} />
            <tbody>
              {items.map((ed) => (
                <tr key={ed.id} data-edition={ed.id}>
                  <td>{ed.year}</td>
                  <td>
                    <Link href={`/editions/${ed.id}`}>{ed.name}</Link>
                  </td>
                  <td>
                    <StateBadge state={ed.state} />
                  </td>
                  <td>{fmtDate(ed.start_date)}</td>
                  <td>
                    {STATES.indexOf(ed.state) >= 2 && (
                      <Link href={`/editions/${ed.id}/results`} aria-label={t('comp.results.of', { name: ed.name })}>
                        {t('comp.results.title')}
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The edition's steps: where it is, what the next step needs, and the button that takes it. */
export function EditionSteps({ edition, user, onMoved }) {
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const next = nextState(edition.state);
  const here = STATES.indexOf(edition.state);
  const move = async () => {
    setBusy(true);
    setErr(null);
    try {
      const r = await request('POST', `/editions/${edition.id}/transition`, { body: { to: next } });
      refForget('editions');
      onMoved(r.data);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="comp-panel" aria-labelledby="steps-h">
      <h2 id="steps-h">{t('comp.steps.title')}</h2>
      <ol class="comp-steps">
        {STATES.map((s, i) => (
          <li key={s} class={i < here ? 'done' : i === here ? 'current' : ''} aria-current={i === here ? 'step' : undefined}>
            <span class="comp-step-no" aria-hidden="true">
              {fmtNumber(i + 1)}
            </span>
            <span>{t(`comp.state.${s}`)}</span>
          </li>
        ))}
      </ol>
      <Refusal err={err} title={t('comp.steps.refused', { state: next ? t(`comp.state.${next}`) : '' })} />
      {next && hasRole(user, [ROLES.admin]) && (
        <div class="comp-next">
          <p class="hint">{t(`comp.steps.needs.${next}`)}</p>
          <button type="button" class="primary" disabled={busy} onClick={move}>
            {t('comp.steps.move', { state: t(`comp.state.${next}`) })}
          </button>
        </div>
      )}
      {!next && <p>{t('comp.steps.published')}</p>}
    </section>
  );
}

/** The categories of an edition with what each has (criteria, entries, judges, lock). */
function EditionCategories({ edition, user }) {
  const [cats, setCats] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    let live = true;
    (async () => {
      const list = await listAll('/categories', { edition: edition.id });
      const counts = await Promise.all(
        list.map((c) =>
          Promise.all([
            api.get('/competitors', { category: c.id, limit: 1 }).then((d) => d.total),
            api.get('/judges', { category: c.id, limit: 1 }).then((d) => d.total),
          ]),
        ),
      );
      if (live) setCats(list.map((c, i) => ({ ...c, competitors: counts[i][0], judges: counts[i][1] })));
    })().catch((e) => live && (setErr(e), setCats([])));
    return () => {
      live = false;
    };
  }, [edition.id, edition.state]);
  const isAdmin = hasRole(user, [ROLES.admin]);
  return (
    <section class="comp-panel" aria-labelledby="cats-h">
      <div class="heading-row">
        <h2 id="cats-h">{t('comp.categories')}</h2>
        {isAdmin && edition.state === 'draft' && (
          <Link class="button" href={`/categories/new?edition_id=${edition.id}`}>
            {t('comp.new_category')}
          </Link>
        )}
      </div>
      <ErrorNotice err={err} />
      {!cats ? (
        <Busy />
      ) : cats.length === 0 ? (
        <p class="empty">{t('comp.categories_none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <Head cols={[t('comp.field.skill'), t('field.isco_code'), t('comp.competitors'), t('comp.judges'), t('comp.locked')]} />
            <tbody>
              {cats.map((c) => (
                <tr key={c.id} data-category={c.id}>
                  <td>
                    <Link href={`/categories/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{c.isco_code}</td>
                  <td>{fmtNumber(c.competitors)}</td>
                  <td>{fmtNumber(c.judges)}</td>
                  <td>{c.locked_at ? fmtDate(c.locked_at, true) : <span class="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** One edition: the form, the steps, the categories, and where its results are. */
export function EditionScreen(props) {
  const { params, user } = props;
  const id = params.id;
  const [edition, setEdition] = useState(null);
  const [formKey, setFormKey] = useState(0);
  const [moved, setMoved] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    if (id === 'new') return;
    setEdition(null);
    setMoved(null);
    api.get(`/editions/${id}`).then(setEdition, setErr);
  }, [id]);
  const form = <ResourceForm key={`${id}-${formKey}`} res={compResources.editions} id={id} {...props} />;
  if (id === 'new') return form;
  const onMoved = (ed) => {
    setEdition(ed);
    setMoved(ed.state);
    setFormKey((k) => k + 1);   // the form reads the new version
  };
  return (
    <>
      {form}
      <ErrorNotice err={err} />
      {moved && <Status text={t('comp.steps.moved', { state: t(`comp.state.${moved}`) })} />}
      {edition && (
        <>
          <nav class="related" aria-label={t('form.related')}>
            <ul>
              {STATES.indexOf(edition.state) >= 2 && (
                <li>
                  <Link href={`/editions/${edition.id}/results`}>{t('comp.results.title')}</Link>
                </li>
              )}
              {edition.state === 'published' && (
                <li>
                  <Link href={`/results/${edition.id}`}>{t('comp.public.page')}</Link>
                </li>
              )}
            </ul>
          </nav>
          <EditionSteps edition={edition} user={user} onMoved={onMoved} />
          <EditionCategories edition={edition} user={user} />
        </>
      )}
    </>
  );
}
