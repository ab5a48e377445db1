/**
 * `npm run bench -- instances` (needs DATABASE_URL): two Pathwise instances (`node dist/main.js`
 * on two ports) on one PostgreSQL server and one schema, behind the same load generator, which
 * plays a round-robin load balancer: a round trip's login goes to one instance, its launch to the
 * other, its landing page back to the first. Then students launch and pass a mastery check, so
 * their unit scores are queued, and both instances' outbox workers deliver them to the fake LMS's
 * AGS (in its own process). The same run first measures one instance alone, for comparison.
 *
 * Prints, per phase: round trips per second, p50/p95, failures, requests and CPU per round trip of
 * each instance (from /proc), scores delivered against those expected, and how many learners got a
 * score twice (must be 0). Bounded: BENCH_INSTANCES_LAUNCHES round trips (200) after BENCH_WARMUP (20), concurrency
 * BENCH_CONCURRENCY (16), BENCH_INSTANCES_STUDENTS students (60), each phase at most
 * BENCH_SECONDS (60) plus 120 s for the deliveries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Item } from '../src/learning/items/item-schema.js';
import { answerFields } from '../test/integration/student-support.js';
import { benchSchema, registerPlatform } from './launch.js';
import { launchOnce, RoundTripError, type LaunchTarget, type RoundTrip } from './support/launch-client.js';
import { build, cpuMsOf, startFakeLms, startPathwise, stopChild, type FakeLms, type PathwiseProcess } from './support/processes.js';
import { envInt, quantile } from './support/stats.js';

/** The sample unit the teacher places on the bench's resource link, and the competency students pass. */
const SAMPLE = 'linear-equations';
const COMPETENCY = 'simplify';

interface Instance {
  name: string;
  process: PathwiseProcess;
  /** Requests the load generator sent it in the current phase. */
  requests: number;
}

export interface PhaseFigures {
  instances: number;
  launches: { roundTrips: number; failures: number; firstFailure?: string; seconds: number; perSecond: number; p50: number; p95: number };
  /** Per instance: requests sent to it and its CPU ms over the launch phase, per round trip of the phase. */
  perInstance: Array<{ name: string; requests: number; studentRequests?: number; cpuMsPerTrip: number | null }>;
  students: { submitted: number; failures: number; firstFailure?: string; seconds: number };
  scores: { expected: number; delivered: number; deliveredTwice: number; outOfOrder: number; deliverySeconds: number; stillQueued: number };
}

interface AgsStats {
  tokensIssued: number;
  scorePosts: number;
  outOfOrder: number;
  scoresPerUser: Record<string, number>;
}

async function agsStats(lms: FakeLms): Promise<AgsStats> {
  const body = (await (await fetch(new URL('/stats', lms.issuer))).json()) as { ags?: AgsStats };
  if (!body.ags) throw new Error('the fake LMS runs without AGS (BENCH_LMS_AGS=1)');
  return body.ags;
}

/**
 * The load generator's balancer: round trip i sends its login and landing page to instance i mod n
 * and its launch to the next one, so with two instances every launch lands on the instance that
 * did not see its login. A launched person's later requests alternate between the instances.
 */
function balancer(instances: Instance[], publicUrl: string) {
  const origin = new URL(publicUrl).origin;
  const send = (n: number, url: URL): URL => {
    if (url.origin !== origin) return url;
    const it = instances[n % instances.length]!;
    it.requests += 1;
    return new URL(url.pathname + url.search, it.process.url);
  };
  return {
    /** The route of round trip i (LaunchTarget.route). */
    trip: (i: number) => (step: 'login' | 'launch' | 'page', url: URL) => send(step === 'launch' ? i + 1 : i, url),
    /** Request k of a session that started at round trip i. */
    later: (i: number, k: number, p: string) => send(i + k, new URL(p, publicUrl)),
  };
}

/** Runs `total` jobs with `concurrency` workers until done or the deadline; collects times and failures. */
async function drive<T>(total: number, concurrency: number, deadline: number, job: (i: number) => Promise<T>) {
  const done: T[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      while (next < total && Date.now() < deadline) {
        const i = next++;
        try {
          done.push(await job(i));
        } catch (err) {
          failures += 1;
          firstFailure ??= (err as Error).message;
          if (failures >= 20 && done.length === 0) return; // a broken build fails every one
        }
      }
    }),
  );
  return { done, failures, firstFailure, seconds: (performance.now() - started) / 1000 };
}

/** A launched person's session and the CSRF token of its pages, with requests through the balancer. */
function sessionClient(lb: ReturnType<typeof balancer>, i: number, landing: string) {
  const token = new URL(landing).searchParams.get('session');
  if (!token) throw new RoundTripError(`landing page without a session: ${landing}`);
  let csrf = '';
  let k = 1;
  const to = (p: string) => lb.later(i, k++, p);
  return {
    async get(p: string): Promise<string> {
      const res = await fetch(to(`${p}${p.includes('?') ? '&' : '?'}session=${encodeURIComponent(token)}`), { redirect: 'manual' });
      const text = await res.text();
      if (res.status !== 200) throw new RoundTripError(`GET ${p}: HTTP ${res.status}: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
      csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? csrf;
      return text;
    },
    /** Posts a form; returns the Location of the expected 303. */
    async post(p: string, fields: Record<string, string | string[]> = {}): Promise<string> {
      const body = new URLSearchParams({ session: token, _csrf: csrf });
      for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
      const res = await fetch(to(p), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      const text = await res.text();
      if (res.status !== 303) throw new RoundTripError(`POST ${p}: HTTP ${res.status}: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
      return res.headers.get('location') ?? '';
    },
  };
}

async function measurePhase(
  instances: Instance[],
  lms: FakeLms,
  publicUrl: string,
  db: pg.Pool,
  tag: string,
  options: { launches: number; warmup: number; concurrency: number; students: number; seconds: number },
): Promise<PhaseFigures> {
  for (const it of instances) it.requests = 0;
  const lb = balancer(instances, publicUrl);
  const target = (i: number): LaunchTarget => ({
    url: publicUrl,
    issuer: lms.issuer,
    clientId: lms.clientId,
    deploymentId: lms.deploymentIds[0]!,
    route: lb.trip(i),
  });

  // A warm-up (not measured): a freshly started instance compiles its hot paths first.
  await drive(options.warmup, options.concurrency, Date.now() + options.seconds * 1000, (i) => launchOnce(target(i), `learner-${tag}-${i % 150}`));
  for (const it of instances) it.requests = 0;

  // Launches: mostly returning learners, one in ten a teacher.
  const cpuBefore = instances.map((it) => cpuMsOf(it.process.child.pid));
  const launches = await drive(options.launches, options.concurrency, Date.now() + options.seconds * 1000, (i) =>
    launchOnce(target(i), i % 10 === 0 ? `teacher-${i % 3}` : `learner-${tag}-${i % 150}`),
  );
  const cpuAfter = instances.map((it) => cpuMsOf(it.process.child.pid));
  const trips = launches.done.length + launches.failures;
  const perInstance: PhaseFigures['perInstance'] = instances.map((it, n) => ({
    name: it.name,
    requests: it.requests, // of the launches; the students' requests are counted on below
    cpuMsPerTrip: cpuBefore[n] != null && cpuAfter[n] != null && trips > 0 ? (cpuAfter[n]! - cpuBefore[n]!) / trips : null,
  }));
  const totals = launches.done.map((r: RoundTrip) => r.totalMs);

  // Students launch and pass a mastery check; each passing check queues the student's unit score.
  const agsBefore = await agsStats(lms);
  const students = await drive(options.students, options.concurrency, Date.now() + options.seconds * 1000, async (i) => {
    const trip = await launchOnce(target(i), `student-${tag}-${i}`);
    const s = sessionClient(lb, i, trip.landing!);
    await s.get(`/student/competencies/${COMPETENCY}`);
    const attemptAt = await s.post(`/student/competencies/${COMPETENCY}/check`);
    const attemptId = /\/student\/attempts\/([0-9a-f-]{36})/.exec(attemptAt)?.[1];
    if (!attemptId) throw new RoundTripError(`starting the check: no attempt in ${attemptAt}`);
    // The right answers come from the store, as a test's would: the bench plays a student who knows them.
    const { rows } = await db.query<{ items: Item[] }>('select items from attempts where id = $1', [attemptId]);
    await s.post(`/student/attempts/${attemptId}`, answerFields(rows[0]!.items, true));
    return i;
  });

  // Both instances' workers deliver; watch the fake LMS and the outbox until every score is out.
  const deliveryStarted = performance.now();
  const expected = students.done.length;
  const ours = (a: AgsStats) => Object.entries(a.scoresPerUser).filter(([u]) => u.startsWith(`student-${tag}-`));
  let stillQueued = -1;
  const deliveryDeadline = Date.now() + 120_000;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from grade_outbox where status not in ('sent', 'failed')`);
    stillQueued = rows[0]!.n;
    const delivered = ours(await agsStats(lms)).length;
    if ((stillQueued === 0 && delivered >= expected) || Date.now() > deliveryDeadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const deliverySeconds = (performance.now() - deliveryStarted) / 1000;
  perInstance.forEach((p, n) => (p.studentRequests = instances[n]!.requests - p.requests));
  const agsAfter = await agsStats(lms);
  const mine = ours(agsAfter);
  return {
    instances: instances.length,
    launches: {
      roundTrips: launches.done.length,
      failures: launches.failures,
      firstFailure: launches.firstFailure,
      seconds: launches.seconds,
      perSecond: launches.done.length / launches.seconds,
      p50: quantile(totals, 0.5),
      p95: quantile(totals, 0.95),
    },
    perInstance,
    students: { submitted: students.done.length, failures: students.failures, firstFailure: students.firstFailure, seconds: students.seconds },
    scores: {
      expected,
      delivered: mine.length,
      deliveredTwice: mine.filter(([, n]) => n > 1).length,
      outOfOrder: agsAfter.outOfOrder - agsBefore.outOfOrder,
      deliverySeconds,
      stillQueued,
    },
  };
}

/** The teacher's first launch lands on the unit picker; the teacher places the sample unit. */
async function placeSampleUnit(lms: FakeLms, publicUrl: string, instance: Instance): Promise<void> {
  const lb = balancer([instance], publicUrl);
  const trip = await launchOnce(
    { url: publicUrl, issuer: lms.issuer, clientId: lms.clientId, deploymentId: lms.deploymentIds[0]!, route: lb.trip(0) },
    'teacher-0',
  );
  const teacher = sessionClient(lb, 0, trip.landing!);
  await teacher.get('/lti/placement');
  await teacher.post('/lti/placement', { choice: `sample:${SAMPLE}` });
}

const fmt = (v: number | null, digits = 1) => (v === null || Number.isNaN(v) ? '–' : v.toFixed(digits));

function printPhase(label: string, f: PhaseFigures): void {
  const l = f.launches;
  console.log(`\n  ${label}`);
  console.log(`    round trips               ${l.roundTrips} in ${l.seconds.toFixed(1)} s, ${l.failures} failed`);
  console.log(`    round trips per second    ${l.perSecond.toFixed(1)} (combined)`);
  console.log(`    latency p50 / p95         ${fmt(l.p50)} / ${fmt(l.p95)} ms`);
  for (const it of f.perInstance)
    console.log(
      `    instance ${it.name}                ${it.requests} launch requests (+${it.studentRequests ?? 0} of students), CPU ${fmt(it.cpuMsPerTrip, 2)} ms per round trip (from /proc)`,
    );
  const cpuSum = f.perInstance.every((it) => it.cpuMsPerTrip !== null) ? f.perInstance.reduce((s, it) => s + it.cpuMsPerTrip!, 0) : null;
  console.log(`    CPU per round trip, all   ${fmt(cpuSum, 2)} ms`);
  if (l.firstFailure) console.log(`    first launch failure: ${l.firstFailure}`);
  const s = f.students;
  console.log(`    students passing a check  ${s.submitted} in ${s.seconds.toFixed(1)} s, ${s.failures} failed`);
  if (s.firstFailure) console.log(`    first student failure: ${s.firstFailure}`);
  const c = f.scores;
  console.log(
    `    scores delivered          ${c.delivered} of ${c.expected} expected in ${c.deliverySeconds.toFixed(1)} s after the last submit; ` +
      `delivered twice ${c.deliveredTwice} (must be 0); out of order ${c.outOfOrder}; still queued ${c.stillQueued}`,
  );
}

export async function run(): Promise<{ one: PhaseFigures; two: PhaseFigures; loadAverage: number[] } | null> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.log('  skipped: two instances need a PostgreSQL server (set DATABASE_URL=postgres://user:password@host:port/db to run it)');
    return null;
  }
  const options = {
    launches: envInt('BENCH_INSTANCES_LAUNCHES', 200),
    warmup: envInt('BENCH_WARMUP', 20),
    concurrency: envInt('BENCH_CONCURRENCY', 16),
    students: envInt('BENCH_INSTANCES_STUDENTS', 60),
    seconds: envInt('BENCH_SECONDS', 60),
  };
  build();
  console.log(
    `  ${options.launches} round trips (after ${options.warmup} warm-up) and ${options.students} students passing a check per phase, concurrency ${options.concurrency}, ` +
      `at most ${options.seconds} s each; Pathwise as \`node dist/main.js\` (NODE_ENV=production), fake LMS with AGS in its own process`,
  );
  const lms = await startFakeLms(30_000, { BENCH_LMS_AGS: '1' });
  const schema = await benchSchema(databaseUrl);
  const db = new pg.Pool({ connectionString: schema.url, max: 2 });
  const dirs: string[] = [];
  const instances: Instance[] = [];
  try {
    const adminToken = `bench-${randomBytes(12).toString('hex')}`;
    const start = async (name: string, publicUrl?: string) => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'pathwise-bench-'));
      dirs.push(dataDir);
      const env = { NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: dataDir, DATABASE_URL: schema.url };
      const it: Instance = {
        name,
        process: await startPathwise(env, envInt('BENCH_STARTUP_SECONDS', 60) * 1000, { publicUrl, adminToken }),
        requests: 0,
      };
      instances.push(it);
      return it;
    };
    // Both answer to one public address (the balancer's, A's own); the load generator picks the instance.
    const a = await start('A');
    const publicUrl = a.process.url;
    await registerPlatform(a.process.url, adminToken, lms);
    const told = await fetch(new URL(`/bench/tool?jwks=${encodeURIComponent(`${publicUrl}/.well-known/jwks.json`)}`, lms.issuer), { method: 'POST' });
    if (told.status !== 204) throw new Error(`the fake LMS did not take the tool's key set URL: HTTP ${told.status}`);
    await placeSampleUnit(lms, publicUrl, a);

    const one = await measurePhase([a], lms, publicUrl, db, 'one', options);
    printPhase('one instance (A alone)', one);
    const b = await start('B', publicUrl);
    const two = await measurePhase([a, b], lms, publicUrl, db, 'two', options);
    printPhase('two instances, round-robin (login on one, launch on the other)', two);
    const ratio = one.launches.perSecond > 0 ? two.launches.perSecond / one.launches.perSecond : Number.NaN;
    const load = loadavg();
    console.log(`\n  two instances / one: ${fmt(ratio, 2)}× the round trips per second (both share the machine's CPUs and one PostgreSQL)`);
    console.log(`  machine load average ${load.map((x) => x.toFixed(1)).join(' ')}`);
    return { one, two, loadAverage: load };
  } finally {
    await Promise.all(instances.map((it) => stopChild(it.process.child)));
    await db.end();
    await schema.drop();
    await stopChild(lms.child);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}
