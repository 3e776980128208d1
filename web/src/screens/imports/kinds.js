// kinds.js (imports): what the import screens need to know of the server's
// importers: the kinds of file (src/io/import_kinds.c) and the columns each
// takes (src/io/import_persons.c, import_enrollments.c; docs/import.md),
// each with its help under imports.col.KIND.COLUMN in the catalogs; the
// statuses of an import; and the words for the server's refusals of an
// upload and for the reasons an import failed. The server exposes no list
// of columns, so this table must follow its importers.

/** The kinds of file, in the order offered; `required` columns are marked as such. */
export const IMPORT_KINDS = [
  {
    kind: 'persons',
    columns: ['sourced_id', 'given_name', 'family_name', 'sex', 'birth_date', 'home_area_code', 'phone', 'email'],
    required: ['sourced_id'],
    list: '/persons',
  },
  {
    kind: 'enrollments',
    columns: ['person_sourced_id', 'person_id', 'cohort_id', 'status', 'consent', 'withdrawal_reason'],
    required: ['cohort_id'],
    list: '/enrollments',
  },
];

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'];

/** The counts of an ended import, in the order shown (labels imports.count.NAME). */
export const IMPORT_COUNTS = ['rows', 'created', 'updated', 'unchanged', 'invalid', 'errors'];

/** True while the server has still to finish the import (poll it). */
export const importLive = (imp) => imp.status === 'queued' || imp.status === 'running';

/** The catalog key of the heading for a refused upload, by HTTP status. */
export const UPLOAD_REFUSALS = {
  400: 'imports.refused.bad_request',
  403: 'imports.refused.forbidden',
  409: 'imports.refused.busy',
  413: 'imports.refused.too_large',
  415: 'imports.refused.type',
  422: 'imports.refused.invalid',
  429: 'imports.refused.queue_full',
};

/** The catalog key of the explanation of a failed import, by error.code (others: imports.failed.other). */
export const FAILURES = {
  validation: 'imports.failed.validation',
  interrupted: 'imports.failed.interrupted',
  usage: 'imports.failed.usage',
};
