// resources.js: the API's record kinds as the screens see them: fields
// (type, limits, what they point to), list columns and filters, the
// display name of a record, and which roles may create, change and delete
// (the server decides; this only keeps buttons away from those it would
// refuse). ResourceList and ResourceForm (ui/) draw any of them, so a new
// kind of record is one entry here and one line in routes.jsx.
//
// Field types: text, email, tel, int, date, enum (values), bool, ref (ref: a
// plural), persons (a list of person ids), strlist (lines), isco (ISCO-08 code).
// owner(rec): the institution a record belongs to, when staff may change only
// their own institution's (the form is then read-only for other staff).
// export: true when GET /api/v1/{plural}/export gives the filtered list as a
// file (the list then offers it). Labels: field.NAME in the catalogs; enum values: enum.ENUM.VALUE; title, one
// (the kind's name) and new ("New program") are catalog keys.
import { ROLES } from './session.js';

const { admin, staff, trainer } = ROLES;

/** A person's name in the order its script writes it. */
export function personName(p) {
  if (!p) return '';
  const family = p.family_name || '';
  if (/^[\u3400-\u9fff]/.test(family)) return family + p.given_name;
  return family ? `${p.given_name} ${family}` : p.given_name;
}

export const resources = {
  areas: {
    plural: 'areas',
    title: 'menu.areas',
    one: 'entity.area',
    new: 'new.area',
    fields: [
      { name: 'code', type: 'text', required: true, max: 32 },
      { name: 'name', type: 'text', required: true, max: 200 },
      { name: 'level', type: 'enum', enum: 'level', values: ['region', 'prefecture', 'county', 'township'], required: true },
      { name: 'parent_id', type: 'ref', ref: 'areas' },
    ],
    columns: ['name', 'code', 'level', 'parent_id'],
    filters: [
      { name: 'q', type: 'search', label: 'filter.name_or_code', max: 100 },
      { name: 'level', type: 'enum', enum: 'level', values: ['region', 'prefecture', 'county', 'township'] },
      { name: 'parent', type: 'ref', ref: 'areas', label: 'field.parent_id' },
    ],
    create: [admin],
    write: [admin],
    remove: [admin],
    label: (r) => r.name,
  },
  institutions: {
    plural: 'institutions',
    title: 'menu.institutions',
    one: 'entity.institution',
    new: 'new.institution',
    fields: [
      { name: 'name', type: 'text', required: true, max: 200 },
      { name: 'code', type: 'text', max: 32 },
      { name: 'kind', type: 'enum', enum: 'kind', values: ['vocational_college', 'training_centre'], required: true },
      { name: 'area_id', type: 'ref', ref: 'areas', required: true },
      { name: 'address', type: 'text', max: 300 },
      { name: 'phone', type: 'tel', max: 40 },
      { name: 'email', type: 'email', max: 200 },
    ],
    columns: ['name', 'code', 'kind', 'area_id'],
    filters: [
      { name: 'q', type: 'search', label: 'filter.name_or_code', max: 100 },
      { name: 'area', type: 'ref', ref: 'areas', label: 'field.area_id' },
      { name: 'kind', type: 'enum', enum: 'kind', values: ['vocational_college', 'training_centre'] },
    ],
    create: [admin],
    write: [admin, staff],
    remove: [admin],
    owner: (r) => r.id,
    label: (r) => r.name,
    links: (r) => [
      { href: `/programs?institution=${r.id}`, label: 'link.programs' },
      { href: `/dashboard?institution=${r.id}`, label: 'link.dashboard' },
    ],
  },
  programs: {
    plural: 'programs',
    export: true,
    title: 'menu.programs',
    one: 'entity.program',
    new: 'new.program',
    fields: [
      { name: 'institution_id', type: 'ref', ref: 'institutions', required: true, immutable: true },
      { name: 'title', type: 'text', required: true, max: 200 },
      { name: 'isco_code', type: 'isco', required: true },
      { name: 'skills', type: 'strlist', max: 200 },
      { name: 'hours', type: 'int', required: true, min: 1, max: 10000 },
      { name: 'level', type: 'int', required: true, min: 1, max: 5 },
      { name: 'capacity', type: 'int', required: true, min: 1, max: 100000 },
    ],
    columns: ['title', 'institution_id', 'isco_code', 'hours', 'level'],
    filters: [
      { name: 'q', type: 'search', label: 'filter.title', max: 100 },
      { name: 'institution', type: 'ref', ref: 'institutions', label: 'field.institution_id' },
      { name: 'area', type: 'ref', ref: 'areas', label: 'field.area_id' },
    ],
    create: [admin, staff],
    write: [admin, staff],
    remove: [admin, staff],
    owner: (r) => r.institution_id,
    label: (r) => r.title,
    links: (r) => [
      { href: `/cohorts?program=${r.id}`, label: 'link.cohorts' },
      { href: `/cohorts/new?program_id=${r.id}`, label: 'link.new_cohort', roles: [admin, staff] },
    ],
  },
  cohorts: {
    plural: 'cohorts',
    export: true,
    title: 'menu.cohorts',
    one: 'entity.cohort',
    new: 'new.cohort',
    fields: [
      { name: 'program_id', type: 'ref', ref: 'programs', required: true, immutable: true },
      { name: 'name', type: 'text', required: true, max: 100 },
      { name: 'start_date', type: 'date', required: true },
      { name: 'end_date', type: 'date', required: true },
      { name: 'capacity', type: 'int', required: true, min: 1, max: 10000 },
      { name: 'trainers', type: 'persons' },
    ],
    columns: ['name', 'program_id', 'start_date', 'end_date', 'capacity'],
    filters: [
      { name: 'q', type: 'search', label: 'filter.cohort_or_program', max: 100 },
      { name: 'program', type: 'ref', ref: 'programs', label: 'field.program_id' },
      { name: 'institution', type: 'ref', ref: 'institutions', label: 'field.institution_id', roles: [admin] },
      { name: 'active_on', type: 'date' },
    ],
    list: [admin, staff, trainer],
    create: [admin, staff],
    write: [admin, staff],
    remove: [admin, staff],
    label: (r) => r.name,
    links: (r) => [
      { href: `/enrollments?cohort=${r.id}`, label: 'link.enrollments' },
      { href: `/enrollments/new?cohort_id=${r.id}`, label: 'link.enrol', roles: [admin, staff] },
    ],
  },
  persons: {
    plural: 'persons',
    export: true,
    title: 'menu.persons',
    one: 'entity.person',
    new: 'new.person',
    fields: [
      { name: 'given_name', type: 'text', required: true, max: 100 },
      { name: 'family_name', type: 'text', max: 100 },
      { name: 'sex', type: 'enum', enum: 'sex', values: ['female', 'male'], hint: 'hint.sex' },
      { name: 'birth_date', type: 'date', hint: 'hint.birth_date' },
      { name: 'home_area_id', type: 'ref', ref: 'areas' },
      { name: 'phone', type: 'tel', max: 40 },
      { name: 'email', type: 'email', max: 200 },
      { name: 'institution_id', type: 'ref', ref: 'institutions' },
      { name: 'sourced_id', type: 'text', max: 255 },
    ],
    columns: ['family_name', 'given_name', 'home_area_id', 'institution_id'],
    filters: [
      { name: 'q', type: 'search', label: 'filter.name' },
      { name: 'area', type: 'ref', ref: 'areas', label: 'field.home_area_id' },
      { name: 'institution', type: 'ref', ref: 'institutions', label: 'field.institution_id', roles: [admin] },
    ],
    list: [admin, staff, trainer],
    create: [admin, staff],
    write: [admin, staff],
    remove: [admin],
    owner: (r) => r.institution_id,
    label: personName,
    links: (r) => [
      { href: `/enrollments?person=${r.id}`, label: 'link.enrollments' },
      { href: `/enrollments/new?person_id=${r.id}`, label: 'link.enrol', roles: [admin, staff] },
    ],
  },
};

// the competition records (editions, categories): screens/comp/resources.js
import { compResources } from './screens/comp/resources.js';
Object.assign(resources, compResources);
