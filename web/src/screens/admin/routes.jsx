// routes.jsx: the administration screens' rows of the route table
// (web/src/routes.jsx): accounts, API tokens, the audit log and erasing a
// person, in the menu of region administrators (the only role the server
// lets administer accounts: pol_admin). Other roles who open one are told
// it is for region administrators (each screen checks, as the server does).
import { ROLES } from '../../session.js';
import { AccountList, AccountNew, AccountView } from './accounts.jsx';
import { AuditScreen } from './audit.jsx';
import { EraseScreen } from './erase.jsx';
import { TokensScreen } from './tokens.jsx';

const { admin } = ROLES;

/** The menu's entries for region administrators; the screens themselves open for anyone signed in and say who they are for. */
export const adminRoutes = [
  { path: '/admin/accounts', menu: 'menu.admin_accounts', menuRoles: [admin], screen: AccountList },
  { path: '/admin/accounts/new', screen: AccountNew },
  { path: '/admin/accounts/:id', screen: (p) => <AccountView key={p.params.id} {...p} /> },
  { path: '/admin/tokens', menu: 'menu.admin_tokens', menuRoles: [admin], screen: TokensScreen },
  { path: '/admin/audit', menu: 'menu.admin_audit', menuRoles: [admin], screen: AuditScreen },
  { path: '/admin/erase', menu: 'menu.admin_erase', menuRoles: [admin], screen: EraseScreen },
];
