/**
 * A course of a given size for the growth benchmark, on the embedded database in this process:
 * the sample unit "Linear equations" (5 competencies) placed on the teacher's link, `students`
 * learners each with the same history (two submitted checks per competency, copied in SQL from a
 * learner who really took them), and the teacher's session to open the dashboard and the Class page.
 * Submissions are measured through the learning service, the dashboard and the Class page through
 * HTTP (supertest), CPU time of this process (which runs the database too).
 */
import { randomUUID } from 'node:crypto';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import type { Item } from '../../src/learning/items/item-schema.js';
import { seededRng } from '../../src/learning/random.js';
import type { Pathwise } from '../../src/main.js';
import { createLearningService } from '../../src/store/learning-service.js';
import { readAnswers } from '../../src/web/routes/student/check.js';
import { answerFields, launchAs, placeSampleUnit, type StudentClient } from '../../test/integration/student-support.js';
import { loadConfig } from '../../src/config/load.js';
import { compose } from '../../src/main.js';
import { migrate } from '../../src/store/migrate.js';
import { openPgliteDatabase } from '../../src/store/pglite-database.js';
import { FakePlatform } from '../../test/support/fake-platform.js';
import { registerFakePlatform } from '../../test/support/lti-flow.js';

/** CPU, wall and garbage-collection milliseconds of some work in this process. */
export interface Cost {
  cpuMs: number;
  wallMs: number;
  gcMs: number;
}

let gcMs = 0;
let observer: PerformanceObserver | undefined;

/** Measures `fn` (CPU of this process, wall time, and the GC pauses that fell inside it). */
export async function cost(fn: () => unknown): Promise<Cost> {
  if (!observer) {
    observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcMs += e.duration;
    });
    observer.observe({ entryTypes: ['gc'] });
  }
  // GC entries are delivered asynchronously: let the ones of earlier work arrive first.
  await new Promise((r) => setTimeout(r, 20));
  const gc0 = gcMs;
  const t = performance.now();
  const c = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(c);
  const wallMs = performance.now() - t;
  await new Promise((r) => setTimeout(r, 20));
  return { cpuMs: (used.user + used.system) / 1000, wallMs, gcMs: gcMs - gc0 };
}

/** The median of some costs by CPU time. */
export function medianCost(costs: Cost[]): Cost {
  return [...costs].sort((a, b) => a.cpuMs - b.cpuMs)[Math.floor(costs.length / 2)]!;
}

const HOUR = 3_600_000;

export interface ScaledCourse {
  pw: Pathwise;
  unitId: string;
  courseId: string;
  competencies: string[];
  teacher: StudentClient;
  /** Learners in the course now. */
  students: number;
  /** Adds learners (with the template's history) until the class has `n`. */
  growTo(n: number): Promise<void>;
  /** `count` new learners (they join the class), each with `history` earlier checks on the first competency, submit one more check each. */
  submissions(count: number, history: number): Promise<Cost[]>;
  close(): Promise<void>;
}

/** Opens an embedded Pathwise with the sample unit placed and an empty class. */
export async function scaledCourse(options: { maxHistory: number }): Promise<ScaledCourse> {
  const db = await openPgliteDatabase();
  await migrate(db);
  const config = loadConfig({
    env: { NODE_ENV: 'test' },
    overrides: { publicUrl: 'http://127.0.0.1:3999', dataDir: './data-bench', logLevel: 'silent', grades: { worker: false } },
  });
  const pw = await compose(config, { db });
  const fake = await new FakePlatform().start();
  try {
    return await setUp(pw, fake, options);
  } catch (err) {
    await fake.stop();
    await pw.close();
    throw err;
  }
}

async function setUp(pw: Pathwise, fake: FakePlatform, options: { maxHistory: number }): Promise<ScaledCourse> {
  fake.received.push = () => 0;
  await registerFakePlatform(pw, fake);
  const teacher = await launchAs(pw, fake, { role: 'teacher' });
  const unitId = await placeSampleUnit(pw);
  const { rows } = await pw.ctx.db.query<{ course_id: string; platform_id: string }>(
    `select p.course_id, d.platform_id from placements p join courses c on c.id = p.course_id
     join deployments d on d.id = c.deployment_id where p.resource_link_id = 'link-1'`,
  );
  const { course_id: courseId, platform_id: platformId } = rows[0]!;
  const unit = await pw.ctx.learning.exportUnit(unitId);
  const competencies = (JSON.parse(unit) as { competencies: Array<{ id: string }> }).competencies.map((c) => c.id);

  const newLearners = async (n: number, tag: string): Promise<string[]> => {
    const ids = Array.from({ length: n }, () => randomUUID());
    await pw.ctx.db.query(
      `insert into users (id, platform_id, sub, name, given_name, family_name)
       select id, $2, $3 || n, 'Learner ' || n, 'Learner', n::text from unnest($1::uuid[]) with ordinality as t(id, n)`,
      [ids, platformId, `${tag}-`],
    );
    await pw.ctx.db.query(
      `insert into enrollments (course_id, user_id, roles, status, last_launch_at)
       select $1, id, array['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], 'Active', now() from unnest($2::uuid[]) as t(id)`,
      [courseId, ids],
    );
    return ids;
  };

  // Learners who really take checks (in the past, an hour apart): the templates copied below.
  let clock = Date.now() - (options.maxHistory + 20) * HOUR;
  const svc = createLearningService(pw.ctx.db, { rng: seededRng(7), clock: () => new Date(clock) });
  const take = async (userId: string, competencyId: string, right: boolean) => {
    clock += HOUR;
    const view = await svc.startAttempt({ userId, unitId, competencyId, courseId });
    const { rows: items } = await pw.ctx.db.query<{ items: Item[] }>('select items from attempts where id = $1', [view.attemptId]);
    await svc.submitAttempt({ attemptId: view.attemptId, userId, answers: readAnswers(items[0]!.items, answerFields(items[0]!.items, right)) });
  };
  const [classTemplate] = await newLearners(1, 'class-template');
  const level = async (userId: string, competencyId: string) =>
    (
      await pw.ctx.db.query<{ level: string }>(`select level from mastery_current where user_id = $1 and unit_id = $2 and competency_id = $3`, [
        userId,
        unitId,
        competencyId,
      ])
    ).rows[0]?.level;
  // One wrong check, then right ones until mastered: the next competencies need it as a prerequisite.
  for (const c of competencies) {
    await take(classTemplate!, c, false);
    for (let i = 0; i < 6 && (await level(classTemplate!, c)) !== 'mastered'; i++) await take(classTemplate!, c, true);
  }
  const [historyTemplate] = await newLearners(1, 'history-template');
  for (let i = 0; i < options.maxHistory; i++) await take(historyTemplate!, competencies[0]!, i % 3 !== 0);

  const columns = async (table: string) =>
    (
      await pw.ctx.db.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1 order by ordinal_position`,
        [table],
      )
    ).rows.map((r) => r.column_name);
  const cols = {
    attempts: await columns('attempts'),
    responses: await columns('responses'),
    current: await columns('mastery_current'),
    history: await columns('mastery_history'),
  };
  const list = (cs: string[], replace: Record<string, string>, alias: string) => cs.map((c) => replace[c] ?? `${alias}.${c}`).join(', ');

  /** Copies a template's first `limit` attempts (with responses) and mastery to `ids`, in SQL. */
  const copyHistory = async (template: string, ids: string[], limit: number) => {
    await pw.ctx.db.transaction(async (tx) => {
      await tx.query(`create temp table if not exists copy_map (old_id uuid, new_id uuid, user_id uuid) on commit drop`);
      await tx.query(
        `insert into copy_map select a.id, gen_random_uuid(), u.id
         from (select id from attempts where user_id = $1 and status = 'submitted' order by submitted_at limit $3) a
         cross join unnest($2::uuid[]) as u(id)`,
        [template, ids, limit],
      );
      await tx.query(
        `insert into attempts (${cols.attempts.join(', ')}) select ${list(cols.attempts, { id: 'm.new_id', user_id: 'm.user_id' }, 'a')}
         from copy_map m join attempts a on a.id = m.old_id`,
      );
      await tx.query(
        `insert into responses (${cols.responses.join(', ')}) select ${list(cols.responses, { attempt_id: 'm.new_id' }, 'r')}
         from copy_map m join responses r on r.attempt_id = m.old_id`,
      );
      await tx.query(
        `insert into mastery_current (${cols.current.join(', ')}) select ${list(cols.current, { user_id: 'u.id' }, 'c')}
         from mastery_current c cross join unnest($2::uuid[]) as u(id) where c.user_id = $1`,
        [template, ids],
      );
      await tx.query(
        `insert into mastery_history (${cols.history.join(', ')})
         select ${list(cols.history, { id: 'gen_random_uuid()', user_id: 'm.user_id', attempt_id: 'm.new_id' }, 'h')}
         from mastery_history h join copy_map m on m.old_id = h.attempt_id where h.user_id = $1`,
        [template],
      );
    });
  };

  const course: ScaledCourse = {
    pw,
    unitId,
    courseId,
    competencies,
    teacher,
    students: 0,
    async growTo(n) {
      while (course.students < n) {
        const batch = Math.min(500, n - course.students);
        await copyHistory(classTemplate!, await newLearners(batch, `class-${course.students}`), 1000);
        course.students += batch;
      }
    },
    async submissions(count, history) {
      const ids = await newLearners(count, `submit-${randomUUID().slice(0, 8)}`);
      course.students += count;
      if (history > 0) await copyHistory(historyTemplate!, ids, history);
      const costs: Cost[] = [];
      for (const userId of ids) {
        // The real clock: the copied history is hours old, past any cool-down.
        const view = await pw.ctx.learning.startAttempt({ userId, unitId, competencyId: competencies[0]!, courseId });
        const { rows: items } = await pw.ctx.db.query<{ items: Item[] }>('select items from attempts where id = $1', [view.attemptId]);
        const answers = readAnswers(items[0]!.items, answerFields(items[0]!.items, true));
        costs.push(await cost(() => pw.ctx.learning.submitAttempt({ attemptId: view.attemptId, userId, answers })));
      }
      return costs;
    },
    async close() {
      await fake.stop();
      await pw.close();
    },
  };
  return course;
}
