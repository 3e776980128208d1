// signin.jsx: the sign-in screen (username and password), and changing
// one's own password (which ends one's other sessions); `first`: the change
// a one-time password needs before anything else (the shell shows nothing
// but this screen until it is done, then calls onChanged).
import { useState } from 'preact/hooks';
import { request, setCsrf } from '../api.js';
import { t } from '../i18n/index.js';
import { signIn } from '../session.js';
import { ErrorNotice, FieldError, Status } from '../ui/notice.jsx';

export function SignIn({ onSignedIn, ended }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    try {
      onSignedIn(await signIn(username.trim(), password));
    } catch (ex) {
      setErr(ex);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="signin">
      <h1 tabindex="-1">{t('signin.title')}</h1>
      {ended && !err && <p class="notice">{t('signin.session_ended')}</p>}
      <ErrorNotice err={err && err.status === 401 ? { code: 'signin_failed', message: '' } : err} />
      <form onSubmit={submit} class="record-form">
        <div class="field">
          <label for="signin-username">{t('signin.username')}</label>
          <input id="signin-username" name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="signin-password">{t('signin.password')}</label>
          <input id="signin-password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('signin.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function ChangePassword({ first, onChanged }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [err, setErr] = useState(null);
  const [done, setDone] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setErr(null);
    setDone(false);
    if (next !== again) {
      setErr({ code: 'validation', field: 'new_password_again', message: '', local: t('password.mismatch') });
      return;
    }
    try {
      const r = await request('POST', '/me/password', { body: { current_password: current, new_password: next } });
      setCsrf(r.data.csrf_token);
      setDone(true);
      setCurrent('');
      setNext('');
      setAgain('');
      if (onChanged) onChanged();
    } catch (ex) {
      setErr(ex);
    }
  };
  const fieldErr = (name) => <FieldError err={err} field={name} id={`pw-${name}-err`} />;
  const described = (name) => (err && err.field === name ? `pw-${name}-err` : 'pw-hint');
  return (
    <section>
      <h1 tabindex="-1">{first ? t('password.first_title') : t('password.title')}</h1>
      {first && <p class="notice">{t('password.first_intro')}</p>}
      {done && <Status text={t('password.changed')} />}
      <ErrorNotice err={err && !err.field ? err : err ? { ...err, message: '' } : null} />
      <form onSubmit={submit} class="record-form" novalidate>
        <div class="field">
          <label for="pw-current_password">{first ? t('password.one_time') : t('password.current')}</label>
          <input id="pw-current_password" type="password" autocomplete="current-password" required value={current} aria-invalid={err?.field === 'current_password' ? 'true' : undefined} aria-describedby={err?.field === 'current_password' ? 'pw-current_password-err' : undefined} onInput={(e) => setCurrent(e.currentTarget.value)} />
          {fieldErr('current_password')}
        </div>
        <div class="field">
          <label for="pw-new_password">{t('password.new')}</label>
          <input id="pw-new_password" type="password" autocomplete="new-password" required value={next} aria-invalid={err?.field === 'new_password' ? 'true' : undefined} aria-describedby={described('new_password')} onInput={(e) => setNext(e.currentTarget.value)} />
          <p class="hint" id="pw-hint">{t('password.hint')}</p>
          {fieldErr('new_password')}
        </div>
        <div class="field">
          <label for="pw-new_password_again">{t('password.again')}</label>
          <input id="pw-new_password_again" type="password" autocomplete="new-password" required value={again} aria-invalid={err?.field === 'new_password_again' ? 'true' : undefined} aria-describedby={err?.field === 'new_password_again' ? 'pw-new_password_again-err' : undefined} onInput={(e) => setAgain(e.currentTarget.value)} />
          {fieldErr('new_password_again')}
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {t('password.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
