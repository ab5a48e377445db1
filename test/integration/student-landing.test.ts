import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { launch, registerFakePlatform } from '../support/lti-flow.js';
import { placeSampleUnit } from './student-support.js';
import { decode, userId } from './teacher-support.js';

/** A student's launch lands on what they came for, not on a page with one button. */
describe('student launch: direct landing', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let unitId: string;

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    await launch(pw, fake, { role: 'teacher' });
    unitId = await placeSampleUnit(pw);
  }, 120_000);
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('lands on the unit map, whose next step is "Continue with …"', async () => {
    const r = await launch(pw, fake, { role: 'student' });
    expect(r.landing!.status).toBe(303);
    expect(r.landing!.headers.location).toBe(`/student/map?session=${r.sessionToken}`);
    const map = decode((await request(pw.app).get(r.landing!.headers.location!)).text);
    expect(map).toMatch(/<a class="button" href="\/student\/competencies\/[\w-]+\?session=[^"]+">Continue with [^<]+<\/a>/);
    // The welcome page is one click away in the student navigation.
    expect(map).toContain(`href="/lti/home?session=${r.sessionToken}&welcome=1">Start page</a>`);
  });

  it('lands on the open check when one is in progress; an expired one does not count', async () => {
    const first = await launch(pw, fake, { role: 'student' });
    const started = await pw.ctx.learning.startAttempt({ userId: await userId(pw, 'user-student'), unitId, competencyId: 'one-step', courseId: null });
    const again = await launch(pw, fake, { role: 'student' });
    expect(again.landing!.headers.location).toBe(`/student/attempts/${started.attemptId}?session=${again.sessionToken}`);
    const check = await request(pw.app).get(again.landing!.headers.location!);
    expect(check.status).toBe(200);
    await pw.ctx.db.query(`update attempts set expires_at = now() - interval '1 minute' where id = $1`, [started.attemptId]);
    const later = await launch(pw, fake, { role: 'student' });
    expect(later.landing!.headers.location).toBe(`/student/map?session=${later.sessionToken}`);
    expect(first.sessionToken).not.toBe(later.sessionToken);
  });

  it('keeps the welcome page: ?welcome=1 shows it with the student navigation', async () => {
    const r = await launch(pw, fake, { role: 'student', follow: false });
    const page = decode((await request(pw.app).get(`/lti/home?session=${r.sessionToken}&welcome=1`)).text);
    expect(page).toContain('Hello, Sam');
    expect(page).toMatch(/href="\/lti\/home\?session=[^"]+&welcome=1" aria-current="page">Start page<\/a>/);
    expect(page).toMatch(/href="\/student\/map\?session=[^"]+">Unit map<\/a>/);
  });

  it('a teacher still lands on the teacher page', async () => {
    const r = await launch(pw, fake, { role: 'teacher' });
    expect(r.landing!.status).toBe(200);
    expect(r.landing!.text).toContain('Open the course home');
  });
});
