import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { CLAIM, ROLE } from '../../src/lti/claims.js';
import { RosterSync, rosterAfterLaunch } from '../../src/lti/nrps/roster-sync.js';
import type { Pathwise } from '../../src/main.js';
import type { SessionRecord } from '../../src/store/session-repository.js';
import { csrfTokenFor } from '../../src/web/middleware/csrf.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { addNrps, addTokenEndpoint, type FakeMember, type FakeNrps, type FakeTokenEndpoint } from '../support/fake-services.js';
import { launch, registerFakePlatform } from '../support/lti-flow.js';

const learners = (n: number, from = 0): FakeMember[] =>
  Array.from({ length: n }, (_, i) => ({
    user_id: `s-${from + i}`,
    // Moodle sends short context role names as well as URIs.
    roles: i % 2 ? ['Learner'] : [ROLE.learner],
    name: `Student ${from + i}`,
    given_name: 'Student',
    family_name: String(from + i),
    email: `s${from + i}@school.example`,
  }));

describe('NRPS roster sync against the fake LMS', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let tokens: FakeTokenEndpoint;
  let nrps: FakeNrps;
  let teacher: SessionRecord;
  let teacherToken: string;
  let issuedBeforeLaunch: number;

  beforeAll(async () => {
    pw = await createTestPathwise();
    fake = new FakePlatform();
    tokens = addTokenEndpoint(fake, { toolJwks: () => pw.ctx.keys.publicJwks() });
    nrps = addNrps(fake, {
      tokens,
      pageSize: 100,
      members: [{ user_id: 'user-teacher', roles: ['Instructor'], name: 'Ada Teacher' }, ...learners(249)],
    });
    await fake.start();
    await registerFakePlatform(pw, fake);
    const claims = { [CLAIM.nrpsService]: { context_memberships_url: nrps.url, service_versions: ['2.0'] } };
    issuedBeforeLaunch = tokens.issued;
    const result = await launch(pw, fake, { role: 'teacher', claims, follow: false });
    teacherToken = result.sessionToken!;
    teacher = (await pw.ctx.launch.sessions.findByToken(teacherToken))!;
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('syncs a stale roster after a teacher launch: three pages, one token, short roles normalised', async () => {
    // The launch itself starts the sync in the background; wait (bounded) for it to land.
    let roster = await pw.ctx.roster.listRoster(teacher.courseId!);
    for (let i = 0; i < 100 && roster.length < 250; i++) {
      await new Promise((r) => setTimeout(r, 100));
      roster = await pw.ctx.roster.listRoster(teacher.courseId!);
    }
    expect(tokens.issued - issuedBeforeLaunch).toBe(1);
    // Three pages by rel="next"; the last page's rel="differences" link is not fetched.
    expect(nrps.requests).toBe(3);
    expect(roster).toHaveLength(250);
    expect(roster.filter((m) => m.roles.includes(ROLE.learner))).toHaveLength(249);
    expect(roster.every((m) => m.roles.every((r) => r.startsWith('http')))).toBe(true);
    // Students who never launched are "not started"; the teacher launched.
    expect(roster.filter((m) => m.launched).map((m) => m.sub)).toEqual(['user-teacher']);
    expect(roster.find((m) => m.sub === 's-7')).toMatchObject({ name: 'Student 7', email: 's7@school.example', status: 'Active' });
  });

  it('does not sync again while the roster is fresh', async () => {
    const before = nrps.requests;
    expect(await rosterAfterLaunch(pw.ctx, teacher)).toBeNull();
    expect(nrps.requests).toBe(before);
  });

  it('refreshes on the teacher action, reusing the token, and records status changes and removals', async () => {
    const issued = tokens.issued;
    nrps.members = nrps.members.filter((m) => m.user_id !== 's-3');
    nrps.members.find((m) => m.user_id === 's-4')!.status = 'Inactive';
    nrps.members.find((m) => m.user_id === 's-5')!.name = 'Student Five';
    const res = await request(pw.app)
      .post('/teacher/roster/refresh')
      .set('Accept', 'application/json')
      .type('form')
      .send({ session: teacherToken, _csrf: csrfTokenFor(teacherToken) });
    expect(res.status).toBe(200);
    expect(res.body.roster).toMatchObject({ members: 249, pages: 3, markedDeleted: 1 });
    expect(tokens.issued).toBe(issued);
    const roster = await pw.ctx.roster.listRoster(teacher.courseId!, { includeDeleted: true });
    expect(roster.find((m) => m.sub === 's-3')?.status).toBe('Deleted');
    expect(roster.find((m) => m.sub === 's-4')?.status).toBe('Inactive');
    expect(roster.find((m) => m.sub === 's-5')).toMatchObject({ name: 'Student Five', status: 'Active' });
    const listed = await request(pw.app).get('/teacher/roster').query({ session: teacherToken });
    expect(listed.body.members).toHaveLength(249);
    expect(listed.body.syncedAt).toBeTruthy();
  });

  it('returns a form post to the teacher page it names, and only to one of ours', async () => {
    const form = (next: string) =>
      request(pw.app)
        .post('/teacher/roster/refresh')
        .type('form')
        .send({ session: teacherToken, _csrf: csrfTokenFor(teacherToken), next });
    expect((await form('/teacher')).headers.location).toMatch(/^\/teacher\?session=/);
    expect((await form('/teacher/class')).headers.location).toMatch(/^\/teacher\/class\?session=/);
    expect((await form('https://evil.example/')).headers.location).toMatch(/^\/teacher\?session=/);
    expect((await form('//evil.example')).headers.location).toMatch(/^\/teacher\?session=/);
    expect((await form('')).headers.location).toMatch(/^\/teacher\?session=/);
  });

  it('asks for exactly one new token when the LMS refuses the old one (401)', async () => {
    const issued = tokens.issued;
    tokens.revokeAll();
    const result = await pw.ctx.rosterSync.sync(teacher.courseId!);
    expect(result.pages).toBe(3);
    expect(tokens.issued - issued).toBe(1);
  });

  it('stores no names or emails when privacy settings turn them off', async () => {
    nrps.members.push(...learners(2, 900));
    const privateSync = new RosterSync(
      { roster: pw.ctx.roster, platforms: pw.ctx.platforms, tokens: pw.ctx.serviceTokens, logger: pw.ctx.logger },
      { maxAgeMinutes: 15, maxPages: 200, privacy: { storeNames: false, storeEmails: false } },
    );
    await privateSync.sync(teacher.courseId!);
    const roster = await pw.ctx.roster.listRoster(teacher.courseId!);
    expect(roster.find((m) => m.sub === 's-900')).toMatchObject({ name: null, givenName: null, familyName: null, email: null });
    expect(pw.ctx.config.privacy).toMatchObject({ storeNames: true, storeEmails: true });
  });

  it('stops at the page bound and then marks no one Deleted', async () => {
    const bounded = new RosterSync(
      { roster: pw.ctx.roster, platforms: pw.ctx.platforms, tokens: pw.ctx.serviceTokens, logger: pw.ctx.logger },
      { maxAgeMinutes: 15, maxPages: 2, privacy: { storeNames: true, storeEmails: true } },
    );
    const result = await bounded.sync(teacher.courseId!);
    expect(result).toMatchObject({ pages: 2, complete: false, markedDeleted: 0 });
    expect(await pw.ctx.roster.listRoster(teacher.courseId!)).toHaveLength(251);
  });

  it('lets only teachers refresh, and only with the CSRF token in the request', async () => {
    const student = await launch(pw, fake, { role: 'student', follow: false });
    const denied = await request(pw.app)
      .post('/teacher/roster/refresh')
      .set('Accept', 'application/json')
      .send({ session: student.sessionToken, _csrf: csrfTokenFor(student.sessionToken!) });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('teacher_only');
    const cookieOnly = await request(pw.app).post('/teacher/roster/refresh').set('Accept', 'application/json').set('Cookie', `pw_session=${teacherToken}`);
    expect(cookieOnly.status).toBe(403);
    expect(cookieOnly.body.error.code).toBe('csrf_failed');
  });

  it('answers roster_unavailable when the LMS never offered NRPS for the course', async () => {
    await pw.ctx.db.query('update courses set nrps_url = null where id = $1', [teacher.courseId]);
    await expect(pw.ctx.rosterSync.sync(teacher.courseId!)).rejects.toMatchObject({ code: 'roster_unavailable' });
    await pw.ctx.roster.rememberService(teacher.courseId!, nrps.url);
  });
});
