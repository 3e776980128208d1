// resources.js (competitions): the competition records that the shared
// list and form draw (ui/list.jsx, ui/form.jsx): editions and categories.
// resources.js merges them into its table. Criteria, aspects, entries,
// judges and marks have screens of their own (scheme.jsx, entries.jsx,
// marking.jsx). As in resources.js, what a field is comes from the server
// (schema.js); this says only how to show it.
import { ROLES } from '../../session.js';

const { admin, staff, judge } = ROLES;

export const compResources = {
  editions: {
    plural: 'editions',
    title: 'comp.menu.competitions',
    one: 'comp.edition',
    new: 'comp.new_edition',
    fields: [
      { name: 'year', label: 'comp.field.year' },
      { name: 'name', label: 'comp.field.edition_name' },
      { name: 'area_id', label: 'comp.field.edition_area' },
      'start_date',
      'end_date',
      { name: 'points_per_sd', label: 'comp.field.points_per_sd', hint: 'comp.hint.points_per_sd' },
    ],
    columns: ['year', 'name', 'start_date'],
    create: [admin],
    write: [admin],
    remove: [admin],
    label: (r) => r.name,
  },
  categories: {
    plural: 'categories',
    title: 'comp.categories',
    one: 'comp.category',
    new: 'comp.new_category',
    fields: [
      { name: 'edition_id', label: 'comp.field.edition_id' },
      { name: 'name', label: 'comp.field.skill' },
      'isco_code',
    ],
    columns: ['name', 'edition_id', 'isco_code'],
    filters: [{ name: 'edition', label: 'comp.field.edition_id' }],
    list: [admin, staff, judge],
    create: [admin],
    write: [admin],
    remove: [admin],
    label: (r) => r.name,
  },
};
