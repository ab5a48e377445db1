/**
 * Summarises the CPU profiles a `BENCH_CPU_PROFILE=<dir> npm run bench -- launch` run wrote: for
 * each tool process, the top functions by self time and by total time, and the time per package
 * (or Node's internals, the garbage collector …), in µs per round trip. Only the samples of the
 * measured launches count (the window `bench/launch.ts` noted); idle samples are left out.
 *
 *   npx tsx bench/support/profile-summary.ts <dir> [top=15]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}
interface Window {
  pid: number;
  startUs: number;
  endUs: number;
  trips: number;
}

const NOT_WORK = new Set(['(idle)', '(program)']);

/** Where a frame's code lives: an npm package, Node's own modules, our source, or V8's pseudo-frames. */
function origin(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node:' + (url.slice(5).split('/')[0] ?? '');
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const dist = url.indexOf('/dist/');
  return dist >= 0
    ? url
        .slice(dist + 1)
        .split('/')
        .slice(0, 3)
        .join('/')
    : url;
}

function label(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const file = frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
  return `${name} ${file}:${frame.lineNumber + 1}`;
}

export function summarise(profile: CpuProfile, window: Window | undefined, top: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const perOrigin = new Map<string, number>();
  let busy = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (window && (t < window.startUs || t > window.endUs)) continue;
    const node = byId.get(profile.samples[i]!)!;
    if (NOT_WORK.has(node.callFrame.functionName)) continue;
    busy += dt;
    const own = label(node.callFrame);
    self.set(own, (self.get(own) ?? 0) + dt);
    const o = origin(node.callFrame);
    perOrigin.set(o, (perOrigin.get(o) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const l = label(byId.get(id)!.callFrame);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + dt);
    }
  }
  const trips = window?.trips || 1;
  const unit = window ? 'µs per round trip' : 'µs in the whole profile';
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${(v / trips).toFixed(0).padStart(7)}  ${((100 * v) / (busy || 1)).toFixed(1).padStart(5)} %  ${k}`);
  return [
    window
      ? `${window.trips} round trips; busy ${(busy / trips / 1000).toFixed(2)} ms per round trip on the main thread`
      : `busy ${(busy / 1000).toFixed(0)} ms`,
    `\nby package or origin (${unit}, share of busy time):`,
    ...rows(perOrigin),
    `\ntop self time (${unit}):`,
    ...rows(self),
    `\ntop total time (${unit}):`,
    ...rows(new Map([...total].filter(([k]) => !k.startsWith('(root)')))),
  ];
}

function main(): void {
  // `… | head` closes the pipe early: stop quietly.
  process.stdout.on('error', () => process.exit(0));
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx bench/support/profile-summary.ts <dir> [top]');
    process.exitCode = 2;
    return;
  }
  const top = Number(process.argv[3] ?? 15);
  const files = readdirSync(dir);
  for (const f of files.filter((name) => name.endsWith('.cpuprofile'))) {
    const pid = Number(/\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(f)?.[1]);
    const w = files.includes(`window-${pid}.json`) ? (JSON.parse(readFileSync(path.join(dir, `window-${pid}.json`), 'utf8')) as Window) : undefined;
    const profile = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CpuProfile;
    console.log(`\n${f}${w ? '' : ' (no window file: the whole profile)'}`);
    for (const line of summarise(profile, w, top)) console.log(line);
  }
}

main();
