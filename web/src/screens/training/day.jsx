// day.jsx: the trainer's day, made for a phone or a tablet: today's
// sessions of the trainer's cohorts (staff: their institution's), and a
// session's screen: the check-in code (large, with its QR code, asked
// again before it expires) and the roster, where every learner who may be
// marked starts present, a tap cycles present → late → excused → absent,
// and one "save" sends the whole list (POST .../attendance); the rows the
// server refuses (error.rows) are shown beside their learner, and listed
// with the learner's name in the error notice.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { fmtDate, t } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { personName } from '../../resources.js';
import { refLabel, refRecord } from '../../refs.js';
import { Busy, ErrorNotice, Status } from '../../ui/notice.jsx';
import { refusedMarks, statusLabel, todayUtc } from './common.js';
import { QrCode } from './qr.jsx';

/** The order a tap goes through; statuses of the institution's own follow. */
const CYCLE = ['present', 'late', 'excused', 'absent'];

function CohortName({ id }) {
  const [name, setName] = useState(null);
  useEffect(() => {
    refRecord('cohorts', id).then((r) => setName(refLabel('cohorts', r)), () => setName(null));
  }, [id]);
  return <span>{name || `#${id}`}</span>;
}

export function TrainerDay({ user }) {
  const [items, setItems] = useState(null);
  const [err, setErr] = useState(null);
  const today = todayUtc();
  useEffect(() => {
    const query = { date: today, limit: 100 };
    if (user.person_id && user.roles.some((r) => r.role === 'trainer')) query.trainer = user.person_id;
    api.get('/training_sessions', query).then((d) => setItems(d.items), setErr);
  }, []);
  return (
    <section class="training-day">
      <h1 tabindex="-1">{t('training.day.title')}</h1>
      <p class="lead">{fmtDate(today)}</p>
      <ErrorNotice err={err} />
      {!items && !err && <Busy />}
      {items && items.length === 0 && <p class="empty">{t('training.day.none')}</p>}
      {items && items.length > 0 && (
        <ul class="session-list">
          {items
            .slice()
            .sort((a, b) => a.start_time.localeCompare(b.start_time))
            .map((s) => (
              <li key={s.id}>
                <Link class="session-card" href={`/training/sessions/${s.id}`}>
                  <strong>
                    {s.start_time}–{s.end_time}
                  </strong>
                  <span>
                    <CohortName id={s.cohort_id} />
                  </span>
                  <span class="muted small">
                    {s.topic}
                    {s.place ? ` · ${s.place}` : ''}
                  </span>
                  <span class="small">{s.marked_at ? t('training.day.taken') : t('training.day.not_taken')}</span>
                </Link>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}

/** The check-in code of the moment, asked again at its expiry (every 25 s at most). */
export function CheckInCode({ sessionId }) {
  const [code, setCode] = useState(null);
  const [err, setErr] = useState(null);
  const [left, setLeft] = useState(null);
  useEffect(() => {
    let live = true;
    let timer;
    const load = () =>
      api.get(`/training_sessions/${sessionId}/check_in_code`).then(
        (c) => {
          if (!live) return;
          setCode(c);
          setErr(null);
          const ms = Math.min(25000, Math.max(1000, new Date(c.expires_at).getTime() - Date.now() + 300));
          timer = setTimeout(load, ms);
        },
        (e) => {
          if (!live) return;
          setErr(e);
          setCode(null);
          timer = setTimeout(load, 60000);   // outside the window (409): ask again now and then
        },
      );
    load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [sessionId]);
  useEffect(() => {
    if (!code) return undefined;
    const tick = () => setLeft(Math.max(0, Math.round((new Date(code.expires_at).getTime() - Date.now()) / 1000)));
    tick();
    const iv = setInterval(tick, 1000);
    return () => clearInterval(iv);
  }, [code]);
  if (err) return <ErrorNotice err={err} title={t('training.code.unavailable')} />;
  if (!code) return <Busy />;
  const digits = code.code;
  return (
    <div class="check-in-code">
      <p class="muted">{t('training.code.explain')}</p>
      <p class="code-digits" aria-label={t('training.code.label')} data-code={digits}>
        {digits.slice(0, 3)} {digits.slice(3)}
      </p>
      <p class="small" aria-live="off">
        {t('training.code.changes_in', { seconds: left ?? code.seconds_left })}
      </p>
      <QrCode text={window.location.origin + code.qr_payload} label={t('training.code.qr')} />
    </div>
  );
}

/** The roster, all of it taken in one call. */
function Roster({ sessionId }) {
  const [roster, setRoster] = useState(null);
  const [marks, setMarks] = useState({});
  const [reason, setReason] = useState('');
  const [err, setErr] = useState(null);
  const [sent, setSent] = useState([]);
  const [saved, setSaved] = useState(null);
  const [busy, setBusy] = useState(false);
  const errRef = useRef(null);

  const load = () =>
    api.get(`/training_sessions/${sessionId}/attendance`).then((r) => {
      setRoster(r);
      const m = {};
      for (const l of r.learners) if (l.markable) m[l.person_id] = l.mark ? l.mark.status : 'present';
      setMarks(m);
    }, setErr);
  useEffect(() => {
    load();
  }, [sessionId]);

  if (!roster) return err ? <ErrorNotice err={err} /> : <Busy />;
  const active = roster.statuses.filter((s) => s.active).map((s) => s.code);
  const cycle = [...CYCLE.filter((c) => active.includes(c)), ...active.filter((c) => !CYCLE.includes(c))];
  const byCode = Object.fromEntries(roster.statuses.map((s) => [s.code, s]));
  const refused = refusedMarks(err, sent);
  const byPerson = Object.fromEntries(roster.learners.map((l) => [l.person_id, l]));
  const next = (pid) => setMarks({ ...marks, [pid]: cycle[(cycle.indexOf(marks[pid]) + 1) % cycle.length] });
  const counts = {};
  for (const v of Object.values(marks)) counts[v] = (counts[v] || 0) + 1;

  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    setSaved(null);
    const body = { marks: Object.entries(marks).map(([pid, status]) => ({ person_id: Number(pid), status })) };
    if (roster.after_day && reason) body.reason = reason;
    setSent(body.marks);
    try {
      const r = await api.post(`/training_sessions/${sessionId}/attendance`, body);
      setSaved(t('training.roster.saved', { created: r.created, changed: r.changed, unchanged: r.unchanged }));
      await load();
    } catch (x) {
      setErr(x);
      setTimeout(() => errRef.current?.querySelector('[role=alert]')?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="roster" onSubmit={save}>
      <h2>{t('training.roster.title')}</h2>
      <p class="muted small">{t('training.roster.explain')}</p>
      <p class="small" data-counts>
        {cycle.map((c) => `${statusLabel(byCode[c])}: ${counts[c] || 0}`).join(' · ')}
      </p>
      <ul class="roster-list">
        {roster.learners.map((l) => {
          const st = marks[l.person_id];
          const name = personName(l);
          return (
            <li key={l.person_id} data-person={l.person_id} class={refused[l.person_id] ? 'refused' : undefined}>
              {l.markable ? (
                <button
                  type="button"
                  class={`mark mark-${st}`}
                  data-status={st}
                  onClick={() => next(l.person_id)}
                >
                  <span class="mark-name" dir="auto">{name}</span>
                  <span class="mark-status">{statusLabel(byCode[st])}</span>
                  <span class="visually-hidden">{t('training.roster.tap')}</span>
                </button>
              ) : (
                <div class="mark mark-none">
                  <span class="mark-name" dir="auto">{name}</span>
                  <span class="mark-status muted small">{t('training.roster.not_markable', { status: t(`enum.status.${l.enrollment_status}`) })}</span>
                </div>
              )}
              {l.mark && (
                <span class="muted small">
                  {t(`training.source.${l.mark.source}`)} · {fmtDate(l.mark.set_at, true)}
                  {l.changes.length > 0 && ` · ${t('training.roster.changes', { n: l.changes.length })}`}
                </span>
              )}
              {refused[l.person_id] && (
                <p class="field-error">
                  <span lang="en" dir="ltr">
                    {refused[l.person_id]}
                  </span>
                </p>
              )}
            </li>
          );
        })}
      </ul>
      {roster.after_day && (
        <div class="field">
          <label for="att-reason">{t('training.roster.reason')}</label>
          <select id="att-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
            <option value="">—</option>
            {roster.reasons.map((r) => (
              <option key={r} value={r}>
                {t(`training.reason.${r}`)}
              </option>
            ))}
          </select>
          <p class="hint">{t('training.roster.reason_hint')}</p>
        </div>
      )}
      <div ref={errRef}>
        {/* the rows, named, instead of the server's one-line summary */}
        <ErrorNotice err={Object.keys(refused).length > 0 ? { status: err.status, code: err.code, message: '' } : err}>
          {Object.keys(refused).length > 0 && (
            <ul class="refused-rows small">
              {Object.entries(refused).map(([pid, why]) => (
                <li key={pid} data-person={pid}>
                  <strong dir="auto">{byPerson[pid] ? personName(byPerson[pid]) : `#${pid}`}</strong>:{' '}
                  <span lang="en" dir="ltr">
                    {why}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </ErrorNotice>
      </div>
      {saved && <Status text={saved} />}
      <div class="actions">
        <button type="submit" class="primary save-all" disabled={busy || Object.keys(marks).length === 0}>
          {t('training.roster.save', { n: Object.keys(marks).length })}
        </button>
      </div>
    </form>
  );
}

export function SessionScreen({ params }) {
  const [s, setS] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    api.get(`/training_sessions/${params.id}`).then(setS, setErr);
  }, [params.id]);
  if (err) return <ErrorNotice err={err} />;
  if (!s) return <Busy />;
  const today = s.date === todayUtc();
  return (
    <section class="training-session">
      <p class="crumbs">
        <Link href="/training">{t('training.day.title')}</Link>
      </p>
      <h1 tabindex="-1">
        <CohortName id={s.cohort_id} /> · {s.start_time}–{s.end_time}
      </h1>
      <p class="muted">
        {fmtDate(s.date)} · {s.topic}
        {s.place ? ` · ${s.place}` : ''}
      </p>
      {today && (
        <>
          <h2>{t('training.code.title')}</h2>
          <CheckInCode sessionId={s.id} />
        </>
      )}
      <Roster sessionId={s.id} />
    </section>
  );
}
