import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { createTestPathwise } from '../support/app.js';
import { agsPlatform, ALL_AGS_SCOPES, waitFor } from '../support/ags-scenario.js';
import { launch } from '../support/lti-flow.js';
import { answerFields, attemptIdFrom, attemptItems, launchAs, type StudentClient } from './student-support.js';

// A teacher edits a unit students have grades from: the gradebook follows the edited unit.
describe('unit edits and the gradebook', () => {
  let pw: Pathwise;
  let env: Awaited<ReturnType<typeof agsPlatform>>;
  let teacher: StudentClient;
  let unitId = '';
  const person = (sub: string) => ({
    sub,
    name: sub,
    [CLAIM.context]: { id: 'course-edit', title: 'Algebra' },
    [CLAIM.resourceLink]: { id: 'link-edit', title: 'Unit A' },
    [CLAIM.custom]: unitId ? { pathwise_unit_id: unitId } : undefined,
    [CLAIM.agsEndpoint]: { scope: ALL_AGS_SCOPES, lineitems: env.ags.lineitemsUrl },
  });
  const sent = () => env.ags.scores.map((s) => `${s.score.scoreGiven} ${s.score.comment}`);

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { pollIntervalMs: 20, baseDelayMs: 5, maxDelayMs: 20 } });
    env = await agsPlatform(pw);
    const first = await launchAs(pw, env.fake, { role: 'teacher', claims: person('teacher-1') });
    await first.get('/teacher/units');
    const copied = await first.post('/teacher/units/samples', { key: 'linear-equations' });
    unitId = /\/teacher\/units\/([0-9a-f-]{36})/.exec(copied.headers.location ?? '')![1]!;
    teacher = await launchAs(pw, env.fake, { role: 'teacher', claims: person('teacher-1') });
    const student = await launchAs(pw, env.fake, { role: 'student', claims: person('student-1') });
    // A second student who never finished a check: the gradebook has nothing from them.
    await launchAs(pw, env.fake, { role: 'student', claims: person('student-2') });
    await student.get('/student/competencies/one-step');
    const attemptId = attemptIdFrom(await student.post('/student/competencies/one-step/check'));
    await student.post(`/student/attempts/${attemptId}`, answerFields(await attemptItems(pw, attemptId), true));
    await waitFor(() => env.ags.scores.length === 1);
  });
  afterAll(async () => {
    await env?.fake.stop();
    await pw?.close();
  });

  it('an edit that leaves the scores as they are sends nothing', async () => {
    expect(sent()).toEqual(['20 1 of 5 competencies mastered']);
    await teacher.get(`/teacher/units/${unitId}`);
    const saved = await teacher.post(`/teacher/units/${unitId}/settings`, {
      title: 'Linear equations (edited)',
      description: 'Edited.',
      method: 'decaying_average',
      masteryThreshold: '80',
      approachingThreshold: '60',
      weight: '0.65',
    });
    expect(saved.status).toBe(303);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent()).toEqual(['20 1 of 5 competencies mastered']);
  });

  it('removing a competency re-sends the score of each student the gradebook has one from', async () => {
    await teacher.get(`/teacher/units/${unitId}`);
    expect((await teacher.post(`/teacher/units/${unitId}/competencies/word-problems/delete`)).status).toBe(303);
    await waitFor(() => env.ags.scores.length === 2);
    expect(sent()[1]).toBe('25 1 of 4 competencies mastered');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Only student-1: the student with no score yet gets no 0 from an edit.
    expect(env.ags.scores.map((s) => s.score.userId)).toEqual(['student-1', 'student-1']);
  });

  it('adding a competency re-sends it too', async () => {
    await teacher.get(`/teacher/units/${unitId}`);
    expect((await teacher.post(`/teacher/units/${unitId}/competencies`, { id: 'graphing', title: 'Graph a line' })).status).toBe(303);
    await waitFor(() => env.ags.scores.length === 3);
    expect(sent()[2]).toBe('20 1 of 5 competencies mastered');
  });

  it('a new mastery method recalculates the levels it changes, and their scores reach the gradebook', async () => {
    const student = await launchAs(pw, env.fake, { role: 'student', claims: person('student-3') });
    await student.get('/student/competencies/one-step');
    const failed = attemptIdFrom(await student.post('/student/competencies/one-step/check'));
    await student.post(`/student/attempts/${failed}`, answerFields(await attemptItems(pw, failed), false));
    await pw.ctx.db.query(`update attempts set submitted_at = submitted_at - interval '11 minutes' where id = $1`, [failed]);
    const passed = attemptIdFrom(await student.post('/student/competencies/one-step/check'));
    await student.post(`/student/attempts/${passed}`, answerFields(await attemptItems(pw, passed), true));
    // Decaying average after 0 then 1: 0.65, approaching (2/3 of one of five competencies).
    const mine = () => env.ags.scores.filter((s) => s.score.userId === 'student-3').map((s) => `${s.score.scoreGiven} ${s.score.comment}`);
    await waitFor(() => mine().at(-1) === '13.33 0 of 5 competencies mastered');

    await teacher.get(`/teacher/units/${unitId}`);
    const saved = await teacher.post(`/teacher/units/${unitId}/settings`, {
      title: 'Linear equations (edited)',
      description: 'Edited.',
      method: 'highest',
      masteryThreshold: '80',
      approachingThreshold: '60',
    });
    expect(saved.status).toBe(303);
    await waitFor(() => mine().at(-1) === '20 1 of 5 competencies mastered');
    const { rows } = await pw.ctx.db.query<{ level: string; cause: string }>(
      `select h.level, h.cause from mastery_history h join users u on u.id = h.user_id
       where u.sub = 'student-3' and h.competency_id = 'one-step' order by h.created_at desc limit 1`,
    );
    expect(rows[0]).toEqual({ level: 'mastered', cause: 'recompute' });
    // student-1 was already mastered: the same level, no new score.
    expect(env.ags.scores.filter((s) => s.score.userId === 'student-1')).toHaveLength(3);
  });

  it('a check left open on a competency the teacher then removes: the relaunch lands on the map, the check says why it is gone', async () => {
    const student = await launchAs(pw, env.fake, { role: 'student', claims: person('student-4') });
    await student.get('/student/competencies/simplify');
    const open = attemptIdFrom(await student.post('/student/competencies/simplify/check'));
    const before = await launch(pw, env.fake, { role: 'student', claims: person('student-4') });
    expect(before.landing!.headers.location).toContain(`/student/attempts/${open}?`);

    await teacher.get(`/teacher/units/${unitId}`);
    expect((await teacher.post(`/teacher/units/${unitId}/competencies/simplify/delete`)).status).toBe(303);
    const after = await launch(pw, env.fake, { role: 'student', claims: person('student-4') });
    expect(after.landing!.headers.location).toMatch(/^\/student\/map\?/);
    const page = await student.get(`/student/attempts/${open}`);
    expect(page.status).toBe(404);
    expect(page.text).toContain('Your teacher has removed this competency from the unit, so this check can no longer be submitted.');
  });
});
