// category.jsx: one competition category: its form (the shared
// ResourceForm: skill and ISCO-08 code) and what belongs to it, each with
// where it stands: the marking scheme, the competitors, the judges, the
// chief judge's review and lock, the corrections after it, and (for its
// judges) the marking screen.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { fmtDate, fmtNumber, t } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { ROLES, hasRole } from '../../session.js';
import { ResourceForm } from '../../ui/form.jsx';
import { ErrorNotice } from '../../ui/notice.jsx';
import { StateBadge } from './editions.jsx';
import { listAll } from './data.js';
import { compResources } from './resources.js';
import { useCategory } from './ui.jsx';

/** The figures of a category: criteria and their weights, entries, judges. */
function useFigures(id) {
  const [fig, setFig] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    let live = true;
    Promise.all([listAll('/criteria', { category: id }), listAll('/competitors', { category: id }), listAll('/judges', { category: id })])
      .then(([criteria, competitors, judges]) => {
        if (!live) return;
        setFig({
          criteria: criteria.length,
          weights: criteria.reduce((s, c) => s + c.weight, 0),
          entered: competitors.filter((c) => c.status === 'entered').length,
          judges,
        });
      })
      .catch((e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [id]);
  return { fig, err };
}

function Hub({ id, user }) {
  const { category, edition } = useCategory(id);
  const { fig, err } = useFigures(id);
  if (!category || !edition) return null;
  const mine = fig && fig.judges.find((j) => j.person_id === user.person_id);
  const chief = fig && fig.judges.find((j) => j.chief);
  const isAdmin = hasRole(user, [ROLES.admin]);
  const canEnter = hasRole(user, [ROLES.admin, ROLES.staff]);
  const items = [];
  if (fig) {
    items.push({
      href: `/categories/${id}/scheme`,
      title: t('comp.scheme.title'),
      text: t('comp.hub.scheme', { criteria: fmtNumber(fig.criteria), weights: fmtNumber(fig.weights) }),
      ok: fig.weights === 100,
    });
    items.push({ href: `/categories/${id}/competitors`, title: t('comp.competitors'), text: t('comp.hub.entered', { n: fmtNumber(fig.entered) }), ok: fig.entered > 0, show: canEnter });
    items.push({
      href: `/categories/${id}/judges`,
      title: t('comp.judges'),
      text: t('comp.hub.judges', { n: fmtNumber(fig.judges.length) }) + ' ' + (chief ? t('comp.hub.chief_yes') : t('comp.hub.chief_no')),
      ok: fig.judges.length >= 3 && !!chief,
      show: isAdmin,
    });
    if (isAdmin || (mine && mine.chief))
      items.push({
        href: `/categories/${id}/review`,
        title: t('comp.review.title'),
        text: category.locked_at ? t('comp.review.locked_at', { when: fmtDate(category.locked_at, true) }) : t('comp.hub.not_locked'),
        ok: !!category.locked_at,
      });
    if ((isAdmin || (mine && mine.chief)) && category.locked_at)
      items.push({
        href: `/categories/${id}/corrections`,
        title: t('comp.correct.title'),
        text: edition.state === 'marking' ? t('comp.hub.corrections') : t('comp.correct.closed', { state: t(`comp.state.${edition.state}`) }),
        ok: true,
      });
    if (mine) items.push({ href: `/marking/${id}`, title: t('comp.marking.title'), text: t('comp.hub.marking'), ok: true });
  }
  return (
    <section class="comp-panel" aria-labelledby="hub-h">
      <h2 id="hub-h">
        <Link href={`/editions/${edition.id}`}>{edition.name}</Link> <StateBadge state={edition.state} />
      </h2>
      <ErrorNotice err={err} />
      <ul class="comp-hub">
        {items
          .filter((x) => x.show !== false)
          .map((x) => (
            <li key={x.href} class={x.ok ? 'ok' : 'todo'}>
              <Link href={x.href}>{x.title}</Link>
              <span>{x.text}</span>
            </li>
          ))}
      </ul>
    </section>
  );
}

export function CategoryScreen(props) {
  const id = props.params.id;
  const form = <ResourceForm key={id} res={compResources.categories} id={id} {...props} />;
  if (id === 'new') return form;
  return (
    <>
      {form}
      <Hub id={id} user={props.user} />
    </>
  );
}
