// results.jsx: an edition's results: the medal table of institutions
// (medal points, then the mean standard score) and each category's
// competitors in rank order with raw mark, standard score and medal. The
// same view serves signed-in users (GET /editions/{id}/results, also
// while provisional) and everyone (the public pages: the published
// editions, GET /public/editions, and their results, GET
// /public/editions/{id}/results). Long tables show their first rows and
// "Show all"; with several categories, a jump to each (a choice on a phone,
// links on wider screens) and, after each, the way back to it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { fmtDateRange, fmtNumber, isolate, t } from '../../i18n/index.js';
import { personName } from '../../resources.js';
import { Link } from '../../router.js';
import { Busy, ErrorNotice } from '../../ui/notice.jsx';
import { StateBadge } from './editions.jsx';
import { MEDALS } from './data.js';
import { Head, Medal } from './ui.jsx';

/** The medals of the whole edition: how many of each. */
function MedalCount({ data }) {
  const n = Object.fromEntries(MEDALS.map((m) => [m, 0]));
  for (const c of data.categories) for (const r of c.results) if (r.medal) n[r.medal]++;
  return (
    <ul class="medal-count">
      {MEDALS.map((m) => (
        <li key={m}>
          <Medal medal={m} /> <strong>{fmtNumber(n[m])}</strong>
        </li>
      ))}
    </ul>
  );
}

const SHOWN = 10;   // rows of a long table shown before "Show all"

/** The first SHOWN of rows (all of them once asked), and the button that shows the rest. */
function useShortened(rows) {
  const [all, setAll] = useState(false);
  const shown = all || rows.length <= SHOWN + 2 ? rows : rows.slice(0, SHOWN);
  const more =
    shown.length < rows.length ? (
      <p class="show-all">
        <button type="button" onClick={() => setAll(true)}>
          {t('layout.show_all', { n: fmtNumber(rows.length) })}
        </button>
      </p>
    ) : null;
  return [shown, more];
}

function InstitutionTable({ rows: all }) {
  const [rows, more] = useShortened(all);
  return (
    <>
    <div class="table-wrap">
      <table class="inst-table">
        <caption class="visually-hidden">{t('comp.results.institutions')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('comp.results.place')}</th>
            <th scope="col">{t('field.institution_id')}</th>
            {MEDALS.map((m) => (
              <th scope="col" key={m}>
                {t(`comp.medal.${m}`)}
              </th>
            ))}
            <th scope="col">{t('comp.results.points')}</th>
            <th scope="col">{t('comp.results.mean_standard')}</th>
            <th scope="col">{t('comp.competitors')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.institution_id}>
              <td>{fmtNumber(i + 1)}</td>
              <th scope="row">
                <bdi>{r.name}</bdi>
              </th>
              {MEDALS.map((m) => (
                <td key={m}>{fmtNumber(r[m])}</td>
              ))}
              <td>
                <strong>{fmtNumber(r.points)}</strong>
              </td>
              <td>{fmtNumber(r.mean_standard)}</td>
              <td>{fmtNumber(r.competitors)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    {more}
    </>
  );
}

function CategoryResults({ cat, jump }) {
  const [results, more] = useShortened(cat.results);
  return (
    <section class="cat-results" id={`cat-${cat.category_id}`} aria-labelledby={`cat-${cat.category_id}-h`} data-category={cat.name}>
      <h3 id={`cat-${cat.category_id}-h`} tabindex="-1">
        <bdi>{cat.name}</bdi>
      </h3>
      {cat.results.length === 0 ? (
        <p class="empty">{t('comp.results.no_competitors')}</p>
      ) : (
        <div class="table-wrap">
          <table class="result-table">
            <Head cols={[t('comp.results.rank'), t('comp.field.competitor'), t('field.institution_id'), t('comp.results.raw'), t('comp.results.standard'), t('comp.results.medal')]} />
            <tbody>
              {results.map((r) => (
                <tr key={r.competitor_id} class={r.medal ? `row-${r.medal}` : ''} data-competitor={r.competitor_id}>
                  <td>{fmtNumber(r.rank)}</td>
                  <th scope="row">
                    <bdi>{personName(r)}</bdi>
                  </th>
                  <td>
                    <bdi>{r.institution}</bdi>
                  </td>
                  <td>{fmtNumber(r.raw)}</td>
                  <td>{fmtNumber(r.standard)}</td>
                  <td>
                    <Medal medal={r.medal} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more}
      {jump && (
        <p class="to-jump">
          <a href="#cat-jump">{t('layout.to_categories')}</a>
        </p>
      )}
    </section>
  );
}

/** The jump to a category: a choice (on a phone) and the list of links (wider screens). */
function CategoryJump({ categories }) {
  const go = (id) => {
    const h = document.getElementById(`cat-${id}-h`);
    if (!h) return;
    h.scrollIntoView({ block: 'start' });
    h.focus({ preventScroll: true });
  };
  return (
    <nav class="cat-jump" id="cat-jump" aria-label={t('comp.results.by_category')}>
      <div class="field cat-jump-pick">
        <label for="cat-jump-select">{t('layout.jump')}</label>
        <select id="cat-jump-select" value="" onChange={(e) => e.currentTarget.value && go(e.currentTarget.value)}>
          <option value="">{t('layout.jump_choose', { n: fmtNumber(categories.length) })}</option>
          {categories.map((c) => (
            <option key={c.category_id} value={String(c.category_id)}>
              {isolate(c.name)}
            </option>
          ))}
        </select>
      </div>
      <ul>
        {categories.map((c) => (
          <li key={c.category_id}>
            <a href={`#cat-${c.category_id}`}>
              <bdi>{c.name}</bdi>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The whole results view of data (a results answer); csv: the address of its CSV. */
export function ResultsView({ data, csv }) {
  return (
    <>
      <MedalCount data={data} />
      <h2>{t('comp.results.institutions')}</h2>
      <p class="hint">{t('comp.results.institutions_explain')}</p>
      <InstitutionTable rows={data.institutions} />
      <h2>{t('comp.results.by_category')}</h2>
      {data.categories.length > 1 && <CategoryJump categories={data.categories} />}
      {data.categories.map((c) => (
        <CategoryResults key={c.category_id} cat={c} jump={data.categories.length > 1} />
      ))}
      <details class="formula">
        <summary>{t('comp.results.how')}</summary>
        <p>{t('comp.results.how_text')}</p>
      </details>
      {csv && (
        <p class="actions">
          <a href={csv} download>
            {t('comp.results.csv')}
          </a>
          <a href={`${csv}&table=institutions`} download>
            {t('comp.results.csv_institutions')}
          </a>
        </p>
      )}
    </>
  );
}

/** Loads path (an API path) into {data, err}. */
function useResults(path) {
  const [state, setState] = useState({ data: null, err: null });
  useEffect(() => {
    let live = true;
    setState({ data: null, err: null });
    api.get(path).then(
      (data) => live && setState({ data, err: null }),
      (err) => live && setState({ data: null, err }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return state;
}

/** The results of an edition for signed-in users (provisional until locked). */
export function EditionResults({ params }) {
  const { data, err } = useResults(`/editions/${params.id}/results`);
  if (err) return <ErrorNotice err={err} />;
  if (!data) return <Busy />;
  return (
    <section class="results">
      <p class="crumbs">
        <Link href="/editions">{t('comp.menu.competitions')}</Link>
        {' › '}
        <Link href={`/editions/${data.edition_id}`}>{data.name}</Link>
      </p>
      <h1 tabindex="-1">{t('comp.results.heading', { name: data.name })}</h1>
      <p>
        <StateBadge state={data.state} />{' '}
        {['locked', 'published'].includes(data.state) ? t('comp.results.final') : t('comp.results.provisional')}
        {data.state === 'published' && (
          <>
            {' '}
            <Link href={`/results/${data.edition_id}`}>{t('comp.public.page')}</Link>
          </>
        )}
      </p>
      <ResultsView data={data} csv={`/api/v1/editions/${data.edition_id}/results?format=csv`} />
    </section>
  );
}

/** The published editions, for everyone. */
export function PublicEditions() {
  const { data, err } = useResults('/public/editions');
  return (
    <section class="results public">
      <h1 tabindex="-1">{t('comp.public.title')}</h1>
      <p class="lead">{t('comp.public.lead')}</p>
      <ErrorNotice err={err} />
      {!data && !err && <Busy />}
      {data && data.items.length === 0 && <p class="empty">{t('comp.public.none')}</p>}
      {data && data.items.length > 0 && (
        <ul class="cards comp-cards">
          {data.items.map((ed) => (
            <li class="card" key={ed.id} data-edition={ed.id}>
              <h2>
                <Link href={`/results/${ed.id}`}>
                  <bdi>{ed.name}</bdi>
                </Link>
              </h2>
              <p>
                <bdi>{ed.area}</bdi>
              </p>
              <p class="muted">
                {fmtDateRange(ed.start_date, ed.end_date)}
              </p>
              <p>{t('comp.public.counts', { categories: fmtNumber(ed.categories), competitors: fmtNumber(ed.competitors) })}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One published edition's results, for everyone. */
export function PublicResults({ params }) {
  const { data, err } = useResults(`/public/editions/${params.id}/results`);
  return (
    <section class="results public">
      <p class="crumbs">
        <Link href="/results">{t('comp.public.title')}</Link>
      </p>
      {err && (
        <>
          <h1 tabindex="-1">{t('comp.public.title')}</h1>
          {err.status === 404 ? <p class="notice">{t('comp.public.not_published')}</p> : <ErrorNotice err={err} />}
        </>
      )}
      {!data && !err && <Busy />}
      {data && (
        <>
          <h1 tabindex="-1">{t('comp.results.heading', { name: data.name })}</h1>
          <ResultsView data={data} csv={`/api/v1/public/editions/${data.edition_id}/results?format=csv`} />
        </>
      )}
    </section>
  );
}
