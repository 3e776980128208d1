// schema.test.js: the browser's definitions of the records agree with the
// server's. Against `guild serve` (the demo database) and its
// /api/v1/openapi.json: every record kind of resources.js (with the
// competition's), the enrollment screens' and the scheme editor's fields
// resolve (schema.js throws on a record kind, field, filter or route the
// server does not have, a form field the server sets itself, a limit typed
// into the browser's presentation), and each made-up disagreement of those
// sorts is caught; every field a form offers is writable on the server and
// has its type, required-ness, limits, values and reference; every filter
// is a parameter of the list; the browser's own lists of the server's
// values (edition states, statuses) are the server's; every value of an enum
// the browser shows has a label; the forms in chromium draw the server's
// limits (maxlength, min, max, required, the options of a choice); and a
// number beyond its limit is refused beside its field while the limit itself
// is taken. Screenshots: build/ui-artifacts/schema-*.png.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, choose, goTo, openIn, shot, signIn, start, stopChecked } from './harness.js';
import { resources } from '../src/resources.js';
import {
  SchemaMismatch,
  indexSchema,
  resolveColumn,
  resolveField,
  resolveFilter,
  resolveResource,
  resource,
  setDocument,
} from '../src/schema.js';
import { NEW_STATUSES, OPEN, enrollmentFields } from '../src/screens/enrollment_fields.js';
import { SCHEME_FIELDS, STATES, correctionReason, schemeFields } from '../src/screens/comp/data.js';
import { METHODS } from '../src/screens/training/values.js';
import { ROLES } from '../src/session.js';

const en = JSON.parse(readFileSync(path.join(ROOT, 'web/src/i18n/en.json'), 'utf8'));
let env;
let doc;
let ix;
const pages = [];

before(async () => {
  env = await start();
  const r = await fetch(env.base + '/api/v1/openapi.json');
  assert.equal(r.status, 200);
  doc = await r.json();
  ix = setDocument(doc);
});

after(async () => {
  await stopChecked(env, pages);
});

const schemaOf = (plural) => ix.byPlural[plural].schema;
const withoutNull = (values) => values.filter((v) => v !== null);
/** The JSON type of a property, without "null". */
const typeOf = (p) => (Array.isArray(p.type) ? p.type.find((x) => x !== 'null') : p.type);
/** The limits a property says, as a field definition keeps them ({min, max}). */
function limitsOf(p) {
  const t = typeOf(p);
  if (t === 'string' && !p.enum && !p.format) return { min: p.minLength, max: p.maxLength };
  if (t === 'integer' && !p['x-references']) return { min: p.minimum, max: p.maximum };
  if (t === 'array' && p.items.type === 'string') return { min: p.items.minLength, max: p.items.maxLength };
  return { min: undefined, max: undefined };
}

test('every record kind the browser lists is a collection of the server, with the routes its buttons call', () => {
  const plurals = Object.keys(resources);
  assert.ok(plurals.length >= 7, plurals.join());
  for (const [plural, res] of Object.entries(resources)) {
    assert.equal(res.plural, plural);
    assert.doesNotThrow(() => resolveResource(ix, res), `${plural}`);
    const p = doc.paths;
    assert.ok(p[`/api/v1/${plural}`]?.get && p[`/api/v1/${plural}/{id}`]?.get, plural);
    if (res.create?.length) assert.ok(p[`/api/v1/${plural}`].post, `${plural}: POST`);
    if (res.write?.length) assert.ok(p[`/api/v1/${plural}/{id}`].patch, `${plural}: PATCH`);
    if (res.remove?.length) assert.ok(p[`/api/v1/${plural}/{id}`].delete, `${plural}: DELETE`);
    if (res.export) assert.ok(p[`/api/v1/${plural}/export`]?.get, `${plural}: export`);
  }
});

test('every field a form offers is one clients may write, with the server type, required-ness, limits, values and reference', () => {
  let n = 0;
  for (const [plural, res] of Object.entries(resources)) {
    const schema = schemaOf(plural);
    for (const def of resource(res).fields) {
      const p = schema.properties[def.name];
      const where = `${plural}.${def.name}`;
      assert.ok(p, `${where}: not a field of the server's ${plural}`);
      assert.ok(!p.readOnly, `${where}: the server sets it`);
      assert.equal(def.required, (schema.required || []).includes(def.name), `${where}: required`);
      assert.equal(def.immutable, !!p['x-immutable'], `${where}: fixed at creation`);
      assert.deepEqual({ min: def.min, max: def.max }, limitsOf(p), `${where}: limits`);
      if (p.enum) assert.deepEqual(def.values, withoutNull(p.enum), `${where}: values`);
      const ref = p['x-references'] || p.items?.['x-references'];
      assert.equal(def.ref, ref && ix.pluralOf[ref], `${where}: what it refers to`);
      const expected = { integer: ref ? 'ref' : 'int', boolean: 'bool', number: 'decimal' }[typeOf(p)];
      if (expected) assert.equal(def.type, expected, `${where}: type`);
      if (typeOf(p) === 'array') assert.equal(def.type, p.items.type === 'string' ? 'strlist' : 'persons', `${where}: type`);
      n++;
    }
    for (const col of resource(res).columns) assert.ok(schema.properties[col.name], `${plural}: column ${col.name}`);
  }
  assert.ok(n >= 35, `only ${n} fields`);
});

test('every filter a list offers is a parameter of the list, with its values, limits and the kind it picks', () => {
  let n = 0;
  for (const [plural, res] of Object.entries(resources)) {
    const params = doc.paths[`/api/v1/${plural}`].get.parameters;
    for (const def of resource(res).filters) {
      const param = params.find((q) => q.in === 'query' && q.name === def.name);
      const where = `${plural} filter ${def.name}`;
      assert.ok(param, `${where}: not a parameter of GET /api/v1/${plural}`);
      const p = param.schema;
      if (p.enum) assert.deepEqual(def.values, p.enum, where);
      if (def.type === 'search') assert.equal(def.max, p.maxLength, where);
      if (def.type === 'ref') assert.equal(p.type, 'integer', where);
      if (p['x-references']) assert.equal(def.ref, ix.pluralOf[p['x-references']], where);
      n++;
    }
  }
  assert.ok(n >= 15, `only ${n} filters`);
});

test("the screens of their own take their fields from the server, and their lists of the server's values are the server's", () => {
  const enr = schemaOf('enrollments').properties;
  const { status, reason, filters } = enrollmentFields();
  assert.deepEqual(status.values, withoutNull(enr.status.enum));
  const withdraw = doc.paths['/api/v1/enrollments/{id}/withdraw'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(reason.values, withoutNull(withdraw.properties.reason.enum));
  assert.deepEqual(reason.values, withoutNull(enr.withdrawal_reason.enum));
  assert.deepEqual(filters.map((f) => [f.name, f.type, f.ref]), [['cohort', 'ref', 'cohorts'], ['status', 'enum', undefined]]);
  for (const s of [...OPEN, ...NEW_STATUSES]) assert.ok(status.values.includes(s), s);
  assert.deepEqual(STATES, withoutNull(schemaOf('editions').properties.state.enum), 'the edition states, in their order');
  assert.deepEqual(METHODS, withoutNull(schemaOf('assessments').properties.method.enum), 'the assessment methods a new event offers');
  const correction = doc.paths['/api/v1/marks/{id}/correction'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(correctionReason().values, correction.properties.reason.enum);
  const scheme = schemeFields();
  for (const [kind, names] of Object.entries(SCHEME_FIELDS))
    for (const name of names) {
      const p = schemaOf(kind).properties[name];
      assert.deepEqual({ min: scheme[kind][name].min, max: scheme[kind][name].max }, typeOf(p) === 'number' ? { min: p.minimum, max: p.maximum } : limitsOf(p), `${kind}.${name}`);
    }
  assert.equal(scheme.aspects.max_mark.step, schemaOf('aspects').properties.max_mark.multipleOf);
  assert.deepEqual(scheme.aspects.kind.values, schemaOf('aspects').properties.kind.enum);
  assert.equal(scheme.aspects.kind.immutable, true);
});

test('a disagreement with the server is caught, whatever its sort', () => {
  const areas = resources.areas;
  const wrong = [
    [{ ...areas, plural: 'nothings' }, /no record kind "nothings"/],
    [{ ...areas, fields: [...areas.fields, 'no_such_field'] }, /areas\.no_such_field: the server's areas have no such field/],
    [{ ...areas, fields: [...areas.fields, 'created_at'] }, /areas\.created_at: the server sets it \(readOnly\)/],
    [{ ...areas, fields: [{ name: 'code', max: 32 }] }, /areas\.code: "max" is the server's to say/],
    [{ ...areas, fields: [{ name: 'level', input: 'tel' }] }, /input "tel" on a enum field/],
    [{ ...areas, columns: ['name', 'nope'] }, /areas column nope: the server's areas have no such field/],
    [{ ...areas, filters: [{ name: 'nope' }] }, /areas filter nope: GET \/api\/v1\/areas takes no such parameter/],
    [{ ...areas, filters: [{ name: 'parent', ref: 'institutions' }] }, /the browser picks institutions, the server takes areas/],
    [{ ...areas, filters: [{ name: 'q', ref: 'areas' }] }, /a picker of areas for a string parameter/],
    [{ ...areas, filters: [{ name: 'level', values: ['region'] }] }, /"values" is the server's to say/],
    [{ plural: 'competitors', fields: [], columns: [], write: [ROLES.admin] }, /offers PATCH \/api\/v1\/competitors\/\{id\}, the server has no such route/],
    [{ ...areas, export: true }, /offers GET \/api\/v1\/areas\/export/],
  ];
  for (const [res, message] of wrong) assert.throws(() => resolveResource(ix, res), (e) => e instanceof SchemaMismatch && message.test(e.message), String(message));
  // a reference to a kind the server does not serve by id
  const bent = structuredClone(doc);
  bent.components.schemas.area.properties.parent_id['x-references'] = 'nowhere';
  assert.throws(() => resolveField(indexSchema(bent), 'areas', 'parent_id'), /refers to "nowhere"/);
  // and the right ones resolve
  assert.equal(resolveColumn(ix, 'areas', 'created_at').type, 'time');
  assert.equal(resolveFilter(ix, 'cohorts', { name: 'active_on' }).type, 'date');
});

test("every value of the server's enums that the browser shows has a label", () => {
  const keys = [];
  for (const res of Object.values(resources)) {
    const r = resource(res);
    for (const def of [...r.fields, ...r.filters]) if (def.type === 'enum') for (const v of def.values) keys.push(`enum.${def.enum}.${v}`);
  }
  const { status, reason } = enrollmentFields();
  for (const def of [status, reason]) for (const v of def.values) keys.push(`enum.${def.enum}.${v}`);
  for (const r of correctionReason().values) keys.push(`comp.correct.reason.${r}`);
  for (const k of schemeFields().aspects.kind.values) keys.push(`comp.kind.${k}`);
  for (const s of STATES) keys.push(`comp.state.${s}`);
  for (const m of METHODS) keys.push(`assess.method.${m}`);
  assert.ok(keys.length >= 25, keys.join());
  assert.deepEqual(keys.filter((k) => !(k in en)), []);
});

test("the forms draw the server's limits: maxlength, min and max, required, the options of a choice", async () => {
  const page = await openIn(env, pages);
  await signIn(page, 'admin');
  let checked = 0;
  for (const [plural, res] of Object.entries(resources)) {
    if (!res.create?.includes(ROLES.admin)) continue;
    await goTo(env, page, `/${plural}/new`);
    const form = page.locator(`#f-${plural}`);
    await form.waitFor();
    const schema = schemaOf(plural);
    for (const def of resource(res).fields) {
      const p = schema.properties[def.name];
      const id = `f-${plural}-${def.name}`;
      const el = page.locator(`#${id}`);
      const attr = (a) => el.getAttribute(a);
      const where = `${plural}.${def.name}`;
      const required = (schema.required || []).includes(def.name);
      assert.equal(await page.locator(`label[for=${id}] .req`).count(), required ? 1 : 0, `${where}: the required mark`);
      const t = typeOf(p);
      if (t === 'string' && p.maxLength && !p.enum) assert.equal(await attr('maxlength'), String(p.maxLength), `${where}: maxlength`);
      if (t === 'integer' && !p['x-references']) {
        assert.equal(await attr('min'), String(p.minimum), `${where}: min`);
        assert.equal(await attr('max'), String(p.maximum), `${where}: max`);
      }
      if (p.enum) {
        const options = await el.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
        assert.deepEqual(options, withoutNull(p.enum), `${where}: options`);
      }
      if (t === 'string' || (t === 'integer' && !p['x-references'])) assert.equal((await attr('required')) !== null, required, `${where}: required`);
      checked++;
    }
    if (plural === 'programs') await shot(page, 'schema-program-form');
  }
  assert.ok(checked >= 30, `only ${checked} fields`);
  assert.deepEqual(page.errors, []);
});

test("a value beyond the server's limit is refused beside its field, and the limit itself is taken", async () => {
  const page = await openIn(env, pages);
  await signIn(page, 'admin');
  const hours = schemaOf('programs').properties.hours;
  await goTo(env, page, '/programs/new');
  await choose(page, 'Institution');
  await page.getByLabel('Title').fill('Beyond the limit');
  await page.getByLabel('Occupation (ISCO-08 code)').fill('7411');
  await page.getByLabel('Hours of training').fill(String(hours.maximum + 1));
  await page.getByLabel('Level').fill('2');
  await page.getByLabel('Places').fill('30');
  await page.getByRole('button', { name: 'Create' }).click();
  const input = page.locator('#f-programs-hours');
  await page.locator('#f-programs-hours-err').waitFor();
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#f-programs-hours-err').textContent(), new RegExp(`Hours of training must be between ${hours.minimum} and ${hours.maximum.toLocaleString('en')}`));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-programs-hours');
  await shot(page, 'schema-limit-refused');
  await page.getByLabel('Hours of training').fill(String(hours.maximum));
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/programs\/\d+\?created=1$/);
  assert.equal(await page.locator('#f-programs-hours').inputValue(), String(hours.maximum));
  assert.deepEqual(page.errors, []);
});
