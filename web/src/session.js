// session.js: signing in and out, and who the user is (GET /api/v1/me:
// name, roles, person, whether a one-time password must be changed first).
// Roles decide the menu (routes.jsx); the server decides what is allowed.
// The browser remembers (localStorage) that it had a session, so that only
// a browser whose session ended is told so, never a new one.
import { api, request, setCsrf } from './api.js';

const HAD_SESSION = 'guild.had_session';

function remember(had) {
  try {
    if (had) localStorage.setItem(HAD_SESSION, '1');
    else localStorage.removeItem(HAD_SESSION);
  } catch {
    /* storage refused: nothing remembered */
  }
}

/** True (once) when this browser had a session that has since ended; forgets it. */
export function sessionEnded() {
  let had = false;
  try {
    had = localStorage.getItem(HAD_SESSION) === '1';
  } catch {
    had = false;
  }
  remember(false);
  return had;
}

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
    remember(true);
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
  remember(false);
}
