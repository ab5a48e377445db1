/**
 * Child processes for benchmarks: the fake LMS and Pathwise itself (the built `dist/main.js`,
 * as `npm start` runs it), each with its own event loop, so the figures are Pathwise's own.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface FakeLms {
  issuer: string;
  clientId: string;
  authLoginUrl: string;
  authTokenUrl: string;
  jwksUrl: string;
  deploymentIds: string[];
  name: string;
  child: ChildProcess;
}

/** Builds Pathwise (`npm run build`), as `npm start` does before it runs dist/main.js. */
export function build(): void {
  console.log('Building (npm run build) …');
  const res = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (res.status !== 0) throw new Error('npm run build failed');
}

/**
 * A free TCP port on 127.0.0.1 (asked of the kernel, then released). Another process may take it
 * before a child binds it: start children through `onFreePort`, which tries another port then.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** True when a child's start failed because its port was taken (Node's EADDRINUSE in its output). */
export function isAddressInUse(err: unknown): boolean {
  return err instanceof Error && /\bEADDRINUSE\b/.test(err.message);
}

/**
 * Runs `start` on a free port, and on another one when the port was taken between `freePort()`
 * and the child's bind (`start` fails with EADDRINUSE in its message): up to `attempts` ports.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (err) {
      if (attempt >= attempts || !isAddressInUse(err)) throw err;
      console.log(`  port ${port} was taken before the child bound it; trying another`);
    }
  }
}

/** Resident memory of a process in bytes, from /proc (Linux); null elsewhere. */
export function rssOf(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) a process has used, in ms, from /proc/<pid>/stat (Linux; null
 * elsewhere). Measured from outside, so a busy machine's other processes do not count.
 */
export function cpuMsOf(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK) is not reachable from Node). */
const CLOCK_TICKS = 100;

function collectStderr(child: ChildProcess): () => string {
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  return () => err;
}

/**
 * Starts the fake LMS process and waits for the JSON line with its registration values.
 * `env` adds to its environment (BENCH_LMS_AGS=1: with a token endpoint and AGS).
 */
export async function startFakeLms(timeoutMs = 30_000, env: Record<string, string> = {}): Promise<FakeLms> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/fake-lms-process.ts'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', ...env },
  });
  const stderr = collectStderr(child);
  const lines = createInterface({ input: child.stdout! });
  const first = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the fake LMS did not start in time')), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the fake LMS exited (${code}): ${stderr()}`));
    });
  });
  const info = JSON.parse(await first) as Omit<FakeLms, 'child'>;
  return { ...info, child };
}

export interface PathwiseProcess {
  url: string;
  adminToken: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first 200 from /health. */
  startupMs: number;
}

/**
 * Starts `node dist/main.js` with the given environment (PORT, PUBLIC_URL, ADMIN_TOKEN are set
 * here) on a free port and waits until it answers: GET /health 200 and its admin API with this
 * start's token, so a process that took the port meanwhile is never mistaken for it. If the
 * port was taken before Pathwise bound it, it starts again on another (`onFreePort`). Instances
 * behind one public address share `publicUrl` and `adminToken` (by default each has its own
 * port's URL and a token of its own).
 */
export function startPathwise(
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
  options: { publicUrl?: string; adminToken?: string } = {},
): Promise<PathwiseProcess> {
  const adminToken = options.adminToken ?? `bench-${Math.random().toString(36).slice(2)}-admin-token`;
  return onFreePort((port) => startPathwiseOn(port, env, timeoutMs, options.publicUrl, adminToken));
}

async function startPathwiseOn(
  port: number,
  env: Record<string, string | undefined>,
  timeoutMs: number,
  publicUrl: string | undefined,
  adminToken: string,
): Promise<PathwiseProcess> {
  const url = `http://127.0.0.1:${port}`;
  // The fake LMS listens on 127.0.0.1, which Pathwise refuses to call unless allowed.
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    LMS_ALLOW_PRIVATE_ADDRESSES: 'true',
    ...env,
    PORT: String(port),
    PUBLIC_URL: publicUrl ?? url,
    ADMIN_TOKEN: adminToken,
  };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const started = Date.now();
  // BENCH_CPU_PROFILE=<dir>: V8's CPU profile of the tool (a .cpuprofile, written when it exits on
  // SIGTERM); `npx tsx bench/support/profile-summary.ts <dir>` summarises it.
  const profileDir = process.env.BENCH_CPU_PROFILE;
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profileDir)] : [];
  const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: childEnv });
  const stderr = collectStderr(child);
  let exited: number | null = null;
  // 'close' comes after the child's stderr has been read, so its EADDRINUSE is in the message.
  child.once('close', (code) => (exited = code ?? -1));
  const answers = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { headers }).then(
      async (r) => {
        await r.body?.cancel();
        return r.ok;
      },
      () => false,
    );
  while (Date.now() - started < timeoutMs) {
    if (exited !== null) throw new Error(`Pathwise exited (${exited}) during start-up: ${stderr()}`);
    const ours = (await answers('/health')) && (await answers('/admin/api/stats', { authorization: `Bearer ${adminToken}` }));
    if (ours && exited === null) return { url, adminToken, child, startupMs: Date.now() - started };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`Pathwise did not answer /health within ${timeoutMs} ms: ${stderr()}`);
}

/** Ends a child we started (SIGTERM, then SIGKILL after a grace period) and waits for it. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}
