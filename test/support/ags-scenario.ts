import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import type { Pathwise } from '../../src/main.js';
import { SCOPE } from '../../src/lti/claims.js';
import { rememberAgsEndpoint } from '../../src/store/ags-endpoints.js';
import { enqueueScore, type ScoreToSend } from '../../src/store/grade-outbox.js';
import type { PlatformRecord } from '../../src/store/platform-repository.js';
import { FakePlatform } from './fake-platform.js';
import { addTokenEndpoint, type FakeTokenEndpoint } from './fake-services.js';
import { addAgs, type FakeAgs, type FakeLineItem } from './fake-ags.js';

export const ALL_AGS_SCOPES = [SCOPE.agsLineItem, SCOPE.agsLineItemReadOnly, SCOPE.agsScore, SCOPE.agsResultReadOnly];

/** A fake LMS with a token endpoint and AGS, registered in Pathwise. Stop `fake` in afterAll. */
export async function agsPlatform(pw: Pathwise, options: { productFamily?: string; toolJwks?: () => Promise<JSONWebKeySet> } = {}) {
  const fake = new FakePlatform();
  const tokens: FakeTokenEndpoint = addTokenEndpoint(fake, { toolJwks: options.toolJwks ?? (() => pw.ctx.keys.publicJwks()) });
  const ags: FakeAgs = addAgs(fake, { tokens });
  await fake.start();
  const platform: PlatformRecord = await pw.ctx.platforms.create({
    ...fake.registration(),
    name: 'Fake LMS',
    productFamily: options.productFamily ?? 'fake',
    authTokenAudience: null,
  });
  return { fake, tokens, ags, platform };
}

/**
 * A course with `students` students and one placement. `lineitem: true` gives the launch a
 * line item (created in the fake first); otherwise Pathwise must find or create one.
 */
export async function agsCourse(
  pw: Pathwise,
  env: {
    fake: Pick<FakePlatform, 'deploymentId'>;
    ags: Pick<FakeAgs, 'lineitemsUrl'> & { addLineItem(item: Omit<FakeLineItem, 'id'>): { id: string } };
    platform: PlatformRecord;
  },
  options: { students?: number; lineitem?: boolean; unitId?: string; scopes?: string[]; title?: string } = {},
) {
  const db = pw.ctx.db;
  const deployment = (await pw.ctx.platforms.findDeployment(env.platform.id, env.fake.deploymentId))!;
  const courseId = randomUUID();
  await db.query('insert into courses (id, deployment_id, context_id, title) values ($1, $2, $3, $4)', [courseId, deployment.id, `ctx-${courseId}`, 'Algebra']);
  const resourceLinkId = `link-${randomUUID()}`;
  const lineItem = options.lineitem ? env.ags.addLineItem({ label: 'Unit', scoreMaximum: 100, resourceLinkId }) : undefined;
  const placementId = randomUUID();
  await db.query('insert into placements (id, course_id, resource_link_id, title, unit_id) values ($1, $2, $3, $4, $5)', [
    placementId,
    courseId,
    resourceLinkId,
    options.title ?? 'Fractions',
    options.unitId ?? null,
  ]);
  await rememberAgsEndpoint(db, placementId, { scope: options.scopes ?? ALL_AGS_SCOPES, lineitems: env.ags.lineitemsUrl, lineitem: lineItem?.id });
  const students = Array.from({ length: options.students ?? 1 }, (_, i) => {
    const id = randomUUID();
    return { id, sub: `student-${i}-${id.slice(0, 6)}`, name: `Student ${i}` };
  });
  await db.query(
    `insert into users (id, platform_id, sub, name) select id, $2, sub, name from unnest($1::uuid[], $3::text[], $4::text[]) as s(id, sub, name)`,
    [students.map((s) => s.id), env.platform.id, students.map((s) => s.sub), students.map((s) => s.name)],
  );
  await db.query(`insert into enrollments (course_id, user_id, roles) select $1, id, '{Learner}' from unnest($2::uuid[]) as s(id)`, [
    courseId,
    students.map((s) => s.id),
  ]);
  return { courseId, placementId, resourceLinkId, lineItemId: lineItem?.id, students };
}

/** Queues one score per student in one transaction (as the learning engine will). */
export async function enqueueAll(pw: Pathwise, placementId: string, students: Array<{ id: string }>, score: (i: number) => number) {
  await pw.ctx.db.transaction(async (tx) => {
    for (const [i, s] of students.entries()) {
      const row: ScoreToSend = {
        placementId,
        userId: s.id,
        scoreGiven: score(i),
        scoreMaximum: 100,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      };
      await enqueueScore(tx, row);
    }
  });
}

/** Outbox rows of a placement by state. */
export async function outboxStates(pw: Pathwise, placementId: string): Promise<Record<string, number>> {
  const { rows } = await pw.ctx.db.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from grade_outbox where placement_id = $1 group by status',
    [placementId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Polls `check` every 20 ms until it holds or `timeoutMs` passes (then throws). */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
