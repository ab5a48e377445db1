import { ownWeight } from './pathway-kinds.js';
import { seededRng, shuffle, type Rng } from './random.js';
import { masteryBand, recommendPathways, type KindOutcome, type MasteryBand, type OwnFirstAttempt, type PathwayOutcome } from './recommendation.js';
import type { Competency, Modality } from './unit-schema.js';

/**
 * The unit world of `npm run simulate`: the product's flow. Each student works through a unit's
 * K competencies in order (K = 4 or 5, as in the sample units) and chooses a pathway for each.
 * The one-competency world's model is kept: three pathways per competency, one per modality
 * (watch, read, practice; their order shuffled per competency); a hidden trait (the modality that
 * suits the student, +0.1) and a stated preference (predicts nothing) that persist across the
 * unit; a prior mastery drawn per competency, which Pathwise sees only as the band of 10 answers
 * (a quarter of students are new to the unit at their first competency); the modality that suits
 * the band (+0.3) is the one-competency world's pathway for the band (new: watch, low: practice,
 * high: read) on every competency. A new student arrives each time the others move on one
 * competency, so a class is spread over the unit as a self-paced class is.
 */
export type UnitPolicy = 'pathwise' | 'random' | 'oracle' | 'visible_oracle' | 'informed';

/**
 * `same`: the modality that suits a band is the same on every competency (the one-competency
 * world's). `mixed`, a check on pooling: it is drawn afresh for each competency, so the unit's
 * other competencies say nothing about this one's pathways.
 */
export type Suitability = 'same' | 'mixed';

const MODALITIES: Modality[] = ['watch', 'read', 'practice'];
const BEST_FOR_BAND: Record<MasteryBand, Modality> = { new: 'watch', low: 'practice', high: 'read' };

interface UnitStudent {
  trait: Modality;
  preferred: Modality;
  /** Per competency: prior mastery and the band Pathwise sees. */
  steps: { prior: number; band: MasteryBand }[];
}

function drawStudent(rng: Rng, k: number): UnitStudent {
  const trait = MODALITIES[Math.floor(rng() * 3)]!;
  const preferred = MODALITIES[Math.floor(rng() * 3)]!;
  const steps = Array.from({ length: k }, (_, c) => {
    const prior = rng();
    let right = 0;
    for (let i = 0; i < 10; i++) if (rng() < prior) right++;
    const band: MasteryBand = c === 0 && rng() < 0.25 ? 'new' : masteryBand(right, 10);
    return { prior, band };
  });
  return { trait, preferred, steps };
}

/** The true chance of a first-try pass after a pathway of modality `m`: the one-competency world's formula. */
export function unitPassChance(prior: number, best: Modality, trait: Modality, m: Modality): number {
  return 0.2 + 0.3 * prior + (m === best ? 0.3 : 0) + (m === trait ? 0.1 : 0);
}

/** Mean first-try pass chance over the competencies of the first `window` students and of all, for one class. */
export function simulateUnitClass(
  policy: UnitPolicy,
  students: number,
  window: number,
  seed: number,
  suitability: Suitability = 'same',
): { first: number; all: number } {
  const rng = seededRng(seed);
  const draws = seededRng(seed * 7919 + 1);
  const k = rng() < 0.5 ? 4 : 5;
  const competencies = Array.from(
    { length: k },
    (_, c) => ({ id: `c${c}`, pathways: shuffle(MODALITIES, rng).map((m) => ({ id: `c${c}-${m}`, modalities: [m] })) }) as unknown as Competency,
  );
  const suits = competencies.map(() => {
    if (suitability === 'same') return BEST_FOR_BAND;
    const order = shuffle(MODALITIES, rng);
    return { new: order[0]!, low: order[1]!, high: order[2]! };
  });
  const people = Array.from({ length: students }, () => drawStudent(rng, k));
  const outcomes = new Map<string, PathwayOutcome[]>(competencies.map((c) => [c.id, []]));
  const unit: KindOutcome[] = [];
  const own: OwnFirstAttempt[][] = people.map(() => []);
  let sumFirst = 0;
  let sumAll = 0;
  // Step t: student i (arrived at step i) takes competency t − i.
  for (let t = 0; t < students + k - 1; t++) {
    for (let i = Math.max(0, t - k + 1); i <= Math.min(t, students - 1); i++) {
      const c = t - i;
      const s = people[i]!;
      const { prior, band } = s.steps[c]!;
      const competency = competencies[c]!;
      const modalities = competency.pathways.map((p) => p.modalities[0]!);
      const best = suits[c]![band];
      const chance = (m: Modality) => unitPassChance(prior, best, s.trait, m);
      let m: Modality;
      if (policy === 'random') m = modalities[Math.floor(draws() * 3)]!;
      else if (policy === 'oracle') m = modalities.reduce((best, q) => (chance(q) > chance(best) ? q : best));
      else if (policy === 'visible_oracle') m = best;
      else if (policy === 'informed') m = informedPick(suitability === 'same' ? unit : unit.filter((o) => o.competencyId === competency.id), band, draws);
      else {
        const course = outcomes.get(competency.id)!;
        const weight = ownWeight(own, unit);
        const top = recommendPathways({ competency, preferredModalities: [s.preferred], band, course, unit, own: own[i]!, ownWeight: weight, rng: draws })[0]!;
        m = competency.pathways.find((p) => p.id === top.pathwayId)!.modalities[0]!;
      }
      const p = chance(m);
      const passed = rng() < p;
      record(outcomes.get(competency.id)!, unit, competency.id, `${competency.id}-${m}`, m, band, passed);
      own[i]!.push({ competencyId: competency.id, modalities: [m], band, passed });
      sumAll += p;
      if (i < window) sumFirst += p;
    }
  }
  return { first: sumFirst / (Math.min(window, students) * k), all: sumAll / (students * k) };
}

function record(course: PathwayOutcome[], unit: KindOutcome[], competencyId: string, pathwayId: string, m: Modality, band: MasteryBand, passed: boolean): void {
  const row = course.find((o) => o.pathwayId === pathwayId && o.band === band);
  if (row) {
    row.chose++;
    if (passed) row.passedFirst++;
  } else course.push({ pathwayId, band, chose: 1, passedFirst: passed ? 1 : 0 });
  const kind = unit.find((o) => o.competencyId === competencyId && o.modalities[0] === m && o.band === band);
  if (kind) {
    kind.chose++;
    if (passed) kind.passedFirst++;
  } else unit.push({ competencyId, modalities: [m], band, chose: 1, passedFirst: passed ? 1 : 0 });
}

/**
 * A learner told the world's form — one modality per band adds 0.3, on every competency (`same`)
 * or per competency (`mixed`) — but not which: it picks the modality most likely to be the band's
 * from the band's first attempts so far (on the whole unit, or on this competency). A reference for what the first students can teach at best.
 */
function informedPick(unit: readonly KindOutcome[], band: MasteryBand, draws: Rng): Modality {
  let best: Modality = 'watch';
  let bestLog = -Infinity;
  for (const h of MODALITIES) {
    let log = draws() * 1e-9; // ties broken at random
    for (const o of unit) {
      if (o.band !== band) continue;
      const chance = 0.2 + 0.3 * 0.5 + (o.modalities[0] === h ? 0.3 : 0) + 0.1 / 3;
      log += o.passedFirst * Math.log(chance) + (o.chose - o.passedFirst) * Math.log(1 - chance);
    }
    if (log > bestLog) {
      bestLog = log;
      best = h;
    }
  }
  return best;
}
