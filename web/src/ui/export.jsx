// export.jsx: the download links of a list: the whole list as its filters
// choose it (not only the page shown), as CSV or XLSX, from
// GET /api/v1/{plural}/export?format=csv|xlsx&FILTERS (docs/export.md).
// Plain links: the browser fetches them with the session cookie and saves
// the file under the name the server gives.
import { apiUrl } from '../api.js';
import { t } from '../i18n/index.js';

/** "Download CSV" and "Download Excel (XLSX)" for plural's list under filters (the list's own query, no paging). */
export function ExportLinks({ plural, filters }) {
  const id = `export-${plural}`;
  return (
    <p class="exports">
      <span id={id}>{t('export.whole_list')}</span>
      <a class="button" href={apiUrl(`/${plural}/export`, { format: 'csv', ...filters })} download aria-describedby={id}>
        {t('export.csv')}
      </a>
      <a class="button" href={apiUrl(`/${plural}/export`, { format: 'xlsx', ...filters })} download aria-describedby={id}>
        {t('export.xlsx')}
      </a>
    </p>
  );
}
