// pickers.jsx: inputs that choose records: a searchable picker of a
// collection's records (RefPicker: areas, institutions, programs, cohorts,
// persons; a combobox searching through the list's own filters, each match
// shown with what tells it apart), a select of a small collection's records
// (RefSelect), the person picker (one or several), and an ISCO-08
// occupation code input with the 436 unit groups offered as suggestions.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtNumber, t } from '../i18n/index.js';
import { refLabel, refOptions, refRecord, refSearch } from '../refs.js';
import { SEARCHABLE, personName } from '../resources.js';
import { ROLES, hasRole, staffInstitutions } from '../session.js';
import { RefDetail } from './refname.jsx';
import './pickers.css';
/** The query narrowing a picker of institutions' records to the user's own institution, when they are
 * staff of exactly one and no administrator (what the server would refuse of another's is not offered). */
export function ownInstitutionQuery(user) {
  const mine = staffInstitutions(user);
  return mine.length === 1 && !hasRole(user, [ROLES.admin]) ? { institution: mine[0] } : {};
}

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

/**
 * The search box and list of matches of a picker (the WAI-ARIA combobox
 * pattern: arrows move through the matches, Enter takes one, Escape closes;
 * the matches' count is announced). shown: the text when nothing is typed
 * (the chosen record's name); onPick(record) takes a match; query narrows
 * the list (the form's other choices); skip: ids not to offer.
 */
function SearchBox({ id, plural, query, shown = '', onPick, placeholder, describedBy, invalid, required, disabled, skip = [] }) {
  const [text, setText] = useState(shown);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  // found.key: the search (typed text and query) its items answer; a list that answers another is stale
  const [found, setFound] = useState({ items: [], total: 0, busy: false, err: null, key: null });
  const input = useRef(null);
  // the matches on screen, so that an answer that comes again keeps the option the reader is on
  const shownItems = useRef([]);
  const keepActive = (next) => (a) => {
    const was = a >= 0 ? shownItems.current[a] : null;
    return was ? next.filter((r) => !skip.includes(r.id)).findIndex((r) => r.id === was.id) : -1;
  };
  useEffect(() => setText(shown), [shown]);
  const typed = text !== shown ? text.trim() : '';
  const q = JSON.stringify(query || {});
  const searchKey = `${typed}\u0000${q}`;
  useEffect(() => {
    if (!open) return undefined;
    let live = true;
    setFound((f) => ({ ...f, busy: true }));
    const timer = setTimeout(
      () =>
        refSearch(plural, typed, query || {})
          .then((d) => live && (setFound({ items: d.items, total: d.total, busy: false, err: null, key: searchKey }), setActive(keepActive(d.items))))
          .catch((e) => live && setFound({ items: [], total: 0, busy: false, err: e, key: searchKey })),
      typed ? 200 : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [open, typed, plural, q]);
  // until the answer to what is typed now arrives, the list is the last one's: shown, but not taken from
  const stale = found.busy || found.key !== searchKey;
  const items = found.items.filter((r) => !skip.includes(r.id));
  shownItems.current = items;
  const listId = `${id}-list`;
  const pick = (r) => {
    onPick(r);
    setOpen(false);
    setActive(-1);
  };
  const key = (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) return setOpen(true);
      if (stale) return undefined;
      const n = items.length;
      if (n) setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : a <= 0 ? n - 1 : a - 1));
    } else if (e.key === 'Enter' && open && !stale && active >= 0 && items[active]) {
      e.preventDefault();
      pick(items[active]);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      setText(shown);
    }
  };
  const status = !open
    ? ''
    : found.err
      ? t('error.generic')
      : stale
        ? t('common.loading')
        : items.length === 0
          ? t('picker.none_found')
          : found.total > found.items.length
            ? t('picker.some', { shown: fmtNumber(found.items.length), total: fmtNumber(found.total) })
            : t('picker.all', { total: fmtNumber(found.items.length) });
  return (
    <div class="combo">
      <input
        ref={input}
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={[describedBy, `${id}-status`].filter(Boolean).join(' ')}
        aria-invalid={invalid ? 'true' : undefined}
        aria-required={required ? 'true' : undefined}
        disabled={disabled}
        autocomplete="off"
        spellcheck={false}
        value={text}
        placeholder={placeholder || t('picker.placeholder')}
        onInput={(e) => (setText(e.currentTarget.value), setOpen(true))}
        onFocus={() => setOpen(true)}
        onClick={() => setOpen(true)}
        onBlur={() => (setOpen(false), setText(shown))}
        onKeyDown={key}
      />
      <ul id={listId} role="listbox" class="found" hidden={!open || items.length === 0} aria-label={t('picker.results')} onMouseDown={(e) => e.preventDefault()}>
        {open &&
          items.map((r, i) => (
            <li
              key={r.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active ? 'true' : 'false'}
              class={i === active ? 'active' : undefined}
              data-id={r.id}
              onClick={() => pick(r)}
            >
              <span class="opt-name">{refLabel(plural, r)}</span>
              <RefDetail plural={plural} rec={r} />
            </li>
          ))}
      </ul>
      <p id={`${id}-status`} class="combo-status muted small" aria-live="polite">
        {status}
      </p>
    </div>
  );
}

/**
 * A searchable picker of one record of plural (areas, institutions,
 * programs, cohorts, persons): type to search, the chosen one's name in the
 * box and what tells it apart beneath, a button to clear it. query narrows
 * the matches (e.g. {institution: 3} once an institution is chosen).
 */
export function RefPicker({ id, plural, query, value, onChange, required, disabled, describedBy, invalid, emptyLabel }) {
  const [rec, setRec] = useState(null);
  useEffect(() => {
    let live = true;
    if (value == null) setRec(null);
    else refRecord(plural, value).then((r) => live && setRec(r || { id: value }));
    return () => {
      live = false;
    };
  }, [plural, value]);
  const chosen = value != null && rec && rec.id === value ? rec : null;
  const shown = chosen ? refLabel(plural, chosen) || `#${value}` : '';
  return (
    <div class="picker ref-picker" data-plural={plural} data-value={value ?? ''}>
      <SearchBox
        {...{ id, plural, query, shown, required, disabled, describedBy, invalid }}
        placeholder={emptyLabel}
        onPick={(r) => (setRec(r), onChange(r.id))}
      />
      {chosen && (
        <p class="chosen muted small">
          <RefDetail plural={plural} rec={chosen} />
          {!disabled && (
            <button type="button" class="link" onClick={() => onChange(null)} aria-label={t('picker.clear_named', { name: shown })}>
              {t('picker.clear')}
            </button>
          )}
        </p>
      )}
    </div>
  );
}

/** Person picker: a search (name prefix, or a person's code) and the chosen persons. value: an id, or a list of ids when multiple. */
export function PersonPicker({ id, value, onChange, multiple, disabled, describedBy, invalid, query }) {
  const chosen = multiple ? value || [] : value ? [value] : [];
  const [names, setNames] = useState({});
  useEffect(() => {
    chosen.forEach((pid) => {
      if (!names[pid]) refRecord('persons', pid).then((r) => setNames((n) => ({ ...n, [pid]: r ? personName(r) : `#${pid}` })));
    });
  }, [chosen.join(',')]);
  const pick = (p) => {
    setNames((n) => ({ ...n, [p.id]: personName(p) }));
    onChange(multiple ? [...chosen.filter((x) => x !== p.id), p.id] : p.id);
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
        <SearchBox
          {...{ id, query, describedBy, invalid }}
          plural="persons"
          skip={chosen}
          placeholder={t('picker.person_placeholder')}
          onPick={pick}
        />
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
