// list.jsx: the searchable, paged list of any record kind (resources.js,
// its columns and filters defined by the server's document: schema.js):
// its filters and page live in the address (so Back and a shared link keep
// them), the table's first column opens the record, and "New" shows for the
// roles that may create one; kinds the API exports (res.export) offer the
// whole filtered list as CSV and XLSX. Where the table does not fit (a
// phone), its rows become cards (ui/fit.js; each cell carries its column's
// name in data-label). Also the shared pieces: a cell's display value and
// the pager.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtDate, fmtNumber, t } from '../i18n/index.js';
import { Link, setQuery } from '../router.js';
import { narrowQuery, resource } from '../schema.js';
import { hasRole } from '../session.js';
import { Control, enumLabel, fieldLabel } from './field.jsx';
import { ExportLinks } from './export.jsx';
import { Busy, ErrorNotice, FieldError } from './notice.jsx';
import { RefName, RefVia } from './refname.jsx';

export const PAGE_SIZE = 25;

/** A record's value of field def as text (or a link to what it refers to). Values that are
 * data (names, codes, references) are isolated (<bdi>): a Latin name or a code keeps its order in
 * right-to-left text and does not turn the text around it. */
export function Cell({ def, rec }) {
  const v = rec[def.name];
  if (v === null || v === undefined || v === '') return <span class="muted">—</span>;
  switch (def.type) {
    case 'ref':
      return (
        <bdi>
          {def.via ? <RefVia plural={def.ref} id={v} via={def.via} viaRef={def.viaRef} /> : <RefName plural={def.ref} id={v} />}
        </bdi>
      );
    case 'enum':
      return enumLabel(def, v);
    case 'date':
      return fmtDate(v);
    case 'time':
      return fmtDate(v, true);
    case 'int':
      return fmtNumber(v);
    case 'strlist':
      return v.map((x, i) => (
        <span key={i}>
          {i > 0 && ', '}
          <bdi>{x}</bdi>
        </span>
      ));
    default:
      return <bdi>{String(v)}</bdi>;
  }
}

/** "1–25 of 2,000" and previous / next buttons. */
export function Pager({ offset, total, count, onPage }) {
  if (total === 0) return null;
  return (
    <nav class="pager" aria-label={t('list.pages')}>
      <span>
        {t('list.range', { from: fmtNumber(offset + 1), to: fmtNumber(offset + count), total: fmtNumber(total) })}
      </span>
      <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - PAGE_SIZE))}>
        {t('list.previous')}
      </button>
      <button type="button" disabled={offset + count >= total} onClick={() => onPage(offset + PAGE_SIZE)}>
        {t('list.next')}
      </button>
    </nav>
  );
}

/** The search form of a list: one control per filter definition; Search puts them in the address.
 * err: the list's API error; one naming a filter (a 422 for `q`) is shown beside it. */
export function Filters({ id, filters, query, err }) {
  const [draft, setDraft] = useState(query);
  useEffect(() => setDraft(query), [JSON.stringify(query)]);
  if (filters.length === 0) return null;
  const apply = (e) => {
    e.preventDefault();
    const q = {};
    for (const f of filters) {
      const v = f.type === 'search' && typeof draft[f.name] === 'string' ? draft[f.name].trim() : draft[f.name];
      if (v !== undefined && v !== null && v !== '') q[f.name] = v;
    }
    setQuery(q);
  };
  return (
    <form class="filters" role="search" onSubmit={apply} aria-label={t('list.filters')}>
      {filters.map((f) => {
        const bad = err && err.field === f.name;
        return (
          <div class={`field${bad ? ' has-error' : ''}`} key={f.name}>
            <label for={`${id}-${f.name}`}>{fieldLabel(f)}</label>
            <Control
              def={{ ...f, required: false, query: f.type === 'ref' ? narrowQuery(f, draft) : f.query }}
              id={`${id}-${f.name}`}
              value={f.type === 'ref' ? (draft[f.name] ? Number(draft[f.name]) : null) : draft[f.name]}
              onChange={(v) => setDraft((d) => ({ ...d, [f.name]: v }))}
              invalid={bad}
              describedBy={bad ? `${id}-${f.name}-err` : undefined}
            />
            <FieldError err={err} field={f.name} id={`${id}-${f.name}-err`} />
          </div>
        );
      })}
      <div class="actions">
        <button type="submit">{t('list.search')}</button>
        {Object.keys(query).length > 0 && (
          <button type="button" class="link" onClick={() => setQuery({})}>
            {t('list.clear')}
          </button>
        )}
      </div>
    </form>
  );
}

/** The list screen of res (an entry of resources.js); query is the address's query (filters, offset). */
export function ResourceList({ res: shown, user, query }) {
  const res = resource(shown);
  const [page, setPage] = useState(null);
  const [err, setErr] = useState(null);
  const filters = (res.filters || []).filter((f) => hasRole(user, f.roles));
  const offset = Number(query.offset) || 0;
  const chosen = {};
  for (const f of filters) if (query[f.name]) chosen[f.name] = query[f.name];
  const apiQuery = { limit: PAGE_SIZE, offset, ...chosen };
  const key = JSON.stringify(apiQuery);

  useEffect(() => {
    let live = true;
    setErr(null);
    api
      .get(`/${res.plural}`, apiQuery)
      .then((d) => live && setPage(d))
      .catch((e) => live && (setErr(e), setPage({ items: [], total: 0 })));
    return () => {
      live = false;
    };
  }, [res.plural, key]);

  const { columns } = res;

  return (
    <section class="list-screen">
      <div class="heading-row">
        <h1 tabindex="-1">{t(res.title)}</h1>
        {hasRole(user, res.create) && (
          <Link class="button primary" href={`/${res.plural}/new`}>
            {t(res.new)}
          </Link>
        )}
      </div>
      <Filters id={`filter-${res.plural}`} filters={filters} query={query} err={err} />
      <ErrorNotice err={err && filters.some((f) => f.name === err.field) ? { ...err, message: '' } : err} />
      {res.export && page && !err && page.total > 0 && <ExportLinks plural={res.plural} filters={chosen} />}
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
                  {columns.map((c) => (
                    <th key={c.name + (c.via || '')} scope="col">
                      {fieldLabel(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.items.map((rec) => (
                  <tr key={rec.id}>
                    {columns.map((c, i) => (
                      <td key={c.name + (c.via || '')} data-label={fieldLabel(c)}>
                        {i === 0 ? (
                          <Link href={`/${res.plural}/${rec.id}`}>{rec[c.name] ? <Cell def={c} rec={rec} /> : <bdi>{res.label(rec)}</bdi>}</Link>
                        ) : (
                          <Cell def={c} rec={rec} />
                        )}
                      </td>
                    ))}
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
