// field.jsx: one labelled input of a form, drawn from a field definition
// (schema.js: the server's field with the presentation of resources.js): the label, the control for its type, an optional hint, and
// the error the API gave for it, tied to the control (aria-describedby,
// aria-invalid) so a screen reader reads it with the field. A reference to
// a kind of resources.js is a searchable picker, to others a select.
import { t } from '../i18n/index.js';
import { SEARCHABLE } from '../resources.js';
import { IscoInput, PersonPicker, RefPicker, RefSelect } from './pickers.jsx';

/** The catalog label of a field definition. */
export function fieldLabel(def) {
  return t(def.label || `field.${def.name}`);
}

/** The catalog label of an enum value. */
export function enumLabel(def, v) {
  return v == null ? '' : t(`enum.${def.enum}.${v}`);
}

/** The control alone for def (used by forms and list filters). */
export function Control({ def, id, value, onChange, disabled, describedBy, invalid }) {
  const common = { id, disabled, 'aria-describedby': describedBy, 'aria-invalid': invalid ? 'true' : undefined };
  const text = (e) => onChange(e.currentTarget.value === '' ? null : e.currentTarget.value);
  switch (def.type) {
    case 'int':
    case 'decimal':
      return (
        <input
          {...common}
          type="number"
          inputmode={def.type === 'int' ? 'numeric' : 'decimal'}
          min={def.min}
          max={def.max}
          step={def.type === 'int' ? '1' : def.step}
          required={def.required}
          value={value ?? ''}
          onInput={(e) => onChange(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
        />
      );
    case 'date':
      return <input {...common} type="date" required={def.required} value={value ?? ''} onInput={text} />;
    case 'enum':
      return (
        <select {...common} required={def.required} value={value ?? ''} onChange={text}>
          <option value="">{def.required ? t('common.choose') : '—'}</option>
          {def.values.map((v) => (
            <option key={v} value={v}>
              {enumLabel(def, v)}
            </option>
          ))}
        </select>
      );
    case 'bool':
      return <input {...common} type="checkbox" checked={!!value} onChange={(e) => onChange(e.currentTarget.checked)} />;
    case 'ref':
      if (def.ref === 'persons')
        return <PersonPicker {...{ id, value, onChange, disabled, describedBy, invalid }} query={def.query} />;
      if (SEARCHABLE.has(def.ref))
        return <RefPicker {...{ id, value, onChange, disabled, describedBy, invalid }} plural={def.ref} query={def.query} required={def.required} />;
      return (
        <RefSelect
          {...{ id, value, onChange, disabled, describedBy, invalid }}
          plural={def.ref}
          query={def.query}
          required={def.required}
        />
      );
    case 'persons':
      return <PersonPicker {...{ id, value, onChange, disabled, describedBy, invalid }} multiple />;
    case 'isco':
      return <IscoInput {...{ id, value, onChange, disabled, describedBy, invalid }} required={def.required} />;
    case 'strlist':
      return (
        <textarea
          {...common}
          rows={4}
          value={(value || []).join('\n')}
          onInput={(e) => onChange(e.currentTarget.value.split('\n'))}
        />
      );
    case 'search':
      return <input {...common} type="search" maxLength={def.max} value={value ?? ''} onInput={text} />;
    default:
      return (
        <input
          {...common}
          type={def.type === 'email' ? 'email' : def.type === 'tel' ? 'tel' : 'text'}
          maxLength={def.max}
          required={def.required}
          value={value ?? ''}
          onInput={text}
        />
      );
  }
}

/** A whole form field: label, control, hint and error. */
export function Field({ def, formId, value, onChange, error, disabled }) {
  const id = `${formId}-${def.name}`;
  const hint = def.hint ? `${id}-hint` : null;
  const err = error ? `${id}-err` : null;
  const describedBy = [hint, err].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field field-${def.type}${error ? ' has-error' : ''}`}>
      <label for={id}>
        {fieldLabel(def)}
        {def.required && !disabled && <span class="req" aria-hidden="true"> *</span>}
      </label>
      <Control {...{ def, id, value, onChange, disabled, describedBy }} invalid={!!error} />
      {hint && (
        <p class="hint" id={hint}>
          {t(def.hint)}
        </p>
      )}
      {error && (
        <p class="field-error" id={err}>
          {error}
        </p>
      )}
    </div>
  );
}
