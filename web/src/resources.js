// resources.js: how the screens show the API's record kinds: the fields a
// form offers and in what order, the list's columns and filters, labels and
// hints, the display name of a record, related links, and which roles may
// create, change and delete (the server decides; this only keeps buttons
// away from those it would refuse). ResourceList and ResourceForm (ui/) draw
// any of them, so a new kind of record is one entry here and one line in
// routes.jsx.
//
// What a field is — its type, whether it is required or fixed at creation,
// its limits, its values, what it refers to — is not said here: schema.js
// takes it from the server's /api/v1/openapi.json (the entity descriptors
// of src/domain), and throws when an entry here names a field, filter or
// route the server does not have (web/tests/schema.test.js checks every one).
//
// A field is its name, or {name, label, hint, input ('email' or 'tel': the
// kind of text box), enum (the i18n group of its values, default the name),
// query (a picker's list filter)}. A filter is {name, label, ref (the kind a
// picker offers, where the server's parameter does not name it), roles}.
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
    fields: ['code', 'name', 'level', 'parent_id'],
    columns: ['name', 'code', 'level', 'parent_id'],
    filters: [
      { name: 'q', label: 'filter.name_or_code' },
      { name: 'level' },
      { name: 'parent', label: 'field.parent_id' },
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
      'name',
      'code',
      'kind',
      'area_id',
      'address',
      { name: 'phone', input: 'tel' },
      { name: 'email', input: 'email' },
    ],
    columns: ['name', 'code', 'kind', 'area_id'],
    filters: [
      { name: 'q', label: 'filter.name_or_code' },
      { name: 'area', label: 'field.area_id' },
      { name: 'kind' },
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
    fields: ['institution_id', 'title', 'isco_code', 'skills', 'hours', 'level', 'capacity'],
    columns: ['title', 'institution_id', 'isco_code', 'hours', 'level'],
    filters: [
      { name: 'q', label: 'filter.title' },
      { name: 'institution', label: 'field.institution_id' },
      { name: 'area', ref: 'areas', label: 'field.area_id' },
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
    fields: ['program_id', 'name', 'start_date', 'end_date', 'capacity', 'trainers'],
    columns: ['name', 'program_id', 'start_date', 'end_date', 'capacity'],
    filters: [
      { name: 'q', label: 'filter.cohort_or_program' },
      { name: 'program', label: 'field.program_id' },
      { name: 'institution', ref: 'institutions', label: 'field.institution_id', roles: [admin] },
      { name: 'active_on' },
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
      'given_name',
      'family_name',
      { name: 'sex', hint: 'hint.sex' },
      { name: 'birth_date', hint: 'hint.birth_date' },
      'home_area_id',
      { name: 'phone', input: 'tel' },
      { name: 'email', input: 'email' },
      'institution_id',
      'sourced_id',
    ],
    columns: ['family_name', 'given_name', 'home_area_id', 'institution_id'],
    filters: [
      { name: 'q', label: 'filter.name' },
      { name: 'area', label: 'field.home_area_id' },
      { name: 'institution', ref: 'institutions', label: 'field.institution_id', roles: [admin] },
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
      { href: `/admin/erase?person=${r.id}`, label: 'admin.erase.link', roles: [admin] },
    ],
  },
};

// the competition records (editions, categories): screens/comp/resources.js
import { compResources } from './screens/comp/resources.js';
Object.assign(resources, compResources);
