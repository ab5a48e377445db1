import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { CANVAS_SUBMISSION_EXTENSION } from '../../src/lti/ags/scores.js';
import { claimDueScores, completeClaim, enqueueScore } from '../../src/store/grade-outbox.js';
import { gradeStatus, retryScore } from '../../src/grades/grade-status.js';
import { createTestPathwise } from '../support/app.js';
import type { FakePlatform } from '../support/fake-platform.js';
import { agsCourse, agsPlatform, enqueueAll, outboxStates, waitFor } from '../support/ags-scenario.js';
import { scoreShapeProblem } from '../support/fake-ags.js';

// AGS score publishing, https://www.imsglobal.org/spec/lti-ags/v2p0/#score-publish-service , through the durable outbox.
describe('AGS grade delivery', () => {
  let pw: Pathwise;
  const fakes: FakePlatform[] = [];
  const platform = async (productFamily?: string) => {
    const env = await agsPlatform(pw, { productFamily });
    fakes.push(env.fake);
    return env;
  };
  /** Drains the outbox until `done` holds (retries become due after a few ms in this config). */
  const deliverUntil = (done: () => Promise<boolean> | boolean) =>
    waitFor(async () => {
      await pw.ctx.outbox.drain();
      return done();
    });

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false, baseDelayMs: 5, maxDelayMs: 30 } });
  });
  afterAll(async () => {
    await pw?.close();
    await Promise.all(fakes.map((f) => f.stop()));
  });

  it('delivers every score once when the first three score posts get 503', async () => {
    const env = await platform();
    const course = await agsCourse(pw, env, { students: 5, lineitem: true });
    env.ags.failNextScores(3, 503);
    await enqueueAll(pw, course.placementId, course.students, (i) => 60 + i);
    await deliverUntil(async () => (await outboxStates(pw, course.placementId)).sent === 5);
    expect(env.ags.scorePosts).toBe(8);
    for (const [i, s] of course.students.entries()) {
      const got = env.ags.scoresFor(course.lineItemId!, s.sub);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ userId: s.sub, scoreGiven: 60 + i, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
      expect(got[0]!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(env.tokens.issued).toBe(1);
  });

  it('every score has the shape a strict platform checks (progress vocabularies, timestamp with ms and zone, 0 ≤ scoreGiven ≤ scoreMaximum), from a unit not started to one completed', async () => {
    const env = await platform();
    const course = await agsCourse(pw, env, { students: 3, lineitem: true });
    const kinds = [
      { scoreGiven: 0, activityProgress: 'Initialized' as const },
      { scoreGiven: 33.33, activityProgress: 'InProgress' as const },
      { scoreGiven: 100, activityProgress: 'Completed' as const },
    ];
    await pw.ctx.db.transaction(async (tx) => {
      for (const [i, s] of course.students.entries()) {
        await enqueueScore(tx, { placementId: course.placementId, userId: s.id, scoreMaximum: 100, gradingProgress: 'FullyGraded', ...kinds[i]! });
      }
    });
    await deliverUntil(async () => (await outboxStates(pw, course.placementId)).sent === 3);
    // The fake refuses (400) a score scoreShapeProblem finds fault with: none was refused.
    expect(env.ags.scorePosts).toBe(3);
    for (const [i, s] of course.students.entries()) {
      const [got] = env.ags.scoresFor(course.lineItemId!, s.sub);
      expect(scoreShapeProblem(got!)).toBeNull();
      expect(got).toMatchObject({ ...kinds[i], scoreMaximum: 100, gradingProgress: 'FullyGraded' });
    }
    expect(scoreShapeProblem({ ...env.ags.scores[0]!.score, timestamp: '2026-12-06T05:00:00Z' })).toContain('sub-second');
    expect(scoreShapeProblem({ ...env.ags.scores[0]!.score, scoreGiven: 101 })).toContain('above scoreMaximum');
    expect(scoreShapeProblem({ ...env.ags.scores[0]!.score, gradingProgress: 'Graded' })).toContain('vocabulary');
  });

  it('uses one token for 100 scores', async () => {
    const env = await platform();
    const course = await agsCourse(pw, env, { students: 100, lineitem: true });
    await enqueueAll(pw, course.placementId, course.students, () => 90);
    await deliverUntil(async () => (await outboxStates(pw, course.placementId)).sent === 100);
    expect(env.ags.scores).toHaveLength(100);
    expect(env.tokens.issued).toBe(1);
  });

  it('refreshes the token once on a 401 and delivers', async () => {
    const env = await platform();
    const course = await agsCourse(pw, env, { students: 1, lineitem: true });
    env.ags.unauthorizedOnce();
    await enqueueAll(pw, course.placementId, course.students, () => 70);
    await deliverUntil(async () => (await outboxStates(pw, course.placementId)).sent === 1);
    expect(env.tokens.issued).toBe(2);
    expect(env.ags.scorePosts).toBe(2);
    expect(env.ags.scores).toHaveLength(1);
  });

  it('honours Retry-After on a 429, up to the backoff cap (30 ms here, 15 min by default)', async () => {
    const env = await platform();
    const course = await agsCourse(pw, env, { students: 1, lineitem: true });
    env.ags.failNextScores(1, 429, '2');
    await enqueueAll(pw, course.placementId, course.students, () => 70);
    await pw.ctx.outbox.drain();
    const { rows } = await pw.ctx.db.query<{ waitMs: number; lastError: string }>(
      `select extract(epoch from next_attempt_at - updated_at) * 1000 as "waitMs", last_error as "lastError" from grade_outbox where placement_id = $1`,
      [course.placementId],
    );
    // Without Retry-After the wait is a random share of the cap; a 2 s Retry-After lifts it to the cap.
    expect(Number(rows[0]!.waitMs)).toBeCloseTo(30, 0);
    expect(rows[0]!.lastError).toContain('429');
  });

  it('keeps only the newest score and never sends an older one after a newer one', async () => {
    const env = await platform();
    const course = await agsCourse(pw, env, { students: 1, lineitem: true });
    const [student] = course.students;
    const score = (scoreGiven: number) => ({
      placementId: course.placementId,
      userId: student!.id,
      scoreGiven,
      scoreMaximum: 100,
      activityProgress: 'Completed' as const,
      gradingProgress: 'FullyGraded' as const,
    });
    // Three scores before any delivery: only the last goes out.
    for (const s of [10, 20, 30]) await enqueueScore(pw.ctx.db, score(s));
    await pw.ctx.outbox.drain();
    expect(env.ags.scoresFor(course.lineItemId!, student!.sub).map((s) => s.scoreGiven)).toEqual([30]);
    // A newer score queued while the older one is being sent: the row is not marked sent for the old one.
    await enqueueScore(pw.ctx.db, score(40));
    const [claimed] = await claimDueScores(pw.ctx.db, 10, 60_000);
    await enqueueScore(pw.ctx.db, score(50));
    expect(await completeClaim(pw.ctx.db, claimed!, { kind: 'sent' })).toBe(true);
    expect(await outboxStates(pw, course.placementId)).toEqual({ waiting: 1 });
    await pw.ctx.outbox.drain();
    const got = env.ags.scoresFor(course.lineItemId!, student!.sub);
    expect(got.map((s) => s.scoreGiven)).toEqual([30, 50]);
    expect(Date.parse(got[1]!.timestamp)).toBeGreaterThan(Date.parse(got[0]!.timestamp));
    expect(env.ags.outOfOrder).toBe(0);
    expect(await outboxStates(pw, course.placementId)).toEqual({ sent: 1 });
  });

  it('marks a score failed with the reason once it has waited retryForHours, and a teacher retry sends it', async () => {
    const env = await platform();
    const course = await agsCourse(pw, env, { students: 1, lineitem: true });
    env.ags.failNextScores(4, 503);
    await enqueueAll(pw, course.placementId, course.students, () => 80);
    await pw.ctx.outbox.drain();
    expect(await outboxStates(pw, course.placementId)).toEqual({ waiting: 1 });
    // The clock moves on: the score has been waiting for 73 hours.
    await pw.ctx.db.query(`update grade_outbox set pending_since = now() - interval '73 hours', next_attempt_at = now() where placement_id = $1`, [
      course.placementId,
    ]);
    await deliverUntil(async () => (await outboxStates(pw, course.placementId)).failed === 1);
    const [failed] = await gradeStatus(pw.ctx.db, { courseId: course.courseId });
    expect(failed).toMatchObject({ state: 'failed', attempts: 2, studentName: 'Student 0', failureKind: 'lms_error', gaveUp: true });
    expect(failed!.lastError).toMatch(/Gave up after 73 hours and 2 attempts.*503/);
    expect(await retryScore(pw.ctx.db, failed!.outboxId, { courseId: course.courseId })).toBe(true);
    await deliverUntil(async () => (await outboxStates(pw, course.placementId)).sent === 1);
    const [sent] = await gradeStatus(pw.ctx.db, { placementId: course.placementId });
    expect(sent).toMatchObject({ state: 'sent', lastError: null, failureKind: null, gaveUp: false });
    expect(env.ags.scores).toHaveLength(1);
    await expect(retryScore(pw.ctx.db, failed!.outboxId, { courseId: crypto.randomUUID() })).rejects.toMatchObject({ code: 'grade_not_found' });
  });

  it('fails at once, with the reason, on a 400', async () => {
    const env = await platform();
    const course = await agsCourse(pw, env, { students: 1, lineitem: true });
    env.ags.failNextScores(1, 400);
    await enqueueAll(pw, course.placementId, course.students, () => 80);
    await pw.ctx.outbox.drain();
    const [row] = await gradeStatus(pw.ctx.db, { placementId: course.placementId });
    expect(row).toMatchObject({ state: 'failed', attempts: 1 });
    expect(row!.lastError).toContain('400');
  });

  it('finds the line item by resourceId instead of creating a duplicate', async () => {
    const env = await platform();
    const unitId = crypto.randomUUID();
    const existing = env.ags.addLineItem({ label: 'Fractions', scoreMaximum: 100, resourceId: `unit:${unitId}`, tag: 'pathwise' });
    env.ags.addLineItem({ label: 'Other', scoreMaximum: 10, resourceId: 'unit:other' });
    const course = await agsCourse(pw, env, { students: 3, unitId });
    await enqueueAll(pw, course.placementId, course.students, () => 50);
    await pw.ctx.outbox.drain();
    expect(env.ags.lineItemPosts).toBe(0);
    expect(env.ags.scores.map((s) => s.lineItemId)).toEqual([existing.id, existing.id, existing.id]);
  });

  it('creates one line item when none exists, even for many students at once, and reuses it', async () => {
    const env = await platform();
    env.ags.ignoreFilters = true; // the client must check the matches itself
    env.ags.addLineItem({ label: 'Elsewhere', scoreMaximum: 10, resourceLinkId: 'another-link' });
    const course = await agsCourse(pw, env, { students: 10, title: 'Ratios' });
    await enqueueAll(pw, course.placementId, course.students, () => 40);
    await pw.ctx.outbox.drain();
    expect(env.ags.lineItemPosts).toBe(1);
    const created = env.ags.lineItems.find((i) => i.resourceLinkId === course.resourceLinkId)!;
    expect(created).toMatchObject({ label: 'Ratios', scoreMaximum: 100, tag: 'pathwise', resourceId: `placement:${course.placementId}` });
    const gets = env.ags.lineItemGets;
    await enqueueAll(pw, course.placementId, course.students, () => 45);
    await pw.ctx.outbox.drain();
    expect(env.ags.lineItemGets).toBe(gets);
    expect(env.ags.scores.filter((s) => s.lineItemId === created.id)).toHaveLength(20);
  });

  it('keeps delivering to other LMSs while one answers slowly', async () => {
    const slow = await platform();
    const fast = await platform();
    const slowCourse = await agsCourse(pw, slow, { students: 1, lineitem: true });
    const fastCourse = await agsCourse(pw, fast, { students: 20, lineitem: true });
    slow.ags.scoreDelayMs = 1500;
    await enqueueAll(pw, slowCourse.placementId, slowCourse.students, () => 10);
    await enqueueAll(pw, fastCourse.placementId, fastCourse.students, () => 20);
    const draining = pw.ctx.outbox.drain();
    await waitFor(() => fast.ags.scores.length === 20);
    expect(slow.ags.scores).toHaveLength(0);
    await draining;
    expect(slow.ags.scores).toHaveLength(1);
  });

  it('adds the Canvas submission extension so a teacher-changed grade wins', async () => {
    const env = await platform('canvas');
    const course = await agsCourse(pw, env, { students: 1, lineitem: true });
    await enqueueAll(pw, course.placementId, course.students, () => 60);
    await pw.ctx.outbox.drain();
    await enqueueAll(pw, course.placementId, course.students, () => 65);
    await pw.ctx.outbox.drain();
    const got = env.ags.scoresFor(course.lineItemId!, course.students[0]!.sub);
    expect(got.map((s) => s[CANVAS_SUBMISSION_EXTENSION])).toEqual([
      { new_submission: true, prioritize_non_tool_grade: true },
      { new_submission: false, prioritize_non_tool_grade: true },
    ]);
  });
});
