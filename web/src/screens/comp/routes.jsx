// routes.jsx (competitions): the competition screens' rows of the route
// table (routes.jsx appends them): editions and categories with their
// setup screens, the judge's marking, the chief judge's review, lock and
// corrections after it, results and history, and the public results pages
// (no sign-in).
import { ROLES } from '../../session.js';
import { ResourceList } from '../../ui/list.jsx';
import { CategoryScreen } from './category.jsx';
import { CorrectionsScreen } from './corrections.jsx';
import { EditionList, EditionScreen } from './editions.jsx';
import { CompetitorsScreen, JudgesScreen } from './entries.jsx';
import { History } from './history.jsx';
import { MarkingHome, MarkingScreen } from './marking.jsx';
import { compResources } from './resources.js';
import { EditionResults, PublicEditions, PublicResults } from './results.jsx';
import { ReviewScreen } from './review.jsx';
import { SchemeEditor } from './scheme.jsx';
import './comp.css';

const { admin, staff, judge } = ROLES;

export const compRoutes = [
  { path: '/editions', menu: 'comp.menu.competitions', roles: [admin, staff], screen: EditionList },
  { path: '/editions/:id', roles: [admin, staff, judge], screen: EditionScreen },
  { path: '/editions/:id/results', roles: [admin, staff, judge], screen: EditionResults },
  { path: '/categories', roles: [admin, staff, judge], screen: (p) => <ResourceList res={compResources.categories} {...p} /> },
  { path: '/categories/:id', roles: [admin, staff, judge], screen: CategoryScreen },
  { path: '/categories/:id/scheme', roles: [admin, staff, judge], screen: SchemeEditor },
  { path: '/categories/:id/competitors', roles: [admin, staff], screen: CompetitorsScreen },
  { path: '/categories/:id/judges', roles: [admin], screen: JudgesScreen },
  { path: '/categories/:id/review', roles: [admin, judge], screen: ReviewScreen },
  { path: '/categories/:id/corrections', roles: [admin, judge], screen: CorrectionsScreen },
  { path: '/marking', menu: 'comp.menu.marking', roles: [judge], screen: MarkingHome },
  { path: '/marking/:id', roles: [judge], screen: MarkingScreen },
  { path: '/competitions/history', menu: 'comp.menu.history', roles: [admin, staff], screen: History },
  { path: '/results', public: true, screen: PublicEditions },
  { path: '/results/:id', public: true, screen: PublicResults },
];
