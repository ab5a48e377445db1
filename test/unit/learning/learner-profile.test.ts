import { describe, expect, it } from 'vitest';
import { canEditLearnerData, canViewLearnerData, goalSchema, profileUpdateSchema, reflectionSchema } from '../../../src/learning/learner-profile.js';

describe('learner profile', () => {
  it('validates preferences, goals and reflections', () => {
    expect(profileUpdateSchema.safeParse({ interests: ['music'], preferredModalities: ['watch', 'build'] }).success).toBe(true);
    expect(profileUpdateSchema.safeParse({ interests: [], preferredModalities: ['watch', 'watch'] }).success).toBe(false);
    expect(profileUpdateSchema.safeParse({ interests: [], preferredModalities: ['dance'] }).success).toBe(false);
    expect(goalSchema.parse({ text: 'Finish unit 1' })).toEqual({ text: 'Finish unit 1', targetDate: null, status: 'active' });
    expect(goalSchema.safeParse({ text: 'x', targetDate: '2025-13-01' }).success).toBe(false);
    const r = { unitId: crypto.randomUUID(), competencyId: 'a', whatHelped: 'the video' };
    expect(reflectionSchema.safeParse({ ...r, confidence: 5 }).success).toBe(true);
    expect(reflectionSchema.safeParse({ ...r, confidence: 0 }).success).toBe(false);
    expect(reflectionSchema.safeParse({ ...r, confidence: 6 }).success).toBe(false);
  });

  it('is visible to the student and their teachers only, and editable by the student only', () => {
    expect(canViewLearnerData({ userId: 's1', teachesLearner: false }, 's1')).toBe(true);
    expect(canViewLearnerData({ userId: 't1', teachesLearner: true }, 's1')).toBe(true);
    expect(canViewLearnerData({ userId: 's2', teachesLearner: false }, 's1')).toBe(false);
    expect(canEditLearnerData('t1', 's1')).toBe(false);
    expect(canEditLearnerData('s1', 's1')).toBe(true);
  });
});
