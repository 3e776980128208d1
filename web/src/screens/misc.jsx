// misc.jsx: small screens: the start page (sends the user to the first
// screen of their menu), "not found" and "you may not open this page" (a
// screen that exists, but not for the user's roles).
import { useEffect } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { Link, navigate } from '../router.js';

export function Home({ menu }) {
  useEffect(() => {
    if (menu.length) navigate(menu[0].path, { replace: true });
  }, [menu.length]);
  if (menu.length) return null;
  return (
    <section>
      <h1 tabindex="-1">{t('home.title')}</h1>
      <p>{t('home.nothing')}</p>
      <p>
        <Link href="/account/password">{t('menu.password')}</Link>
      </p>
    </section>
  );
}

/** A page that only says why there is nothing here, with the way home. */
function Nothing({ title, text }) {
  return (
    <section>
      <h1 tabindex="-1">{t(title)}</h1>
      {text && <p>{t(text)}</p>}
      <p>
        <Link href="/">{t('notfound.home')}</Link>
      </p>
    </section>
  );
}

/** A screen that exists, but not for the user's roles. */
export function NotAllowed() {
  return <Nothing title="notallowed.title" text="notallowed.text" />;
}

export function NotFound() {
  return <Nothing title="notfound.title" />;
}
