// confirm.jsx: the "delete this?" question asked before a record is
// deleted: the question, a Yes (danger) and a Cancel button, in a group
// labelled for assistive technology. inline puts it on the line of the
// buttons it replaces (a row of the scheme editor); else it is a block
// under the form's buttons.
import { t } from '../i18n/index.js';

/** The confirmation; onYes deletes, onNo goes back; both off while busy (Yes). */
export function ConfirmDelete({ inline, busy, onYes, onNo }) {
  const Box = inline ? 'span' : 'div';
  const Question = inline ? 'span' : 'p';
  return (
    <Box class={inline ? 'confirm-inline' : 'confirm'} role="group" aria-label={t('form.delete')}>
      <Question>{t('form.delete_confirm')}</Question>
      <button type="button" class="danger" onClick={onYes} disabled={busy}>
        {t('form.delete_yes')}
      </button>
      <button type="button" onClick={onNo}>
        {t('common.cancel')}
      </button>
    </Box>
  );
}
