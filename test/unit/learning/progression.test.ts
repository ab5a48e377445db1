import { describe, expect, it } from 'vitest';
import type { MasteryLevel } from '../../../src/learning/mastery/level.js';
import { competencyProgress, unitScore } from '../../../src/learning/progression.js';
import { estimateMastery } from '../../../src/learning/mastery/estimate.js';
import { masteryMethodSchema } from '../../../src/learning/mastery/method-config.js';
import { buildUnit, buildUnitInput } from './fixtures.js';

const unit = buildUnit();
const levels = (o: Record<string, MasteryLevel>) => new Map(Object.entries(o));
const states = (l: Map<string, MasteryLevel>, w?: Set<string>) => competencyProgress(unit, l, w).map((p) => p.state);

describe('progression', () => {
  it('opens a competency when all its prerequisites are mastered', () => {
    expect(states(levels({}))).toEqual(['open', 'locked', 'locked']);
    expect(states(levels({ a: 'approaching' }))).toEqual(['open', 'locked', 'locked']);
    expect(states(levels({ a: 'mastered' }))).toEqual(['mastered', 'open', 'locked']);
    expect(states(levels({ a: 'mastered', b: 'mastered' }))).toEqual(['mastered', 'mastered', 'open']);
  });

  it('names the missing prerequisites, and a waiver opens a competency', () => {
    const p = competencyProgress(unit, levels({ a: 'mastered' }));
    expect(p[2]).toMatchObject({ state: 'locked', missing: ['b'] });
    expect(states(levels({}), new Set(['c']))).toEqual(['open', 'locked', 'open']);
  });

  it('closes dependants again when a prerequisite drops below mastered', () => {
    expect(states(levels({ a: 'developing', b: 'mastered' }))).toEqual(['open', 'mastered', 'locked']);
  });

  it('unit score, points per level (the default): not started 0, developing ⅓, approaching ⅔, mastered 1', () => {
    expect(unit.scorePolicy).toBe('level_points');
    expect(unitScore(unit, levels({}), 100)).toMatchObject({ scoreGiven: 0, activityProgress: 'Initialized' });
    // (1 + ⅔ + ⅓) / 3 × 100
    expect(unitScore(unit, levels({ a: 'mastered', b: 'approaching', c: 'developing' }), 100)).toMatchObject({
      scoreGiven: 66.67,
      mastered: 1,
      total: 3,
      activityProgress: 'InProgress',
      comment: '1 of 3 competencies mastered',
    });
    expect(unitScore(unit, levels({ a: 'mastered', b: 'mastered', c: 'mastered' }), 10)).toMatchObject({ scoreGiven: 10, activityProgress: 'Completed' });
  });

  it('one failed and then one passed check does not read as 0 in the gradebook', () => {
    const one = buildUnit({ competencies: [buildUnitInput().competencies[0]!] });
    const method = masteryMethodSchema.parse({ method: 'pfa' });
    let t = 0;
    const at = (responses: boolean[]) => ({
      attemptId: `x${t}`,
      score: responses.filter(Boolean).length / responses.length,
      submittedAt: new Date(++t * 1000),
      responses,
    });
    const level = estimateMastery(method, [at([false, false]), at([true, true])], undefined, { competencyId: 'a' }).level;
    expect(level).not.toBe('not_started');
    expect(unitScore(one, new Map([['a', level]]), 100).scoreGiven).toBeGreaterThan(0);
    expect(unitScore({ ...one, scorePolicy: 'mastered_only' }, new Map([['a', 'approaching']]), 100).scoreGiven).toBe(0);
  });

  it('unit score, mastered only: share of competencies mastered × line item maximum', () => {
    const unit = buildUnit({ scorePolicy: 'mastered_only' });
    expect(unitScore(unit, levels({}), 100)).toMatchObject({ scoreGiven: 0, activityProgress: 'Initialized' });
    expect(unitScore(unit, levels({ a: 'mastered', b: 'approaching' }), 100)).toMatchObject({
      scoreGiven: 33.33,
      mastered: 1,
      total: 3,
      activityProgress: 'InProgress',
      comment: '1 of 3 competencies mastered',
    });
    expect(unitScore(unit, levels({ a: 'mastered', b: 'mastered', c: 'mastered' }), 10)).toMatchObject({ scoreGiven: 10, activityProgress: 'Completed' });
  });
});
