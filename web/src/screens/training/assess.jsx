// assess.jsx: assessment for the assessor, made for a tablet: the events
// of the cohorts one assesses (staff: their institution's), and an event's
// screen: each learner who holds a place in the cohort, their evidence
// (photographed or chosen, uploaded to POST /assessments/{id}/evidence with
// its media type), competent / not yet competent on every criterion of the
// unit, the four declarations on the evidence, and one call recording the
// learner's whole result (POST /assessments/{id}/results). The decisions the
// server refuses (error.rows, by their index in results) are shown beside
// their criterion and listed, with the learner's name, in the notice. The
// list (newest first, as the server gives it) offers a new event: cohort,
// unit of its program, date, method, assessor (one of its trainers), and
// shows the learners it assesses (those holding a place).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { fmtDate, fmtNumber, t } from '../../i18n/index.js';
import { Link, navigate } from '../../router.js';
import { personName } from '../../resources.js';
import { refLabel, refRecord } from '../../refs.js';
import { RefPicker, RefSelect, ownInstitutionQuery } from '../../ui/pickers.jsx';
import { Busy, ErrorNotice, FieldError, Status } from '../../ui/notice.jsx';
import { refusedResults, todayUtc } from './common.js';
import { METHODS } from './values.js';

export const DECLARATIONS = ['evidence_valid', 'evidence_sufficient', 'evidence_authentic', 'evidence_current'];
export const OUTCOMES = ['competent', 'not_yet_competent'];
/** Enrollment statuses that hold a place in the cohort (may be assessed). */
const ASSESSABLE = ['enrolled', 'completed', 'not_completed'];
const ACCEPT = 'image/*,application/pdf';

function Name({ plural, id, show }) {
  const [rec, setRec] = useState(null);
  useEffect(() => {
    refRecord(plural, id).then(setRec);
  }, [plural, id]);
  return <span dir="auto">{rec ? (show ? show(rec) : refLabel(plural, rec)) : `#${id}`}</span>;
}
const unitName = (u) => `${u.code} ${u.title}`;

/** A new assessment event: the cohort (its learners who hold a place are
 * listed, by name), a unit of its program, the day, the method and the
 * assessor (one of the cohort's trainers; a trainer's default is
 * themself). onMade(event) after the server made it. */
function NewEvent({ user, cohortId, onMade }) {
  const [cohort, setCohort] = useState(cohortId);
  const [rec, setRec] = useState(null);
  const [learners, setLearners] = useState(null);
  const [unit, setUnit] = useState(null);
  const [date, setDate] = useState(todayUtc());
  const [method, setMethod] = useState(METHODS[0]);
  const [assessor, setAssessor] = useState(null);
  const [trainers, setTrainers] = useState([]);   // [{id, name}]
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setRec(null);
    setLearners(null);
    setUnit(null);
    if (!cohort) return;
    Promise.all([api.get(`/cohorts/${cohort}`), api.get(`/cohorts/${cohort}/attendance`)])
      .then(async ([c, att]) => {
        const ids = c.trainers || [];
        const people = await Promise.all(ids.map((id) => refRecord('persons', id)));
        setTrainers(ids.map((id, i) => ({ id, name: id === user.person_id ? t('assess.new.me') : people[i] ? personName(people[i]) : `#${id}` })));
        setRec(c);
        setLearners(att.learners.filter((l) => ASSESSABLE.includes(l.enrollment_status)));
        setAssessor(user.person_id && ids.includes(user.person_id) ? user.person_id : ids[0] || null);
      })
      .catch(setErr);
  }, [cohort]);
  const submit = async (e) => {
    e.preventDefault();
    setErr(null);
    setBusy(true);
    try {
      const body = { cohort_id: cohort, unit_id: unit, date, method };
      if (assessor) body.assessor_id = assessor;
      const ev = await api.post('/assessments', body);
      onMade(ev);
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };
  const fe = (f) => (err && err.field === f ? err : null);
  return (
    <form class="record-form new-event" onSubmit={submit}>
      <h2>{t('assess.new.title')}</h2>
      <div class={`field${fe('cohort_id') ? ' has-error' : ''}`}>
        <label for="ne-cohort">{t('field.cohort_id')}</label>
        <RefPicker id="ne-cohort" plural="cohorts" query={ownInstitutionQuery(user)} value={cohort} onChange={setCohort} required invalid={!!fe('cohort_id')} />
        <FieldError err={err} field="cohort_id" />
      </div>
      {rec && (
        <>
          <div class={`field${fe('unit_id') ? ' has-error' : ''}`}>
            <label for="ne-unit">{t('assess.new.unit')}</label>
            <RefSelect id="ne-unit" plural="units_of_competency" query={{ program: rec.program_id }} value={unit} onChange={setUnit} required />
            <FieldError err={err} field="unit_id" />
          </div>
          <div class={`field${fe('date') ? ' has-error' : ''}`}>
            <label for="ne-date">{t('assess.new.date')}</label>
            <input id="ne-date" type="date" required value={date} onInput={(e) => setDate(e.currentTarget.value)} />
            <FieldError err={err} field="date" />
          </div>
          <div class="field">
            <label for="ne-method">{t('assess.new.method')}</label>
            <select id="ne-method" required value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {t(`assess.method.${m}`)}
                </option>
              ))}
            </select>
          </div>
          <div class={`field${fe('assessor_id') ? ' has-error' : ''}`}>
            <label for="ne-assessor">{t('assess.new.assessor')}</label>
            <select id="ne-assessor" required value={assessor == null ? '' : String(assessor)} onChange={(e) => setAssessor(Number(e.currentTarget.value) || null)}>
              <option value="">{t('common.choose')}</option>
              {trainers.map((p) => (
                <option key={p.id} value={String(p.id)}>
                  {p.name}
                </option>
              ))}
            </select>
            <FieldError err={err} field="assessor_id" />
          </div>
          <h3>{t('assess.new.learners', { n: learners ? learners.length : 0 })}</h3>
          {learners && learners.length === 0 && <p class="empty">{t('assess.no_learners')}</p>}
          {learners && learners.length > 0 && (
            <ul class="new-event-learners small">
              {learners.map((l) => (
                <li key={l.person_id} data-person={l.person_id}>
                  <span dir="auto">{personName(l)}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {err && !['cohort_id', 'unit_id', 'date', 'assessor_id'].includes(err.field) && <ErrorNotice err={err} />}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !rec}>
          {t('assess.new.submit')}
        </button>
      </div>
    </form>
  );
}

export function AssessmentList({ user, query }) {
  const [cohort, setCohort] = useState(query.cohort ? Number(query.cohort) : null);
  const [items, setItems] = useState(null);
  const [err, setErr] = useState(null);
  const [adding, setAdding] = useState(false);
  useEffect(() => {
    setItems(null);
    api.get('/assessments', { cohort, limit: 100 }).then((d) => setItems(d.items), setErr);   // newest first
  }, [cohort]);
  return (
    <section class="assessments">
      <h1 tabindex="-1">{t('assess.title')}</h1>
      <div class="filters">
        <div class="field">
          <label for="as-cohort">{t('field.cohort_id')}</label>
          <RefPicker id="as-cohort" plural="cohorts" query={ownInstitutionQuery(user)} value={cohort} onChange={setCohort} emptyLabel={t('assess.any_cohort')} />
        </div>
      </div>
      {adding ? (
        <NewEvent user={user} cohortId={cohort} onMade={(ev) => navigate(`/assessments/${ev.id}`)} />
      ) : (
        <div class="actions">
          <button type="button" class="primary new-event-open" onClick={() => setAdding(true)}>
            {t('assess.new.open')}
          </button>
        </div>
      )}
      <ErrorNotice err={err} />
      {!items && !err && <Busy />}
      {items && items.length === 0 && <p class="empty">{t('assess.none')}</p>}
      {items && items.length > 0 && (
        <ul class="session-list">
          {items.map((a) => (
            <li key={a.id}>
              <Link class="session-card" href={`/assessments/${a.id}`} data-assessment={a.id}>
                <strong>
                  <Name plural="units_of_competency" id={a.unit_id} show={unitName} />
                </strong>
                <span>
                  <Name plural="cohorts" id={a.cohort_id} /> · {fmtDate(a.date)}
                </span>
                <span class="muted small">
                  {t(`assess.method.${a.method}`)}
                  {a.second_marking_of ? ` · ${t('assess.second_marking')}` : ''}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The learner's evidence in the event, and the camera / file input adding to it. */
function Evidence({ event, person, items, onAdded }) {
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState(null);
  const id = `ev-${person}`;
  const upload = async (e) => {
    const files = [...e.currentTarget.files];
    e.currentTarget.value = '';
    setErr(null);
    setNote(null);
    setBusy(true);
    try {
      for (const f of files) {
        const name = (f.name || 'evidence').replace(/["/\\]/g, '_').slice(0, 200);
        await api.upload(`/assessments/${event.id}/evidence`, f, f.type || 'application/octet-stream', { person, name });
      }
      setNote(t('assess.evidence.added', { n: files.length }));
      onAdded();
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="evidence">
      <h3>{t('assess.evidence.title')}</h3>
      {items.length === 0 ? (
        <p class="muted small">{t('assess.evidence.none')}</p>
      ) : (
        <ul class="evidence-list">
          {items.map((ev) => (
            <li key={ev.id} data-evidence={ev.id}>
              <a href={`/api/v1/evidence_items/${ev.id}/content`} download={ev.file_name} dir="auto">
                {ev.file_name}
              </a>{' '}
              <span class="muted small">
                {fmtDate(ev.date)} · {t('assess.evidence.kb', { kb: fmtNumber(Math.ceil(ev.size / 1024)) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <div class="field">
        <label for={id}>{t('assess.evidence.add')}</label>
        <input id={id} type="file" accept={ACCEPT} capture="environment" multiple disabled={busy} aria-describedby={`${id}-hint`} onChange={upload} />
        <p class="hint" id={`${id}-hint`}>
          {t('assess.evidence.hint')}
        </p>
      </div>
      {busy && <Busy />}
      {note && <Status text={note} />}
      <ErrorNotice err={err} />
    </div>
  );
}

/** One learner's result: recorded already (read only), or the form. */
function LearnerResult({ event, learner, criteria, recorded, onRecorded }) {
  const [outcome, setOutcome] = useState({});
  const [decl, setDecl] = useState(Object.fromEntries(DECLARATIONS.map((d) => [d, false])));
  const [evidence, setEvidence] = useState([]);
  const [err, setErr] = useState(null);
  const [done, setDone] = useState(null);
  const pid = learner.person_id;
  const loadEvidence = () => api.get('/evidence_items', { assessment: event.id, person: pid, limit: 100 }).then((d) => setEvidence(d.items), setErr);
  useEffect(() => {
    loadEvidence();
  }, [pid]);

  if (recorded.length > 0) {
    const by = Object.fromEntries(recorded.map((r) => [r.criterion_id, r.outcome]));
    return (
      <div class="learner-result recorded">
        {done && <Status text={done} />}
        <p class="small">{t('assess.recorded')}</p>
        <ul class="criteria-done">
          {criteria.map((c) => (
            <li key={c.id} data-criterion={c.id} data-outcome={by[c.id] || ''}>
              <strong>{c.code}</strong> {by[c.id] ? t(`assess.outcome.${by[c.id]}`) : '—'}
            </li>
          ))}
        </ul>
        <Evidence event={event} person={pid} items={evidence} onAdded={loadEvidence} />
      </div>
    );
  }

  const rows = refusedResults(err);
  const save = async (e) => {
    e.preventDefault();
    setErr(null);
    const results = criteria.map((c) => {
      const r = { criterion_id: c.id, outcome: outcome[c.id] };
      if (outcome[c.id] === 'competent') Object.assign(r, decl);
      return r;
    });
    try {
      const r = await api.post(`/assessments/${event.id}/results`, { person_id: pid, results });
      const msg = [t('assess.saved')];
      if (r.skill_award) msg.push(t('assess.skill_award'));
      if (r.program_award) msg.push(t('assess.program_award'));
      setDone(msg.join(' '));
      onRecorded(msg.join(' '));
    } catch (x) {
      setErr(x);
    }
  };
  const anyCompetent = criteria.some((c) => outcome[c.id] === 'competent');
  return (
    <form class="learner-result" onSubmit={save}>
      <Evidence event={event} person={pid} items={evidence} onAdded={loadEvidence} />
      <h3>{t('assess.criteria')}</h3>
      {criteria.map((c, i) => (
        <fieldset key={c.id} class={`criterion${rows[i] ? ' has-error' : ''}`} data-criterion={c.id} aria-describedby={rows[i] ? `cr-${pid}-${c.id}-err` : undefined}>
          <legend>
            <strong>{c.code}</strong> <span dir="auto">{c.text}</span>
          </legend>
          <div class="outcomes">
            {OUTCOMES.map((o) => (
              <label key={o} class={`outcome outcome-${o}`}>
                <input type="radio" name={`cr-${pid}-${c.id}`} value={o} required checked={outcome[c.id] === o} onChange={() => setOutcome({ ...outcome, [c.id]: o })} />
                {t(`assess.outcome.${o}`)}
              </label>
            ))}
          </div>
          {rows[i] && (
            <p class="field-error" id={`cr-${pid}-${c.id}-err`}>
              <span lang="en" dir="ltr">
                {rows[i]}
              </span>
            </p>
          )}
        </fieldset>
      ))}
      <fieldset class="declarations">
        <legend>{t('assess.declare')}</legend>
        <p class="hint">{t('assess.declare_hint')}</p>
        {DECLARATIONS.map((d) => (
          <label key={d} class="field-bool">
            <input type="checkbox" name={d} checked={decl[d]} disabled={!anyCompetent} onChange={(e) => setDecl({ ...decl, [d]: e.currentTarget.checked })} />
            <span>{t(`assess.decl.${d}`)}</span>
          </label>
        ))}
      </fieldset>
      {err && (
        <ErrorNotice err={Object.keys(rows).length > 0 ? { status: err.status, code: err.code, message: '' } : err}>
          {Object.keys(rows).length > 0 && (
            <ul class="refused-rows small">
              {criteria.map((c, i) =>
                rows[i] ? (
                  <li key={c.id} data-criterion={c.id}>
                    <strong dir="auto">{personName(learner)}</strong> · <strong>{c.code}</strong>:{' '}
                    <span lang="en" dir="ltr">
                      {rows[i]}
                    </span>
                  </li>
                ) : null,
              )}
            </ul>
          )}
        </ErrorNotice>
      )}
      <div class="actions">
        <button type="submit" class="primary">
          {t('assess.save')}
        </button>
      </div>
    </form>
  );
}

export function AssessmentScreen({ params }) {
  const [data, setData] = useState(null);
  const [err, setErr] = useState(null);
  const [open, setOpen] = useState(null);
  const [note, setNote] = useState(null);
  const load = async () => {
    try {
      const event = await api.get(`/assessments/${params.id}`);
      const [unit, crit, att, res] = await Promise.all([
        api.get(`/units_of_competency/${event.unit_id}`),
        api.get('/performance_criteria', { unit: event.unit_id, limit: 200 }),
        api.get(`/cohorts/${event.cohort_id}/attendance`),
        api.get('/assessment_results', { assessment: event.id, limit: 500 }),
      ]);
      setData({
        event,
        unit,
        criteria: crit.items,
        learners: att.learners.filter((l) => ASSESSABLE.includes(l.enrollment_status)),
        cohort: att.cohort,
        results: res.items,
      });
    } catch (x) {
      setErr(x);
    }
  };
  useEffect(() => {
    load();
  }, [params.id]);
  if (err) return <ErrorNotice err={err} />;
  if (!data) return <Busy />;
  const { event, unit, criteria, learners, results } = data;
  return (
    <section class="assessment">
      <p class="crumbs">
        <Link href="/assessments">{t('assess.title')}</Link>
      </p>
      <h1 tabindex="-1" dir="auto">
        {unit.code} {unit.title}
      </h1>
      <p class="muted">
        <span dir="auto">{data.cohort}</span> · {fmtDate(event.date)} · {t(`assess.method.${event.method}`)}
        {event.second_marking_of ? ` · ${t('assess.second_marking')}` : ''}
      </p>
      {note && <Status text={note} />}
      {learners.length === 0 && <p class="empty">{t('assess.no_learners')}</p>}
      <ul class="assess-learners">
        {learners.map((l) => {
          const mine = results.filter((r) => r.person_id === l.person_id);
          const isOpen = open === l.person_id;
          return (
            <li key={l.person_id} data-person={l.person_id} class="card">
              <button type="button" class="learner-toggle" aria-expanded={isOpen ? 'true' : 'false'} onClick={() => setOpen(isOpen ? null : l.person_id)}>
                <span dir="auto">{personName(l)}</span>
                <span class="small muted">{mine.length > 0 ? t('assess.state.recorded') : t('assess.state.open')}</span>
              </button>
              {isOpen && (
                <LearnerResult
                  event={event}
                  learner={l}
                  criteria={criteria}
                  recorded={mine}
                  onRecorded={(msg) => {
                    setNote(msg);
                    load();
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
