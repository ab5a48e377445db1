import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, registerFakePlatform } from '../support/lti-flow.js';
import { answerFields, attemptIdFrom, attemptItems, launchAs, placeSampleUnit, type StudentClient } from './student-support.js';

const decode = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

// One Pathwise (one embedded database) for the file; each describe uses students of its own.
let pw: Pathwise;
let fake: FakePlatform;
let sam: StudentClient;
let unitId: string;

beforeAll(async () => {
  pw = await createTestPathwise({ grades: { worker: false } });
  fake = await new FakePlatform().start();
  await registerFakePlatform(pw, fake);
  sam = await launchAs(pw, fake);
  unitId = await placeSampleUnit(pw);
}, 120_000);
afterAll(async () => {
  await fake?.stop();
  await pw?.close();
});

describe('student journey: map → competency → pathway → check (fail, pass) → reflection', () => {
  let failedAttempt: string;
  let passedAttempt: string;

  it('the unit map lists each competency with its state and what unlocks what', async () => {
    const res = await sam.get('/student/map');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Linear equations');
    expect(res.text).toContain('You have mastered 0 of 5 competencies.');
    expect(res.text).toMatch(/<li class="competency state-locked">\s*<h3>Solve two-step/);
    expect(res.text).toMatch(/<li class="competency state-open">\s*<h3><a [^>]*>Solve one-step/);
    expect(res.text).toMatch(/Opens when you master: (<span[^>]*>)?[^<]*One-step/i);
    expect(res.text).toContain('Unlocks:');
    expect(res.text).toContain('<svg class="unit-graph"');
    expect(decode(res.text)).toContain(`/student/competencies/one-step?session=${sam.token}`);
  });

  it('the competency page shows pathways with modality, level and minutes, and the recommendation with its reason', async () => {
    const res = await sam.get('/student/competencies/one-step');
    expect(res.status).toBe(200);
    expect(res.text).toContain('We suggest:');
    expect(res.text).toMatch(/Because:.*(classmate|matches)/);
    expect(res.text).toMatch(/about \d+ min/);
    expect(res.text).toMatch(/name="pathwayId"/);
  });

  it('choosing a pathway records the choice and shows its resources with done marks', async () => {
    const chose = await sam.post('/student/competencies/one-step/pathway', { pathwayId: 'one-step-practice' });
    expect(chose.status).toBe(303);
    const { rows } = await pw.ctx.db.query<{ pathwayId: string }>(`select pathway_id as "pathwayId" from pathway_choices where unit_id = $1`, [unitId]);
    expect(rows.map((r) => r.pathwayId)).toEqual(['one-step-practice']);
    const marked = await sam.post('/student/competencies/one-step/resources', { pathwayId: 'one-step-practice', index: '0', done: '1' });
    expect(marked.status).toBe(303);
    const page = await sam.get('/student/competencies/one-step');
    expect(page.text).toContain('Done: 1 of 2.');
    expect(page.text).toContain('your choice');
    expect(page.text).toContain('Mark “');
  });

  it('"I\'m ready" starts the check: one form, a fieldset per item, no answer keys; saved answers come back', async () => {
    const start = await sam.post('/student/competencies/one-step/check');
    expect(start.status).toBe(303);
    failedAttempt = attemptIdFrom(start);
    const form = await sam.get(`/student/attempts/${failedAttempt}`);
    expect(form.status).toBe(200);
    const items = await attemptItems(pw, failedAttempt);
    expect(form.text.match(/<fieldset class="check-item/g)).toHaveLength(items.length);
    expect(form.text).not.toMatch(/correctOptionId|"accept"|tolerance/);
    const first = items.find((i) => i.type === 'numeric')!;
    await sam.post(`/student/attempts/${failedAttempt}/draft`, { [`answer-${first.id}`]: '12345' });
    expect((await sam.get(`/student/attempts/${failedAttempt}`)).text).toContain('value="12345"');
  });

  it('wrong answers fail: per-item feedback, the level and its explanation, review and retry', async () => {
    const items = await attemptItems(pw, failedAttempt);
    const submit = await sam.post(`/student/attempts/${failedAttempt}`, answerFields(items, false));
    expect(submit.status).toBe(303);
    const result = await sam.get(`/student/attempts/${failedAttempt}/result`);
    expect(result.status).toBe(200);
    expect(result.text).toContain('Not yet:');
    expect(result.text).toContain('0 of 8 answers fully right');
    expect(result.text).toMatch(/Level|Your level now/);
    expect(result.text).toContain('developing');
    expect(result.text).toContain('Go back over your pathway');
    expect(result.text).not.toContain('The answer:');
    // A second submission of the same attempt changes nothing (idempotent).
    await sam.post(`/student/attempts/${failedAttempt}`, answerFields(items, true));
    expect((await sam.get(`/student/attempts/${failedAttempt}/result`)).text).toContain('0 of 8 answers fully right');
  });

  it('the cool-down holds the next try back, then right answers pass and open the next competency', async () => {
    const early = await sam.post('/student/competencies/one-step/check');
    expect(early.status).toBe(409);
    expect(errorCode(early)).toBe('attempt_cooling_down');
    await pw.ctx.db.query(`update attempts set submitted_at = submitted_at - interval '11 minutes' where id = $1`, [failedAttempt]);
    const start = await sam.post('/student/competencies/one-step/check');
    passedAttempt = attemptIdFrom(start);
    expect(passedAttempt).not.toBe(failedAttempt);
    const items = await attemptItems(pw, passedAttempt);
    await sam.post(`/student/attempts/${passedAttempt}`, answerFields(items, true));
    const first = await sam.get(`/student/attempts/${passedAttempt}/result`);
    expect(first.text).toContain('You passed the check on');
    // Decaying average (w = 0.65) after 0 then 1: 0.65, "approaching": the earlier miss still counts.
    expect(first.text).toContain('Your level is approaching mastery');
    passedAttempt = attemptIdFrom(await sam.post('/student/competencies/one-step/check'));
    await sam.post(`/student/attempts/${passedAttempt}`, answerFields(await attemptItems(pw, passedAttempt), true));
    const result = await sam.get(`/student/attempts/${passedAttempt}/result`);
    expect(result.text).toMatch(/<span class="state-badge">mastered<\/span>/);
    expect(result.text).toMatch(/Go on to (Solve two-step|Simplify)/);
    const map = await sam.get('/student/map');
    expect(map.text).toContain('You have mastered 1 of 5 competencies.');
  });

  it('the reflection is saved to the profile', async () => {
    const saved = await sam.post(`/student/attempts/${passedAttempt}/reflection`, { whatHelped: 'The practice set', confidence: '4' });
    expect(saved.status).toBe(303);
    const { rows } = await pw.ctx.db.query<{ confidence: number; whatHelped: string }>(
      `select confidence, what_helped as "whatHelped" from reflections where attempt_id = $1`,
      [passedAttempt],
    );
    expect(rows).toEqual([{ confidence: 4, whatHelped: 'The practice set' }]);
    const profile = await sam.get('/student/profile');
    expect(profile.text).toContain('The practice set');
    expect(profile.text).toContain('Confidence: 4 of 5');
    const bad = await sam.post(`/student/attempts/${passedAttempt}/reflection`, { confidence: '9' });
    expect(errorCode(bad)).toBe('reflection_invalid');
  });

  it('the profile keeps interests, preferred ways to learn and goals; help requests reach the store', async () => {
    await sam.get('/student/profile');
    expect((await sam.post('/student/profile', { interests: 'music, football', modalities: ['practice', 'watch'] })).status).toBe(303);
    expect((await sam.post('/student/goals', { text: 'Master the unit', targetDate: '2030-06-01' })).status).toBe(303);
    const profile = await sam.get('/student/profile');
    expect(profile.text).toContain('value="music, football"');
    expect(profile.text).toMatch(/id="modality-practice" value="practice" checked/);
    expect(profile.text).toContain('Master the unit');
    const goalId = /action="\/student\/goals\/([0-9a-f-]{36})"/.exec(profile.text)![1]!;
    expect((await sam.post(`/student/goals/${goalId}`, { status: 'achieved' })).status).toBe(303);
    expect((await sam.get('/student/profile')).text).toContain('Goals reached: 1 of 1.');
    expect((await sam.post('/student/competencies/two-step/help', { message: 'I am stuck on fractions' })).status).toBe(303);
    expect((await sam.post('/student/competencies/two-step/help', { message: '' })).status).toBe(303);
    const { rows } = await pw.ctx.db.query<{ message: string; status: string }>(`select message, status from help_requests where unit_id = $1`, [unitId]);
    expect(rows).toEqual([{ message: 'I am stuck on fractions', status: 'open' }]);
  });

  it('after two misses in a row the result suggests the other pathways', async () => {
    const lou = await launchAs(pw, fake, { claims: { sub: 'user-lou', name: 'Lou Student', given_name: 'Lou' } });
    await lou.get('/student/competencies/simplify');
    await lou.post('/student/competencies/simplify/pathway', { pathwayId: 'simplify-watch' });
    let result = '';
    for (let i = 0; i < 2; i++) {
      const id = attemptIdFrom(await lou.post('/student/competencies/simplify/check'));
      await lou.post(`/student/attempts/${id}`, answerFields(await attemptItems(pw, id), false));
      result = (await lou.get(`/student/attempts/${id}/result`)).text;
      await pw.ctx.db.query(`update attempts set submitted_at = submitted_at - interval '11 minutes' where id = $1`, [id]);
      if (i === 0) expect(result).not.toContain('Another pathway may suit you better');
    }
    expect(result).toContain('Another pathway may suit you better');
    const offered = [...result.matchAll(/#pathway-([\w-]+)"/g)].map((m) => m[1]);
    expect(offered.sort()).toEqual(['simplify-build', 'simplify-read']);
  });

  it('shows the pages in Spanish for a Spanish launch', async () => {
    const ana = await launchAs(pw, fake, { claims: { sub: 'user-ana', 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation': { locale: 'es-ES' } } });
    const map = await ana.get('/student/map');
    expect(map.text).toContain('lang="es"');
    expect(map.text).toContain('Has dominado 0 de 5 competencias.');
  });
});

describe('student pages: nobody crosses the line', () => {
  let max: StudentClient;
  let kim: StudentClient;
  let maxAttempt: string;
  let maxGoal: string;

  beforeAll(async () => {
    max = await launchAs(pw, fake, { claims: { sub: 'user-max', name: 'Max Student', given_name: 'Max' } });
    kim = await launchAs(pw, fake, { claims: { sub: 'user-kim', name: 'Kim Student', given_name: 'Kim' } });
    await max.get('/student/profile');
    await kim.get('/student/profile');
    maxAttempt = attemptIdFrom(await max.post('/student/competencies/one-step/check'));
    await max.post('/student/goals', { text: 'Max’s own goal' });
    maxGoal = /action="\/student\/goals\/([0-9a-f-]{36})"/.exec((await max.get('/student/profile')).text)![1]!;
  }, 120_000);

  it("another student cannot open, save, submit or reflect on someone's attempt (404)", async () => {
    expect(errorCode(await kim.get(`/student/attempts/${maxAttempt}`))).toBe('attempt_not_found');
    const items = await attemptItems(pw, maxAttempt);
    const tries = [
      await kim.post(`/student/attempts/${maxAttempt}/draft`, answerFields(items, true)),
      await kim.post(`/student/attempts/${maxAttempt}`, answerFields(items, true)),
      await kim.post(`/student/attempts/${maxAttempt}/reflection`, { confidence: '3' }),
    ];
    for (const r of tries) {
      expect(r.status).toBe(404);
      expect(errorCode(r)).toBe('attempt_not_found');
    }
    expect(errorCode(await kim.get(`/student/attempts/${maxAttempt}/result`))).toBe('attempt_not_found');
    expect(errorCode(await kim.get('/student/attempts/not-a-uuid'))).toBe('attempt_not_found');
    const { rows } = await pw.ctx.db.query<{ status: string }>('select status from attempts where id = $1', [maxAttempt]);
    expect(rows[0]!.status).toBe('open');
    expect((await pw.ctx.db.query('select 1 from attempt_drafts where attempt_id = $1', [maxAttempt])).rowCount).toBe(0);
  });

  it("another student cannot change someone's goal (404) and never sees it", async () => {
    const r = await kim.post(`/student/goals/${maxGoal}`, { status: 'dropped' });
    expect(r.status).toBe(404);
    expect(errorCode(r)).toBe('goal_not_found');
    expect((await kim.get('/student/profile')).text).not.toContain('Max’s own goal');
    const { rows } = await pw.ctx.db.query<{ status: string }>('select status from learner_goals where id = $1', [maxGoal]);
    expect(rows[0]!.status).toBe('active');
  });

  it('unknown competencies, pathways and resources are not found; a locked competency cannot be checked', async () => {
    expect(errorCode(await kim.get('/student/competencies/no-such'))).toBe('competency_not_found');
    expect(errorCode(await kim.post('/student/competencies/one-step/pathway', { pathwayId: 'two-step-read' }))).toBe('pathway_not_found');
    expect(errorCode(await kim.post('/student/competencies/one-step/resources', { pathwayId: 'one-step-watch', index: '7', done: '1' }))).toBe(
      'resource_not_found',
    );
    const locked = await kim.post('/student/competencies/two-step/check');
    expect(locked.status).toBe(403);
    expect(errorCode(locked)).toBe('competency_locked');
  });

  it('teachers are refused the student pages; a launch whose link has no unit gets unit_not_placed', async () => {
    const teacher = await launchAs(pw, fake, { role: 'teacher' });
    const r = await teacher.get('/student/map');
    expect(r.status).toBe(403);
    expect(errorCode(r)).toBe('learners_only');
    const other = await launchAs(pw, fake, {
      claims: { sub: 'user-lee', 'https://purl.imsglobal.org/spec/lti/claim/resource_link': { id: 'link-unplaced', title: 'Nothing yet' } },
    });
    const nothing = await other.get('/student/map');
    expect(nothing.status).toBe(404);
    expect(errorCode(nothing)).toBe('unit_not_placed');
  });

  it('refuses a POST without the CSRF token, with another session’s token, or with a cookie only (403 csrf_failed)', async () => {
    const choose = { pathwayId: 'one-step-watch' };
    const missing = await kim.post('/student/competencies/one-step/pathway', { ...choose, _csrf: '' });
    const foreign = await kim.post('/student/competencies/one-step/pathway', { ...choose, _csrf: max.csrf });
    for (const r of [missing, foreign]) {
      expect(r.status).toBe(403);
      expect(errorCode(r)).toBe('csrf_failed');
    }
    const request = (await import('supertest')).default;
    const cookieOnly = await request(pw.app).post('/student/competencies/one-step/pathway').set('Cookie', `pw_session=${kim.token}`).type('form').send(choose);
    expect(cookieOnly.status).toBe(403);
    expect(errorCode(cookieOnly)).toBe('csrf_failed');
    expect((await pw.ctx.db.query(`select 1 from pathway_choices where pathway_id = 'one-step-watch'`)).rowCount).toBe(0);
  });

  it('without a session every student page is refused (401 session_expired)', async () => {
    const request = (await import('supertest')).default;
    const r = await request(pw.app).get('/student/map');
    expect(r.status).toBe(401);
    expect(errorCode(r)).toBe('session_expired');
  });
});
