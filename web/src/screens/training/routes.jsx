// routes.jsx (training): the trainer's day and a session's screen (code and
// roster), for the cohorts' trainers and their institution's staff. Rows of
// the route table of src/routes.jsx, in menu order.
import { ROLES } from '../../session.js';
import { SessionScreen, TrainerDay } from './day.jsx';

const { staff, trainer } = ROLES;

export const trainingRoutes = [
  { path: '/training', menu: 'menu.training', roles: [staff, trainer], screen: TrainerDay },
  { path: '/training/sessions/:id', roles: [staff, trainer], screen: (p) => <SessionScreen key={p.params.id} {...p} /> },
];
