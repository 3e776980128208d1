// app.jsx: the shell every screen sits in: finds who is signed in, keeps
// the language, draws the header (menu of what the user's roles may do,
// language, password, sign out) and the screen the address names (routes.jsx),
// or the sign-in screen. After each change of screen the focus moves to its
// heading and the window title follows it. The server's definitions of its
// records (schema.js) are fetched at start beside who is signed in; the
// screens of signed-in users wait for them (sign-in and public pages do not).
// On a phone the header is one line: the menu and the account open from
// Menu (style.css); tables too wide for the screen become cards (ui/fit.js).
// A user signed in with a one-time password sees only the change of password
// until it is done (the server refuses everything else). A new browser is
// not told that a session ended; one whose session ended is.
import { useEffect, useState } from 'preact/hooks';
import { onUnauthorized } from './api.js';
import { LANGUAGES, initialLanguage, language, setLanguage, t } from './i18n/index.js';
import { Link, match, navigate, useLocation } from './router.js';
import { routes } from './routes.jsx';
import { loadSchema } from './schema.js';
import { hasRole, loadMe, sessionEnded, signOut } from './session.js';
import { NotAllowed, NotFound } from './screens/misc.jsx';
import { ChangePassword, SignIn } from './screens/signin.jsx';
import { fitTables } from './ui/fit.js';
import { Busy, ErrorNotice } from './ui/notice.jsx';

/** The route for path, with its params. */
function findRoute(path) {
  for (const r of routes) {
    const params = match(r.path, path);
    if (params) return { route: r, params };
  }
  return null;
}

function LanguagePicker({ lang, onChange }) {
  return (
    <div class="lang">
      <label for="lang-select" class="visually-hidden">
        {t('shell.language')}
      </label>
      <select id="lang-select" value={lang} onChange={(e) => onChange(e.currentTarget.value)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code} dir={l.dir}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}

export function App() {
  const [user, setUser] = useState(undefined); // undefined: not known yet
  const [lang, setLang] = useState(null);
  const [ended, setEnded] = useState(false);
  const [bootErr, setBootErr] = useState(null);
  const [schema, setSchema] = useState(null);   // the index of openapi.json, once in
  const [schemaErr, setSchemaErr] = useState(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const { path, query } = useLocation();

  useEffect(() => {
    setLanguage(initialLanguage()).then((l) => setLang(l.code));
    let off = () => {};
    loadMe().then((u) => {
      if (!u) setEnded(sessionEnded());   // a 401 at start: only a browser that had a session is told it ended
      setUser(u);
      off = onUnauthorized(() => {
        setUser(null);
        setEnded(true);
      });
    }, setBootErr);
    loadSchema().then(setSchema, setSchemaErr);
    const stopFitting = fitTables(document.body);
    return () => {
      stopFitting();
      off();
    };
  }, []);

  const found = findRoute(path);
  const mustChange = !!(user && user.password_must_change);
  const menu = user && !mustChange ? routes.filter((r) => r.menu && hasRole(user, r.menuRoles || r.roles)) : [];

  useEffect(() => {
    setMenuOpen(false);
    const h1 = document.querySelector('main h1');
    if (h1) {
      document.title = `${h1.textContent} · guild`;
      if (document.activeElement === document.body || document.activeElement?.closest('nav, header')) h1.focus();
    }
  }, [path, user, lang, schema]);

  if (!lang || user === undefined) return bootErr ? <ErrorNotice err={bootErr} /> : <Busy />;

  const changeLanguage = (code) => setLanguage(code).then((l) => setLang(l.code));
  const doSignOut = async () => {
    await signOut();
    setUser(null);
    setEnded(false);
    navigate('/', { replace: true });
  };

  let content;
  if (found && found.route.public) content = <found.route.screen user={user} params={found.params} query={query} menu={menu} />;
  else if (!user)
    content = (
      <SignIn
        ended={ended}
        onSignedIn={(u) => {
          setUser(u);
          setEnded(false);
        }}
      />
    );
  else if (mustChange) content = <ChangePassword first onChanged={() => loadMe().then(setUser, setBootErr)} />;
  else if (!found) content = <NotFound />;
  else if (!hasRole(user, found.route.roles)) content = <NotAllowed />;
  else if (!schema) content = schemaErr ? <ErrorNotice err={schemaErr} /> : <Busy />;
  else content = <found.route.screen user={user} params={found.params} query={query} menu={menu} />;

  return (
    <div class="shell" key={lang}>
      <a class="skip" href="#main">
        {t('shell.skip')}
      </a>
      <header class={`top${menuOpen ? ' open' : ''}`}>
        <div class="brand">
          <Link href="/">guild</Link>
          <span class="tagline">{t('shell.tagline')}</span>
        </div>
        {user && !mustChange && (
          <button type="button" class="menu-toggle" aria-expanded={menuOpen ? 'true' : 'false'} aria-controls="main-menu account" onClick={() => setMenuOpen(!menuOpen)}>
            {t('shell.menu')}
          </button>
        )}
        <div class="tools">
          <LanguagePicker lang={language().code} onChange={changeLanguage} />
          {!user && <Link href="/results">{t('comp.public.title')}</Link>}
          {user && (
            <div class="account" id="account">
              <bdi class="who" title={user.roles.map((g) => t(`role.${g.role}`)).join(', ')}>
                {user.name}
              </bdi>
              {!mustChange && <Link href="/account/password">{t('menu.password')}</Link>}
              <button type="button" class="link" onClick={doSignOut}>
                {t('shell.sign_out')}
              </button>
            </div>
          )}
        </div>
      </header>
      {user && !mustChange && (
        <nav id="main-menu" class={`menu${menuOpen ? ' open' : ''}`} aria-label={t('shell.menu')}>
          <ul>
            {menu.map((r) => (
              <li key={r.path}>
                <Link href={r.path} aria-current={path === r.path || path.startsWith(r.path + '/') ? 'page' : undefined}>
                  {t(r.menu)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabindex="-1">
        {content}
      </main>
    </div>
  );
}
