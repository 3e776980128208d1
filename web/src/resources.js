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
//
// Pickers (ui/pickers.jsx) search a kind through its list: search(text)
// gives the list's parameters for what was typed (default {q: text});
// detail(rec) is what tells a record apart from others of the same name,
// shown beside it in pickers and on its page: texts, {ref, id} for a
// referenced record's name ({ref, id, deep: true}: with that one's detail),
// {dates: [start, end]} for a term.
// A field's or filter's narrow ({param: 'other'}) narrows its picker by what
// was chosen in the form's field (or the list's filter) named other: the
// picker's list takes param (e.g. a cohort's program by its institution).
// A column {name, via, label} shows, for a reference, what the referenced
// record refers to by its field via (a cohort's institution, through its
// program). context(rec): the sections of the record's page around it
// (ui/context.jsx): {name, title, plural, query, columns, href (the whole
// list), roles}, or {name, title, ref, ids} for a list of references.
import { ROLES } from './session.js';

const { admin, staff, trainer } = ROLES;

/** Today as YYYY-MM-DD (the cohorts running now). */
const today = () => new Date().toISOString().slice(0, 10);

/** The kinds that may hold more than a screenful: their pickers search (ui/pickers.jsx RefPicker), others are a select. */
export const SEARCHABLE = new Set(['areas', 'institutions', 'programs', 'cohorts', 'persons']);

/** The list parameters of a person search: a code (L0000001, T000001) by sourced_id, else the name prefix. */
export function personSearch(text) {
  return /^[A-Za-z]{0,3}[0-9]{3,}$/.test(text) ? { sourced_id: text.toUpperCase() } : { q: text };
}

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
    detail: (r) => [r.code, { ref: 'areas', id: r.parent_id }],
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
    detail: (r) => [r.code, { ref: 'areas', id: r.area_id }],
    links: (r) => [
      { href: `/programs?institution=${r.id}`, label: 'link.programs' },
      { href: `/cohorts?institution=${r.id}`, label: 'link.cohorts' },
      { href: `/dashboard?institution=${r.id}`, label: 'link.dashboard' },
    ],
    context: (r) => [
      { name: 'programs', title: 'context.programs', plural: 'programs', query: { institution: r.id },
        columns: ['title', 'isco_code', 'hours', 'level'], href: `/programs?institution=${r.id}` },
      { name: 'cohorts', title: 'context.current_cohorts', plural: 'cohorts', query: { institution: r.id, active_on: today() },
        columns: ['name', 'program_id', 'start_date', 'end_date'], href: `/cohorts?institution=${r.id}&active_on=${today()}` },
      { name: 'staff', title: 'context.staff', plural: 'grants', query: { institution: r.id, role: 'institution_staff' },
        columns: [{ name: 'user_id', label: 'context.account' }], roles: [admin] },
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
      { name: 'area', ref: 'areas', label: 'field.area_id' },
      { name: 'institution', label: 'field.institution_id', narrow: { area: 'area' } },
    ],
    create: [admin, staff],
    write: [admin, staff],
    remove: [admin, staff],
    owner: (r) => r.institution_id,
    label: (r) => r.title,
    detail: (r) => [{ ref: 'institutions', id: r.institution_id }],
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
    columns: [
      'name',
      'program_id',
      { name: 'program_id', via: 'institution_id', label: 'field.institution_id' },
      'start_date',
      'end_date',
      'capacity',
    ],
    filters: [
      { name: 'q', label: 'filter.cohort_or_program' },
      { name: 'institution', ref: 'institutions', label: 'field.institution_id', roles: [admin] },
      { name: 'program', label: 'field.program_id', narrow: { institution: 'institution' } },
      { name: 'active_on' },
    ],
    list: [admin, staff, trainer],
    create: [admin, staff],
    write: [admin, staff],
    remove: [admin, staff],
    label: (r) => r.name,
    detail: (r) => [{ ref: 'programs', id: r.program_id, deep: true }, { dates: [r.start_date, r.end_date] }],
    links: (r) => [
      { href: `/enrollments?cohort=${r.id}`, label: 'link.enrollments' },
      { href: `/enrollments/new?cohort_id=${r.id}`, label: 'link.enrol', roles: [admin, staff] },
    ],
    context: (r) => [
      { name: 'trainers', title: 'context.trainers', ref: 'persons', ids: r.trainers || [] },
      { name: 'roster', title: 'context.roster', plural: 'enrollments', query: { cohort: r.id },
        columns: ['person_id', 'status'], href: `/enrollments?cohort=${r.id}` },
      { name: 'sessions', title: 'context.sessions', plural: 'training_sessions', query: { cohort: r.id, from: today() },
        columns: [{ name: 'date', label: 'context.date' }, { name: 'start_time', label: 'context.start' },
          { name: 'topic', label: 'context.topic' }, { name: 'place', label: 'context.place' }] },
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
    columns: ['family_name', 'given_name', 'sourced_id', 'home_area_id', 'institution_id'],
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
    search: personSearch,
    detail: (r) => [r.sourced_id, { ref: 'institutions', id: r.institution_id }, { ref: 'areas', id: r.home_area_id }],
    links: (r) => [
      { href: `/enrollments?person=${r.id}`, label: 'link.enrollments' },
      { href: `/enrollments/new?person_id=${r.id}`, label: 'link.enrol', roles: [admin, staff] },
      { href: `/admin/erase?person=${r.id}`, label: 'admin.erase.link', roles: [admin] },
    ],
    context: (r) => [
      { name: 'enrollments', title: 'context.enrollments', plural: 'enrollments', query: { person: r.id },
        columns: ['cohort_id', { name: 'cohort_id', via: 'program_id', label: 'field.program_id' }, 'status'],
        href: `/enrollments?person=${r.id}` },
      { name: 'entries', title: 'context.entries', plural: 'competitors', query: { person: r.id },
        columns: [{ name: 'category_id', label: 'context.category' }, { name: 'institution_id', label: 'comp.field.entered_by' }, { name: 'status', enum: 'competitor_status' }] },
      { name: 'skill_awards', title: 'context.skill_awards', plural: 'skill_awards', query: { person: r.id },
        columns: [{ name: 'unit_id', label: 'context.unit' }, { name: 'date', label: 'context.award_date' }, { name: 'status', enum: 'award_status' }] },
      { name: 'program_awards', title: 'context.program_awards', plural: 'program_awards', query: { person: r.id },
        columns: ['program_id', 'institution_id', { name: 'status', enum: 'award_status' }] },
    ],
  },
};

// the competition records (editions, categories): screens/comp/resources.js
import { compResources } from './screens/comp/resources.js';
Object.assign(resources, compResources);
