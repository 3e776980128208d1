// router.js: the client's own routes (history API): the current path and
// query, navigate(), <Link>, and matching a path against a pattern such as
// "/programs/:id". The server answers every such path with index.html.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();

function current() {
  return { path: location.pathname, query: Object.fromEntries(new URLSearchParams(location.search)) };
}

/** Goes to href (a path with an optional query) without reloading. */
export function navigate(href, { replace = false } = {}) {
  if (href === location.pathname + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', href);
  listeners.forEach((fn) => fn(current()));
}

/** Changes the query of the current path (e.g. a list's filters and page), replacing history. */
export function setQuery(query) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  navigate(location.pathname + (s ? '?' + s : ''), { replace: true });
}

window.addEventListener('popstate', () => listeners.forEach((fn) => fn(current())));

/** {path, query} of the current location; re-renders when it changes. */
export function useLocation() {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    listeners.add(setLoc);
    return () => listeners.delete(setLoc);
  }, []);
  return loc;
}

/** The parameters of path under pattern ("/a/:id" and "/a/7" give {id: "7"}), or null. */
export function match(pattern, path) {
  const p = pattern.split('/');
  const s = path.replace(/\/+$/, '').split('/');
  if (path === '/') s.splice(1, 1, '');
  if (p.length !== s.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      if (!s[i]) return null;
      params[p[i].slice(1)] = decodeURIComponent(s[i]);
    } else if (p[i] !== s[i]) return null;
  }
  return params;
}

/** A link inside the application: a real <a href> that navigates without reloading. */
export function Link({ href, children, ...rest }) {
  const onClick = (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return h('a', { href, onClick, ...rest }, children);
}
