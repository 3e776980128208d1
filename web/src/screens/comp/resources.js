// resources.js (competitions): the competition records that the shared
// list and form draw (ui/list.jsx, ui/form.jsx): editions and categories.
// resources.js merges them into its table. Criteria, aspects, entries,
// judges and marks have screens of their own (scheme.jsx, entries.jsx,
// marking.jsx).
import { ROLES } from '../../session.js';

const { admin, staff, judge } = ROLES;

export const compResources = {
  editions: {
    plural: 'editions',
    title: 'comp.menu.competitions',
    one: 'comp.edition',
    new: 'comp.new_edition',
    fields: [
      { name: 'year', type: 'int', required: true, min: 2000, max: 2100, label: 'comp.field.year' },
      { name: 'name', type: 'text', required: true, max: 200, label: 'comp.field.edition_name' },
      { name: 'area_id', type: 'ref', ref: 'areas', required: true, label: 'comp.field.edition_area' },
      { name: 'start_date', type: 'date', required: true },
      { name: 'end_date', type: 'date', required: true },
      { name: 'points_per_sd', type: 'int', min: 1, max: 200, label: 'comp.field.points_per_sd', hint: 'comp.hint.points_per_sd' },
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
      { name: 'edition_id', type: 'ref', ref: 'editions', required: true, immutable: true, label: 'comp.field.edition_id' },
      { name: 'name', type: 'text', required: true, max: 200, label: 'comp.field.skill' },
      { name: 'isco_code', type: 'isco', required: true },
    ],
    columns: ['name', 'edition_id', 'isco_code'],
    filters: [{ name: 'edition', type: 'ref', ref: 'editions', label: 'comp.field.edition_id' }],
    list: [admin, staff, judge],
    create: [admin],
    write: [admin],
    remove: [admin],
    label: (r) => r.name,
  },
};
