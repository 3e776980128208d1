// pickers.jsx: inputs that choose records: a select of a collection's
// records (RefSelect), a search-as-you-type picker of persons (one or
// several), and an ISCO-08 occupation code input with the 436 unit groups
// offered as suggestions.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n/index.js';
import { refLabel, refOptions, refRecord } from '../refs.js';
import { personName } from '../resources.js';

/** A <select> of up to 500 records of plural (narrowed by query). */
export function RefSelect({ id, plural, query, value, onChange, required, disabled, describedBy, invalid, emptyLabel }) {
  const [items, setItems] = useState(null);
  const q = JSON.stringify(query || {});
  useEffect(() => {
    let live = true;
    refOptions(plural, query || {})
      .then((list) => live && setItems(list))
      .catch(() => live && setItems([]));
    return () => {
      live = false;
    };
  }, [plural, q]);
  const list = items || [];
  const known = value == null || list.some((r) => r.id === value);
  return (
    <select
      id={id}
      value={value == null ? '' : String(value)}
      required={required}
      disabled={disabled}
      aria-describedby={describedBy}
      aria-invalid={invalid ? 'true' : undefined}
      aria-busy={items === null ? 'true' : undefined}
      onChange={(e) => onChange(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
    >
      <option value="">{emptyLabel || (required ? t('common.choose') : '—')}</option>
      {!known && <option value={String(value)}>#{value}</option>}
      {list.map((r) => (
        <option key={r.id} value={String(r.id)}>
          {refLabel(plural, r)}
        </option>
      ))}
    </select>
  );
}

/** Person picker: a search field (name prefix) and the chosen persons. value: an id, or a list of ids when multiple. */
export function PersonPicker({ id, value, onChange, multiple, disabled, describedBy, invalid, query }) {
  const chosen = multiple ? value || [] : value ? [value] : [];
  const [names, setNames] = useState({});
  const [q, setQ] = useState('');
  const [found, setFound] = useState([]);
  const [err, setErr] = useState(null);
  useEffect(() => {
    chosen.forEach((pid) => {
      if (!names[pid]) refRecord('persons', pid).then((r) => setNames((n) => ({ ...n, [pid]: r ? personName(r) : `#${pid}` })));
    });
  }, [chosen.join(',')]);
  useEffect(() => {
    if (q.trim().length < 1) {
      setFound([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api
        .get('/persons', { q: q.trim(), limit: 8, ...(query || {}) })
        .then((d) => {
          if (live) {
            setFound(d.items);
            setErr(null);
          }
        })
        .catch((e) => live && setErr(e));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  const pick = (p) => {
    setNames((n) => ({ ...n, [p.id]: personName(p) }));
    onChange(multiple ? [...chosen.filter((x) => x !== p.id), p.id] : p.id);
    setQ('');
    setFound([]);
  };
  const drop = (pid) => onChange(multiple ? chosen.filter((x) => x !== pid) : null);
  return (
    <div class="picker">
      {chosen.length > 0 && (
        <ul class="chips">
          {chosen.map((pid) => (
            <li key={pid}>
              <span>{names[pid] || `#${pid}`}</span>
              {!disabled && (
                <button type="button" class="link" onClick={() => drop(pid)} aria-label={t('common.remove_named', { name: names[pid] || pid })}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!disabled && (multiple || chosen.length === 0) && (
        <>
          <input
            id={id}
            type="search"
            value={q}
            autocomplete="off"
            placeholder={t('picker.person_placeholder')}
            aria-describedby={describedBy}
            aria-invalid={invalid ? 'true' : undefined}
            onInput={(e) => setQ(e.currentTarget.value)}
          />
          {err && <p class="field-error">{t('error.generic')}</p>}
          {found.length > 0 && (
            <ul class="found" aria-label={t('picker.results')}>
              {found.map((p) => (
                <li key={p.id}>
                  <button type="button" onClick={() => pick(p)}>
                    {personName(p)} <span class="muted">#{p.id}{p.birth_date ? ' · ' + p.birth_date.slice(0, 4) : ''}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {q.trim() && found.length === 0 && !err && <p class="muted small">{t('picker.none')}</p>}
        </>
      )}
    </div>
  );
}

let occupations = null; // Promise of the list, fetched once

/** An ISCO-08 unit group code with the titles of all 436 as suggestions. */
export function IscoInput({ id, value, onChange, required, disabled, describedBy, invalid }) {
  const [list, setList] = useState([]);
  useEffect(() => {
    let live = true;
    if (!occupations)
      occupations = api.get('/occupations', { level: 4 }).then((d) => d.items).catch(() => ((occupations = null), []));
    occupations.then((l) => live && setList(l));
    return () => {
      live = false;
    };
  }, []);
  const title = list.find((o) => o.code === value)?.title;
  return (
    <>
      <input
        id={id}
        type="text"
        inputmode="numeric"
        pattern="[0-9]{4}"
        maxLength={4}
        list={`${id}-list`}
        value={value || ''}
        required={required}
        disabled={disabled}
        aria-describedby={describedBy}
        aria-invalid={invalid ? 'true' : undefined}
        onInput={(e) => onChange(e.currentTarget.value || null)}
      />
      <datalist id={`${id}-list`}>
        {list.map((o) => (
          <option key={o.code} value={o.code}>
            {o.title}
          </option>
        ))}
      </datalist>
      {title && (
        <span class="muted small" lang="en" dir="ltr">
          {' '}
          {title}
        </span>
      )}
    </>
  );
}
