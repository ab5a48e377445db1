import { describe, expect, it } from 'vitest';
import { consecutiveFailures, decideStart, isExpired, shouldSuggestAnotherPathway, type AttemptSummary } from '../../../src/learning/attempt-rules.js';

const t0 = new Date('2025-01-01T10:00:00Z');
const min = (m: number) => new Date(t0.getTime() + m * 60_000);
const attempt = (o: Partial<AttemptSummary>): AttemptSummary => ({
  id: 'x',
  status: 'submitted',
  startedAt: t0,
  expiresAt: min(60),
  submittedAt: min(5),
  passed: false,
  pathwayId: null,
  ...o,
});
const policy = { coolDownMinutes: 10, suggestOtherPathwayAfterFailures: 2 };

describe('attempt rules', () => {
  it('resumes the one open, unexpired attempt', () => {
    const open = attempt({ id: 'open', status: 'open', submittedAt: null, passed: null });
    expect(decideStart([open], policy, min(30))).toEqual({ kind: 'resume', attempt: open });
  });

  it('expires an abandoned attempt and starts a new one', () => {
    const open = attempt({ id: 'old', status: 'open', submittedAt: null, passed: null, expiresAt: min(60) });
    expect(isExpired(open, min(60))).toBe(true);
    expect(isExpired(open, min(59))).toBe(false);
    expect(decideStart([open], policy, min(61))).toEqual({ kind: 'new', expire: ['old'] });
  });

  it('enforces the cool-down after a failed attempt, with the time to retry', () => {
    expect(() => decideStart([attempt({})], policy, min(14))).toThrow(
      expect.objectContaining({ code: 'attempt_cooling_down', details: { retryAt: min(15).toISOString() } }),
    );
    expect(decideStart([attempt({})], policy, min(15)).kind).toBe('new');
    expect(decideStart([attempt({ passed: true })], policy, min(6)).kind).toBe('new');
    expect(decideStart([attempt({})], { ...policy, coolDownMinutes: 0 }, min(6)).kind).toBe('new');
  });

  it('suggests another pathway after two failures in a row, not after a pass', () => {
    const fail1 = attempt({ id: '1', submittedAt: min(1) });
    const fail2 = attempt({ id: '2', submittedAt: min(20) });
    const pass = attempt({ id: '3', submittedAt: min(40), passed: true });
    expect(shouldSuggestAnotherPathway([fail1], policy)).toBe(false);
    expect(shouldSuggestAnotherPathway([fail1, fail2], policy)).toBe(true);
    expect(shouldSuggestAnotherPathway([fail1, fail2, pass], policy)).toBe(false);
    expect(consecutiveFailures([pass, fail1, fail2])).toBe(0);
  });
});
