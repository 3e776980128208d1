// ui.jsx (competitions): pieces the competition screens share: a refusal
// with its own heading and the API's reason beneath, the category a screen
// works on (with its edition) and the heading above such a screen, and a
// medal.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { t } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { ErrorNotice } from '../../ui/notice.jsx';
import { errorText } from '../../ui/errtext.js';

/**
 * A refusal (409 or 422) under its own heading (title), with the API's
 * reason beneath and children after; other errors as ErrorNotice.
 */
export function Refusal({ err, title, children }) {
  if (!err) return null;
  if (err.status !== 409 && err.status !== 422) return <ErrorNotice err={err}>{children}</ErrorNotice>;
  return (
    <div class="notice notice-error" role="alert" tabindex="-1">
      <strong>{title}</strong>
      <p class="detail">{errorText(err)}</p>
      {children}
    </div>
  );
}

/** The category id with its edition: {category, edition, err, reload}. */
export function useCategory(id) {
  const [state, setState] = useState({ category: null, edition: null, err: null });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    (async () => {
      const category = await api.get(`/categories/${id}`);
      const edition = await api.get(`/editions/${category.edition_id}`);
      if (live) setState({ category, edition, err: null });
    })().catch((err) => live && setState((s) => ({ ...s, err })));
    return () => {
      live = false;
    };
  }, [id, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

/** The crumbs and heading of a screen about one category: "Pastry: Marking scheme". */
export function CategoryHeading({ category, edition, title }) {
  return (
    <>
      <p class="crumbs">
        <Link href={`/editions/${edition.id}`}>
          <bdi>{edition.name}</bdi>
        </Link>
        {' › '}
        <Link href={`/categories/${category.id}`}>
          <bdi>{category.name}</bdi>
        </Link>
      </p>
      <h1 tabindex="-1">{t('comp.heading', { category: category.name, screen: title })}</h1>
    </>
  );
}

/** A medal as a coloured badge with its name (nothing for none). */
export function Medal({ medal }) {
  if (!medal) return null;
  return (
    <span class={`medal medal-${medal}`}>
      <span class="medal-disc" aria-hidden="true" />
      {t(`comp.medal.${medal}`)}
    </span>
  );
}

/** A table's head: one column header per label of cols. */
export function Head({ cols }) {
  return (
    <thead>
      <tr>
        {cols.map((label, i) => (
          <th scope="col" key={i}>
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
