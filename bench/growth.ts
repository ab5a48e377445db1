/**
 * `npm run bench -- growth`: how the cost of the heavier jobs grows with their size, at 10×
 * smaller, as today and 10× larger, with the growth factor of each 10× step (about 10 is linear).
 * CPU milliseconds of this process are the main figure (robust on a shared machine); wall time
 * is printed beside them. Runs on the embedded database.
 *   - roster sync: an NRPS roster of 500 / 5,000 / 50,000 members (bench/roster.ts)
 *   - outbox delivery: 100 / 1,000 / 10,000 scores to the fake AGS (bench/outbox.ts)
 *   - BKT, PFA and decaying-average class recompute (every cell of a class's mastery, in memory):
 *     a class of 30 / 300 / 3,000 × 50 competencies
 *   - attempt submission: a student submits a mastery check in a class of 30 / 300 / 3,000 with
 *     2 / 20 / 200 earlier checks of their own on the competency (bench/support/class-scale.ts)
 *   - the teacher dashboard and the Class page of that class (× the unit's 5 competencies)
 * Besides CPU and wall time, the garbage collector's pauses inside the measured work (GC ms):
 * work that keeps a whole class's objects alive pays more GC per object as the class grows.
 * Fitting, roster, submission and page figures are the median of BENCH_GROWTH_REPEAT runs (3).
 * BENCH_GROWTH=fitting,outbox,roster,class picks some; BENCH_GROWTH_SCORES and BENCH_GROWTH_MEMBERS set
 * "as today" for the outbox (1,000) and the roster (5,000).
 */
import { loadavg } from 'node:os';
import { recomputeClass } from '../src/learning/mastery/class-mastery.js';
import { masteryMethodSchema } from '../src/learning/mastery/method-config.js';
import { syntheticClass } from './learning.js';
import { runOutboxBench } from './outbox.js';
import { measureRoster } from './roster.js';
import { cost, medianCost, scaledCourse, type Cost } from './support/class-scale.js';
import { envInt } from './support/stats.js';

interface Point {
  size: number;
  /** A second size shown beside the first (the submitter's history). */
  also?: string;
  cpuMs: number;
  wallMs: number;
  gcMs?: number;
}

const repeat = () => envInt('BENCH_GROWTH_REPEAT', 3);

interface Row {
  work: string;
  unit: string;
  points: Point[];
}

async function fitting(method: 'decaying_average' | 'bkt' | 'pfa', base: number): Promise<Row> {
  const competencies = Array.from({ length: 50 }, (_, i) => `c${i}`);
  const parsed = masteryMethodSchema.parse({ method });
  const points: Point[] = [];
  for (const size of [Math.round(base / 10), base, base * 10]) {
    const learners = syntheticClass(size, competencies);
    recomputeClass(parsed, competencies, learners); // warm-up
    const runs: Cost[] = [];
    for (let r = 0; r < repeat(); r++) runs.push(await cost(() => recomputeClass(parsed, competencies, learners)));
    points.push({ size, ...medianCost(runs) });
  }
  return { work: `${method} class recompute (× 50 competencies)`, unit: 'students', points };
}

/** Submission, dashboard and Class page against one growing class of the sample unit. */
async function classRows(): Promise<Row[]> {
  const sizes = [30, 300, 3000];
  const histories = [2, 20, 200];
  const course = await scaledCourse({ maxHistory: histories[2]! });
  const submit: Point[] = [];
  const dashboard: Point[] = [];
  const classPage: Point[] = [];
  try {
    const page = async (path: string): Promise<Cost> => {
      const runs: Cost[] = [];
      for (let r = 0; r < repeat(); r++) {
        runs.push(
          await cost(async () => {
            const res = await course.teacher.get(path);
            if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
          }),
        );
      }
      return medianCost(runs);
    };
    for (const [n, size] of sizes.entries()) {
      await course.growTo(size);
      await page(`/teacher/dashboard?unit=${course.unitId}`); // warm-up of this size's queries
      dashboard.push({ size, ...(await page(`/teacher/dashboard?unit=${course.unitId}`)) });
      classPage.push({ size, ...(await page('/teacher/class')) });
      const runs = await course.submissions(envInt('BENCH_GROWTH_SUBMITS', 10), histories[n]!);
      submit.push({ size, also: `${histories[n]} earlier`, ...medianCost(runs) });
    }
  } finally {
    await course.close();
  }
  return [
    { work: 'attempt submission (class, own history)', unit: 'students', points: submit },
    { work: 'teacher dashboard (class × 5 competencies)', unit: 'students', points: dashboard },
    { work: 'Class page, first page (class)', unit: 'students', points: classPage },
  ];
}

async function outbox(base: number): Promise<Row> {
  const points: Point[] = [];
  for (const size of [Math.round(base / 10), base, base * 10]) {
    const { figures } = await runOutboxBench(size);
    points.push({ size, cpuMs: figures.cpuMsPerScore * size, wallMs: figures.seconds * 1000 });
  }
  return { work: 'outbox delivery', unit: 'scores', points };
}

async function roster(base: number): Promise<Row> {
  const points: Point[] = [];
  for (const size of [Math.round(base / 10), base, base * 10]) {
    process.env.BENCH_ROSTER_MEMBERS = String(size);
    const runs: Cost[] = [];
    for (let r = 0; r < repeat(); r++) {
      const { first } = await measureRoster();
      runs.push({ cpuMs: first.cpuMs, wallMs: first.ms, gcMs: Number.NaN });
    }
    // The sync's own GC is not separated from the run's (warm-up course, second sync): no GC figure.
    const { gcMs: _gc, ...median } = medianCost(runs);
    points.push({ size, ...median });
  }
  return { work: 'roster sync (first sync of the course)', unit: 'members', points };
}

const factor = (a: Point, b: Point) => (a.cpuMs > 0 ? (b.cpuMs / a.cpuMs).toFixed(1) : '–');

export async function run(): Promise<Row[]> {
  const wanted = (process.env.BENCH_GROWTH ?? 'fitting,class,outbox,roster').split(',');
  const rows: Row[] = [];
  if (wanted.includes('fitting')) for (const m of ['decaying_average', 'bkt', 'pfa'] as const) rows.push(await fitting(m, 300));
  // One failing row must not hide the others.
  const attempt = async (name: string, fn: () => Promise<Row>) => {
    try {
      rows.push(await fn());
    } catch (err) {
      console.log(`    ${name}: failed: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  };
  if (wanted.includes('class')) {
    try {
      rows.push(...(await classRows()));
    } catch (err) {
      console.log(`    submission and dashboard: failed: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  }
  if (wanted.includes('outbox')) await attempt('outbox delivery', () => outbox(envInt('BENCH_GROWTH_SCORES', 1000)));
  if (wanted.includes('roster')) await attempt('roster sync', () => roster(envInt('BENCH_GROWTH_MEMBERS', 5000)));
  console.log(
    `  CPU ms (wall ms, GC ms) at 10× smaller / as today / 10× larger; growth = CPU of one size over the one 10× smaller (10 is linear), ` +
      `then the same without the GC pauses`,
  );
  for (const r of rows) {
    const [s, m, l] = r.points as [Point, Point, Point];
    const digits = (v: number) => v.toFixed(v < 10 ? 1 : 0);
    const cell = (p: Point) =>
      `${p.size} ${r.unit}${p.also ? ` (${p.also})` : ''}: ${digits(p.cpuMs)} (${digits(p.wallMs)}${p.gcMs === undefined ? '' : `, GC ${digits(p.gcMs)}`})`;
    // GC pauses are wall time: on a busy machine a pause can outlast the CPU it used, and then
    // the figure says nothing about the work without it ('–').
    const noGc = (a: Point, b: Point) =>
      a.gcMs === undefined || b.gcMs === undefined || a.gcMs >= a.cpuMs || b.gcMs >= b.cpuMs ? '–' : ((b.cpuMs - b.gcMs) / (a.cpuMs - a.gcMs)).toFixed(1);
    console.log(
      `    ${r.work.padEnd(44)} ${cell(s)} | ${cell(m)} | ${cell(l)} | growth ${factor(s, m)}×, ${factor(m, l)}× (without GC ${noGc(s, m)}×, ${noGc(m, l)}×)`,
    );
  }
  console.log(
    `    machine load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  return rows;
}
