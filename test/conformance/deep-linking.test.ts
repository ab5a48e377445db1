import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { csrfTokenFor } from '../../src/web/middleware/csrf.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, launch, registerFakePlatform } from '../support/lti-flow.js';
import { courseId, createUnit, deepLinkingLaunch, fieldValue, pickerChoices, postForm, userId, verifyWithToolJwks } from '../support/deep-linking-flow.js';

const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

/** Deep Linking 2.0, https://www.imsglobal.org/spec/lti-dl/v2p0/ , against the fake LMS. */
describe('Deep linking: picker and signed response', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let algebraUnit: string;
  let geometryUnit: string;
  let studentCourseUnit: string;

  beforeAll(async () => {
    pw = await createTestPathwise();
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    // The teacher teaches course-1 and course-2, and is a student in course-3.
    await launch(pw, fake, { role: 'teacher' });
    await launch(pw, fake, { role: 'teacher', claims: { [CLAIM.context]: { id: 'course-2', title: 'Geometry' } } });
    await launch(pw, fake, {
      role: 'teacher',
      claims: { [CLAIM.context]: { id: 'course-3', title: 'Biology' }, [CLAIM.roles]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] },
    });
    const teacher = await userId(pw, 'user-teacher');
    algebraUnit = await createUnit(pw, 'Fractions', await courseId(pw, 'course-1'), teacher);
    geometryUnit = await createUnit(pw, 'Triangles', await courseId(pw, 'course-2'), teacher);
    studentCourseUnit = await createUnit(pw, 'Cells', await courseId(pw, 'course-3'), teacher);
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('lists the course units, the teacher’s units elsewhere (copy), the samples (copy) and "new unit"', async () => {
    const dl = await deepLinkingLaunch(pw, fake);
    expect(dl.picker.status).toBe(200);
    const values = pickerChoices(dl.picker.text).map((c) => c.value);
    expect(values).toEqual([`unit:${algebraUnit}`, `copy:${geometryUnit}`, 'sample:linear-equations', 'sample:evaluating-sources', 'new']);
    // Units of a course where this person is a student are not offered.
    expect(values).not.toContain(`copy:${studentCourseUnit}`);
    expect(dl.picker.text).toContain('Fractions');
    expect(dl.picker.text).toContain('Geometry');
    // accept_multiple: true → checkboxes.
    expect(pickerChoices(dl.picker.text).every((c) => c.type === 'checkbox')).toBe(true);
    expect(dl.csrf).toMatch(/^[\w-]{43}$/);
  });

  it('returns a response JWT the tool’s JWKS verifies: iss, aud, nonce, deployment, data, resource links with line items', async () => {
    const dl = await deepLinkingLaunch(pw, fake);
    const res = await postForm(pw, '/lti/deep-linking/response', [
      ['session', dl.session],
      ['_csrf', dl.csrf],
      ['choice', `unit:${algebraUnit}`],
      ['choice', 'sample:linear-equations'],
      ['action', 'add'],
    ]);
    expect(res.status).toBe(200);
    // Auto-posted by a static script to deep_link_return_url, with a visible button for no-JS.
    expect(res.text).toContain(`<form id="deep-linking-return" method="post" action="${fake.url('/deep-link-return')}">`);
    expect(res.text).toContain('<script src="/assets/deep-linking-return.js"></script>');
    expect(res.text).toMatch(/<button type="submit">/);
    expect(String(res.headers['content-security-policy'])).toMatch(new RegExp(`form-action [^;]*${fake.issuer.replace(/[.:/]/g, '\\$&')}`));
    const jwt = fieldValue(res.text, 'JWT')!;
    const { payload, kid } = await verifyWithToolJwks(pw, fake, jwt);
    expect(kid).toBe((await pw.ctx.keys.signingKey()).kid);
    expect(payload.iss).toBe(fake.clientId);
    expect(payload.aud).toBe(fake.issuer);
    expect(typeof payload.nonce).toBe('string');
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(600);
    expect(payload[CLAIM.deploymentId]).toBe(fake.deploymentId);
    expect(payload[CLAIM.messageType]).toBe('LtiDeepLinkingResponse');
    expect(payload[CLAIM.version]).toBe('1.3.0');
    expect(payload[`${DL}data`]).toBe('opaque-platform-data');
    const items = payload[`${DL}content_items`] as Array<{ title: string; text?: string; custom: Record<string, string> }>;
    expect(items).toHaveLength(2);
    expect(items[0]).toEqual({
      type: 'ltiResourceLink',
      title: 'Fractions',
      url: `${pw.ctx.config.publicUrl}/lti/launch`,
      custom: { pathwise_unit_id: algebraUnit },
      lineItem: { scoreMaximum: 100, label: 'Fractions', resourceId: `unit:${algebraUnit}`, tag: 'pathwise' },
    });
    // The sample was copied into this course: the item names the copy.
    const copyId = items[1]!.custom.pathwise_unit_id as string;
    expect(items[1]!.title).toBe('Linear equations');
    expect(typeof items[1]!.text).toBe('string');
    const { rows } = await pw.ctx.db.query<{ courseId: string; key: string }>(`select course_id as "courseId", key from units where id = $1`, [copyId]);
    expect(rows[0]).toEqual({ courseId: await courseId(pw, 'course-1'), key: 'linear-equations' });
  });

  it('copies a unit from another course the teacher teaches, and creates a named new unit', async () => {
    const dl = await deepLinkingLaunch(pw, fake);
    const res = await postForm(pw, '/lti/deep-linking/response', [
      ['session', dl.session],
      ['_csrf', dl.csrf],
      ['choice', `copy:${geometryUnit}`],
      ['choice', 'new'],
      ['new_title', 'Ratios and rates'],
    ]);
    const { payload } = await verifyWithToolJwks(pw, fake, fieldValue(res.text, 'JWT')!);
    const items = payload[`${DL}content_items`] as Array<{ title: string; custom: { pathwise_unit_id: string } }>;
    expect(items.map((i) => i.title)).toEqual(['Triangles', 'Ratios and rates']);
    const { rows } = await pw.ctx.db.query<{ id: string; copiedFrom: string | null; courseId: string; createdBy: string }>(
      `select id, copied_from as "copiedFrom", course_id as "courseId", created_by as "createdBy" from units where id = any($1::uuid[]) order by title desc`,
      [items.map((i) => i.custom.pathwise_unit_id)],
    );
    const course1 = await courseId(pw, 'course-1');
    const teacher = await userId(pw, 'user-teacher');
    expect(rows).toEqual([
      { id: items[0]!.custom.pathwise_unit_id, copiedFrom: geometryUnit, courseId: course1, createdBy: teacher },
      { id: items[1]!.custom.pathwise_unit_id, copiedFrom: null, courseId: course1, createdBy: teacher },
    ]);
  });

  it('is idempotent per deep linking request: submitting the same choices twice (or at once) makes no second copy', async () => {
    const dl = await deepLinkingLaunch(pw, fake);
    const fields: Array<[string, string]> = [
      ['session', dl.session],
      ['_csrf', dl.csrf],
      ['choice', `copy:${geometryUnit}`],
      ['choice', 'sample:linear-equations'],
    ];
    const idsOf = async (text: string) =>
      ((await verifyWithToolJwks(pw, fake, fieldValue(text, 'JWT')!)).payload[`${DL}content_items`] as Array<{ custom: { pathwise_unit_id: string } }>).map(
        (i) => i.custom.pathwise_unit_id,
      );
    const count = async () => (await pw.ctx.db.query<{ n: number }>(`select count(*)::int as n from units`)).rows[0]!.n;
    const before = await count();
    const [a, b] = await Promise.all([postForm(pw, '/lti/deep-linking/response', fields), postForm(pw, '/lti/deep-linking/response', fields)]);
    const again = await postForm(pw, '/lti/deep-linking/response', fields);
    expect([a.status, b.status, again.status]).toEqual([200, 200, 200]);
    const ids = await idsOf(a.text);
    expect(await idsOf(b.text)).toEqual(ids);
    expect(await idsOf(again.text)).toEqual(ids);
    expect(await count()).toBe(before + 2);
    // A new deep linking request is a new placement: it gets its own copies.
    const next = await deepLinkingLaunch(pw, fake);
    const other = await postForm(pw, '/lti/deep-linking/response', [
      ['session', next.session],
      ['_csrf', next.csrf],
      ['choice', `copy:${geometryUnit}`],
    ]);
    expect(await idsOf(other.text)).not.toContain(ids[0]);
  });

  it('a unit the teacher may not place (a course they only study in) is refused with an error response for the LMS', async () => {
    const dl = await deepLinkingLaunch(pw, fake);
    const res = await postForm(pw, '/lti/deep-linking/response', [
      ['session', dl.session],
      ['_csrf', dl.csrf],
      ['choice', `copy:${studentCourseUnit}`],
    ]);
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('unit_not_available');
    const { payload } = await verifyWithToolJwks(pw, fake, fieldValue(res.text, 'JWT')!);
    expect(payload[`${DL}content_items`]).toEqual([]);
    expect(payload[`${DL}errormsg`]).toBeTruthy();
    expect(payload[`${DL}errorlog`]).toBe('pathwise: unit_not_available');
  });

  it('accept_multiple=false: radios, and two choices are refused (too_many_items), no JWT', async () => {
    const dl = await deepLinkingLaunch(pw, fake, { accept_multiple: false });
    expect(pickerChoices(dl.picker.text).every((c) => c.type === 'radio')).toBe(true);
    const res = await postForm(pw, '/lti/deep-linking/response', [
      ['session', dl.session],
      ['_csrf', dl.csrf],
      ['choice', `unit:${algebraUnit}`],
      ['choice', 'sample:linear-equations'],
    ]);
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('too_many_items');
    expect(fieldValue(res.text, 'JWT')).toBeUndefined();
    expect(
      pickerChoices(res.text)
        .filter((c) => c.checked)
        .map((c) => c.value),
    ).toEqual([`unit:${algebraUnit}`, 'sample:linear-equations']);
  });

  it('nothing chosen, or a new unit without a name, shows the picker again', async () => {
    const dl = await deepLinkingLaunch(pw, fake);
    const none = await postForm(pw, '/lti/deep-linking/response', [
      ['session', dl.session],
      ['_csrf', dl.csrf],
    ]);
    expect([none.status, errorCode(none)]).toEqual([400, 'no_unit_chosen']);
    const unnamed = await postForm(pw, '/lti/deep-linking/response', [
      ['session', dl.session],
      ['_csrf', dl.csrf],
      ['choice', 'new'],
      ['new_title', '  '],
    ]);
    expect([unnamed.status, errorCode(unnamed)]).toEqual([400, 'unit_name_required']);
  });

  it('cancel returns a response with no content items', async () => {
    const dl = await deepLinkingLaunch(pw, fake);
    const res = await postForm(pw, '/lti/deep-linking/response', [
      ['session', dl.session],
      ['_csrf', dl.csrf],
      ['choice', `unit:${algebraUnit}`],
      ['action', 'cancel'],
    ]);
    expect(res.status).toBe(200);
    const { payload } = await verifyWithToolJwks(pw, fake, fieldValue(res.text, 'JWT')!);
    expect(payload[`${DL}content_items`]).toEqual([]);
    expect(payload[`${DL}data`]).toBe('opaque-platform-data');
  });

  it('echoes structured data exactly, leaves data out when the request had none, and honours accept_lineitem=false', async () => {
    const data = { state: 'x', n: 3, list: [1, 'two'] };
    const withData = await deepLinkingLaunch(pw, fake, { data, accept_lineitem: false });
    const r1 = await postForm(pw, '/lti/deep-linking/response', [
      ['session', withData.session],
      ['_csrf', withData.csrf],
      ['choice', `unit:${algebraUnit}`],
    ]);
    const p1 = (await verifyWithToolJwks(pw, fake, fieldValue(r1.text, 'JWT')!)).payload;
    expect(p1[`${DL}data`]).toEqual(data);
    expect((p1[`${DL}content_items`] as Array<Record<string, unknown>>)[0]!.lineItem).toBeUndefined();

    const noData = await deepLinkingLaunch(pw, fake, { data: undefined });
    const r2 = await postForm(pw, '/lti/deep-linking/response', [
      ['session', noData.session],
      ['_csrf', noData.csrf],
      ['action', 'cancel'],
    ]);
    const p2 = (await verifyWithToolJwks(pw, fake, fieldValue(r2.text, 'JWT')!)).payload;
    expect(`${DL}data` in p2).toBe(false);
  });

  it('a platform that does not accept ltiResourceLink gets a clear page and an error response to return', async () => {
    const dl = await deepLinkingLaunch(pw, fake, { accept_types: ['link', 'html'] });
    expect(dl.picker.status).toBe(400);
    expect(errorCode(dl.picker)).toBe('resource_links_not_accepted');
    const { payload } = await verifyWithToolJwks(pw, fake, fieldValue(dl.picker.text, 'JWT')!);
    expect(payload[`${DL}errormsg`]).toMatch(/does not accept Pathwise activities/);
    expect(payload[`${DL}content_items`]).toEqual([]);
  });

  it('refuses a post without the CSRF token, or with a wrong one (403 csrf_failed)', async () => {
    const dl = await deepLinkingLaunch(pw, fake);
    const missing = await postForm(pw, '/lti/deep-linking/response', [
      ['session', dl.session],
      ['choice', `unit:${algebraUnit}`],
    ]);
    expect([missing.status, errorCode(missing)]).toEqual([403, 'csrf_failed']);
    const wrong = await postForm(pw, '/lti/deep-linking/response', [
      ['session', dl.session],
      ['_csrf', 'x'.repeat(43)],
      ['choice', `unit:${algebraUnit}`],
    ]);
    expect([wrong.status, errorCode(wrong)]).toEqual([403, 'csrf_failed']);
    expect(fieldValue(wrong.text, 'JWT')).toBeUndefined();
  });

  it('is for teachers of a deep linking launch only', async () => {
    const student = await deepLinkingLaunch(pw, fake, {}, { role: 'student' });
    expect([student.picker.status, errorCode(student.picker)]).toEqual([403, 'teacher_only']);
    const resourceLaunch = await launch(pw, fake, { role: 'teacher', claims: { [CLAIM.custom]: { pathwise_unit_id: algebraUnit } } });
    const res = await postForm(pw, '/lti/deep-linking/response', [
      ['session', resourceLaunch.sessionToken!],
      ['_csrf', csrfTokenFor(resourceLaunch.sessionToken!)],
    ]);
    expect([res.status, errorCode(res)]).toEqual([403, 'not_deep_linking']);
  });
});
