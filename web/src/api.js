// api.js: the one client of guild's JSON API (/api/v1). Sends the session's
// CSRF token with every change and If-Match when given an ETag; turns every
// error answer ({"error":{"code","reason","params","message","field","rows"}})
// into an ApiError that names its status, code, reason (the rule), the rule's
// parameters, field and refused rows (ui/errtext.js writes it in the reader's
// language). A 401 on any call but signing in tells
// the listeners (the shell then shows the sign-in screen). Bodies are JSON,
// or raw bytes (a file to import) sent as they are with their own type.

let csrfToken = null;
const unauthorizedListeners = new Set();

/** Remembers the CSRF token from sign-in or GET /me (null when signed out). */
export function setCsrf(token) {
  csrfToken = token || null;
}

/** fn() is called whenever the server says the session has ended (401). */
export function onUnauthorized(fn) {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

/** An API error: status (0 when the network failed), code, reason, params, message (the server's English), field, rows. */
export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || (status ? `HTTP ${status}` : 'network error'));
    this.status = status;
    this.code = err.code || (status ? 'http' : 'network');
    this.reason = err.reason || null;
    this.params = err.params || {};
    this.field = err.field || null;
    this.rows = Array.isArray(err.rows) ? err.rows : [];
  }
}

/** "a=1&b=x" from an object, leaving out empty values. */
export function queryString(query) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? '?' + s : '';
}

/** The address of an API path with its query, e.g. for a download link. */
export function apiUrl(path, query) {
  return '/api/v1' + path + queryString(query);
}

/**
 * Sends one request to /api/v1 + path. body is sent as JSON; raw (a Blob,
 * File or ArrayBuffer) is sent as it is, with Content-Type contentType.
 * Returns {data, etag, status}; throws ApiError for any answer other than 2xx.
 */
export async function request(method, path, { body, raw, contentType, query, etag, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (raw !== undefined) headers['Content-Type'] = contentType || 'application/octet-stream';
  else if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (etag) headers['If-Match'] = etag;
  let res;
  try {
    res = await fetch(apiUrl(path, query), {
      method,
      headers,
      body: raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { error: { code: 'network', message: e.message } });
  }
  const text = res.status === 204 ? '' : await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && path !== '/session') unauthorizedListeners.forEach((fn) => fn(err));
    throw err;
  }
  return { data, etag: res.headers.get('ETag'), status: res.status };
}

/** Shorthands that answer with the body alone. */
export const api = {
  get: (path, query, opts) => request('GET', path, { query, ...opts }).then((r) => r.data),
  post: (path, body, opts) => request('POST', path, { body, ...opts }).then((r) => r.data),
  patch: (path, body, etag) => request('PATCH', path, { body, etag }).then((r) => r.data),
  del: (path, etag) => request('DELETE', path, { etag }).then((r) => r.data),
  /** POSTs the bytes raw (a File) as contentType, with query. */
  upload: (path, raw, contentType, query) => request('POST', path, { raw, contentType, query }).then((r) => r.data),
};
