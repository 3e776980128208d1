// notice.jsx: messages to the user: an API error (its code in the user's
// language, the server's own words beneath, marked as English), a success
// note, and a busy marker. Errors are announced (role=alert).
import { t, hasKey } from '../i18n/index.js';

/** The heading for an API error code (falls back to the generic one). */
export function errorTitle(err) {
  if (!err) return '';
  if (err.status === 412) return t('error.stale');
  const key = `error.${err.code}`;
  return hasKey(key) ? t(key) : t('error.generic');
}

/** An error box for err (an ApiError or anything with a message); nothing when err is null.
 * title: a heading of the screen's own instead of the error code's. */
export function ErrorNotice({ err, title, children }) {
  if (!err) return null;
  return (
    <div class="notice notice-error" role="alert" tabindex="-1">
      <strong>{title || errorTitle(err)}</strong>
      {err.message && err.code !== 'network' && (
        <p class="detail" lang="en" dir="ltr">
          {err.message}
        </p>
      )}
      {children}
    </div>
  );
}

/** A polite status line (e.g. "Saved"). */
export function Status({ text }) {
  return (
    <p class="notice notice-ok" role="status">
      {text}
    </p>
  );
}

export function Busy() {
  return (
    <p class="busy" role="status">
      {t('common.loading')}
    </p>
  );
}

/** The error err gives for field (its own words when set locally, else the server's). */
export function FieldError({ err, field, id }) {
  if (!err || err.field !== field) return null;
  return (
    <p class="field-error" id={id}>
      {err.local || (
        <span lang="en" dir="ltr">
          {err.message}
        </span>
      )}
    </p>
  );
}
