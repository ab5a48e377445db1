import { describe, expect, it } from 'vitest';
import type { UnitDocument } from '../../../../src/learning/unit-schema.js';
import type { ClassAttempt } from '../../../../src/web/routes/teacher/queries.js';
import { classChecksOf, needsAttention, type ClassData } from '../../../../src/web/view-models/teacher-dashboard.js';

const now = new Date('2026-12-05T10:00:00Z');
const unit = { competencies: [{ id: 'c1', title: 'Simplify', pathways: [] }] } as unknown as UnitDocument;
const learner = (userId: string) => ({
  userId,
  sub: userId,
  name: `Learner ${userId}`,
  givenName: null,
  familyName: null,
  email: null,
  roles: ['Learner'],
  status: 'Active' as const,
  launched: true,
  lastLaunchAt: now,
});
let n = 0;
const attempt = (userId: string, passed: boolean): ClassAttempt => {
  const at = new Date(now.getTime() - 86_400_000 + ++n * 1000);
  return { id: `a${n}`, userId, competencyId: 'c1', pathwayId: null, status: 'submitted', passed, score: passed ? 1 : 0, startedAt: at, submittedAt: at };
};
const classOf = (ids: string[], attempts: ClassAttempt[], help: ClassData['help'] = []): ClassData => ({
  unit,
  learners: ids.map(learner),
  mastery: [],
  checks: classChecksOf(attempts, ids),
  help,
  lastActivity: new Map(ids.map((id) => [id, now])),
  now,
  idleDays: 7,
});

describe('needsAttention', () => {
  it("reads each learner's own last two checks when the class's attempts are interleaved", () => {
    // a fails twice; b failed, then passed; c passed, then failed once.
    const attempts = [attempt('a', false), attempt('b', false), attempt('c', true), attempt('a', false), attempt('b', true), attempt('c', false)];
    const help = [{ id: 'h1', userId: 'b', competencyId: 'c1', message: 'Stuck on like terms', createdAt: now }];
    const out = needsAttention(classOf(['a', 'b', 'c'], attempts, help));
    expect(out.map((x) => [x.userId, x.reason, x.competency])).toEqual([
      ['a', 'failed_twice', 'Simplify'],
      ['b', 'asked_help', 'Simplify'],
    ]);
    expect(out[0]!.since).toEqual(attempts[3]!.submittedAt);
  });

  it('covers a class of 3,000 whose attempts come in submission order, not by learner', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `s${i}`);
    const attempts: ClassAttempt[] = [];
    for (let round = 0; round < 4; round++) for (const id of ids) attempts.push(attempt(id, round < 2 || Number(id.slice(1)) % 2 === 0 ? false : true));
    const out = needsAttention(classOf(ids, attempts));
    // Every other learner passed their last two checks; the rest failed all four.
    expect(out).toHaveLength(1500);
    expect(out.every((x) => x.reason === 'failed_twice' && Number(x.userId.slice(1)) % 2 === 0)).toBe(true);
  });
});
