import { DEFAULT_BKT, type BktParams } from './method-config.js';

export interface BktFitOptions {
  /** pyBKT needs roughly 50+ students with 15+ responses each for stable estimates. */
  minStudents?: number;
  minResponsesPerStudent?: number;
  maxIterations?: number;
  tolerance?: number;
  start?: BktParams;
}

export type BktFit =
  | { fitted: true; params: BktParams; students: number; responses: number; logLikelihood: number; iterations: number }
  | { fitted: false; reason: string; students: number; responses: number };

// Slip and guess above 0.5 would mean "knowing makes you worse"; keep the model identifiable.
const MAX_SLIP_GUESS = 0.45;
const FLOOR = 1e-4;

/**
 * Fits P(L0), P(T), P(S), P(G) for one competency by expectation–maximisation (Baum–Welch on a
 * two-state hidden Markov model without forgetting), from each student's ordered responses.
 * Refuses (fitted: false, with the reason) until there is enough data.
 */
export function fitBkt(sequences: readonly (readonly boolean[])[], options: BktFitOptions = {}): BktFit {
  const minStudents = options.minStudents ?? 50;
  const minResponses = options.minResponsesPerStudent ?? 15;
  const usable = sequences.filter((s) => s.length >= minResponses);
  const responses = usable.reduce((n, s) => n + s.length, 0);
  if (usable.length < minStudents) {
    return {
      fitted: false,
      reason: `needs ${minStudents} students with ${minResponses}+ answers each; has ${usable.length}`,
      students: usable.length,
      responses,
    };
  }
  let p: BktParams = { ...(options.start ?? DEFAULT_BKT), pForget: 0 };
  let previous = -Infinity;
  let logLikelihood = -Infinity;
  let iterations = 0;
  const maxIterations = options.maxIterations ?? 200;
  for (; iterations < maxIterations; iterations++) {
    const acc = { init: 0, learnNum: 0, learnDen: 0, guessNum: 0, guessDen: 0, slipNum: 0, slipDen: 0, ll: 0 };
    for (const seq of usable) accumulate(seq, p, acc);
    logLikelihood = acc.ll;
    p = {
      pInit: bound(acc.init / usable.length, 1 - FLOOR),
      pLearn: bound(acc.learnNum / Math.max(acc.learnDen, FLOOR), 1 - FLOOR),
      pGuess: bound(acc.guessNum / Math.max(acc.guessDen, FLOOR), MAX_SLIP_GUESS),
      pSlip: bound(acc.slipNum / Math.max(acc.slipDen, FLOOR), MAX_SLIP_GUESS),
      pForget: 0,
    };
    if (Math.abs(logLikelihood - previous) < (options.tolerance ?? 1e-6)) break;
    previous = logLikelihood;
  }
  return { fitted: true, params: p, students: usable.length, responses, logLikelihood, iterations };
}

function bound(x: number, max: number): number {
  return Math.min(max, Math.max(FLOOR, Number.isFinite(x) ? x : FLOOR));
}

interface Accumulator {
  init: number;
  learnNum: number;
  learnDen: number;
  guessNum: number;
  guessDen: number;
  slipNum: number;
  slipDen: number;
  ll: number;
}

/** Scaled forward–backward for one sequence; adds its expected counts to acc. State 1 = knows. */
function accumulate(obs: readonly boolean[], p: BktParams, acc: Accumulator): void {
  const n = obs.length;
  const emit = (state: 0 | 1, o: boolean) => (state === 1 ? (o ? 1 - p.pSlip : p.pSlip) : o ? p.pGuess : 1 - p.pGuess);
  const a0 = new Float64Array(n);
  const a1 = new Float64Array(n);
  const scale = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const o = obs[t]!;
    let f0: number;
    let f1: number;
    if (t === 0) {
      f0 = (1 - p.pInit) * emit(0, o);
      f1 = p.pInit * emit(1, o);
    } else {
      f0 = a0[t - 1]! * (1 - p.pLearn) * emit(0, o);
      f1 = (a0[t - 1]! * p.pLearn + a1[t - 1]!) * emit(1, o);
    }
    const c = f0 + f1 || Number.MIN_VALUE;
    scale[t] = c;
    a0[t] = f0 / c;
    a1[t] = f1 / c;
    acc.ll += Math.log(c);
  }
  let b0 = 1;
  let b1 = 1;
  for (let t = n - 1; t >= 0; t--) {
    const o = obs[t]!;
    const g0 = a0[t]! * b0;
    const g1 = a1[t]! * b1;
    const gs = g0 + g1 || Number.MIN_VALUE;
    const gamma0 = g0 / gs;
    const gamma1 = g1 / gs;
    if (t === 0) acc.init += gamma1;
    acc.guessDen += gamma0;
    acc.slipDen += gamma1;
    if (o) acc.guessNum += gamma0;
    else acc.slipNum += gamma1;
    if (t > 0) {
      // ξ(0→1) at step t−1→t, and γ(0) at t−1 for the denominator of P(T).
      const e0 = emit(0, o);
      const e1 = emit(1, o);
      const x00 = a0[t - 1]! * (1 - p.pLearn) * e0 * b0;
      const x01 = a0[t - 1]! * p.pLearn * e1 * b1;
      const x11 = a1[t - 1]! * e1 * b1;
      const xs = x00 + x01 + x11 || Number.MIN_VALUE;
      acc.learnNum += x01 / xs;
      acc.learnDen += (x00 + x01) / xs;
      const nb0 = ((1 - p.pLearn) * e0 * b0 + p.pLearn * e1 * b1) / scale[t]!;
      const nb1 = (e1 * b1) / scale[t]!;
      b0 = nb0;
      b1 = nb1;
    }
  }
}
