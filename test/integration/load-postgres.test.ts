import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { createTestPathwise } from '../support/app.js';
import { agsPlatform, ALL_AGS_SCOPES } from '../support/ags-scenario.js';
import type { FakeAgs } from '../support/fake-ags.js';
import type { FakePlatform } from '../support/fake-platform.js';
import { launch } from '../support/lti-flow.js';
import { answerFields, attemptIdFrom, attemptItems, launchAs, placeSampleUnit } from './student-support.js';

/** Runs `n` jobs with at most `concurrency` at once. */
async function pool<T>(n: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await job(i);
      }
    }),
  );
  return out;
}

const p95 = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.ceil(ms.length * 0.95) - 1] ?? 0;

/**
 * The first day of school on a PostgreSQL server (CI's PostgreSQL pass): 300 students of one
 * course launch and pass a mastery check, 50 at a time, while the outbox delivers their scores to
 * the fake LMS. Prints requests, errors and the p95 per student.
 */
describe.runIf(process.env.DATABASE_URL)('load on a PostgreSQL server', () => {
  const STUDENTS = 300;
  const CONCURRENCY = 50;
  let pw: Pathwise;
  let fake: FakePlatform;
  let ags: FakeAgs;
  let lineItemId: string;
  const claimsFor = (sub: string) => ({
    sub,
    name: `Student ${sub}`,
    [CLAIM.agsEndpoint]: { scope: ALL_AGS_SCOPES, lineitems: ags.lineitemsUrl, lineitem: lineItemId },
  });

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: true, pollIntervalMs: 200, concurrency: 8 } });
    ({ fake, ags } = await agsPlatform(pw));
    lineItemId = ags.addLineItem({ label: 'Unit 1', scoreMaximum: 100, resourceLinkId: 'link-1' }).id;
    await launchAs(pw, fake, { role: 'teacher', claims: { ...claimsFor('load-teacher'), name: 'Tess Teacher' } });
    await placeSampleUnit(pw);
  }, 120_000);

  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it(`${STUDENTS} students launch and pass a check, ${CONCURRENCY} at a time: 0 errors, every attempt stored once, every score delivered once in order`, async () => {
    const errors: string[] = [];
    let requests = 0;
    const started = Date.now();
    const times = await pool(STUDENTS, CONCURRENCY, async (i) => {
      const t0 = Date.now();
      try {
        const student = await launchAs(pw, fake, { role: 'student', claims: claimsFor(`load-student-${i}`) });
        requests += 3;
        const page = await student.get('/student/competencies/simplify');
        const start = await student.post('/student/competencies/simplify/check');
        requests += 2;
        if (page.status !== 200 || start.status !== 303) throw new Error(`competency ${page.status}, check ${start.status}`);
        const attemptId = attemptIdFrom(start);
        const items = await attemptItems(pw, attemptId);
        const submitted = await student.post(`/student/attempts/${attemptId}`, answerFields(items, true));
        const result = await student.get(`/student/attempts/${attemptId}/result`);
        requests += 2;
        if (submitted.status !== 303 || result.status !== 200) throw new Error(`submit ${submitted.status}, result ${result.status}`);
      } catch (err) {
        errors.push(`student ${i}: ${(err as Error).message}`);
      }
      return Date.now() - t0;
    });
    const wall = (Date.now() - started) / 1000;

    // Every changed unit score reaches the fake LMS (the worker polls every 200 ms). However slow
    // a loaded machine makes it, the wait ends when the outbox is empty or stops moving (no score
    // sent for 60 s), not at a fixed deadline.
    let waiting = Infinity;
    let movedAt = Date.now();
    while (Date.now() - movedAt < 60_000) {
      const { rows } = await pw.ctx.db.query<{ n: number }>(`select count(*)::int as n from grade_outbox where status <> 'sent'`);
      const now = Number(rows[0]!.n);
      if (now < waiting) movedAt = Date.now();
      waiting = now;
      if (waiting === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const attempts = await pw.ctx.db.query<{ n: number; students: number }>(
      `select count(*)::int as n, count(distinct user_id)::int as students from attempts where status = 'submitted'`,
    );
    const responses = await pw.ctx.db.query<{ missing: number }>(
      `select count(*)::int as missing from attempts a where a.status = 'submitted'
         and (select count(*) from responses r where r.attempt_id = a.id) <> jsonb_array_length(a.items)`,
    );
    const delivered = new Map<string, number>();
    for (const s of ags.scores) delivered.set(s.score.userId, (delivered.get(s.score.userId) ?? 0) + 1);
    const students = [...delivered.keys()].filter((k) => k !== 'load-teacher');
    // eslint-disable-next-line no-console -- the measured figures belong in the test output
    console.log(
      `load (PostgreSQL server): ${STUDENTS} students at concurrency ${CONCURRENCY}, ${requests} requests in ${wall.toFixed(1)} s, ` +
        `${errors.length} errors, p95 per student ${(p95(times) / 1000).toFixed(1)} s; attempts stored ${attempts.rows[0]!.n}/${STUDENTS}; ` +
        `scores delivered ${ags.scores.length} for ${students.length} students (expected ${STUDENTS}), posts ${ags.scorePosts}, out of order ${ags.outOfOrder}, still waiting ${waiting}`,
    );
    expect(errors).toEqual([]);
    expect(attempts.rows[0]).toEqual({ n: STUDENTS, students: STUDENTS });
    expect(responses.rows[0]!.missing).toBe(0);
    expect(waiting).toBe(0);
    expect(students).toHaveLength(STUDENTS);
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);
    expect(ags.outOfOrder).toBe(0);
    // A guard against a hang, not a speed check: at a load of 25 on two cores this takes minutes.
  }, 1_200_000);

  it('20 concurrent launches of the same student: no error, one user row, one enrolment', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => launch(pw, fake, { role: 'student', claims: claimsFor('load-double-click'), follow: false })),
    );
    expect(results.map((r) => r.response?.status)).toEqual(Array.from({ length: 20 }, () => 303));
    const users = await pw.ctx.db.query<{ id: string }>(`select id from users where sub = 'load-double-click'`);
    expect(users.rows).toHaveLength(1);
    const enrolments = await pw.ctx.db.query(`select 1 from enrollments where user_id = $1`, [users.rows[0]!.id]);
    expect(enrolments.rows).toHaveLength(1);
  }, 120_000);
});
