// corrections.jsx: the chief judge's corrections of a locked category.
// Every judge's marks come from GET /categories/{id}/marks (with each mark's
// corrections); the chief judge picks a competitor (by entry number), an
// aspect and the judge's mark, sees its current value, chooses the new one
// among the values the aspect allows and a reason from the API's fixed list,
// and sends POST /marks/{id}/correction. A refusal is shown beside the field
// it names; the corrections made so far (old value kept, new value, reason,
// who, when) are listed beneath, as the API keeps them. The competitor and
// aspect chosen live in the address, so the review can link to one.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { fmtDate, fmtNumber, hasKey, t } from '../../i18n/index.js';
import { setQuery } from '../../router.js';
import { personName } from '../../resources.js';
import { Busy, ErrorNotice, FieldError, Status } from '../../ui/notice.jsx';
import { allowedValues, correctionReason, competitorNo, listAll, ltr } from './data.js';
import { CategoryHeading, Head, Refusal, useCategory } from './ui.jsx';
import { Actor } from '../../ui/refname.jsx';

const natural = (a, b) => a.code.localeCompare(b.code, 'en', { numeric: true });

/** A correction's reason in the user's words (an older, free-text one as it was written). */
function reasonText(r) {
  const key = `comp.correct.reason.${r}`;
  return hasKey(key) ? t(key) : r;
}

/** A judge's name as a mark of GET /categories/{id}/marks gives it. */
const judgeName = (m) => personName({ given_name: m.judge_given_name, family_name: m.judge_family_name });

/** One labelled select of the form; its error (the API's, when it names field) beneath. */
function Pick({ id, label, field, err, value, onChange, children, hint }) {
  const bad = err && err.field === field;
  const describedBy = [hint && `${id}-hint`, bad && `${id}-err`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${bad ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value)} aria-invalid={bad ? 'true' : undefined} aria-describedby={describedBy}>
        {children}
      </select>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError err={err} field={field} id={`${id}-err`} />
    </div>
  );
}

/** The form: competitor, aspect, the judge's mark and its current value, the new value and the reason. */
function CorrectForm({ marks, aspects, query, onDone }) {
  const competitors = [...new Set(marks.map((m) => m.competitor_id))].sort((a, b) => a - b);
  const competitor = Number(query.competitor) || null;
  const aspect = aspects.find((a) => a.id === Number(query.aspect)) || null;
  const choices = marks.filter((m) => m.competitor_id === competitor && aspect && m.aspect_id === aspect.id);
  const [markId, setMarkId] = useState(null);
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const mark = choices.find((m) => m.id === markId) || (choices.length === 1 ? choices[0] : null);
  // a new competitor or aspect starts the rest of the form afresh
  useEffect(() => {
    setMarkId(null);
    setValue('');
    setErr(null);
  }, [competitor, aspect && aspect.id]);

  const choose = (key) => (v) => setQuery({ ...query, [key]: v || undefined });
  const send = async (e) => {
    e.preventDefault();
    setErr(null);
    setBusy(true);
    const old = mark.value;
    const body = { value: value === '' ? null : Number(value) };
    if (reason) body.reason = reason;   // none chosen: the API says what is missing
    try {
      const fixed = await api.post(`/marks/${mark.id}/correction`, body);
      setValue('');
      setReason('');
      onDone(t('comp.correct.done', { old: fmtNumber(old), new: fmtNumber(fixed.value) }));
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="comp-panel correct-form" onSubmit={send} aria-labelledby="correct-h" noValidate>
      <h2 id="correct-h">{t('comp.correct.open')}</h2>
      <p class="hint">{t('comp.correct.explain')}</p>
      <div class="correct-fields">
        <Pick id="correct-competitor" label={t('comp.marking.competitor')} value={competitor ? String(competitor) : ''} onChange={choose('competitor')}>
          <option value="">{t('common.choose')}</option>
          {competitors.map((c) => (
            <option key={c} value={String(c)}>
              {ltr(competitorNo(c))}
            </option>
          ))}
        </Pick>
        <Pick id="correct-aspect" label={t('comp.review.aspect')} value={aspect ? String(aspect.id) : ''} onChange={choose('aspect')}>
          <option value="">{t('common.choose')}</option>
          {aspects.map((a) => (
            <option key={a.id} value={String(a.id)}>
              {a.code} · {a.description}
            </option>
          ))}
        </Pick>
      </div>
      {competitor && aspect && choices.length === 0 && <p class="empty">{t('comp.correct.no_marks')}</p>}
      {choices.length > 1 && (
        <fieldset class="correct-marks">
          <legend>{t('comp.correct.mark')}</legend>
          {choices.map((m) => (
            <label key={m.id} class="correct-mark">
              <input type="radio" name="correct-mark" value={String(m.id)} checked={mark && mark.id === m.id} onChange={() => (setMarkId(m.id), setValue(''), setErr(null))} />
              {t('comp.correct.mark_option', { judge: judgeName(m), value: fmtNumber(m.value) })}
            </label>
          ))}
        </fieldset>
      )}
      {mark && (
        <>
          <p class="correct-current" data-mark={mark.id}>
            {t('comp.correct.current', { judge: judgeName(mark) })} <strong class="correct-value">{fmtNumber(mark.value)}</strong>
          </p>
          {mark.corrections.length > 0 && (
            <p class="hint">
              {t('comp.correct.earlier')}{' '}
              {mark.corrections.map((c) => `${fmtNumber(c.old_value)} → ${fmtNumber(c.new_value)}`).join(', ')}
            </p>
          )}
          <div class="correct-fields">
            <Pick id="correct-value" label={t('comp.correct.value')} field="value" err={err} value={value} onChange={setValue}>
              <option value="">{t('common.choose')}</option>
              {allowedValues(aspect).map((v) => (
                <option key={v.value} value={String(v.value)}>
                  {fmtNumber(v.value)}
                  {v.note ? ` — ${v.note}` : ''}
                </option>
              ))}
            </Pick>
            <Pick id="correct-reason" label={t('comp.correct.reason')} field="reason" err={err} value={reason} onChange={setReason} hint={t('comp.correct.reason_hint')}>
              <option value="">{t('common.choose')}</option>
              {correctionReason().values.map((r) => (
                <option key={r} value={r}>
                  {reasonText(r)}
                </option>
              ))}
            </Pick>
          </div>
          <Refusal err={err && !['value', 'reason'].includes(err.field) ? err : null} title={t('comp.correct.refused')} />
          {err && ['value', 'reason'].includes(err.field) && <p class="notice notice-error" role="alert">{t('comp.correct.refused')}</p>}
          <button type="submit" class="primary" disabled={busy}>
            {t('comp.correct.submit')}
          </button>
        </>
      )}
    </form>
  );
}

/** Every correction kept in the category, newest last: competitor, aspect, judge, old and new value, why, who, when. */
function History({ marks }) {
  const rows = marks.flatMap((m) => m.corrections.map((c) => ({ m, c })));
  rows.sort((a, b) => (a.c.at < b.c.at ? -1 : a.c.at > b.c.at ? 1 : 0));
  return (
    <section class="comp-panel" aria-labelledby="history-h">
      <h2 id="history-h">{t('comp.correct.history')}</h2>
      {rows.length === 0 ? (
        <p class="empty">{t('comp.correct.none')}</p>
      ) : (
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="history-h">
          <table class="corrections">
            <Head
              cols={[
                t('comp.marking.competitor'),
                t('comp.review.aspect'),
                t('comp.field.judge'),
                t('comp.correct.old'),
                t('comp.correct.value'),
                t('comp.correct.reason'),
                t('comp.correct.by'),
              ]}
            />
            <tbody>
              {rows.map(({ m, c }, i) => (
                <tr key={i} data-mark={m.id}>
                  <td>{competitorNo(m.competitor_id)}</td>
                  <td>{m.aspect}</td>
                  <td>{judgeName(m)}</td>
                  <td class="correct-old">
                    <del>{fmtNumber(c.old_value)}</del>
                  </td>
                  <td class="correct-new">{fmtNumber(c.new_value)}</td>
                  <td>{reasonText(c.reason)}</td>
                  <td>
                    <Actor actor={c.actor} />
                    <br />
                    <span class="muted small">{fmtDate(c.at, true)}</span>
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

export function CorrectionsScreen({ params, query }) {
  const id = Number(params.id);
  const { category, edition, err: catErr } = useCategory(id);
  const [data, setData] = useState(null);
  const [err, setErr] = useState(null);
  const [note, setNote] = useState(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    Promise.all([api.get(`/categories/${id}/marks`), listAll('/aspects', { category: id })])
      .then(([m, a]) => live && setData({ marks: m.items, aspects: a.sort(natural) }))
      .catch((e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [id, n]);
  if (catErr) return <ErrorNotice err={catErr} />;
  if (!category || !edition) return <Busy />;
  const heading = <CategoryHeading category={category} edition={edition} title={t('comp.correct.title')} />;
  if (err || !data)
    return (
      <section class="corrections-screen">
        {heading}
        {err ? <ErrorNotice err={err} /> : <Busy />}
      </section>
    );
  const open = !!category.locked_at && edition.state === 'marking';
  return (
    <section class="corrections-screen">
      {heading}
      {note && <Status text={note} />}
      {!category.locked_at ? (
        <p class="notice">{t('comp.correct.not_locked')}</p>
      ) : edition.state !== 'marking' ? (
        <p class="notice">{t('comp.correct.closed', { state: t(`comp.state.${edition.state}`) })}</p>
      ) : null}
      {open && (
        <CorrectForm
          marks={data.marks}
          aspects={data.aspects}
          query={query}
          onDone={(text) => {
            setNote(text);
            setN((x) => x + 1);
          }}
        />
      )}
      <History marks={data.marks} />
    </section>
  );
}
