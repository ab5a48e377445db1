import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Pathwise } from '../../src/main.js';
import { testConfig } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { FakePlatform } from '../support/fake-platform.js';
import { launch, registerFakePlatform } from '../support/lti-flow.js';
import { createUnit } from '../support/deep-linking-flow.js';
import { CLAIM } from '../../src/lti/claims.js';

describe('SQL statements of one launch round trip (login → launch → landing page)', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  const statements: string[] = [];
  let recording = false;
  beforeAll(async () => {
    const db = await createTestDatabase();
    const query = db.query.bind(db);
    const transaction = db.transaction.bind(db);
    const record = (sql: string) => {
      if (recording) statements.push(sql.replace(/\s+/g, ' ').trim());
    };
    pw = await compose(testConfig({ grades: { worker: false } }), {
      db: {
        ...db,
        query: (sql: string, params?: unknown[]) => (record(sql), query(sql, params)),
        transaction: (fn) =>
          transaction((tx) => fn({ exec: (sql) => (record(sql), tx.exec(sql)), query: (sql, params) => (record(sql), tx.query(sql, params)) })),
      } as typeof db,
    });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  const listed = () => statements.map((sql, i) => `${i + 1}. ${sql.slice(0, 120)}`).join('\n');
  let fresh = 0;
  /** Claims of a person never seen before, in a course and on a link never seen before. */
  const newcomer = (role: 'student' | 'teacher') => {
    fresh += 1;
    return (claims: Record<string, unknown>) => ({
      sub: `new-${role}-${fresh}`,
      [CLAIM.context]: { ...(claims[CLAIM.context] as object), id: `new-course-${fresh}` },
      [CLAIM.resourceLink]: { id: `new-link-${fresh}`, title: 'Unit 1' },
    });
  };

  // docs/performance.md lists them. The goal is at most 6 per round trip for every kind of launch.
  // The teacher's links here are unplaced, so the landing page is the unit picker (its two unit lists
  // are one statement).
  it('the first launch after a registration changed (platforms read again) costs at most 6 statements', async () => {
    const platform = (await pw.ctx.db.query<{ id: string }>(`select id from platforms limit 1`)).rows[0]!;
    await pw.ctx.platforms.setDisabled(platform.id, false); // drops the cached copy
    statements.length = 0;
    recording = true;
    const r = await launch(pw, fake, { role: 'student', claims: newcomer('student') });
    recording = false;
    expect(r.landing!.status).toBe(200);
    expect(statements.filter((sql) => /\bfrom platforms\b/.test(sql)).length).toBe(1);
    expect(statements.length, listed()).toBeLessThanOrEqual(6);
  });

  it.each(['student', 'teacher'] as const)('a new %s (new person, course and link) costs at most 6 statements', async (role) => {
    statements.length = 0;
    recording = true;
    const r = await launch(pw, fake, { role, claims: newcomer(role) });
    recording = false;
    expect(r.landing!.status).toBe(200);
    expect(statements.filter((sql) => /\bfrom platforms\b/.test(sql))).toEqual([]);
    expect(statements.length, listed()).toBeLessThanOrEqual(6);
  });

  it.each(['student', 'teacher'] as const)('a returning %s costs at most 6 statements, none of them reading platforms', async (role) => {
    // First launches create course, user and placement; warm the caches (platform origins, JWKS).
    await launch(pw, fake, { role });
    statements.length = 0;
    recording = true;
    const r = await launch(pw, fake, { role });
    recording = false;
    expect(r.landing!.status).toBe(200);
    expect(statements.filter((sql) => /\bfrom platforms\b/.test(sql))).toEqual([]);
    expect(statements.length, listed()).toBeLessThanOrEqual(6);
  });

  it('a returning teacher on a placed link costs at most 5 statements (the unit comes with the page titles)', async () => {
    const { rows } = await pw.ctx.db.query<{ id: string; courseId: string }>(
      `select id, course_id as "courseId" from placements where resource_link_id = 'link-1'`,
    );
    const teacher = (await pw.ctx.db.query<{ id: string }>(`select id from users where sub = 'user-teacher'`)).rows[0]!;
    const unit = await createUnit(pw, 'Fractions', rows[0]!.courseId, teacher.id);
    await pw.ctx.placements.place(rows[0]!.id, unit);
    statements.length = 0;
    recording = true;
    const r = await launch(pw, fake, { role: 'teacher' });
    recording = false;
    expect(r.landing!.status).toBe(200);
    expect(r.landing!.text).toContain(`/teacher/units/${unit}?`);
    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(5);
  });
});
