// marking.jsx: the judge's screens. The list of their categories (with
// Review and lock, and corrections once locked, for a chief judge), and the marking screen, made for a
// tablet: one competitor at a time (Previous / Next, or pick one), every
// aspect as large buttons of the values it allows, each mark saved the
// moment it is chosen (markqueue.js), and beside each aspect whether it is
// saved, on its way, waiting to be sent, or refused (with the API's
// reason). The banner at the top says two things apart: whether the
// judge's marks are saved (it counts them, and says when the network is
// gone: marks wait and are sent again when it is back), and whether the
// competitor on screen is complete (every aspect marked and saved). Judges see
// competitors by their entry number, never a competitor of their own
// institution.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { fmtDate, fmtNumber, t } from '../../i18n/index.js';
import { Link, setQuery } from '../../router.js';
import { Busy, ErrorNotice } from '../../ui/notice.jsx';
import { StateBadge } from './editions.jsx';
import { allowedValues, competitorNo, listAll, ltr } from './data.js';
import { MarkQueue } from './markqueue.js';
import { englishDetail, errorText } from '../../ui/errtext.js';

const natural = (a, b) => a.code.localeCompare(b.code, 'en', { numeric: true });

/** The judge's categories: where they mark, and where they review and lock as chief. */
export function MarkingHome({ user }) {
  const [rows, setRows] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    (async () => {
      const mine = user.person_id ? await listAll('/judges', { person: user.person_id }) : [];   // an account without a person judges nothing
      const out = [];
      for (const j of mine) {
        const category = await api.get(`/categories/${j.category_id}`);
        const edition = await api.get(`/editions/${category.edition_id}`);
        out.push({ judge: j, category, edition });
      }
      out.sort((a, b) => b.edition.year - a.edition.year || a.category.name.localeCompare(b.category.name));
      setRows(out);
    })().catch((e) => (setErr(e), setRows([])));
  }, [user.person_id]);
  return (
    <section>
      <h1 tabindex="-1">{t('comp.marking.title')}</h1>
      <ErrorNotice err={err} />
      {!rows ? (
        <Busy />
      ) : rows.length === 0 ? (
        <p class="empty">{t('comp.marking.none')}</p>
      ) : (
        <ul class="cards comp-cards">
          {rows.map(({ judge, category, edition }) => {
            const open = edition.state === 'marking' && !category.locked_at;
            return (
              <li class="card" key={judge.id} data-category={category.id}>
                <h2>
                  <bdi>{category.name}</bdi>
                </h2>
                <p>
                  <bdi>{edition.name}</bdi> <StateBadge state={edition.state} />
                </p>
                {judge.chief && <p class="chief">{t('comp.judge.chief')}</p>}
                {category.locked_at && <p class="muted">{t('comp.review.locked_at', { when: fmtDate(category.locked_at, true) })}</p>}
                <p class="actions">
                  {open && (
                    <Link class="button primary" href={`/marking/${category.id}`}>
                      {t('comp.marking.open')}
                    </Link>
                  )}
                  {judge.chief && edition.state === 'marking' && (
                    <Link class="button" href={`/categories/${category.id}/review`}>
                      {t('comp.review.title')}
                    </Link>
                  )}
                  {judge.chief && edition.state === 'marking' && category.locked_at && (
                    <Link class="button" href={`/categories/${category.id}/corrections`}>
                      {t('comp.correct.open')}
                    </Link>
                  )}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** Everything the marking screen needs of category id, for the signed-in judge. */
async function loadMarking(id, user) {
  const category = await api.get(`/categories/${id}`);
  const [edition, judges, criteria, aspects, competitors, marks] = await Promise.all([
    api.get(`/editions/${category.edition_id}`),
    api.get('/judges', { category: id, person: user.person_id }),
    listAll('/criteria', { category: id }),
    listAll('/aspects', { category: id }),
    listAll('/competitors', { category: id }),
    listAll('/marks', { category: id, judge: user.person_id }),
  ]);
  const judge = judges.items[0] || null;
  const entered = competitors.filter((c) => c.status === 'entered').sort((a, b) => a.id - b.id);
  const own = judge && judge.institution_id ? entered.filter((c) => c.institution_id === judge.institution_id) : [];
  return {
    category,
    edition,
    judge,
    criteria: criteria.sort(natural),
    aspects: aspects.sort(natural),
    competitors: entered.filter((c) => !own.includes(c)),
    ownCount: own.length,
    marks,
  };
}

const STATUS_ICON = { saved: '✓', saving: '…', unsaved: '•', rejected: '!' };

/** Why a mark was refused, in the user's words (the reason's sentence from the catalog). */
function rejection(err) {
  if (err.code === 'changed_elsewhere') return t('comp.mark.changed_elsewhere', { value: fmtNumber(err.now) });
  return errorText(err);
}

/** One aspect of the current competitor: its allowed values as large radio buttons, and its status. */
function AspectMarks({ aspect, competitor, entry, status, offline, disabled, onChoose }) {
  const name = `m-${competitor.id}-${aspect.id}`;
  const statusId = `${name}-status`;
  const values = allowedValues(aspect);
  const chosen = entry ? entry.value : null;
  return (
    <fieldset class={`mark-aspect mark-${status || 'empty'}`} data-aspect={aspect.code} aria-describedby={statusId}>
      <legend>
        <bdi class="mark-code">{aspect.code}</bdi> <bdi class="mark-desc">{aspect.description}</bdi>{' '}
        <span class="muted small">
          {t(`comp.kind.${aspect.kind}`)} · {t('comp.mark.max', { max: fmtNumber(aspect.max_mark) })}
        </span>
      </legend>
      <div class={`mark-options mark-options-${values.length}`}>
        {values.map((v) => (
          <label class={`mark-option${chosen === v.value ? ' chosen' : ''}`} key={v.value}>
            <input type="radio" name={name} value={String(v.value)} checked={chosen === v.value} disabled={disabled} onClick={() => onChoose(aspect, v.value)} />
            <span class="mark-value">{fmtNumber(v.value)}</span>
            {v.note && <span class="mark-note">{v.note}</span>}
          </label>
        ))}
      </div>
      <p class="mark-status" id={statusId}>
        {status && (
          <>
            <span class="mark-icon" aria-hidden="true">
              {STATUS_ICON[status]}
            </span>{' '}
            {status === 'unsaved' && offline ? t('comp.mark.waiting') : t(`comp.mark.${status}`)}
            {status === 'rejected' && (
              <>
                {': '}
                <span lang={englishDetail(entry.error) ? 'en' : undefined} dir="auto">
                  {rejection(entry.error)}
                </span>{' '}
                {entry.mark && entry.error.code !== 'changed_elsewhere' && <span>{t('comp.mark.stored', { value: fmtNumber(entry.mark.value) })}</span>}{' '}
                <span>{t('comp.mark.choose_again')}</span>
              </>
            )}
          </>
        )}
        {!status && <span class="muted">{t('comp.mark.empty')}</span>}
      </p>
    </fieldset>
  );
}

/** The banner's second line: whether the competitor on screen has every aspect marked and saved
 * ("complete"), apart from whether the judge's marks are saved (SaveSummary). */
function CompetitorState({ competitor, done, total }) {
  const complete = total > 0 && done === total;
  const no = competitorNo(competitor.id);
  return (
    <div class={`mark-progress mark-progress-${complete ? 'complete' : 'open'}`} data-state={complete ? 'complete' : 'incomplete'}>
      <span class="mark-progress-icon" aria-hidden="true">
        {complete ? '★' : '○'}
      </span>{' '}
      {complete
        ? t('layout.complete', { no, total: fmtNumber(total) })
        : t('layout.incomplete', { no, done: fmtNumber(done), total: fmtNumber(total), left: fmtNumber(total - done) })}
    </div>
  );
}

/** The line that counts saved, unsaved, saving and refused marks, and says when the network is gone. */
function SaveSummary({ queue }) {
  const n = queue.summary();
  const parts = [];
  if (n.rejected) parts.push(t('comp.mark.n_rejected', { n: fmtNumber(n.rejected) }));
  if (n.unsaved) parts.push(t(queue.offline ? 'comp.mark.n_waiting' : 'comp.mark.n_unsaved', { n: fmtNumber(n.unsaved) }));
  if (n.saving) parts.push(t('comp.mark.n_saving', { n: fmtNumber(n.saving) }));
  const cls = n.rejected ? 'bad' : n.unsaved || n.saving ? 'busy' : 'ok';
  return (
    <div class={`mark-summary mark-summary-${cls}`} role="status" data-offline={queue.offline ? 'true' : undefined}>
      {queue.offline && <strong>{t('comp.mark.offline')} </strong>}
      {parts.length ? parts.join(' · ') : t('comp.mark.all_saved', { n: fmtNumber(n.saved) })}
    </div>
  );
}

/** The Previous or Next button (dir "prev" or "next") among count competitors, at index. */
function Step({ dir, index, count, go }) {
  const next = dir === 'next';
  const arrow = (
    <span aria-hidden="true" class="mark-arrow">
      {next ? '›' : '‹'}
    </span>
  );
  return (
    <button type="button" class={`mark-${dir}`} disabled={next ? index >= count - 1 : index === 0} onClick={() => go(next ? index + 1 : index - 1)}>
      {!next && arrow} {t(next ? 'comp.marking.next' : 'comp.marking.previous')} {next && arrow}
    </button>
  );
}

export function MarkingScreen({ params, query, user }) {
  const id = Number(params.id);
  const [data, setData] = useState(null);
  const [err, setErr] = useState(null);
  const [, setTick] = useState(0);
  const queueRef = useRef(null);
  const headRef = useRef(null);
  const moved = useRef(false);
  const startRef = useRef(null);

  useEffect(() => {
    let live = true;
    const queue = new MarkQueue({ storeKey: `guild.marks.${user.person_id}.${id}`, onChange: () => live && setTick((x) => x + 1) });
    queueRef.current = queue;
    loadMarking(id, user)
      .then((d) => {
        if (!live) return;
        setData(d);
        queue.load(d.marks);
      })
      .catch((e) => live && setErr(e));
    return () => {
      live = false;
      queue.stop();
    };
  }, [id, user.person_id]);

  const byCriterion = useMemo(() => {
    if (!data) return [];
    return data.criteria.map((c) => ({ criterion: c, aspects: data.aspects.filter((a) => a.criterion_id === c.id) }));
  }, [data]);

  const queue = queueRef.current;
  const list = data ? data.competitors : [];
  // without ?competitor= the screen opens at the first competitor with marks to give, and stays there
  if (data && queue && startRef.current === null)
    startRef.current = (list.find((c) => data.aspects.some((a) => !queue.get(c.id, a.id))) || list[0] || { id: 0 }).id;
  const wanted = Number(query.competitor) || startRef.current;
  const index = Math.max(0, list.findIndex((c) => c.id === wanted));
  const current = list[index];

  // after moving to another competitor, the focus goes to their heading
  useEffect(() => {
    if (moved.current && headRef.current) headRef.current.focus();
    moved.current = false;
  }, [current && current.id]);

  if (err) return <ErrorNotice err={err} />;
  if (!data || !queue) return <Busy />;
  const { category, edition, judge } = data;
  const go = (i) => {
    moved.current = true;
    setQuery({ competitor: list[i].id });
  };
  const done = (c) => data.aspects.filter((a) => queue.get(c.id, a.id)?.mark).length;   // marks the server holds
  const closed = edition.state !== 'marking' || category.locked_at;

  return (
    <section class="marking">
      <p class="crumbs">
        <Link href="/marking">{t('comp.marking.title')}</Link>
      </p>
      <h1 tabindex="-1">{t('comp.marking.heading', { category: category.name })}</h1>
      {!judge && <p class="notice notice-error">{t('comp.marking.not_judge')}</p>}
      {closed && (
        <p class="notice">
          {category.locked_at ? t('comp.review.locked_at', { when: fmtDate(category.locked_at, true) }) : t('comp.marking.closed', { state: t(`comp.state.${edition.state}`) })}
        </p>
      )}
      {data.ownCount > 0 && <p class="muted small">{t('comp.marking.own_institution', { n: fmtNumber(data.ownCount) })}</p>}
      {list.length === 0 ? (
        <p class="empty">{t('comp.marking.no_competitors')}</p>
      ) : (
        <>
          <div class="mark-bar">
            <div class="mark-banner">
              <SaveSummary queue={queue} />
              <CompetitorState competitor={current} done={done(current)} total={data.aspects.length} />
            </div>
            <nav class="mark-nav" aria-label={t('comp.marking.competitors_nav')}>
              <Step dir="prev" index={index} count={list.length} go={go} />
              <div class="mark-pick">
                <label for="mark-competitor">{t('comp.marking.competitor')}</label>
                <select id="mark-competitor" value={String(current.id)} onChange={(e) => go(list.findIndex((c) => c.id === Number(e.currentTarget.value)))}>
                  {list.map((c, i) => (
                    <option key={c.id} value={String(c.id)}>
                      {t('comp.marking.option', { no: ltr(competitorNo(c.id)), i: fmtNumber(i + 1), done: fmtNumber(done(c)), total: fmtNumber(data.aspects.length) })}
                    </option>
                  ))}
                </select>
              </div>
              <Step dir="next" index={index} count={list.length} go={go} />
            </nav>
          </div>
          <h2 class="mark-competitor" tabindex="-1" ref={headRef}>
            {t('comp.marking.competitor_no', { no: competitorNo(current.id) })}{' '}
            <span class="muted small">{t('comp.marking.position', { i: fmtNumber(index + 1), n: fmtNumber(list.length), done: fmtNumber(done(current)), total: fmtNumber(data.aspects.length) })}</span>
          </h2>
          {byCriterion.map(({ criterion, aspects }) => (
            <section class="mark-criterion" key={criterion.id} aria-label={t('comp.scheme.criterion_named', { code: criterion.code, name: criterion.name })}>
              <h3>
                <bdi>{criterion.code}</bdi> · <bdi>{criterion.name}</bdi> <span class="muted small">({t('comp.mark.weight', { weight: fmtNumber(criterion.weight) })})</span>
              </h3>
              {aspects.map((a) => {
                const entry = queue.get(current.id, a.id);
                return (
                  <AspectMarks
                    key={`${current.id}-${a.id}`}
                    aspect={a}
                    competitor={current}
                    entry={entry}
                    status={queue.status(entry)}
                    offline={queue.offline}
                    disabled={!judge || closed}
                    onChoose={(aspect, value) => queue.set(current.id, aspect.id, value)}
                  />
                );
              })}
            </section>
          ))}
          <nav class="mark-nav mark-nav-bottom" aria-label={t('comp.marking.competitors_nav_bottom')}>
            <Step dir="prev" index={index} count={list.length} go={go} />
            <Step dir="next" index={index} count={list.length} go={go} />
          </nav>
        </>
      )}
    </section>
  );
}
