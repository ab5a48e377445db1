import { describe, expect, it } from 'vitest';
import { isRetryableStatus, parseRetryAfter, retryDelay } from '../../../../src/lti/ags/retry-policy.js';
import { buildScore, isCanvas, scoresUrl, CANVAS_SUBMISSION_EXTENSION } from '../../../../src/lti/ags/scores.js';
import { agsScopes } from '../../../../src/lti/ags/line-items.js';
import { SCOPE } from '../../../../src/lti/claims.js';
import type { ClaimedScore } from '../../../../src/store/grade-outbox.js';

describe('AGS retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped, with Retry-After as a floor', () => {
    const opts = { baseDelayMs: 1000, maxDelayMs: 10_000 };
    expect(retryDelay(1, { ...opts, random: () => 0.999 })).toBe(999);
    expect(retryDelay(3, { ...opts, random: () => 0.5 })).toBe(2000);
    expect(retryDelay(20, { ...opts, random: () => 0.999 })).toBe(9990);
    expect(retryDelay(1, { ...opts, random: () => 0 })).toBe(0);
    expect(retryDelay(1, { ...opts, random: () => 0, retryAfterMs: 5000 })).toBe(5000);
    // A Retry-After of a day is capped like the backoff, so the score arrives soon after recovery.
    expect(retryDelay(1, { ...opts, random: () => 0, retryAfterMs: 86_400_000 })).toBe(10_000);
  });

  it('waits out 408, 429 and 5xx only; 401/403 (after a fresh token), 400 and 404 are permanent', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 413, 415, 422].some(isRetryableStatus)).toBe(false);
  });
});

describe('AGS score body', () => {
  const row: ClaimedScore = {
    id: 'o1',
    claimId: 'c1',
    placementId: 'p1',
    userId: 'u1',
    scoreGiven: 7,
    scoreMaximum: 10,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    comment: 'Well done',
    scoreTimestamp: new Date('2026-03-01T10:00:00.123Z'),
    attempts: 1,
    sentAt: null,
    waitingMs: 0,
  };

  it('appends /scores to the line item path and keeps its query', () => {
    expect(scoresUrl('https://lms.example/api/lti/courses/1/line_items/2?type_id=9')).toBe(
      'https://lms.example/api/lti/courses/1/line_items/2/scores?type_id=9',
    );
    expect(scoresUrl('https://lms.example/li/2/')).toBe('https://lms.example/li/2/scores');
  });

  it('sends the sub as userId and the timestamp with milliseconds', () => {
    expect(buildScore(row, 'sub-9', { productFamily: 'moodle', issuer: 'https://moodle.example' })).toEqual({
      userId: 'sub-9',
      scoreGiven: 7,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: '2026-03-01T10:00:00.123Z',
      comment: 'Well done',
    });
  });

  it('on Canvas asks that a grade the teacher changed wins, and resends are not new submissions', () => {
    expect(isCanvas({ productFamily: null, issuer: 'https://canvas.instructure.com' })).toBe(true);
    expect(isCanvas({ productFamily: 'canvas', issuer: 'https://lms.school.org' })).toBe(true);
    const canvas = { productFamily: 'canvas', issuer: 'https://canvas.instructure.com' };
    expect(buildScore(row, 's', canvas)[CANVAS_SUBMISSION_EXTENSION]).toEqual({ new_submission: true, prioritize_non_tool_grade: true });
    expect(buildScore({ ...row, attempts: 2 }, 's', canvas)[CANVAS_SUBMISSION_EXTENSION]).toEqual({ new_submission: false, prioritize_non_tool_grade: true });
  });

  it('asks tokens for the AGS scopes the launch offered, sorted, else score only', () => {
    expect(agsScopes([SCOPE.agsScore, 'https://other/scope', SCOPE.agsLineItem])).toEqual([SCOPE.agsLineItem, SCOPE.agsScore].sort());
    expect(agsScopes([])).toEqual([SCOPE.agsScore]);
  });
});
