import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openPgliteDatabase } from '../src/store/pglite-database.js';
import { migrate } from '../src/store/migrate.js';
import { createLearningService } from '../src/store/learning-service.js';
import { SAMPLE_UNITS } from '../src/store/learning-service.js';
import { seededRng } from '../src/learning/random.js';
import { recomputeClass, type LearnerEvidence } from '../src/learning/mastery/class-mastery.js';
import { masteryMethodSchema } from '../src/learning/mastery/method-config.js';
import type { AttemptEvidence } from '../src/learning/mastery/evidence.js';
import { createCourse, createLearner, placeUnit } from '../test/integration/learning-fixtures.js';

const SUBMISSIONS = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Attempt submission end to end on the embedded database (start + submit, one transaction each). */
async function benchSubmission(): Promise<string> {
  const db = await openPgliteDatabase();
  try {
    await migrate(db);
    const svc = createLearningService(db, { rng: seededRng(1) });
    const course = await createCourse(db);
    const [unit] = await svc.importUnits(SAMPLE_UNITS[0], { courseId: course.courseId });
    await placeUnit(db, course.courseId, unit!.id);
    const competencyId = unit!.document.competencies[0]!.id;
    const times: number[] = [];
    let cpuMs = 0;
    for (let i = 0; i < SUBMISSIONS + 20; i++) {
      const userId = await createLearner(db, course);
      const view = await svc.startAttempt({ userId, unitId: unit!.id, competencyId, courseId: course.courseId });
      const answers = Object.fromEntries(view.items.map((it) => [it.id, it.type === 'single_choice' ? 'o1' : '1']));
      const t = performance.now();
      const c = process.cpuUsage();
      await svc.submitAttempt({ attemptId: view.attemptId, userId, answers });
      const used = process.cpuUsage(c);
      if (i >= 20) {
        times.push(performance.now() - t); // the first 20 warm up
        cpuMs += (used.user + used.system) / 1000;
      }
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    // CPU time beside wall time: on a busy machine wall time mostly measures the queue.
    return `learning: attempt submission (embedded DB, ${SUBMISSIONS} runs) p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms wall, mean ${(cpuMs / SUBMISSIONS).toFixed(1)} ms CPU (target p95 < 30 ms: ${p95 < 30 ? 'met' : 'MISSED'})`;
  } finally {
    await db.close();
  }
}

/** A synthetic class: `students` × `competencies`, 4 attempts of 10 answers each (seeded). */
export function syntheticClass(students: number, competencies: string[], seed = 2): LearnerEvidence[] {
  const rng = seededRng(seed);
  return Array.from({ length: students }, (_, s) => ({
    userId: `s${s}`,
    byCompetency: new Map(
      competencies.map((c) => [
        c,
        Array.from({ length: 4 }, (_, k): AttemptEvidence => {
          const responses = Array.from({ length: 10 }, () => rng() < 0.7);
          return { attemptId: `${s}-${c}-${k}`, score: responses.filter(Boolean).length / 10, submittedAt: new Date(k * 1000), responses };
        }),
      ]),
    ),
  }));
}

/** Recomputing a class of 300 students × 50 competencies, 4 attempts of 10 answers each, in memory. */
export function benchRecompute(): string {
  const competencies = Array.from({ length: 50 }, (_, i) => `c${i}`);
  const learners = syntheticClass(300, competencies);
  const lines: string[] = [];
  for (const m of ['decaying_average', 'bkt', 'pfa'] as const) {
    const method = masteryMethodSchema.parse({ method: m });
    recomputeClass(method, competencies, learners); // warm-up
    const runs: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      const c = process.cpuUsage();
      recomputeClass(method, competencies, learners);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
      runs.push(performance.now() - t);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const wall = median(runs);
    lines.push(
      `learning: recompute 300 students × 50 competencies (${m}) median ${wall.toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU (target < 100 ms: ${wall < 100 ? 'met' : 'MISSED'})`,
    );
  }
  return lines.join('\n');
}

/** Runs the learning benchmarks and returns one line per figure. */
export async function runLearningBench(): Promise<string[]> {
  return [await benchSubmission(), ...benchRecompute().split('\n')];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await runLearningBench()) console.log(line);
}
