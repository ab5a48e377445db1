import { describe, expect, it } from 'vitest';
import type { MasteryLevel } from '../../../src/learning/mastery/level.js';
import { competencyProgress, unitScore } from '../../../src/learning/progression.js';
import { buildUnit } from './fixtures.js';

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

  it('unit score = share of competencies mastered × line item maximum', () => {
    expect(unitScore(unit, levels({}), 100)).toMatchObject({ scoreGiven: 0, activityProgress: 'Initialized' });
    expect(unitScore(unit, levels({ a: 'mastered', b: 'approaching' }), 100)).toMatchObject({
      scoreGiven: 33.33, mastered: 1, total: 3, activityProgress: 'InProgress', comment: '1 of 3 competencies mastered',
    });
    expect(unitScore(unit, levels({ a: 'mastered', b: 'mastered', c: 'mastered' }), 10)).toMatchObject({ scoreGiven: 10, activityProgress: 'Completed' });
  });
});
