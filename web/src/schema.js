// schema.js: what the server says about its records, from its own OpenAPI
// document (GET /api/v1/openapi.json, built by src/api/openapi.c from the
// entity descriptors; fetched once per page load by the shell): each
// field's type, whether it is required, read-only or fixed at creation
// (x-immutable), its limits (minLength/maxLength, minimum/maximum,
// maxItems), its enum values and the kind of record it refers to
// (x-references), and the same of the list filters and request bodies.
//
// resources.js and the screens say only how to show a field (its label,
// hint, input kind, the i18n group of its values); the functions here join
// that presentation with the document and throw when the two disagree (a
// record kind or field the server does not have, a form field the server
// sets itself, a limit typed into the presentation). web/tests/schema.test.js
// resolves every definition against a running server, so a disagreement
// fails the tests rather than a screen.
import { api } from './api.js';

const API = '/api/v1';
// what a presentation may say of a field, of a filter, of a request body's field
const FIELD_KEYS = new Set(['name', 'label', 'hint', 'input', 'enum', 'query', 'narrow', 'via']);
const FILTER_KEYS = new Set(['name', 'label', 'ref', 'roles', 'enum', 'narrow']);
const INPUTS = new Set(['email', 'tel']);   // kinds of text input (the keyboard they bring up)

/** An error saying that the browser's definitions and the server's disagree. */
export class SchemaMismatch extends Error {
  constructor(message) {
    super(`web definitions disagree with /api/v1/openapi.json: ${message}`);
    this.name = 'SchemaMismatch';
  }
}

function mismatch(message) {
  throw new SchemaMismatch(message);
}

/**
 * The index of an OpenAPI document: for each record kind its plural (the
 * path segment of /api/v1/{plural}/{id}), schema name and schema, both
 * ways, and the document itself.
 */
export function indexSchema(doc) {
  const byPlural = {};
  const pluralOf = {};
  for (const [path, item] of Object.entries(doc.paths || {})) {
    const m = /^\/api\/v1\/([a-z_]+)\/\{id\}$/.exec(path);
    const ref = m && item.get?.responses?.['200']?.content?.['application/json']?.schema?.$ref;
    if (!ref || !ref.startsWith('#/components/schemas/')) continue;
    const name = ref.slice('#/components/schemas/'.length);
    byPlural[m[1]] = { plural: m[1], name, schema: doc.components.schemas[name] };
    pluralOf[name] = m[1];
  }
  return { doc, byPlural, pluralOf };
}

/** The record kind plural of ix (throws when the server has none). */
export function entityOf(ix, plural) {
  return ix.byPlural[plural] || mismatch(`no record kind "${plural}" (no GET ${API}/${plural}/{id})`);
}

/** The operation method of path in ix's document, or null. */
export function operation(ix, method, path) {
  return ix.doc.paths[API + path]?.[method] || null;
}

/** The JSON type of a property, without "null". */
function baseType(p) {
  return Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type;
}

/** The plural of the records schema name (x-references) refers to. */
function refPlural(ix, name, where) {
  return ix.pluralOf[name] || mismatch(`${where}: refers to "${name}", which has no ${API}/{plural}/{id}`);
}

/** The keys of pres that a presentation may not say (the server's), as an error. */
function onlyPresentation(pres, allowed, where) {
  for (const k of Object.keys(pres))
    if (!allowed.has(k)) mismatch(`${where}: "${k}" is the server's to say; leave it out of the browser's definition`);
}

/**
 * The definition of one value from its JSON schema p: {name, type,
 * required, readonly, immutable, min, max, step, maxItems, values, enum
 * (the i18n group of the values: pres.enum, else the name), ref}, with
 * the presentation's keys (label, hint, query) added. type is
 * what ui/field.jsx draws: int, decimal, bool, date, time, enum, isco,
 * text (email, tel with pres.input), ref, persons, strlist.
 */
export function defFromSchema(ix, p, pres, required, where) {
  const def = { ...pres, required: !!required, readonly: !!p.readOnly, immutable: !!p['x-immutable'] };
  delete def.input;
  const t = baseType(p);
  if (t === 'integer' && p['x-references']) Object.assign(def, { type: 'ref', ref: refPlural(ix, p['x-references'], where) });
  else if (t === 'integer') Object.assign(def, { type: 'int', min: p.minimum, max: p.maximum });
  else if (t === 'number') Object.assign(def, { type: 'decimal', min: p.minimum, max: p.maximum, step: p.multipleOf });
  else if (t === 'boolean') def.type = 'bool';
  else if (t === 'string' && p.enum) Object.assign(def, { type: 'enum', enum: pres.enum || pres.name, values: p.enum.filter((v) => v !== null) });
  else if (t === 'string' && p.format === 'date') def.type = 'date';
  else if (t === 'string' && p.format === 'date-time') def.type = 'time';
  else if (t === 'string' && p.format === 'isco-08') def.type = 'isco';
  else if (t === 'string') Object.assign(def, { type: 'text', min: p.minLength, max: p.maxLength });
  else if (t === 'array' && p.items.type === 'string')
    Object.assign(def, { type: 'strlist', min: p.items.minLength, max: p.items.maxLength, maxItems: p.maxItems });
  else if (t === 'array' && p.items['x-references'] && refPlural(ix, p.items['x-references'], where) === 'persons')
    Object.assign(def, { type: 'persons', ref: 'persons', maxItems: p.maxItems });
  else mismatch(`${where}: the browser has no control for ${JSON.stringify(p)}`);
  if (pres.input) {
    if (!INPUTS.has(pres.input)) mismatch(`${where}: input "${pres.input}" is none of ${[...INPUTS].join(', ')}`);
    if (def.type !== 'text') mismatch(`${where}: input "${pres.input}" on a ${def.type} field`);
    def.type = pres.input;
  }
  for (const k of Object.keys(def)) if (def[k] === undefined) delete def[k];
  return def;
}

/** pres as an object: a field's name alone stands for {name}. */
const asObject = (pres) => (typeof pres === 'string' ? { name: pres } : pres);

/**
 * The definition of field pres ({name, label, hint, input, enum, query}
 * or its name) of the records plural, as a form shows it. Throws when the
 * server's schema has no such field or sets it itself (readOnly).
 */
export function resolveField(ix, plural, pres) {
  pres = asObject(pres);
  const where = `${plural}.${pres.name}`;
  onlyPresentation(pres, FIELD_KEYS, where);
  const { schema } = entityOf(ix, plural);
  const p = schema.properties[pres.name] || mismatch(`${where}: the server's ${plural} have no such field`);
  if (p.readOnly) mismatch(`${where}: the server sets it (readOnly), a form cannot offer it`);
  return defFromSchema(ix, p, pres, (schema.required || []).includes(pres.name), where);
}

/** The definition of a field of plural shown but not edited (a list column): readOnly allowed. */
export function resolveColumn(ix, plural, pres) {
  pres = asObject(pres);
  const where = `${plural} column ${pres.name}`;
  onlyPresentation(pres, FIELD_KEYS, where);
  const { schema } = entityOf(ix, plural);
  const p = schema.properties[pres.name] || mismatch(`${where}: the server's ${plural} have no such field`);
  const def = defFromSchema(ix, p, pres, false, where);
  if (pres.via) {
    if (def.type !== 'ref') mismatch(`${where}: via "${pres.via}" on a field that refers to nothing`);
    const q = entityOf(ix, def.ref).schema.properties[pres.via];
    if (!q || !q['x-references']) mismatch(`${where}: the server's ${def.ref} have no reference "${pres.via}"`);
    def.viaRef = refPlural(ix, q['x-references'], where);
  }
  return def;
}

/**
 * Checks the narrow of definition def (of plural's form or list, whose
 * other definitions are others): a picker's, whose list takes each
 * parameter, narrowed by a field or filter the same screen has.
 */
function checkNarrow(ix, plural, def, others) {
  if (!def.narrow) return;
  const where = `${plural}.${def.name} narrow`;
  if (def.type !== 'ref') mismatch(`${where}: only a picker is narrowed`);
  const params = (operation(ix, 'get', `/${def.ref}`)?.parameters || []).map((q) => q.name);
  for (const [param, other] of Object.entries(def.narrow)) {
    if (!params.includes(param)) mismatch(`${where}: GET ${API}/${def.ref} takes no parameter "${param}"`);
    if (!others.some((d) => d.name === other)) mismatch(`${where}: there is no "${other}" beside it`);
  }
}

/** The query that narrows def's picker by the values chosen beside it (values: name -> value). */
export function narrowQuery(def, values) {
  const q = { ...(def.query || {}) };
  for (const [param, other] of Object.entries(def.narrow || {}))
    if (values[other] !== undefined && values[other] !== null && values[other] !== '') q[param] = values[other];
  return q;
}

/**
 * The definition of list filter pres ({name, label, ref, roles, enum}) of
 * plural, from the query parameter of GET /api/v1/{plural}: a picker of
 * the records it names (x-references, or pres.ref where the server does
 * not say), a choice of its values (enum), a date, or a search box (its
 * maxLength). Throws when the list takes no such parameter.
 */
export function resolveFilter(ix, plural, pres) {
  const where = `${plural} filter ${pres.name}`;
  onlyPresentation(pres, FILTER_KEYS, where);
  const op = operation(ix, 'get', `/${plural}`) || mismatch(`${where}: no GET ${API}/${plural}`);
  const param = op.parameters.find((q) => q.in === 'query' && q.name === pres.name);
  if (!param) mismatch(`${where}: GET ${API}/${plural} takes no such parameter`);
  const p = param.schema;
  const def = { ...pres };
  const serverRef = p['x-references'] && refPlural(ix, p['x-references'], where);
  if (pres.ref && serverRef && pres.ref !== serverRef) mismatch(`${where}: the browser picks ${pres.ref}, the server takes ${serverRef}`);
  if (pres.ref && p.type !== 'integer') mismatch(`${where}: a picker of ${pres.ref} for a ${p.type} parameter`);
  if (p.type === 'integer' && (pres.ref || serverRef)) Object.assign(def, { type: 'ref', ref: pres.ref || serverRef });
  else if (p.type === 'integer') Object.assign(def, { type: 'int', min: p.minimum, max: p.maximum });
  else if (p.enum) Object.assign(def, { type: 'enum', enum: pres.enum || pres.name, values: p.enum });
  else if (p.format === 'date') def.type = 'date';
  else if (p.type === 'string') Object.assign(def, { type: 'search', max: p.maxLength });
  else mismatch(`${where}: the browser has no control for ${JSON.stringify(p)}`);
  for (const k of Object.keys(def)) if (def[k] === undefined) delete def[k];
  return def;
}

/**
 * The definition of field pres of the JSON body that method path takes
 * (e.g. the reason of POST /enrollments/{id}/withdraw). Throws when the
 * route or the field is not in the document.
 */
export function resolveBodyField(ix, method, path, pres) {
  pres = asObject(pres);
  const where = `${method.toUpperCase()} ${path} ${pres.name}`;
  onlyPresentation(pres, FIELD_KEYS, where);
  const op = operation(ix, method, path) || mismatch(`${where}: no such route`);
  const schema = op.requestBody?.content?.['application/json']?.schema || {};
  const p = schema.properties?.[pres.name] || mismatch(`${where}: the body takes no such field`);
  return defFromSchema(ix, p, pres, (schema.required || []).includes(pres.name), where);
}

/**
 * A record kind of resources.js with its definitions resolved: fields
 * (the form's), columns and filters (the list's) become definitions, and
 * the routes its roles call must exist (create: POST, write: PATCH,
 * remove: DELETE, export: GET .../export). The rest of res is kept.
 */
export function resolveResource(ix, res) {
  const { plural } = res;
  entityOf(ix, plural);
  const need = [
    ['get', `/${plural}`, true],
    ['post', `/${plural}`, res.create?.length],
    ['patch', `/${plural}/{id}`, res.write?.length],
    ['delete', `/${plural}/{id}`, res.remove?.length],
    ['get', `/${plural}/export`, res.export],
  ];
  for (const [method, path, wanted] of need)
    if (wanted && !operation(ix, method, path)) mismatch(`${plural}: the browser offers ${method.toUpperCase()} ${API}${path}, the server has no such route`);
  const fields = res.fields.map((f) => resolveField(ix, plural, f));
  const columns = res.columns.map((name) => fields.find((d) => d.name === name) || resolveColumn(ix, plural, name));
  const filters = (res.filters || []).map((f) => resolveFilter(ix, plural, f));
  for (const d of fields) checkNarrow(ix, plural, d, fields);
  for (const d of filters) checkNarrow(ix, plural, d, filters);
  return { ...res, fields, columns, filters };
}

// ---- the document of this page load ----

let index = null;
let loading = null;
const resolved = new Map();   // presentation object -> resolved resource

/** Makes doc the document the screens are drawn from (loadSchema; the tests give their own). */
export function setDocument(doc) {
  index = indexSchema(doc);
  resolved.clear();
  return index;
}

/** Fetches the server's document once (again after a failure); resolves when it is in. */
export function loadSchema() {
  if (!loading)
    loading = api.get('/openapi.json').then(
      (doc) => setDocument(doc),
      (e) => {
        loading = null;
        throw e;
      },
    );
  return loading;
}

/** True once the document is in (screens drawn from it may render). */
export const schemaReady = () => index !== null;

function loaded() {
  return index || mismatch('the document is not loaded yet (loadSchema)');
}

/** The resolved record kind res (of resources.js; a resolved one as it is), kept for the page load. */
export function resource(res) {
  if (resolved.has(res)) return resolved.get(res);
  if ([...resolved.values()].includes(res)) return res;
  const r = resolveResource(loaded(), res);
  resolved.set(res, r);
  return r;
}

/** The form definition of field pres of plural. */
export const field = (plural, pres) => resolveField(loaded(), plural, pres);

/** The definition of a column pres (shown, not edited) of plural's records. */
export const column = (plural, pres) => resolveColumn(loaded(), plural, pres);

/** The definition of filter pres of plural's list. */
export const filter = (plural, pres) => resolveFilter(loaded(), plural, pres);

/** The definition of field pres of method path's body. */
export const bodyField = (method, path, pres) => resolveBodyField(loaded(), method, path, pres);

/**
 * fn() computed once per document: the definitions a screen of its own
 * resolves (with field, filter, bodyField), the first time it is drawn.
 */
export function definitions(fn) {
  let of = null;
  let value;
  return () => {
    if (of !== loaded()) {
      value = fn();
      of = index;
    }
    return value;
  };
}
