import { describe, expect, it } from 'vitest';
import { membershipsUrlFromClaim } from '../../../../src/lti/nrps/roster-sync.js';
import { isRosterStale } from '../../../../src/store/roster-repository.js';

describe('isRosterStale', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it('is stale when never synced or older than the limit', () => {
    expect(isRosterStale({ rosterSyncedAt: null }, 15, now)).toBe(true);
    expect(isRosterStale({ rosterSyncedAt: new Date(now - 15 * 60_000) }, 15, now)).toBe(true);
    expect(isRosterStale({ rosterSyncedAt: new Date(now - 14 * 60_000) }, 15, now)).toBe(false);
  });
  it('is always stale with a limit of 0 minutes', () => {
    expect(isRosterStale({ rosterSyncedAt: new Date(now) }, 0, now)).toBe(true);
  });
});

describe('membershipsUrlFromClaim', () => {
  it('reads context_memberships_url from the NRPS claim', () => {
    expect(membershipsUrlFromClaim({ context_memberships_url: 'https://lms.example/m', service_versions: ['2.0'] })).toBe('https://lms.example/m');
  });
  it('ignores a missing claim or a URL that is not http(s)', () => {
    expect(membershipsUrlFromClaim(null)).toBeNull();
    expect(membershipsUrlFromClaim({})).toBeNull();
    expect(membershipsUrlFromClaim({ context_memberships_url: 'javascript:alert(1)' })).toBeNull();
    expect(membershipsUrlFromClaim({ context_memberships_url: 'not a url' })).toBeNull();
  });
});
