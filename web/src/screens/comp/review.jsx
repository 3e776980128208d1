// review.jsx: the chief judge's review and lock of a category: the
// judgement aspects whose scores differ by more than one point (GET
// /categories/{id}/review), each with a way to the marking screen for that
// competitor, and the lock (POST /categories/{id}/lock): refused while marks
// are missing (reason marks_missing), listing them from the review's
// "missing" (read again after the refusal), and final once done; after it,
// the way to the chief judge's corrections (corrections.jsx).
import { useEffect, useState } from 'preact/hooks';
import { api, request } from '../../api.js';
import { fmtDate, fmtNumber, t } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { ROLES, hasRole } from '../../session.js';
import { Busy, ErrorNotice, Status } from '../../ui/notice.jsx';
import { competitorNo, listAll } from './data.js';
import { CategoryHeading, Refusal, useCategory } from './ui.jsx';

/** The marks the lock waits for (items: the review's missing), with a way to each competitor. */
function Missing({ items, categoryId, canMark }) {
  return (
    <ul class="missing">
      {items.map((x) => (
        <li key={`${x.competitor_id}-${x.aspect_id}`}>
          {canMark ? <Link href={`/marking/${categoryId}?competitor=${x.competitor_id}`}>{competitorNo(x.competitor_id)}</Link> : competitorNo(x.competitor_id)}{' '}
          {t('comp.review.missing_one', { aspect: x.aspect, have: fmtNumber(x.have), need: fmtNumber(x.need) })}
        </li>
      ))}
    </ul>
  );
}

export function ReviewScreen({ params, user }) {
  const id = Number(params.id);
  const { category, edition, err: catErr, reload } = useCategory(id);
  const [review, setReview] = useState(null);
  const [aspects, setAspects] = useState([]);
  const [mine, setMine] = useState(null);
  const [err, setErr] = useState(null);
  const [lockErr, setLockErr] = useState(null);
  const [locked, setLocked] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    Promise.all([
      api.get(`/categories/${id}/review`),
      listAll('/aspects', { category: id }),
      user.person_id ? api.get('/judges', { category: id, person: user.person_id }).then((d) => d.items[0] || null) : null,
    ])
      .then(([r, a, j]) => {
        if (!live) return;
        setReview(r);
        setAspects(a);
        setMine(j);
      })
      .catch((e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [id]);
  const lock = async () => {
    setBusy(true);
    setLockErr(null);
    try {
      await request('POST', `/categories/${id}/lock`);
      setLocked(true);
      reload();
    } catch (e) {
      if (e.reason === 'marks_missing') setReview(await api.get(`/categories/${id}/review`).catch(() => review));   // its list of them
      setLockErr(e);
    } finally {
      setBusy(false);
    }
  };
  if (catErr || err) return <ErrorNotice err={catErr || err} />;
  if (!category || !edition || !review) return <Busy />;
  const aspect = (aid) => aspects.find((a) => a.id === aid);
  const canMark = !!mine && edition.state === 'marking' && !category.locked_at;
  const canCorrect = (!!mine && mine.chief) || hasRole(user, [ROLES.admin]);
  const correcting = canCorrect && !!category.locked_at && edition.state === 'marking';
  const correctHref = (f) => `/categories/${id}/corrections?competitor=${f.competitor_id}&aspect=${f.aspect_id}`;
  const missing = lockErr && lockErr.reason === 'marks_missing' && review.missing?.length ? review.missing : null;
  return (
    <section class="review">
      <CategoryHeading category={category} edition={edition} title={t('comp.review.title')} />
      <h2>{t('comp.review.flagged')}</h2>
      <p class="hint">{t('comp.review.rule')}</p>
      {review.flagged.length === 0 ? (
        <p class="empty">{t('comp.review.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="flagged">
            <thead>
              <tr>
                <th scope="col">{t('comp.marking.competitor')}</th>
                <th scope="col">{t('comp.review.aspect')}</th>
                <th scope="col">{t('comp.review.lowest')}</th>
                <th scope="col">{t('comp.review.highest')}</th>
                <th scope="col">{t('comp.review.judges')}</th>
                {(canMark || correcting) && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {review.flagged.map((f) => (
                <tr key={`${f.competitor_id}-${f.aspect_id}`} data-flag={`${f.competitor_id}-${f.aspect}`}>
                  <td>{competitorNo(f.competitor_id)}</td>
                  <td>
                    <strong>{f.aspect}</strong> {aspect(f.aspect_id)?.description}
                  </td>
                  <td>{fmtNumber(f.lowest)}</td>
                  <td>{fmtNumber(f.highest)}</td>
                  <td>{fmtNumber(f.judges)}</td>
                  {canMark && (
                    <td>
                      <Link href={`/marking/${id}?competitor=${f.competitor_id}`}>{t('comp.review.open_marking')}</Link>
                    </td>
                  )}
                  {correcting && (
                    <td>
                      <Link href={correctHref(f)}>{t('comp.correct.open')}</Link>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section class="comp-panel" aria-labelledby="lock-h">
        <h2 id="lock-h">{t('comp.review.lock_title')}</h2>
        {locked && <Status text={t('comp.review.lock_done')} />}
        {category.locked_at ? (
          <>
            <p class="locked">
              <span aria-hidden="true">🔒 </span>
              {t('comp.review.locked_at', { when: fmtDate(category.locked_at, true) })}
            </p>
            {canCorrect && (
              <p>
                <Link class="button" href={`/categories/${id}/corrections`}>
                  {edition.state === 'marking' ? t('comp.correct.open') : t('comp.correct.history')}
                </Link>
              </p>
            )}
          </>
        ) : (
          <>
            <p>{t('comp.review.lock_explain')}</p>
            <Refusal err={lockErr} title={t('comp.review.lock_refused')}>
              {missing && <Missing items={missing} categoryId={id} canMark={canMark} />}
            </Refusal>
            <button type="button" class="primary" disabled={busy || edition.state !== 'marking'} onClick={lock}>
              {t('comp.review.lock')}
            </button>
            {edition.state !== 'marking' && <p class="hint">{t('comp.marking.closed', { state: t(`comp.state.${edition.state}`) })}</p>}
          </>
        )}
      </section>
    </section>
  );
}
