import { seededRng, type Rng } from './random.js';
import { masteryBand, recommendPathways, type MasteryBand, type PathwayOutcome } from './recommendation.js';
import { simulateUnitClass } from './simulation-unit.js';
import type { Competency, Modality } from './unit-schema.js';

/**
 * A class simulation for the recommender (`npm run simulate`): students arrive one at a time and
 * take one competency's check after one of its pathways. Each student has a prior mastery (seen
 * by Pathwise only through the band of 10 earlier answers), a hidden trait (which pathway suits
 * them, never seen) and a stated preference that, as in the research, predicts nothing. Whether
 * the first attempt passes depends on the pathway, the prior mastery and the hidden trait.
 */
export type Policy = 'pathwise' | 'random' | 'oracle' | 'visible_oracle' | 'informed';

const MODALITIES: Modality[] = ['watch', 'read', 'practice'];
/** Which pathway suits a band best: the signal a contextual recommender can learn. */
const BEST_FOR_BAND: Record<MasteryBand, number> = { new: 0, low: 2, high: 1 };

const competency = {
  id: 'sim',
  pathways: MODALITIES.map((m, i) => ({ id: `p${i}`, modalities: [m] })),
} as unknown as Competency;

interface SimStudent {
  band: MasteryBand;
  prior: number;
  trait: number;
  preferred: Modality;
}

function drawStudent(rng: Rng): SimStudent {
  const prior = rng();
  let right = 0;
  for (let i = 0; i < 10; i++) if (rng() < prior) right++;
  // A quarter of students are new to the unit (no earlier answers).
  const band = rng() < 0.25 ? 'new' : masteryBand(right, 10);
  return { band, prior, trait: Math.floor(rng() * 3), preferred: MODALITIES[Math.floor(rng() * 3)]! };
}

/** The true chance that `s` passes on the first try after pathway `p`. */
export function passChance(s: SimStudent, p: number): number {
  return 0.2 + 0.3 * s.prior + (p === BEST_FOR_BAND[s.band] ? 0.3 : 0) + (p === s.trait ? 0.1 : 0);
}

/** Mean first-try pass chance of the first `window` students and of all, for one class under one policy. */
export function simulateClass(policy: Policy, students: number, window: number, seed: number): { first: number; all: number } {
  const rng = seededRng(seed);
  const draws = seededRng(seed * 7919 + 1);
  const course: PathwayOutcome[] = [];
  let sumFirst = 0;
  let sumAll = 0;
  for (let i = 0; i < students; i++) {
    const s = drawStudent(rng);
    let p: number;
    if (policy === 'random') p = Math.floor(draws() * 3);
    else if (policy === 'oracle') p = [0, 1, 2].reduce((best, q) => (passChance(s, q) > passChance(s, best) ? q : best), 0);
    else if (policy === 'visible_oracle') p = BEST_FOR_BAND[s.band];
    else if (policy === 'informed') p = informedPick(course, s.band, draws);
    else {
      const top = recommendPathways({ competency, preferredModalities: [s.preferred], band: s.band, course, rng: draws })[0]!;
      p = Number(top.pathwayId.slice(1));
    }
    const chance = passChance(s, p);
    const passed = rng() < chance;
    const row = course.find((o) => o.pathwayId === `p${p}` && o.band === s.band);
    if (row) {
      row.chose++;
      if (passed) row.passedFirst++;
    } else course.push({ pathwayId: `p${p}`, band: s.band, chose: 1, passedFirst: passed ? 1 : 0 });
    sumAll += chance;
    if (i < window) sumFirst += chance;
  }
  return { first: sumFirst / Math.min(window, students), all: sumAll / students };
}

/**
 * A learner told the world's form — one pathway per band adds 0.3 to the pass chance — but not
 * which one: it picks the pathway most likely to be the band's, from the band's first attempts so
 * far (the likelihood of each hypothesis, with the mean prior mastery). A reference for what the
 * first students can teach at best, not a policy for real classes, whose world has no known form.
 */
function informedPick(course: readonly PathwayOutcome[], band: MasteryBand, draws: Rng): number {
  let best = 0;
  let bestLog = -Infinity;
  for (let h = 0; h < 3; h++) {
    let log = draws() * 1e-9; // ties broken at random
    for (const o of course) {
      if (o.band !== band) continue;
      const chance = 0.2 + 0.3 * 0.5 + (o.pathwayId === `p${h}` ? 0.3 : 0) + 0.1 / 3;
      log += o.passedFirst * Math.log(chance) + (o.chose - o.passedFirst) * Math.log(1 - chance);
    }
    if (log > bestLog) {
      bestLog = log;
      best = h;
    }
  }
  return best;
}

export interface SimulationRow {
  students: number;
  random: { first: number; all: number };
  pathwise: { first: number; all: number };
  oracle: { first: number; all: number };
  /** An oracle that sees only what Pathwise sees (the band): the part of the gap no policy blind to the hidden trait can close is oracle − this. */
  visibleOracle: { first: number; all: number };
  /** A learner told the world's form but not which pathway suits which band (informedPick). */
  informed: { first: number; all: number };
  /** Share of the random → oracle gap that following Pathwise closes. */
  gapClosedFirst: number;
  gapClosedAll: number;
  /** The same for the visible oracle and the informed learner. */
  visibleGapClosedFirst: number;
  informedGapClosedFirst: number;
  /** Classes in which following Pathwise did worse than picking at random (first `window` students), of `runs`. */
  worseFirst: number;
  runs: number;
}

/** One competency per student (simulateClass), or the product's flow through a unit (simulateUnitClass), `same` or `mixed`. */
export type World = 'competency' | 'unit' | 'unit_mixed';

/**
 * Averages `runs` classes of each size under each policy (the same students for every policy);
 * classes are seeded `seed`, `seed + 1`, …
 */
export function simulate(sizes: readonly number[], runs: number, window = 60, world: World = 'competency', seed = 1000): SimulationRow[] {
  const play =
    world === 'competency'
      ? simulateClass
      : (policy: Policy, students: number, window: number, seed: number) =>
          simulateUnitClass(policy, students, window, seed, world === 'unit' ? 'same' : 'mixed');
  return sizes.map((students) => {
    const perClass: Record<string, number[]> = {};
    const mean = (policy: Policy) => {
      let first = 0;
      let all = 0;
      perClass[policy] = [];
      for (let r = 0; r < runs; r++) {
        const x = play(policy, students, window, seed + r);
        first += x.first;
        all += x.all;
        perClass[policy].push(x.first);
      }
      return { first: first / runs, all: all / runs };
    };
    const random = mean('random');
    const pathwise = mean('pathwise');
    const worseFirst = perClass.pathwise!.filter((x, r) => x < perClass.random![r]!).length;
    const oracle = mean('oracle');
    const visibleOracle = mean('visible_oracle');
    const informed = mean('informed');
    const closed = (x: { first: number }) => (x.first - random.first) / (oracle.first - random.first);
    return {
      students,
      random,
      pathwise,
      oracle,
      visibleOracle,
      informed,
      visibleGapClosedFirst: closed(visibleOracle),
      informedGapClosedFirst: closed(informed),
      gapClosedFirst: closed(pathwise),
      gapClosedAll: (pathwise.all - random.all) / (oracle.all - random.all),
      worseFirst,
      runs,
    };
  });
}
