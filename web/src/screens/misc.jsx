// misc.jsx: small screens: the start page (sends the user to the first
// screen of their menu) and "not found".
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

export function NotFound() {
  return (
    <section>
      <h1 tabindex="-1">{t('notfound.title')}</h1>
      <p>
        <Link href="/">{t('notfound.home')}</Link>
      </p>
    </section>
  );
}
