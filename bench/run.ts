/**
 * `npm run bench [-- launch learning …]`: builds Pathwise, then runs each benchmark present and
 * prints its figures. The launch benchmark runs on the embedded database and, when DATABASE_URL
 * is set, on that PostgreSQL server too. Every other module bench/<name>.ts is a benchmark too:
 * it exports a `run` (or `main`, or default) function that prints its own figures and may return
 * them for bench/results/latest.json, or a `run…Bench` function that returns the lines to print.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchLaunch, launchOptions, type LaunchFigures } from './launch.js';
import { ROOT, build, rssOf, startFakeLms, stopChild } from './support/processes.js';
import { mib, ms } from './support/stats.js';

/** bench/<name>.ts modules besides this runner and the launch benchmark, in name order. */
function otherBenchmarks(): string[] {
  return readdirSync(path.join(ROOT, 'bench'))
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && f !== 'launch.ts')
    .map((f) => f.slice(0, -3))
    .sort();
}

export function printLaunch(f: LaunchFigures): void {
  const label = f.database === 'embedded' ? 'embedded PostgreSQL (PGlite)' : 'PostgreSQL server (DATABASE_URL)';
  console.log(`\n  ${label}`);
  console.log(`    start-up to healthy       ${ms(f.startupMs)}`);
  console.log(`    round trips               ${f.roundTrips} in ${f.seconds.toFixed(1)} s, ${f.failures} failed`);
  console.log(`    round trips per second    ${f.perSecond.toFixed(1)}`);
  console.log(`    latency p50 / p95 / p99   ${ms(f.p50)} / ${ms(f.p95)} / ${ms(f.p99)}  (max ${ms(f.max)})`);
  const s = f.stepsP50;
  console.log(`    p50 per step              login ${ms(s.login)}, LMS auth ${ms(s.auth)}, launch ${ms(s.launch)}, page ${ms(s.page)}`);
  console.log(`    RSS after start-up / run  ${mib(f.rssAfterStartup)} / ${mib(f.rssAfterRun)}`);
  const fixed = (v: number | null, digits: number) => (v === null ? '–' : v.toFixed(digits));
  console.log(`    SQL per round trip        ${fixed(f.statementsPerTrip, 1)} statements in ${fixed(f.transactionsPerTrip, 1)} transactions`);
  console.log(`    tool CPU per round trip   ${fixed(f.cpuMsPerTrip, 2)} ms (from /proc)`);
  if (f.firstFailure) console.log(`    first failure: ${f.firstFailure}`);
}

async function runLaunch(): Promise<LaunchFigures[]> {
  const options = launchOptions();
  console.log(
    `\nLaunch round trips (login → LMS auth → launch → landing page): ${options.count} after ${options.warmup} warm-up, ` +
      `concurrency ${options.concurrency}, at most ${options.timeLimitMs / 1000} s per database.`,
  );
  console.log('Pathwise runs as `node dist/main.js` (NODE_ENV=production, LOG_LEVEL=warn); the fake LMS in its own process.');
  const lms = await startFakeLms();
  const results: LaunchFigures[] = [];
  try {
    const embedded = await benchLaunch(lms, undefined, options);
    printLaunch(embedded);
    results.push(embedded);
    if (process.env.DATABASE_URL) {
      const server = await benchLaunch(lms, process.env.DATABASE_URL, options);
      printLaunch(server);
      results.push(server);
    } else {
      console.log('\n  PostgreSQL server: skipped (set DATABASE_URL=postgres://user:password@host:port/db to run it)');
    }
    const stats = (await fetch(new URL('/stats', lms.issuer)).then((r) => r.json())) as { issued: number; jwksRequests: number };
    console.log(`\n  fake LMS: ${stats.issued} id_tokens signed, ${stats.jwksRequests} JWKS fetches, RSS ${mib(rssOf(lms.child.pid))}`);
  } finally {
    await stopChild(lms.child);
  }
  return results;
}

async function runOther(name: string): Promise<unknown> {
  const mod = (await import(pathToFileURL(path.join(ROOT, 'bench', `${name}.ts`)).href)) as Record<string, unknown>;
  // `run`/`main`/default print their own figures; a `run…Bench` returning lines is printed here.
  const benchFn = Object.entries(mod).find(([k, v]) => /^run\w*Bench$/.test(k) && typeof v === 'function')?.[1];
  const fn = [mod.run, mod.main, mod.default, benchFn].find((f): f is () => unknown => typeof f === 'function');
  if (!fn) {
    console.log(`\n${name}: bench/${name}.ts exports no run/main/default/run…Bench function; skipped`);
    return undefined;
  }
  console.log(`\n${name}:`);
  try {
    const result = await fn();
    if (fn === benchFn && Array.isArray(result)) {
      for (const line of result) console.log(String(line));
      return { lines: result };
    }
    return result ?? null;
  } catch (err) {
    // One broken benchmark must not hide the figures of the others.
    console.log(`  failed: ${(err as Error).message}`);
    process.exitCode = 1;
    return { error: (err as Error).message };
  }
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const want = (name: string) => wanted.length === 0 || wanted.includes(name);
  console.log(`Pathwise benchmarks on Node ${process.version}, ${process.platform}/${process.arch}`);
  const results: Record<string, unknown> = { node: process.version, at: new Date().toISOString() };
  if (want('launch')) {
    build();
    results.launch = await runLaunch();
  }
  for (const name of otherBenchmarks()) if (want(name)) results[name] = await runOther(name);
  mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  const out = path.join(ROOT, 'bench', 'results', 'latest.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nFigures saved to ${path.relative(ROOT, out)}`);
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${(err as Error).message}`);
  process.exitCode = 1;
});
