import { describe, expect, it } from 'vitest';
import { ROLE } from '../../../../src/lti/claims.js';
import { nextLink, parseMembershipPage } from '../../../../src/lti/nrps/membership.js';

describe('parseMembershipPage', () => {
  it('reads members, defaults status to Active and skips unreadable ones', () => {
    const page = parseMembershipPage({
      id: 'https://lms/x',
      members: [
        { user_id: 'a', roles: ['Learner'], name: 'Ana Ruiz', email: 'ana@example.org' },
        { user_id: 'b', roles: [ROLE.instructor], status: 'Inactive' },
        { user_id: 'c', roles: 'oops', status: 'Weird' },
        { roles: ['Learner'] },
        'garbage',
      ],
    });
    expect(page?.skipped).toBe(2);
    expect(page?.members).toEqual([
      { userId: 'a', roles: [ROLE.learner], status: 'Active', name: 'Ana Ruiz', email: 'ana@example.org' },
      { userId: 'b', roles: [ROLE.instructor], status: 'Inactive' },
      { userId: 'c', roles: [], status: 'Active' },
    ]);
  });

  it('refuses a body that is not a membership container', () => {
    expect(parseMembershipPage({ nope: true })).toBeNull();
    expect(parseMembershipPage(null)).toBeNull();
  });
});

describe('nextLink', () => {
  const base = 'https://lms.example/api/memberships?page=1';
  it('finds rel="next" among several links and resolves it', () => {
    const header = '<https://lms.example/api/memberships?page=1>; rel="first", </api/memberships?page=2>; rel="next"';
    expect(nextLink(header, base)).toBe('https://lms.example/api/memberships?page=2');
  });
  it('accepts unquoted and multi-valued rel', () => {
    expect(nextLink('<https://lms.example/p3>; rel=next', base)).toBe('https://lms.example/p3');
    expect(nextLink('<https://lms.example/p3>; title="x"; rel="last next"', base)).toBe('https://lms.example/p3');
  });
  it('answers null when there is no next page', () => {
    expect(nextLink(null, base)).toBeNull();
    expect(nextLink('<https://lms.example/d>; rel="differences"', base)).toBeNull();
  });
});
