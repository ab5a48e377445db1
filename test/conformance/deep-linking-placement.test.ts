import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, launch, registerFakePlatform, type LaunchOptions } from '../support/lti-flow.js';
import {
  courseId,
  createUnit,
  deepLinkingLaunch,
  fieldValue,
  pickerChoices,
  placementUnit,
  postForm,
  userId,
  verifyWithToolJwks,
} from '../support/deep-linking-flow.js';

/** A resource link launch of `link` in `context`, with optional custom claim. */
function linkLaunch(
  pw: Pathwise,
  fake: FakePlatform,
  role: 'teacher' | 'student',
  link: string,
  custom?: Record<string, string>,
  context = 'course-1',
): ReturnType<typeof launch> {
  const claims: LaunchOptions['claims'] = {
    [CLAIM.resourceLink]: { id: link, title: `Activity ${link}` },
    [CLAIM.context]: { id: context, title: context === 'course-1' ? 'Algebra I' : 'Algebra I (copy)' },
    [CLAIM.custom]: custom,
  };
  return launch(pw, fake, { role, claims });
}

/** Placement resolution: https://www.imsglobal.org/spec/lti-dl/v2p0/ custom parameters on later resource link launches. */
describe('Resource link launches find their unit', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let unit: string;
  let other: string;

  beforeAll(async () => {
    pw = await createTestPathwise();
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    await launch(pw, fake, { role: 'teacher' });
    const teacher = await userId(pw, 'user-teacher');
    unit = await createUnit(pw, 'Fractions', await courseId(pw, 'course-1'), teacher);
    other = await createUnit(pw, 'Decimals', await courseId(pw, 'course-1'), teacher);
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('uses the custom parameter, records it, and keeps it when the LMS later drops the parameter', async () => {
    const first = await linkLaunch(pw, fake, 'student', 'link-a', { pathwise_unit_id: unit });
    expect([first.landing!.status, first.landing!.headers.location]).toEqual([303, expect.stringMatching(/^\/student\/map\?session=/)]);
    expect(await placementUnit(pw, 'link-a')).toBe(unit);
    const again = await linkLaunch(pw, fake, 'student', 'link-a');
    expect([again.landing!.status, again.landing!.headers.location]).toEqual([303, expect.stringMatching(/^\/student\/map\?session=/)]);
    expect(await placementUnit(pw, 'link-a')).toBe(unit);
    // An edited link (new custom parameter) moves the placement to the new unit.
    await linkLaunch(pw, fake, 'teacher', 'link-a', { pathwise_unit_id: other });
    expect(await placementUnit(pw, 'link-a')).toBe(other);
  });

  it('an unplaced link tells a student it is not ready yet', async () => {
    const r = await linkLaunch(pw, fake, 'student', 'link-unplaced');
    expect(r.landing!.status).toBe(200);
    expect(r.landing!.text).toContain('This activity is not ready yet');
    expect(r.landing!.text).toContain('Hello, Sam');
    expect(await placementUnit(pw, 'link-unplaced')).toBeNull();
  });

  it('an unplaced link lets the teacher pick a unit, stored on the placement (no JWT)', async () => {
    const r = await linkLaunch(pw, fake, 'teacher', 'link-b');
    expect(r.landing!.status).toBe(200);
    expect(r.landing!.text).toContain('<form method="post" action="/lti/placement">');
    const choices = pickerChoices(r.landing!.text);
    expect(choices.every((c) => c.type === 'radio')).toBe(true);
    expect(choices.map((c) => c.value)).toContain(`unit:${unit}`);
    const csrf = fieldValue(r.landing!.text, '_csrf')!;
    const missing = await postForm(pw, '/lti/placement', [
      ['session', r.sessionToken!],
      ['choice', `unit:${unit}`],
    ]);
    expect([missing.status, errorCode(missing)]).toEqual([403, 'csrf_failed']);
    const two = await postForm(pw, '/lti/placement', [
      ['session', r.sessionToken!],
      ['_csrf', csrf],
      ['choice', `unit:${unit}`],
      ['choice', `unit:${other}`],
    ]);
    expect([two.status, errorCode(two)]).toEqual([400, 'too_many_items']);
    const picked = await postForm(pw, '/lti/placement', [
      ['session', r.sessionToken!],
      ['_csrf', csrf],
      ['choice', `unit:${unit}`],
    ]);
    expect(picked.status).toBe(303);
    expect(picked.headers.location).toBe(`/lti/home?session=${r.sessionToken}`);
    expect(fieldValue(picked.text ?? '', 'JWT')).toBeUndefined();
    expect(await placementUnit(pw, 'link-b')).toBe(unit);
    const student = await linkLaunch(pw, fake, 'student', 'link-b');
    expect(student.landing!.text).not.toContain('not ready yet');
  });

  it('a link of a copied course names a unit of the original: students wait, the teacher’s launch copies it once', async () => {
    const studentFirst = await linkLaunch(pw, fake, 'student', 'copied-1', { pathwise_unit_id: unit }, 'course-copy');
    expect(studentFirst.landing!.text).toContain('This activity is not ready yet');
    const teacher = await linkLaunch(pw, fake, 'teacher', 'copied-1', { pathwise_unit_id: unit }, 'course-copy');
    expect(teacher.landing!.status).toBe(200);
    const copy = await placementUnit(pw, 'copied-1', 'course-copy');
    expect(copy).not.toBeNull();
    expect(copy).not.toBe(unit);
    const { rows } = await pw.ctx.db.query<{ copiedFrom: string; courseId: string }>(
      `select copied_from as "copiedFrom", course_id as "courseId" from units where id = $1`,
      [copy],
    );
    expect(rows[0]).toEqual({ copiedFrom: unit, courseId: await courseId(pw, 'course-copy') });
    // Another link to the same original, launched by a student: the copy is reused, no new one.
    await linkLaunch(pw, fake, 'student', 'copied-2', { pathwise_unit_id: unit }, 'course-copy');
    expect(await placementUnit(pw, 'copied-2', 'course-copy')).toBe(copy);
    const { rows: copies } = await pw.ctx.db.query<{ n: number }>(`select count(*)::int as n from units where copied_from = $1`, [unit]);
    expect(copies[0]!.n).toBe(1);
  });

  it('a pathwise_unit_id naming a unit of a course the teacher does not teach is refused: no copy, the picker instead', async () => {
    const claims: LaunchOptions['claims'] = {
      sub: 'user-stranger',
      [CLAIM.resourceLink]: { id: 'foreign-1', title: 'Activity foreign-1' },
      [CLAIM.context]: { id: 'course-stranger', title: 'Someone else’s course' },
      [CLAIM.custom]: { pathwise_unit_id: unit },
    };
    const r = await launch(pw, fake, { role: 'teacher', claims });
    expect(r.landing!.status).toBe(200);
    expect(r.landing!.text).toContain('<form method="post" action="/lti/placement">');
    expect(await placementUnit(pw, 'foreign-1', 'course-stranger')).toBeNull();
    const { rows } = await pw.ctx.db.query(`select 1 from units where copied_from = $1 and course_id = $2`, [unit, await courseId(pw, 'course-stranger')]);
    expect(rows).toHaveLength(0);
  });

  it('a custom parameter naming no known unit falls back to the placement’s unit', async () => {
    await linkLaunch(pw, fake, 'student', 'link-c', { pathwise_unit_id: unit });
    await linkLaunch(pw, fake, 'student', 'link-c', { pathwise_unit_id: '00000000-0000-4000-8000-000000000000' });
    expect(await placementUnit(pw, 'link-c')).toBe(unit);
  });

  it('editing a placed activity: a second deep linking launch from the link preselects its unit and returns the new one', async () => {
    await linkLaunch(pw, fake, 'teacher', 'link-edit', { pathwise_unit_id: unit });
    const dl = await deepLinkingLaunch(pw, fake, {}, { claims: { [CLAIM.resourceLink]: { id: 'link-edit', title: 'Activity link-edit' } } });
    expect(dl.picker.status).toBe(200);
    expect(
      pickerChoices(dl.picker.text)
        .filter((c) => c.checked)
        .map((c) => c.value),
    ).toEqual([`unit:${unit}`]);
    const res = await postForm(pw, '/lti/deep-linking/response', [
      ['session', dl.session],
      ['_csrf', dl.csrf],
      ['choice', `unit:${other}`],
    ]);
    const { payload } = await verifyWithToolJwks(pw, fake, fieldValue(res.text, 'JWT')!);
    const items = payload['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] as Array<{ custom: Record<string, string> }>;
    expect(items.map((i) => i.custom.pathwise_unit_id)).toEqual([other]);
    expect(await placementUnit(pw, 'link-edit')).toBe(other);
  });

  it('editing from a platform that sends only the custom parameter also preselects the unit', async () => {
    const dl = await deepLinkingLaunch(pw, fake, {}, { claims: { [CLAIM.custom]: { pathwise_unit_id: other } } });
    expect(
      pickerChoices(dl.picker.text)
        .filter((c) => c.checked)
        .map((c) => c.value),
    ).toEqual([`unit:${other}`]);
  });
});
