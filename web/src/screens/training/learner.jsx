// learner.jsx: the learner's training pages: checking in to a session
// running now with the code the trainer shows (typed, or opened from the
// QR code as /check-in/{id}?code=...), my attendance per cohort with its
// rate beside the program's threshold (below it: an offer of support,
// never a sanction), and my achieved units and awards (GET /me/awards).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { fmtDate, t } from '../../i18n/index.js';
import { refLabel, refRecord } from '../../refs.js';
import { Busy, ErrorNotice, FieldError, Status } from '../../ui/notice.jsx';
import { percent, statusLabel, todayUtc } from './common.js';

function RefName({ plural, id, show }) {
  const [rec, setRec] = useState(null);
  useEffect(() => {
    refRecord(plural, id).then(setRec);
  }, [plural, id]);
  if (!rec) return <span>#{id}</span>;
  return <span dir="auto">{show ? show(rec) : refLabel(plural, rec)}</span>;
}

/** The check-in form: a session of today and its 6-digit code. */
function CheckIn({ user, sessionId, code: given }) {
  const [sessions, setSessions] = useState(null);
  const [chosen, setChosen] = useState(sessionId ? Number(sessionId) : null);
  const [code, setCode] = useState(given || '');
  const [err, setErr] = useState(null);
  const [done, setDone] = useState(null);
  useEffect(() => {
    api.get('/training_sessions', { date: todayUtc(), learner: user.person_id, limit: 50 }).then((d) => {
      setSessions(d.items);
      if (!chosen && d.items.length === 1) setChosen(d.items[0].id);
    }, setErr);
  }, []);
  const submit = async (e) => {
    e.preventDefault();
    setErr(null);
    setDone(null);
    try {
      const m = await api.post(`/training_sessions/${chosen}/check_in`, { code: code.trim() });
      setDone(m.checked_in_now ? t('training.checkin.done', { status: statusLabel(m.status) }) : t('training.checkin.already', { status: statusLabel(m.status) }));
    } catch (x) {
      setErr(x);
    }
  };
  if (!sessions) return err ? <ErrorNotice err={err} /> : <Busy />;
  if (sessions.length === 0) return <p class="empty">{t('training.checkin.none')}</p>;
  return (
    <form class="record-form check-in-form" onSubmit={submit}>
      <div class="field">
        <label for="ci-session">{t('training.checkin.session')}</label>
        <select id="ci-session" required value={chosen == null ? '' : String(chosen)} onChange={(e) => setChosen(Number(e.currentTarget.value) || null)}>
          <option value="">{t('common.choose')}</option>
          {sessions.map((s) => (
            <option key={s.id} value={String(s.id)}>
              {s.start_time}–{s.end_time} · {s.topic}
            </option>
          ))}
        </select>
      </div>
      <div class={`field${err && err.field === 'code' ? ' has-error' : ''}`}>
        <label for="ci-code">{t('training.checkin.code')}</label>
        <input
          id="ci-code"
          class="code-input"
          inputmode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          maxlength="6"
          required
          value={code}
          aria-describedby="ci-code-hint ci-code-err"
          onInput={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
        />
        <p class="hint" id="ci-code-hint">
          {t('training.checkin.code_hint')}
        </p>
        <FieldError err={err} field="code" id="ci-code-err" />
      </div>
      {err && err.field !== 'code' && <ErrorNotice err={err} />}
      {done && <Status text={done} />}
      <div class="actions">
        <button type="submit" class="primary">
          {t('training.checkin.submit')}
        </button>
      </div>
    </form>
  );
}

function CohortAttendance({ c }) {
  const me = c.learners[0];
  if (!me) return null;
  return (
    <li class="card attendance-card" data-cohort={c.cohort_id}>
      <strong dir="auto">{c.program}</strong> <span class="muted" dir="auto">{c.cohort}</span>
      <p class="rate">
        <span class="figure-value" data-rate={me.rate_percent ?? ''}>
          {percent(me.rate_percent)}
        </span>{' '}
        <span class="muted small">{t('training.me.threshold', { threshold: c.threshold })}</span>
      </p>
      {me.below_threshold && <p class="notice">{t('training.me.below')}</p>}
      <p class="small">{c.statuses.map((s) => `${statusLabel(s)}: ${me.statuses[s.code] || 0}`).join(' · ')}</p>
      <p class="muted small">{t('training.me.sessions', { n: c.sessions_with_attendance, marks: me.marks })}</p>
      {me.skills && me.skills.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('training.me.skill')}</th>
                <th scope="col">{t('training.me.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {me.skills.map((s) => (
                <tr key={s.skill}>
                  <td dir="auto">{s.skill}</td>
                  <td>{percent(s.rate_percent)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </li>
  );
}

function Awards() {
  const [data, setData] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    api.get('/me/awards').then(setData, setErr);
  }, []);
  if (err) return <ErrorNotice err={err} />;
  if (!data) return <Busy />;
  const { skill_awards: skills, program_awards: programs } = data;
  return (
    <>
      <h3>{t('training.me.units')}</h3>
      {skills.length === 0 ? (
        <p class="empty">{t('training.me.no_units')}</p>
      ) : (
        <ul class="cards skill-awards">
          {skills.map((a) => (
            <li key={a.id} class="card" data-unit={a.unit_id} data-status={a.status}>
              <strong>
                <RefName plural="units_of_competency" id={a.unit_id} show={(u) => `${u.code} ${u.title}`} />
              </strong>
              <p class="small">
                <RefName plural="programs" id={a.program_id} /> · {fmtDate(a.date)}
              </p>
              {a.status === 'revoked' && <p class="muted small">{t('training.me.revoked')}</p>}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('training.me.programs')}</h3>
      {programs.length === 0 ? (
        <p class="empty">{t('training.me.no_programs')}</p>
      ) : (
        <ul class="cards program-awards">
          {programs.map((a) => (
            <li key={a.id} class="card" data-status={a.status}>
              <strong>
                <RefName plural="programs" id={a.program_id} />
              </strong>
              <p class="small">{fmtDate(a.date)}</p>
              {a.status === 'revoked' && <p class="muted small">{t('training.me.revoked')}</p>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function MyTraining({ user, params, query }) {
  const [att, setAtt] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    api.get('/me/attendance').then(setAtt, setErr);
  }, []);
  return (
    <section class="my-training">
      <h1 tabindex="-1">{t('training.me.title')}</h1>
      <h2>{t('training.checkin.title')}</h2>
      <CheckIn user={user} sessionId={params.id} code={query.code} />
      <h2>{t('training.me.attendance')}</h2>
      <ErrorNotice err={err} />
      {!att && !err && <Busy />}
      {att && att.cohorts.length === 0 && <p class="empty">{t('training.me.no_attendance')}</p>}
      {att && att.cohorts.length > 0 && (
        <ul class="cards attendance-cards">
          {att.cohorts.map((c) => (
            <CohortAttendance key={c.cohort_id} c={c} />
          ))}
        </ul>
      )}
      <h2>{t('training.me.awards')}</h2>
      <Awards />
    </section>
  );
}
