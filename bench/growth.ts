/**
 * `npm run bench -- growth`: how the cost of the heavier jobs grows with their size, at 10×
 * smaller, as today and 10× larger, with the growth factor of each 10× step (about 10 is linear).
 * CPU milliseconds of this process are the main figure (robust on a shared machine); wall time
 * is printed beside them. Runs on the embedded database.
 *   - roster sync: an NRPS roster of 500 / 5,000 / 50,000 members (bench/roster.ts)
 *   - outbox delivery: 100 / 1,000 / 10,000 scores to the fake AGS (bench/outbox.ts)
 *   - BKT, PFA and decaying-average fitting: a class of 30 / 300 / 3,000 × 50 competencies
 * BENCH_GROWTH=fitting,outbox,roster picks some; BENCH_GROWTH_SCORES and BENCH_GROWTH_MEMBERS set
 * "as today" for the outbox (1,000) and the roster (5,000).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { recomputeClass } from '../src/learning/mastery/class-mastery.js';
import { masteryMethodSchema } from '../src/learning/mastery/method-config.js';
import { syntheticClass } from './learning.js';
import { runOutboxBench } from './outbox.js';
import { measureRoster } from './roster.js';
import { envInt } from './support/stats.js';

interface Point {
  size: number;
  cpuMs: number;
  wallMs: number;
}

interface Row {
  work: string;
  unit: string;
  points: Point[];
}

function fitting(method: 'decaying_average' | 'bkt' | 'pfa', base: number): Row {
  const competencies = Array.from({ length: 50 }, (_, i) => `c${i}`);
  const parsed = masteryMethodSchema.parse({ method });
  const points = [Math.round(base / 10), base, base * 10].map((size) => {
    const learners = syntheticClass(size, competencies);
    recomputeClass(parsed, competencies, learners); // warm-up
    const t = performance.now();
    const c = process.cpuUsage();
    recomputeClass(parsed, competencies, learners);
    const used = process.cpuUsage(c);
    return { size, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - t };
  });
  return { work: `${method} fitting (class × 50 competencies)`, unit: 'students', points };
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
    const f = await measureRoster();
    points.push({ size, cpuMs: f.first.cpuMs, wallMs: f.first.ms });
  }
  return { work: 'roster sync (first sync of the course)', unit: 'members', points };
}

const factor = (a: Point, b: Point) => (a.cpuMs > 0 ? (b.cpuMs / a.cpuMs).toFixed(1) : '–');

export async function run(): Promise<Row[]> {
  const wanted = (process.env.BENCH_GROWTH ?? 'fitting,outbox,roster').split(',');
  const rows: Row[] = [];
  if (wanted.includes('fitting')) for (const m of ['decaying_average', 'bkt', 'pfa'] as const) rows.push(fitting(m, 300));
  // One failing row must not hide the others.
  const attempt = async (name: string, fn: () => Promise<Row>) => {
    try {
      rows.push(await fn());
    } catch (err) {
      console.log(`    ${name}: failed: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  };
  if (wanted.includes('outbox')) await attempt('outbox delivery', () => outbox(envInt('BENCH_GROWTH_SCORES', 1000)));
  if (wanted.includes('roster')) await attempt('roster sync', () => roster(envInt('BENCH_GROWTH_MEMBERS', 5000)));
  console.log(`  CPU ms (wall ms) at 10× smaller / as today / 10× larger; growth = CPU of one size over the one 10× smaller (10 is linear)`);
  for (const r of rows) {
    const [s, m, l] = r.points as [Point, Point, Point];
    const cell = (p: Point) => `${p.size} ${r.unit}: ${p.cpuMs.toFixed(0)} (${p.wallMs.toFixed(0)})`;
    console.log(`    ${r.work.padEnd(40)} ${cell(s)} | ${cell(m)} | ${cell(l)} | growth ${factor(s, m)}×, ${factor(m, l)}×`);
  }
  console.log('    not in this table yet: attempt submission and dashboard render against a growing class (see docs/performance.md)');
  console.log(
    `    machine load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  return rows;
}
