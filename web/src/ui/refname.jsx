// refname.jsx: the name of a referenced record (fetched once, then kept),
// as a link to it when the user may open it; what tells a record apart
// from others of the same name (RefDetail: a program's institution, a
// cohort's program, institution and dates, a person's code and
// institution: resources.js `detail`); and a record reached through
// another (a cohort's institution, through its program: RefVia).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtDate, t } from '../i18n/index.js';
import { refLabel, refRecord } from '../refs.js';
import { resources } from '../resources.js';
import { Link } from '../router.js';

/** The record plural/id once read (undefined before, null when it cannot be read). */
export function useRecord(plural, id) {
  const [rec, setRec] = useState(undefined);
  useEffect(() => {
    let live = true;
    setRec(undefined);
    if (id) refRecord(plural, id).then((r) => live && setRec(r));
    return () => {
      live = false;
    };
  }, [plural, id]);
  return rec;
}

export function RefName({ plural, id, link = true }) {
  const rec = useRecord(plural, id);
  if (!id) return <span class="muted">—</span>;
  const text = rec ? refLabel(plural, rec) : `#${id}`;
  // a link only to kinds that have a page of their own (resources.js)
  return link && rec && resources[plural] ? (
    <Link href={`/${plural}/${id}`}>
      <bdi>{text}</bdi>
    </Link>
  ) : (
    <bdi>{text}</bdi>
  );
}

const accounts = new Map();   // username -> Promise<display name|null> (the accounts list is the administrators')

/**
 * The one who acted, from an actor text ("user:NAME", "token:NAME", "demo",
 * "system", "anonymous"): an account's display name (its sign-in name where
 * the user may not read accounts), an API token by its name, guild itself.
 */
export function Actor({ actor }) {
  const m = /^(user|token):(.*)$/.exec(actor || '');
  const name = m ? m[2] : '';
  const [shown, setShown] = useState(name);
  useEffect(() => {
    let live = true;
    setShown(name);
    if (m && m[1] === 'user') {
      if (!accounts.has(name))
        accounts.set(name, api.get('/users', { username: name }).then((d) => d.items[0]?.display_name || null, () => null));
      accounts.get(name).then((n) => live && n && setShown(n));
    }
    return () => {
      live = false;
    };
  }, [actor]);
  if (!actor) return <span class="muted">—</span>;
  if (!m) return <span>{t(actor === 'anonymous' ? 'actor.anonymous' : 'actor.system')}</span>;
  return m[1] === 'token' ? <span>{t('actor.token', { name })}</span> : <bdi>{shown}</bdi>;
}

/** The record that rec (of plural) refers to by its field via, then what that one's field name refers to. */
export function RefVia({ plural, id, via, viaRef }) {
  const rec = useRecord(plural, id);
  if (!id || rec === null) return <span class="muted">—</span>;
  if (!rec) return <span class="muted">…</span>;
  return <RefName plural={viaRef} id={rec[via]} />;
}

/** One piece of a detail: a text, a term ({dates}), or the name of a record ({ref, id}; deep: with its own detail). */
function Piece({ p }) {
  if (typeof p === 'string') return <bdi>{p}</bdi>;
  if (p.dates) return <bdi>{`${fmtDate(p.dates[0])} – ${fmtDate(p.dates[1])}`}</bdi>;
  return <RefText plural={p.ref} id={p.id} deep={p.deep} />;
}

function RefText({ plural, id, deep }) {
  const rec = useRecord(plural, id);
  if (!rec) return <bdi>{rec === null ? `#${id}` : '…'}</bdi>;
  return (
    <>
      <bdi>{refLabel(plural, rec)}</bdi>
      {deep && <Pieces pieces={detailOf(plural, rec)} lead />}
    </>
  );
}

function detailOf(plural, rec) {
  const r = resources[plural];
  return (r && r.detail ? r.detail(rec) : []).filter((p) => p && (typeof p === 'string' || p.id || (p.dates && p.dates[0])));
}

function Pieces({ pieces, lead }) {
  return pieces.map((p, i) => (
    <span key={i}>
      {(lead || i > 0) && ' · '}
      <Piece p={p} />
    </span>
  ));
}

/** What tells rec (of plural) apart, as "institution · code · dates" (nothing when its kind says nothing). */
export function RefDetail({ plural, rec }) {
  const pieces = rec ? detailOf(plural, rec) : [];
  if (pieces.length === 0) return null;
  return (
    <span class="ref-detail muted small">
      <Pieces pieces={pieces} />
    </span>
  );
}
