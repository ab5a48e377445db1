import type { Item } from './items/item-schema.js';
import { correctAnswer, scoreItem, type ItemResult } from './items/score-item.js';
import { shuffle, type Rng } from './random.js';
import type { MasteryCheck } from './unit-schema.js';

/**
 * Draws n items from a bank at random. When items are tagged, the draw is balanced across
 * their first tags: tags take turns (in random order), so counts per tag differ by at most one
 * unless a tag runs out of items. Untagged items form one group of their own.
 */
export function drawItems(bank: readonly Item[], n: number, rng: Rng): Item[] {
  const groups = new Map<string, Item[]>();
  for (const item of bank) {
    const tag = item.tags[0] ?? '';
    groups.set(tag, [...(groups.get(tag) ?? []), item]);
  }
  const queues = shuffle([...groups.values()], rng).map((g) => shuffle(g, rng));
  const picked: Item[] = [];
  const limit = Math.min(n, bank.length);
  while (picked.length < limit) {
    for (const q of queues) {
      if (picked.length >= limit) break;
      const next = q.shift();
      if (next) picked.push(next);
    }
  }
  return shuffle(picked, rng);
}

export interface ScoredItem extends ItemResult {
  points: number;
  correctAnswer: string;
}

export interface CheckResult {
  /** Points earned over points possible, in [0, 1]. */
  score: number;
  passed: boolean;
  items: ScoredItem[];
}

/** Scores an attempt's answers (keyed by item id) against the items drawn for it. */
export function scoreCheck(check: Pick<MasteryCheck, 'passThreshold'>, items: readonly Item[], answers: Readonly<Record<string, unknown>>): CheckResult {
  let earned = 0;
  let possible = 0;
  const scored = items.map((item) => {
    const r = scoreItem(item, Object.hasOwn(answers, item.id) ? answers[item.id] : undefined);
    earned += r.credit * item.points;
    possible += item.points;
    return { ...r, points: item.points, correctAnswer: correctAnswer(item) };
  });
  const score = possible > 0 ? earned / possible : 0;
  return { score, passed: score >= check.passThreshold - 1e-9, items: scored };
}
