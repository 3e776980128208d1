// routes.jsx (training): the trainer's day and a session's screen (code and
// roster), for the cohorts' trainers and their institution's staff; the
// learner's attendance, awards and check-in (/check-in/{id}?code= is what
// the QR code opens); assessment events and recording a learner's results;
// a cohort's support list and attendance rates (region administrators too). Rows of
// the route table of src/routes.jsx, in menu order.
import { ROLES } from '../../session.js';
import { SessionScreen, TrainerDay } from './day.jsx';
import { MyTraining } from './learner.jsx';
import { AssessmentList, AssessmentScreen } from './assess.jsx';
import { CohortReports } from './reports.jsx';

const { admin, staff, trainer, learner } = ROLES;

export const trainingRoutes = [
  { path: '/training', menu: 'menu.training', roles: [staff, trainer], screen: TrainerDay },
  { path: '/training/sessions/:id', roles: [staff, trainer], screen: (p) => <SessionScreen key={p.params.id} {...p} /> },
  { path: '/assessments', menu: 'menu.assessments', roles: [staff, trainer], screen: AssessmentList },
  { path: '/assessments/:id', roles: [staff, trainer], screen: (p) => <AssessmentScreen key={p.params.id} {...p} /> },
  { path: '/reports/attendance', menu: 'menu.training_reports', roles: [admin, staff, trainer], screen: CohortReports },
  { path: '/my-training', menu: 'menu.my_training', roles: [learner], screen: MyTraining },
  { path: '/check-in/:id', roles: [learner], screen: (p) => <MyTraining key={p.params.id} {...p} /> },
];
