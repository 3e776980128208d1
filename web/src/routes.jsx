// routes.jsx: every screen of the application, in one table: its path
// (":name" parts become params), the component, the catalog key of its menu
// entry (none: not in the menu), the roles it is for (none: anyone signed
// in; menuRoles: whose menu shows it, for a screen that opens for anyone and
// says itself whom it is for), and public: true for screens shown without
// signing in. The menu is the entries with a menu key the user's roles
// allow, in this order.
//
// A screen receives {user, params, query, menu}. To add screens (e.g. the
// competitions), add rows here; record kinds that fit ResourceList and
// ResourceForm need only an entry in resources.js and resourceRoutes().
import { resources } from './resources.js';
import { ROLES } from './session.js';
import { Dashboard } from './screens/dashboard.jsx';
import { EnrolForm, EnrollmentList } from './screens/enrollments.jsx';
import { ImportsScreen } from './screens/imports/imports.jsx';
import { ImportView } from './screens/imports/view.jsx';
import { Home } from './screens/misc.jsx';
import { Portal } from './screens/portal.jsx';
import { ChangePassword } from './screens/signin.jsx';
import { ResourceForm } from './ui/form.jsx';
import { ResourceList } from './ui/list.jsx';
import { compRoutes } from './screens/comp/routes.jsx';
import { trainingRoutes } from './screens/training/routes.jsx';
import { adminRoutes } from './screens/admin/routes.jsx';

const { admin, staff, trainer, learner } = ROLES;

/** The list, new and edit routes of a record kind of resources.js. */
export function resourceRoutes(plural, roles) {
  const res = resources[plural];
  return [
    { path: `/${plural}`, menu: res.title, roles, screen: (p) => <ResourceList res={res} {...p} /> },
    { path: `/${plural}/new`, roles: res.create, screen: (p) => <ResourceForm res={res} id="new" {...p} /> },
    { path: `/${plural}/:id`, roles, screen: (p) => <ResourceForm key={p.params.id} res={res} id={p.params.id} {...p} /> },
  ];
}

export const routes = [
  { path: '/', screen: Home },
  { path: '/dashboard', menu: 'menu.dashboard', roles: [admin, staff], screen: Dashboard },
  { path: '/learning', menu: 'menu.learning', roles: [learner], screen: Portal },
  ...resourceRoutes('areas', [admin, staff]),
  ...resourceRoutes('institutions', [admin, staff]),
  ...resourceRoutes('programs', [admin, staff]),
  ...resourceRoutes('cohorts', [admin, staff, trainer]),
  ...resourceRoutes('persons', [admin, staff, trainer]),
  { path: '/enrollments', menu: 'menu.enrollments', roles: [admin, staff, trainer], screen: EnrollmentList },
  { path: '/enrollments/new', roles: [admin, staff], screen: EnrolForm },
  // the server decides whose imports it takes (403 with its reason otherwise)
  { path: '/imports', menu: 'menu.imports', roles: [admin, staff], screen: ImportsScreen },
  { path: '/imports/:id', roles: [admin, staff], screen: (p) => <ImportView key={p.params.id} {...p} /> },
  { path: '/account/password', screen: ChangePassword },
  ...compRoutes,
  ...trainingRoutes,
  ...adminRoutes,
];
