// notice.jsx: messages to the user: an API error (its reason in the user's
// language, from the catalog (ui/errtext.js), with the refused rows
// beneath), a success note, and a busy marker. Errors are announced
// (role=alert).
import { t } from '../i18n/index.js';
import { classText, englishDetail, errorText, rowPlace } from './errtext.js';

/** The heading for an API error: its reason's sentence (the code class's when unknown); the
 * class's alone when the sentence is shown beside its field (the screen passes message ''). */
export function errorTitle(err) {
  if (!err) return '';
  if (err.field && err.message === '') return classText(err);
  if (err.local) return err.local;
  return errorText(err);
}

/** The refused rows of an all-or-nothing operation, each where it is and why. */
function RefusedRows({ rows }) {
  if (!rows || !rows.length) return null;
  return (
    <ul class="refused-rows">
      {rows.map((row, i) => (
        <li key={i}>
          {rowPlace(row) && <span class="row-place">{rowPlace(row)}: </span>}
          {errorText(row)}
        </li>
      ))}
    </ul>
  );
}

/** An error box for err (an ApiError or anything with a message); nothing when err is null.
 * title: a heading of the screen's own instead of the error code's. */
export function ErrorNotice({ err, title, children }) {
  if (!err) return null;
  // beneath a title of its own: the reason's sentence, or (an error with no reason, such as a failed import's) the server's words to an English reader
  const detail = title ? (err.reason ? errorText(err) : englishDetail(err)) : null;
  return (
    <div class="notice notice-error" role="alert" tabindex="-1">
      <strong>{title || errorTitle(err)}</strong>
      {detail && <p class="detail">{detail}</p>}
      <RefusedRows rows={err.rows} />
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

/** The error err gives for field (its own words when set locally, else the reason's sentence). */
export function FieldError({ err, field, id }) {
  if (!err || err.field !== field) return null;
  return (
    <p class="field-error" id={id}>
      {err.local || errorText(err)}
    </p>
  );
}
