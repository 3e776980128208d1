// imports.jsx: the Imports screen (/imports): uploading a CSV file of
// persons or enrollments to import in the background (POST /api/v1/imports
// with the file's bytes as text/csv: kind, name, skip_invalid, map), with
// the columns each kind takes, and the list of the user's own imports,
// newest first (GET /api/v1/imports, older pages with before=next_before).
// A refused upload (403, 409, 413, 415, 422, 429) is said in words, with
// the server's reason beneath. An accepted one opens the import's own
// screen (view.jsx), which follows it to its end.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { fmtDate, fmtNumber, t } from '../../i18n/index.js';
import { Link, navigate } from '../../router.js';
import { Busy, ErrorNotice, FieldError } from '../../ui/notice.jsx';
import { IMPORT_KINDS, UPLOAD_REFUSALS } from './kinds.js';
import './imports.css';

const NAME_MAX = 200; // the server's limit on the file name (characters)
const LIST_PAGE = 20;

/** The status of an import as a word, marked for styling. */
export function ImportStatus({ status }) {
  return <span class={`status import-${status}`}>{t(`imports.status.${status}`)}</span>;
}

/** A column name that may break after its underscores (narrow screens). */
function ColumnName({ name }) {
  const parts = name.split('_');
  return (
    <code dir="ltr">
      {parts.map((p, i) => (i < parts.length - 1 ? [p, '_', <wbr key={i} />] : p))}
    </code>
  );
}

/** The columns a file of kind k may have, with what each holds. */
function ColumnHelp({ k }) {
  return (
    <div class="table-wrap import-columns">
      <table>
        <caption>{t('imports.columns_of', { kind: t(`imports.kind.${k.kind}`) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('imports.column')}</th>
            <th scope="col">{t('imports.column_holds')}</th>
          </tr>
        </thead>
        <tbody>
          {k.columns.map((c) => (
            <tr key={c}>
              <th scope="row">
                <ColumnName name={c} />
                {k.required.includes(c) && <span class="req"> ({t('imports.required')})</span>}
              </th>
              <td>{t(`imports.col.${k.kind}.${c}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The upload form; an accepted upload goes to its import's screen. */
function UploadForm() {
  const [kind, setKind] = useState(IMPORT_KINDS[0].kind);
  const [file, setFile] = useState(null);
  const [skip, setSkip] = useState(false);
  const [map, setMap] = useState('');
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const k = IMPORT_KINDS.find((x) => x.kind === kind);

  const submit = async (e) => {
    e.preventDefault();
    setErr(null);
    if (!file) return setErr({ field: 'file', local: t('imports.choose_file') });
    if (file.size === 0) return setErr({ field: 'file', local: t('imports.file_empty') });
    setBusy(true);
    try {
      const query = {
        kind,
        name: [...file.name].slice(0, NAME_MAX).join(''),
        skip_invalid: skip ? 1 : undefined,
        map: map.trim() || undefined,
      };
      const imp = await api.upload('/imports', file, 'text/csv', query);
      navigate(`/imports/${imp.id}`);
    } catch (ex) {
      setErr(ex);
    } finally {
      setBusy(false);
    }
  };

  const fileErr = err && err.field === 'file';
  const mapErr = err && err.field === 'map';
  const notice = err && !err.local && !mapErr ? err : null;
  return (
    <form class="record-form import-form" onSubmit={submit} novalidate aria-labelledby="imp-upload-h">
      <h2 id="imp-upload-h">{t('imports.upload_title')}</h2>
      <fieldset class="kind-choice">
        <legend>{t('imports.kind')}</legend>
        {IMPORT_KINDS.map((x) => (
          <div class="field-bool" key={x.kind}>
            <input type="radio" name="imp-kind" id={`imp-kind-${x.kind}`} value={x.kind} checked={kind === x.kind} onChange={() => setKind(x.kind)} />
            <label for={`imp-kind-${x.kind}`}>{t(`imports.kind.${x.kind}`)}</label>
          </div>
        ))}
      </fieldset>
      <p class="hint">{t(`imports.kind_hint.${kind}`)}</p>
      <ColumnHelp k={k} />
      <div class={`field${fileErr ? ' has-error' : ''}`}>
        <label for="imp-file">{t('imports.file')}</label>
        <input
          id="imp-file"
          type="file"
          accept=".csv,text/csv"
          aria-describedby={`imp-file-hint${fileErr ? ' imp-file-err' : ''}`}
          aria-invalid={fileErr ? 'true' : undefined}
          onChange={(e) => setFile(e.currentTarget.files[0] || null)}
        />
        <p class="hint" id="imp-file-hint">
          {t('imports.file_hint')}
        </p>
        <FieldError err={err} field="file" id="imp-file-err" />
      </div>
      <div class="field field-bool">
        <input id="imp-skip" type="checkbox" checked={skip} onChange={(e) => setSkip(e.currentTarget.checked)} aria-describedby="imp-skip-hint" />
        <label for="imp-skip">{t('imports.skip_invalid')}</label>
        <p class="hint" id="imp-skip-hint">
          {t('imports.skip_invalid_hint')}
        </p>
      </div>
      <div class={`field${mapErr ? ' has-error' : ''}`}>
        <label for="imp-map">{t('imports.map')}</label>
        <input
          id="imp-map"
          type="text"
          dir="ltr"
          maxLength={2000}
          value={map}
          onInput={(e) => setMap(e.currentTarget.value)}
          aria-describedby={`imp-map-hint${mapErr ? ' imp-map-err' : ''}`}
          aria-invalid={mapErr ? 'true' : undefined}
        />
        <p class="hint" id="imp-map-hint">
          {t('imports.map_hint')} <code dir="ltr">Student ID=sourced_id,Notes=</code>
        </p>
        <FieldError err={err} field="map" id="imp-map-err" />
      </div>
      <ErrorNotice err={notice} title={notice && t(UPLOAD_REFUSALS[notice.status] || 'imports.refused.other')} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('imports.uploading') : t('imports.upload')}
        </button>
      </div>
    </form>
  );
}

/** The user's own imports, newest first, with a button for older ones. */
function MyImports() {
  const [items, setItems] = useState(null);
  const [next, setNext] = useState(null);
  const [err, setErr] = useState(null);
  const load = (before) =>
    api
      .get('/imports', { limit: LIST_PAGE, before })
      .then((d) => {
        setItems((old) => (before && old ? [...old, ...d.items] : d.items));
        setNext(d.next_before);
      })
      .catch((e) => (setErr(e), setItems((old) => old || [])));
  useEffect(() => {
    load();
  }, []);
  return (
    <section aria-labelledby="imp-list-h">
      <h2 id="imp-list-h">{t('imports.mine')}</h2>
      <ErrorNotice err={err} />
      {!items ? (
        <Busy />
      ) : items.length === 0 ? (
        !err && <p class="empty">{t('imports.none')}</p>
      ) : (
        <>
          <div class="table-wrap">
            <table class="import-list">
              <thead>
                <tr>
                  <th scope="col">{t('imports.file_name')}</th>
                  <th scope="col">{t('imports.kind')}</th>
                  <th scope="col">{t('field.status')}</th>
                  <th scope="col">{t('imports.count.rows')}</th>
                  <th scope="col">{t('imports.count.created')}</th>
                  <th scope="col">{t('imports.count.updated')}</th>
                  <th scope="col">{t('imports.count.invalid')}</th>
                  <th scope="col">{t('imports.uploaded_at')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((imp) => (
                  <tr key={imp.id} data-import={imp.id}>
                    <td>
                      <Link href={`/imports/${imp.id}`}>
                        <bdi>{imp.file_name}</bdi>
                      </Link>
                    </td>
                    <td>{t(`imports.kind.${imp.kind}`)}</td>
                    <td>
                      <ImportStatus status={imp.status} />
                    </td>
                    <td>{fmtNumber(imp.counts.rows)}</td>
                    <td>{fmtNumber(imp.counts.created)}</td>
                    <td>{fmtNumber(imp.counts.updated)}</td>
                    <td>{fmtNumber(imp.counts.invalid)}</td>
                    <td>{fmtDate(imp.created_at, true)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {next && (
            <p class="pager">
              <button type="button" onClick={() => load(next)}>
                {t('imports.older')}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

export function ImportsScreen() {
  return (
    <section class="imports">
      <h1 tabindex="-1">{t('menu.imports')}</h1>
      <p class="lead">{t('imports.intro')}</p>
      <UploadForm />
      <MyImports />
    </section>
  );
}
