import { DEFAULT_PFA, PFA_SKILL_TERM_INDEX, PFA_SKILL_TERMS, PFA_TERMS, PfaTracker, sigmoid, type PfaModel, type PfaSkillAdjustment } from './pfa.js';

/** One student's answers in order, on competencies named by `skills`. */
export interface SkillSequence {
  skills: readonly string[];
  correct: readonly boolean[];
}

export interface PfaFitOptions {
  /** Where the weights start and what they are pulled toward (default: DEFAULT_PFA). */
  prior?: PfaModel;
  /** Ridge strength toward the prior's shared weights; small, so plenty of data decides. */
  sharedPenalty?: number;
  /** Ridge strength toward the prior for each competency's adjustments: how much a small class borrows. */
  skillPenalty?: number;
  maxIterations?: number;
}

export interface PfaFit {
  model: PfaModel;
  answers: number;
  iterations: number;
  logLikelihood: number;
}

const D = PFA_TERMS.length;
/** Parameters per competency: its easiness and its slopes of PFA_SKILL_TERMS. */
const S = 1 + PFA_SKILL_TERMS.length;

/**
 * Fits the shared weights and each competency's adjustment by penalised maximum likelihood
 * (Newton's method on the ridge-penalised logistic likelihood). The ridge prior is the
 * empirical-Bayes pooling: a competency with few answers keeps the prior's difficulty and slopes,
 * one with many answers gets its own. Works with any amount of data, even none.
 */
export function fitPfa(sequences: readonly SkillSequence[], options: PfaFitOptions = {}): PfaFit {
  const prior = options.prior ?? DEFAULT_PFA;
  const sharedPenalty = options.sharedPenalty ?? 1;
  const skillPenalty = options.skillPenalty ?? 20;
  const skillIndex = new Map<string, number>();
  let n = 0;
  for (const s of sequences) {
    n += s.correct.length;
    for (const k of s.skills) if (!skillIndex.has(k)) skillIndex.set(k, skillIndex.size);
  }
  const K = skillIndex.size;
  const P = D + S * K;
  // Design: the D shared terms per answer, the answer's competency, and the outcome.
  const X = new Float64Array(n * D);
  const skillOf = new Int32Array(n);
  const y = new Uint8Array(n);
  const counts = new Float64Array(K);
  let row = 0;
  const x = new Float64Array(D);
  for (const s of sequences) {
    const tracker = new PfaTracker(prior);
    for (let t = 0; t < s.correct.length; t++) {
      const k = s.skills[t]!;
      tracker.features(k, x);
      X.set(x, row * D);
      skillOf[row] = skillIndex.get(k)!;
      counts[skillOf[row]!]!++;
      y[row] = s.correct[t] ? 1 : 0;
      tracker.observe(k, s.correct[t]!);
      row++;
    }
  }
  const theta0 = new Float64Array(P);
  const penalty = new Float64Array(P);
  PFA_TERMS.forEach((term, j) => {
    theta0[j] = prior.weights[term];
    penalty[j] = sharedPenalty;
  });
  for (const [k, i] of skillIndex) {
    const adj = prior.skills[k];
    theta0[D + S * i] = adj?.easiness ?? 0;
    PFA_SKILL_TERMS.forEach((t, a) => (theta0[D + S * i + 1 + a] = adj?.[t] ?? 0));
    for (let a = 0; a < S; a++) penalty[D + S * i + a] = skillPenalty;
  }
  const theta = Float64Array.from(theta0);
  const idx = new Int32Array(D + S);
  const v = new Float64Array(D + S);
  const rowOf = (r: number) => {
    const base = r * D;
    for (let j = 0; j < D; j++) {
      idx[j] = j;
      v[j] = X[base + j]!;
    }
    const k = D + S * skillOf[r]!;
    idx[D] = k;
    v[D] = 1;
    for (let a = 1; a < S; a++) {
      idx[D + a] = k + a;
      v[D + a] = X[base + PFA_SKILL_TERM_INDEX[a - 1]!]!;
    }
  };
  const objective = (th: Float64Array) => {
    let ll = 0;
    for (let r = 0; r < n; r++) {
      rowOf(r);
      let z = 0;
      for (let a = 0; a < D + S; a++) z += th[idx[a]!]! * v[a]!;
      ll += y[r] ? -softplus(-z) : -softplus(z);
    }
    let pen = 0;
    for (let j = 0; j < P; j++) pen += 0.5 * penalty[j]! * (th[j]! - theta0[j]!) ** 2;
    return { ll, value: -ll + pen };
  };
  let current = objective(theta);
  let iterations = 0;
  const maxIterations = options.maxIterations ?? 25;
  // The Hessian is an arrowhead of blocks: each answer touches the shared weights and its own
  // competency's S parameters only. Accumulated as A (shared × shared), B (shared × each
  // competency's) and C (each competency's own block), and solved by the Schur complement on the
  // shared block: linear in the number of competencies instead of a cubic dense solve.
  const A = new Float64Array(D * D);
  const B = new Float64Array(K * D * S);
  const C = new Float64Array(K * S * S);
  for (; iterations < maxIterations && n > 0; iterations++) {
    const g = new Float64Array(P);
    A.fill(0);
    B.fill(0);
    C.fill(0);
    for (let r = 0; r < n; r++) {
      rowOf(r);
      let z = 0;
      for (let a = 0; a < D + S; a++) z += theta[idx[a]!]! * v[a]!;
      const p = sigmoid(z);
      const e = p - y[r]!;
      const w = p * (1 - p);
      for (let a = 0; a < D + S; a++) g[idx[a]!]! += e * v[a]!;
      const bBase = skillOf[r]! * D * S;
      const cBase = skillOf[r]! * S * S;
      for (let a = 0; a < D; a++) {
        const wa = w * v[a]!;
        for (let b = 0; b <= a; b++) A[a * D + b]! += wa * v[b]!;
        for (let b = 0; b < S; b++) B[bBase + a * S + b]! += wa * v[D + b]!;
      }
      for (let a = 0; a < S; a++) {
        const wa = w * v[D + a]!;
        for (let b = 0; b <= a; b++) C[cBase + a * S + b]! += wa * v[D + b]!;
      }
    }
    for (let j = 0; j < P; j++) g[j]! += penalty[j]! * (theta[j]! - theta0[j]!);
    for (let j = 0; j < D; j++) A[j * D + j]! += penalty[j]! + 1e-9;
    for (let k = 0; k < K; k++) for (let a = 0; a < S; a++) C[k * S * S + a * S + a]! += penalty[D + S * k + a]! + 1e-9;
    const step = solveArrowhead(A, B, C, g, K);
    let scale = 1;
    let accepted = false;
    for (let half = 0; half < 20; half++) {
      const candidate = new Float64Array(P);
      for (let j = 0; j < P; j++) candidate[j] = theta[j]! - scale * step[j]!;
      const next = objective(candidate);
      if (next.value <= current.value + 1e-12) {
        const gain = current.value - next.value;
        theta.set(candidate);
        current = next;
        accepted = gain > 1e-7 * Math.max(1, Math.abs(next.value));
        break;
      }
      scale /= 2;
    }
    if (!accepted) break;
  }
  const weights = Object.fromEntries(PFA_TERMS.map((t, j) => [t, theta[j]!])) as PfaModel['weights'];
  const skills: Record<string, PfaSkillAdjustment> = { ...prior.skills };
  for (const [k, i] of skillIndex) {
    const adj: PfaSkillAdjustment = { easiness: theta[D + S * i]!, rightHere: 0, wrongHere: 0, answers: counts[i]! + (prior.skills[k]?.answers ?? 0) };
    PFA_SKILL_TERMS.forEach((t, a) => (adj[t] = theta[D + S * i + 1 + a]!));
    skills[k] = adj;
  }
  return { model: { weights, skills }, answers: n, iterations, logLikelihood: current.ll };
}

function softplus(z: number): number {
  return z > 30 ? z : Math.log1p(Math.exp(z));
}

/**
 * Solves H·x = g for the fit's arrowhead Hessian: shared block A (D × D), coupling blocks B_k
 * (D × S) and each competency's block C_k (S × S), lower triangles of A and C filled. Eliminates
 * each competency's block (x_k = C_k⁻¹(g_k − B_kᵀx_s)), solves the shared block's Schur
 * complement, then substitutes back. Destroys A and C.
 */
function solveArrowhead(A: Float64Array, B: Float64Array, C: Float64Array, g: Float64Array, K: number): Float64Array {
  const schur = A;
  symmetrise(schur, D);
  const rhs = Float64Array.from(g.subarray(0, D));
  const CiBt = new Float64Array(K * S * D);
  const Cig = new Float64Array(K * S);
  const Ck = new Float64Array(S * S);
  const col = new Float64Array(S);
  for (let k = 0; k < K; k++) {
    Ck.set(C.subarray(k * S * S, (k + 1) * S * S));
    symmetrise(Ck, S);
    choleskyInPlace(Ck, S);
    const Bk = B.subarray(k * D * S, (k + 1) * D * S);
    // C_k⁻¹ B_kᵀ, one shared weight (a column of B_kᵀ) at a time.
    for (let j = 0; j < D; j++) {
      for (let a = 0; a < S; a++) col[a] = Bk[j * S + a]!;
      const x = choleskySolve(Ck, col, S);
      for (let a = 0; a < S; a++) CiBt[k * S * D + a * D + j] = x[a]!;
    }
    const x = choleskySolve(Ck, g.subarray(D + S * k, D + S * (k + 1)), S);
    Cig.set(x, k * S);
    for (let i = 0; i < D; i++) {
      let r = 0;
      for (let a = 0; a < S; a++) {
        const bia = Bk[i * S + a]!;
        r += bia * x[a]!;
        const row = CiBt.subarray(k * S * D + a * D, k * S * D + (a + 1) * D);
        for (let j = 0; j < D; j++) schur[i * D + j]! -= bia * row[j]!;
      }
      rhs[i]! -= r;
    }
  }
  choleskyInPlace(schur, D);
  const xs = choleskySolve(schur, rhs, D);
  const out = new Float64Array(D + S * K);
  out.set(xs, 0);
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < S; a++) {
      let r = Cig[k * S + a]!;
      for (let j = 0; j < D; j++) r -= CiBt[k * S * D + a * D + j]! * xs[j]!;
      out[D + S * k + a] = r;
    }
  }
  return out;
}

/** Copies the lower triangle (where rows were accumulated) onto the upper one. */
function symmetrise(H: Float64Array, P: number): void {
  for (let i = 0; i < P; i++) {
    for (let j = 0; j < i; j++) {
      const s = H[i * P + j]! + H[j * P + i]!;
      H[i * P + j] = s;
      H[j * P + i] = s;
    }
  }
}

/** Replaces the lower triangle of a symmetric positive definite H (P × P) with its Cholesky factor L. */
function choleskyInPlace(H: Float64Array, P: number): void {
  for (let j = 0; j < P; j++) {
    let d = H[j * P + j]!;
    for (let k = 0; k < j; k++) d -= H[j * P + k]! ** 2;
    const l = Math.sqrt(Math.max(d, 1e-12));
    H[j * P + j] = l;
    for (let i = j + 1; i < P; i++) {
      let s = H[i * P + j]!;
      for (let k = 0; k < j; k++) s -= H[i * P + k]! * H[j * P + k]!;
      H[i * P + j] = s / l;
    }
  }
}

/** Solves L·Lᵀ·x = g with L from choleskyInPlace. */
function choleskySolve(L: Float64Array, g: ArrayLike<number>, P: number): Float64Array {
  const z = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    let s = g[i]!;
    for (let k = 0; k < i; k++) s -= L[i * P + k]! * z[k]!;
    z[i] = s / L[i * P + i]!;
  }
  const x = new Float64Array(P);
  for (let i = P - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < P; k++) s -= L[k * P + i]! * x[k]!;
    x[i] = s / L[i * P + i]!;
  }
  return x;
}
