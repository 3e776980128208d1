// view.jsx (imports): one import (/imports/:id): its status, followed
// (GET /api/v1/imports/{id} about every second) while it is queued or
// running and no longer once it has ended or the screen is left; a progress
// bar from the share of the file read and the rows done; the counts; why it
// failed; and the error report (row, column, value, reason) as a table,
// with links to download it as CSV or XLSX. Why it failed and why each line
// of the report is there are written in the reader's language from their
// reason and parameters (errorText), as any API error is.
import { useEffect, useState } from 'preact/hooks';
import { api, apiUrl } from '../../api.js';
import { fmtDate, fmtNumber, fmtPercent, t } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { errorText } from '../../ui/errtext.js';
import { Busy, ErrorNotice, Status } from '../../ui/notice.jsx';
import { Actor, RefName } from '../../ui/refname.jsx';
import { Figure } from '../dashboard.jsx';
import { ImportStatus } from './imports.jsx';
import { FAILURES, IMPORT_COUNTS, IMPORT_KINDS, importLive } from './kinds.js';

const POLL_MS = 1000;
const RETRY_MS = 3000; // after the server could not be reached while following

/** imp as the server has it now, followed while it is live; {imp, err}. */
function useImport(id) {
  const [state, setState] = useState({ imp: null, err: null });
  useEffect(() => {
    let live = true;
    let timer = null;
    const ctl = new AbortController();
    const load = async () => {
      try {
        const imp = await api.get(`/imports/${id}`, undefined, { signal: ctl.signal });
        if (!live) return;
        setState({ imp, err: null });
        if (importLive(imp)) timer = setTimeout(load, POLL_MS);
      } catch (e) {
        if (!live || e.name === 'AbortError') return;
        setState((s) => ({ imp: s.imp, err: e }));
        // a passing failure while following it: try again a little later
        if (e.status === 0 || e.status >= 500) timer = setTimeout(load, RETRY_MS);
      }
    };
    setState({ imp: null, err: null });
    load();
    return () => {
      live = false;
      clearTimeout(timer);
      ctl.abort();
    };
  }, [id]);
  return state;
}

/** How far it has gone: a bar of the share of the file read, and the rows done. */
function Progress({ imp }) {
  const share = imp.status === 'done' ? 1 : imp.progress.bytes_share;
  return (
    <div class="field import-progress">
      <label for="imp-progress">{t('imports.progress')}</label>
      {imp.status === 'queued' ? (
        <progress id="imp-progress" aria-describedby="imp-progress-text" />
      ) : (
        <progress id="imp-progress" max="1" value={share ?? 0} aria-describedby="imp-progress-text" />
      )}
      <p class="hint" id="imp-progress-text">
        {imp.status === 'queued'
          ? t('imports.waiting')
          : t('imports.rows_done', { rows: fmtNumber(imp.progress.rows_done), share: share == null ? '—' : fmtPercent(share) })}
      </p>
    </div>
  );
}

/** The error report: the lines the JSON holds as a table, and the whole report as files. */
function Report({ imp }) {
  const csv = apiUrl(`/imports/${imp.id}`, { format: 'csv' });
  const xlsx = apiUrl(`/imports/${imp.id}`, { format: 'xlsx' });
  return (
    <section aria-labelledby="imp-report-h">
      <h2 id="imp-report-h">{t('imports.report')}</h2>
      <p class="hint">{t('imports.report_rows')}</p>
      {imp.errors_shown < imp.counts.errors && (
        <p class="hint">{t('imports.report_part', { shown: fmtNumber(imp.errors_shown), total: fmtNumber(imp.counts.errors) })}</p>
      )}
      <p class="actions">
        <a class="button" href={csv} download>
          {t('imports.report_csv')}
        </a>
        <a class="button" href={xlsx} download>
          {t('imports.report_xlsx')}
        </a>
      </p>
      <div class="table-wrap">
        <table class="import-report" aria-labelledby="imp-report-h">
          <thead>
            <tr>
              <th scope="col">{t('imports.report.row')}</th>
              <th scope="col">{t('imports.report.column')}</th>
              <th scope="col">{t('imports.report.value')}</th>
              <th scope="col">{t('imports.report.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {imp.errors.map((r, i) => (
              <tr key={i}>
                <td>{fmtNumber(r.row)}</td>
                <td>
                  <bdi>{r.column}</bdi>
                </td>
                <td>
                  <bdi>{r.value}</bdi>
                </td>
                <td>{errorText(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** How it ended, in words: what was written, or why nothing was. */
function Outcome({ imp }) {
  const c = imp.counts;
  if (imp.status === 'done')
    return (
      <Status
        text={[
          t('imports.done', { created: fmtNumber(c.created), updated: fmtNumber(c.updated), unchanged: fmtNumber(c.unchanged) }),
          c.invalid > 0 ? t('imports.done_skipped', { invalid: fmtNumber(c.invalid) }) : '',
        ].join(' ')}
      />
    );
  if (imp.status === 'failed' && imp.error)
    return <ErrorNotice err={imp.error} title={t(FAILURES[imp.error.code] || 'imports.failed.other')} />;
  return null;
}

export function ImportView({ params }) {
  const { imp, err } = useImport(params.id);
  const kind = imp && IMPORT_KINDS.find((k) => k.kind === imp.kind);
  const ended = imp && !importLive(imp);
  return (
    <section class="import-view">
      <p class="crumbs">
        <Link href="/imports">{t('menu.imports')}</Link>
      </p>
      <h1 tabindex="-1">
        {imp ? (
          <>
            {t('imports.view_title', { id: imp.id })}: <bdi>{imp.file_name}</bdi>
          </>
        ) : (
          t('imports.view_title', { id: params.id })
        )}
      </h1>
      <ErrorNotice err={err} />
      {!imp ? (
        !err && <Busy />
      ) : (
        <>
          <p class="import-status" role="status">
            {t('field.status')}: <ImportStatus status={imp.status} />
          </p>
          {imp.status !== 'failed' && <Progress imp={imp} />}
          <Outcome imp={imp} />
          {ended && (
            <dl class="figures import-counts">
              {IMPORT_COUNTS.map((n) => (
                <Figure key={n} label={t(`imports.count.${n}`)} value={imp.counts[n]} />
              ))}
            </dl>
          )}
          {imp.errors && imp.errors.length > 0 && <Report imp={imp} />}
          <h2>{t('imports.about')}</h2>
          <dl class="import-facts">
            <dt>{t('imports.kind')}</dt>
            <dd>{t(`imports.kind.${imp.kind}`)}</dd>
            <dt>{t('imports.size')}</dt>
            <dd>{t('imports.bytes', { n: fmtNumber(imp.bytes) })}</dd>
            <dt>{t('imports.when_invalid')}</dt>
            <dd>{imp.skip_invalid ? t('imports.when_invalid_skip') : t('imports.when_invalid_all')}</dd>
            {imp.map && (
              <>
                <dt>{t('imports.map')}</dt>
                <dd>
                  <code dir="ltr">{imp.map}</code>
                </dd>
              </>
            )}
            {imp.institution_id && (
              <>
                <dt>{t('imports.institution')}</dt>
                <dd>
                  <RefName plural="institutions" id={imp.institution_id} />
                </dd>
              </>
            )}
            <dt>{t('imports.uploaded_by')}</dt>
            <dd>
              <Actor actor={imp.actor} />
            </dd>
            <dt>{t('imports.uploaded_at')}</dt>
            <dd>{fmtDate(imp.created_at, true)}</dd>
            {imp.started_at && (
              <>
                <dt>{t('imports.started_at')}</dt>
                <dd>{fmtDate(imp.started_at, true)}</dd>
              </>
            )}
            {imp.finished_at && (
              <>
                <dt>{t('imports.finished_at')}</dt>
                <dd>{fmtDate(imp.finished_at, true)}</dd>
              </>
            )}
            {imp.digest && (
              <>
                <dt>{t('imports.digest')}</dt>
                <dd>
                  <code dir="ltr" class="digest">
                    {imp.digest}
                  </code>
                </dd>
              </>
            )}
          </dl>
          <p class="actions">
            {ended && imp.status === 'done' && kind && <Link href={kind.list}>{t(`imports.see.${kind.kind}`)}</Link>}
            <Link href="/imports">{t('imports.another')}</Link>
          </p>
        </>
      )}
    </section>
  );
}
