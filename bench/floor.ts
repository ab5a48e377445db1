/**
 * `npm run bench -- floor`: the CPU that three HTTP requests cost a Node process before any of
 * Pathwise's work, i.e. the floor under the launch bench's "tool CPU per round trip". The same
 * load generator shape as the launch bench (fetch, 16 at a time, three requests per round trip:
 * GET a page with a cookie, POST a form, GET a page) against bench/support/floor-app.ts on bare
 * node:http and on Express 5, CPU from /proc. BENCH_FLOOR_TRIPS (default 3000), BENCH_CONCURRENCY.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { ROOT, cpuMsOf, stopChild } from './support/processes.js';
import { envInt } from './support/stats.js';

async function roundTrip(base: string): Promise<void> {
  const r1 = await fetch(`${base}/login?iss=https%3A%2F%2Flms.example&login_hint=learner-1`);
  await r1.text();
  const r2 = await fetch(`${base}/launch`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'pw_state=abc' },
    body: new URLSearchParams({ id_token: 'e'.repeat(1400), state: 's'.repeat(43) }).toString(),
  });
  await r2.arrayBuffer();
  const r3 = await fetch(new URL(r2.headers.get('location')!, base), { headers: { cookie: 'pw_session=abc' } });
  await r3.text();
}

async function measure(app: 'http' | 'express', trips: number, concurrency: number): Promise<{ cpuMsPerTrip: number; perSecond: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/floor-app.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, FLOOR_APP: app, NODE_ENV: 'production' },
  });
  try {
    const port = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
    const base = `http://127.0.0.1:${port}`;
    const drive = async (n: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < n) await roundTrip(base);
        }),
      );
    };
    await drive(Math.min(300, trips)); // warm-up: JIT
    const cpu0 = cpuMsOf(child.pid)!;
    const t0 = performance.now();
    await drive(trips);
    const seconds = (performance.now() - t0) / 1000;
    return { cpuMsPerTrip: (cpuMsOf(child.pid)! - cpu0) / trips, perSecond: trips / seconds };
  } finally {
    await stopChild(child);
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const trips = envInt('BENCH_FLOOR_TRIPS', 3000);
  const concurrency = envInt('BENCH_CONCURRENCY', 16);
  const load = loadavg()[0]!.toFixed(1);
  console.log(`  ${trips} round trips of 3 requests, concurrency ${concurrency}, load average ${load}; CPU of the server process from /proc`);
  const out: Record<string, unknown> = { trips, concurrency, load };
  for (const app of ['http', 'express'] as const) {
    const f = await measure(app, trips, concurrency);
    console.log(
      `    ${app === 'http' ? 'bare node:http' : 'Express 5 + urlencoded'}`.padEnd(30) +
        `${f.cpuMsPerTrip.toFixed(2)} ms CPU per round trip, ${f.perSecond.toFixed(0)} round trips/s`,
    );
    out[app] = f;
  }
  return out;
}
