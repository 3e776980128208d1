// enrollment_fields.js: the enrollment fields that the enrollment screens
// (enrollments.jsx, portal.jsx) show, as schema.js resolves them from the
// server's document: the list's filters, the status and the reasons a
// withdrawal may give (what POST /enrollments/{id}/withdraw takes).
import { bodyField, definitions, field, filter } from '../schema.js';

/** The labels of the values (enumLabel needs only the group). */
export const STATUS = { enum: 'status' };
export const REASON = { enum: 'reason' };
/** The statuses a learner may still withdraw from, and those a new enrollment may have (the first the default). */
export const OPEN = ['applied', 'enrolled'];
export const NEW_STATUSES = ['enrolled', 'applied'];

/** {status, reason, filters}: the definitions, once the document is in. */
export const enrollmentFields = definitions(() => ({
  status: field('enrollments', { name: 'status' }),
  reason: bodyField('post', '/enrollments/{id}/withdraw', { name: 'reason', label: 'field.withdrawal_reason' }),
  filters: [filter('enrollments', { name: 'cohort', label: 'field.cohort_id' }), filter('enrollments', { name: 'status' })],
}));
