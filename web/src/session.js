// session.js: signing in and out, and who the user is (GET /api/v1/me:
// name, roles, person). Roles decide the menu (routes.jsx); the server
// decides what is allowed.
import { api, request, setCsrf } from './api.js';

export const ROLES = {
  admin: 'region_admin',
  staff: 'institution_staff',
  trainer: 'trainer',
  judge: 'judge',
  learner: 'learner',
};

/** The user's role names. */
export function rolesOf(user) {
  return user ? user.roles.map((g) => g.role) : [];
}

/** True when the user has any of roles (an empty list: anyone signed in). */
export function hasRole(user, roles) {
  if (!user) return false;
  if (!roles || roles.length === 0) return true;
  const mine = rolesOf(user);
  return roles.some((r) => mine.includes(r));
}

/** The institutions the user is staff of. */
export function staffInstitutions(user) {
  return user ? user.roles.filter((g) => g.role === ROLES.staff).map((g) => g.institution_id) : [];
}

/** The signed-in user, or null when no session is open. */
export async function loadMe() {
  try {
    const me = await api.get('/me');
    setCsrf(me.csrf_token);
    return me;
  } catch (e) {
    if (e.status === 401) {
      setCsrf(null);
      return null;
    }
    throw e;
  }
}

/** Signs in (throws ApiError 401/429/422) and answers the user. */
export async function signIn(username, password) {
  const r = await request('POST', '/session', { body: { username, password } });
  setCsrf(r.data.csrf_token);
  return loadMe();
}

/** Ends this session (a session that already ended is fine). */
export async function signOut() {
  try {
    await request('DELETE', '/session');
  } catch (e) {
    if (e.status !== 401) throw e;
  }
  setCsrf(null);
}
