// scheme.jsx: the marking scheme editor of a category: its criteria (code,
// name, weight; the weights add up to 100) and each criterion's aspects
// (measurement or judgement, the maximum mark, part marks for a
// measurement, the four descriptors of a judgement; the maximum marks add
// up to the criterion's weight). Each record saves on its own (POST, or
// PATCH with If-Match); the API's refusal appears beside the field it
// names. Written only while the edition is a draft, by administrators. The
// fields' limits and the aspect's kinds are the server's (data.js: schemeFields).
import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from '../../api.js';
import { fmtNumber, t } from '../../i18n/index.js';
import { ROLES, hasRole } from '../../session.js';
import { Busy, ErrorNotice, Status } from '../../ui/notice.jsx';
import { SCHEME_FIELDS, allowedValues, etagOf, listAll, schemeFields } from './data.js';
import { CategoryHeading, Head, useCategory } from './ui.jsx';
import { ConfirmDelete } from '../../ui/confirm.jsx';
import { errorText } from '../../ui/errtext.js';

const byCode = (a, b) => a.code.localeCompare(b.code, 'en', { numeric: true });

/** A labelled control with its hint and the API's error for it. */
function Labelled({ id, label, hint, error, children, wide }) {
  return (
    <div class={`field${error ? ' has-error' : ''}${wide ? ' scheme-wide' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-err`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** aria attributes of a control with an optional hint and error. */
function described(id, hint, error) {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-err` : null].filter(Boolean).join(' ');
  return { id, 'aria-describedby': ids || undefined, 'aria-invalid': error ? 'true' : undefined };
}

/** The body of a criterion or aspect as the API takes it, from the form's values. */
function bodyOf(kind, v) {
  const text = (x) => (x ?? '').trim();
  if (kind === 'criteria') return { code: text(v.code), name: text(v.name), weight: v.weight === '' || v.weight == null ? null : Number(v.weight) };
  const body = { code: text(v.code), description: text(v.description), max_mark: v.max_mark === '' || v.max_mark == null ? null : Number(v.max_mark) };
  if (v.kind === 'judgement') body.descriptors = (v.descriptors || ['', '', '', '']).map(text);
  else body.part_marks = (v.part_marks || []).map(text).filter((s) => s);
  return body;
}

/** The fields of body that differ from rec (what a PATCH sends). */
function changed(body, rec) {
  const out = {};
  for (const [k, v] of Object.entries(body)) if (JSON.stringify(v) !== JSON.stringify(rec[k] ?? (Array.isArray(v) ? [] : null))) out[k] = v;
  return out;
}

/**
 * One criterion or aspect (kind: "criteria" or "aspects") as a form: rec
 * (null: a new one, created under parent {criterion_id} or {category_id}).
 * onSaved() after a create, change or delete; onCancel() for a new one.
 */
function RecordForm({ kind, rec, parent, editable, onSaved, onCancel, label }) {
  const isNew = !rec;
  const init = rec ? { ...rec } : kind === 'aspects' ? { kind: 'measurement', descriptors: ['', '', '', ''], part_marks: [] } : {};
  const [v, setV] = useState(init);
  const [err, setErr] = useState(null);
  const [note, setNote] = useState(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const box = useRef(null);
  const idp = `${kind}-${rec ? rec.id : 'new' + (parent.criterion_id || parent.category_id)}`;
  const set = (name) => (e) => {
    const x = e.currentTarget.value;
    setV((o) => ({ ...o, [name]: x }));
    setNote(null);
  };
  useEffect(() => {
    if (!err || !box.current) return;
    const el = err.field && box.current.querySelector(`#${idp}-${err.field}`);
    (el || box.current.querySelector('[role=alert]'))?.focus?.();
  }, [err]);

  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    setNote(null);
    try {
      const body = bodyOf(kind, v);
      if (isNew) await request('POST', `/${kind}`, { body: { ...parent, ...(kind === 'aspects' ? { kind: v.kind } : {}), ...body } });
      else {
        const diff = changed(body, rec);
        if (Object.keys(diff).length === 0) {
          setNote(t('form.nothing_changed'));
          return;
        }
        await request('PATCH', `/${kind}/${rec.id}`, { body: diff, etag: etagOf(rec) });
      }
      onSaved();
    } catch (ex) {
      setErr(ex);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setBusy(true);
    setErr(null);
    try {
      await request('DELETE', `/${kind}/${rec.id}`, { etag: etagOf(rec) });
      onSaved();
    } catch (ex) {
      setErr(ex);
      setConfirm(false);
    } finally {
      setBusy(false);
    }
  };

  const names = SCHEME_FIELDS[kind];
  const F = schemeFields()[kind];
  const fe = (name) => (err && err.field === name && err.status !== 412 ? errorText(err) : null);
  const general = err && (err.status === 412 || !names.includes(err.field)) ? err : null;
  const dis = !editable || busy;
  const id = (name) => `${idp}-${name}`;
  const descId = (score) => (score === 0 ? id('descriptors') : `${id('descriptors')}-${score}`);   // the first takes the focus after an error
  const text = (name, labelKey, wide) => (
    <Labelled id={id(name)} label={t(labelKey)} error={fe(name)} wide={wide}>
      <input {...described(id(name), null, fe(name))} type="text" maxLength={F[name].max} required={F[name].required} value={v[name] ?? ''} onInput={set(name)} disabled={dis} />
    </Labelled>
  );

  return (
    <form ref={box} class={`scheme-form scheme-${kind}${isNew ? ' scheme-new' : ''}`} onSubmit={save} novalidate aria-label={label}>
      {err && err.field && names.includes(err.field) && err.status !== 412 && <ErrorNotice err={{ ...err, message: '' }} />}
      <ErrorNotice err={general}>{err && err.status === 412 && <p>{t('comp.scheme.stale')}</p>}</ErrorNotice>
      {note && <Status text={note} />}
      <div class="scheme-fields">
        {text('code', 'comp.field.code')}
        {kind === 'criteria' ? (
          <>
            {text('name', 'comp.field.criterion_name', true)}
            <Labelled id={id('weight')} label={t('comp.field.weight')} error={fe('weight')}>
              <input {...described(id('weight'), null, fe('weight'))} type="number" inputmode="numeric" min={F.weight.min} max={F.weight.max} step="1" required={F.weight.required} value={v.weight ?? ''} onInput={set('weight')} disabled={dis} />
            </Labelled>
          </>
        ) : (
          <>
            {text('description', 'comp.field.description', true)}
            <Labelled id={id('kind')} label={t('comp.field.kind')} error={fe('kind')}>
              <select {...described(id('kind'), null, fe('kind'))} value={v.kind} onChange={set('kind')} disabled={dis || (!isNew && F.kind.immutable)}>
                {F.kind.values.map((k) => (
                  <option key={k} value={k}>
                    {t(`comp.kind.${k}`)}
                  </option>
                ))}
              </select>
            </Labelled>
            <Labelled id={id('max_mark')} label={t('comp.field.max_mark')} error={fe('max_mark')}>
              <input {...described(id('max_mark'), null, fe('max_mark'))} type="number" inputmode="decimal" min={F.max_mark.min} max={F.max_mark.max} step={F.max_mark.step} required={F.max_mark.required} value={v.max_mark ?? ''} onInput={set('max_mark')} disabled={dis} />
            </Labelled>
          </>
        )}
      </div>
      {kind === 'aspects' && v.kind === 'measurement' && (
        <Labelled id={id('part_marks')} label={t('comp.field.part_marks')} hint={t('comp.hint.part_marks')} error={fe('part_marks')} wide>
          <textarea
            {...described(id('part_marks'), true, fe('part_marks'))}
            rows={2}
            value={(v.part_marks || []).join('\n')}
            onInput={(e) => setV((o) => ({ ...o, part_marks: e.currentTarget.value.split('\n') }))}
            disabled={dis}
          />
        </Labelled>
      )}
      {kind === 'aspects' && v.kind === 'judgement' && (
        <fieldset class={`scheme-descriptors${fe('descriptors') ? ' has-error' : ''}`} aria-describedby={fe('descriptors') ? `${id('descriptors')}-err` : undefined}>
          <legend>{t('comp.field.descriptors')}</legend>
          {[0, 1, 2, 3].map((s) => (
            <div class="field" key={s}>
              <label for={descId(s)}>{t('comp.field.descriptor', { score: fmtNumber(s) })}</label>
              <input
                id={descId(s)}
                type="text"
                maxLength={F.descriptors.max}
                value={(v.descriptors || [])[s] ?? ''}
                aria-invalid={fe('descriptors') ? 'true' : undefined}
                disabled={dis}
                onInput={(e) => {
                  const x = e.currentTarget.value;
                  setV((o) => {
                    const d = [...(o.descriptors || ['', '', '', ''])];
                    d[s] = x;
                    return { ...o, descriptors: d };
                  });
                }}
              />
            </div>
          ))}
          {fe('descriptors') && (
            <p class="field-error" id={`${id('descriptors')}-err`}>
              {fe('descriptors')}
            </p>
          )}
        </fieldset>
      )}
      {editable && (
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {isNew ? t('form.create') : t('form.save')}
          </button>
          {isNew && (
            <button type="button" onClick={onCancel}>
              {t('common.cancel')}
            </button>
          )}
          {!isNew && !confirm && (
            <button type="button" class="danger" onClick={() => setConfirm(true)} disabled={busy}>
              {t('form.delete')}
            </button>
          )}
          {confirm && <ConfirmDelete inline busy={busy} onYes={remove} onNo={() => setConfirm(false)} />}
        </div>
      )}
    </form>
  );
}

/** A sum against its target: "40 of 100", marked when they differ. */
function Sum({ label, have, want }) {
  const ok = Math.abs(have - want) < 0.005;
  return (
    <p class={`scheme-sum ${ok ? 'ok' : 'off'}`}>
      <span class="scheme-sum-icon" aria-hidden="true">
        {ok ? '✓' : '!'}
      </span>{' '}
      {t(label, { have: fmtNumber(Math.round(have * 100) / 100), want: fmtNumber(want) })}
      {!ok && <span class="visually-hidden"> {t('comp.scheme.not_yet')}</span>}
    </p>
  );
}

/** The scheme as it stands, to read (after draft, or for those who do not write it). */
function SchemeTable({ criteria, aspects }) {
  return criteria.map((c) => {
    const mine = aspects.filter((a) => a.criterion_id === c.id);
    return (
      <section class="scheme-criterion" key={c.id} data-criterion={c.code}>
        <h2>
          {t('comp.scheme.criterion_named', { code: c.code, name: c.name })} <span class="muted small">({t('comp.mark.weight', { weight: fmtNumber(c.weight) })})</span>
        </h2>
        <Sum label="comp.scheme.aspect_sum" have={mine.reduce((s, a) => s + a.max_mark, 0)} want={c.weight} />
        <div class="table-wrap">
          <table>
            <Head cols={[t('comp.field.code'), t('comp.field.description'), t('comp.field.kind'), t('comp.field.max_mark'), t('comp.scheme.allowed')]} />
            <tbody>
              {mine.map((a) => (
                <tr key={a.id} data-aspect={a.code}>
                  <th scope="row">{a.code}</th>
                  <td>{a.description}</td>
                  <td>{t(`comp.kind.${a.kind}`)}</td>
                  <td>{fmtNumber(a.max_mark)}</td>
                  <td>
                    <ul class="scheme-allowed">
                      {allowedValues(a).map((v) => (
                        <li key={v.value}>
                          <strong>{fmtNumber(v.value)}</strong>
                          {v.note && <> {v.note}</>}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    );
  });
}

export function SchemeEditor({ params, user }) {
  const id = Number(params.id);
  const { category, edition, err: catErr } = useCategory(id);
  const [scheme, setScheme] = useState(null);
  const [err, setErr] = useState(null);
  const [adding, setAdding] = useState(null); // 'criterion' or a criterion id
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    Promise.all([listAll('/criteria', { category: id }), listAll('/aspects', { category: id })])
      .then(([criteria, aspects]) => live && setScheme({ criteria: criteria.sort(byCode), aspects: aspects.sort(byCode) }))
      .catch((e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [id, n]);
  const reload = () => {
    setAdding(null);
    setN((x) => x + 1);
  };
  if (catErr || err) return <ErrorNotice err={catErr || err} />;
  if (!category || !edition || !scheme) return <Busy />;
  const editable = hasRole(user, [ROLES.admin]) && edition.state === 'draft';
  const weights = scheme.criteria.reduce((s, c) => s + c.weight, 0);
  return (
    <section class="scheme">
      <CategoryHeading category={category} edition={edition} title={t('comp.scheme.title')} />
      <p class="lead">{t('comp.scheme.explain')}</p>
      {!editable && <p class="notice">{edition.state === 'draft' ? t('comp.scheme.admin_only') : t('comp.scheme.frozen')}</p>}
      <Sum label="comp.scheme.weights" have={weights} want={100} />
      {!editable && <SchemeTable criteria={scheme.criteria} aspects={scheme.aspects} />}
      {editable && scheme.criteria.map((c) => {
        const aspects = scheme.aspects.filter((a) => a.criterion_id === c.id);
        const marks = aspects.reduce((s, a) => s + a.max_mark, 0);
        return (
          <section class="scheme-criterion" key={c.id} data-criterion={c.code} aria-label={t('comp.scheme.criterion_named', { code: c.code, name: c.name })}>
            <h2>{t('comp.scheme.criterion_named', { code: c.code, name: c.name })}</h2>
            <RecordForm key={`${c.id}-${c.version}`} kind="criteria" rec={c} parent={{ category_id: id }} editable={editable} onSaved={reload} label={t('comp.scheme.criterion_named', { code: c.code, name: c.name })} />
            <Sum label="comp.scheme.aspect_sum" have={marks} want={c.weight} />
            <ul class="scheme-aspects">
              {aspects.map((a) => (
                <li key={`${a.id}-${a.version}`} data-aspect={a.code}>
                  <h3>
                    {a.code} <span class="comp-kind">{t(`comp.kind.${a.kind}`)}</span>
                  </h3>
                  <RecordForm kind="aspects" rec={a} parent={{ criterion_id: c.id }} editable={editable} onSaved={reload} label={t('comp.scheme.aspect_named', { code: a.code })} />
                </li>
              ))}
            </ul>
            {editable &&
              (adding === c.id ? (
                <RecordForm kind="aspects" rec={null} parent={{ criterion_id: c.id }} editable onSaved={reload} onCancel={() => setAdding(null)} label={t('comp.scheme.new_aspect')} />
              ) : (
                <button type="button" onClick={() => setAdding(c.id)}>
                  {t('comp.scheme.add_aspect', { code: c.code })}
                </button>
              ))}
          </section>
        );
      })}
      {scheme.criteria.length === 0 && <p class="empty">{t('comp.scheme.empty')}</p>}
      {editable &&
        (adding === 'criterion' ? (
          <section class="scheme-criterion">
            <h2>{t('comp.scheme.new_criterion')}</h2>
            <RecordForm kind="criteria" rec={null} parent={{ category_id: id }} editable onSaved={reload} onCancel={() => setAdding(null)} label={t('comp.scheme.new_criterion')} />
          </section>
        ) : (
          <p>
            <button type="button" class="primary" onClick={() => setAdding('criterion')}>
              {t('comp.scheme.add_criterion')}
            </button>
          </p>
        ))}
    </section>
  );
}
