import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Pathwise } from '../../src/main.js';
import { createLogger } from '../../src/shared/logger.js';
import { TEST_ADMIN_TOKEN, testConfig } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { FakePlatform } from '../support/fake-platform.js';
import { registerFakePlatform } from '../support/lti-flow.js';
import { answerFields, attemptIdFrom, attemptItems, placeSampleUnit } from './student-support.js';
import { launchPerson } from './teacher-support.js';

const NAME = 'Quentin Zyxwicz';
const EMAIL = 'log-pupil@school.example';
const REFLECTION = 'Secret reflection vorpal';

describe('logs hold ids only: a launch, a check submission and an export log no name, email or answer', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  const lines: string[] = [];

  beforeAll(async () => {
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    pw = await compose(testConfig({ grades: { worker: false }, logLevel: 'debug' }), { db: await createTestDatabase(), logger });
    fake = await new FakePlatform().start();
    const platform = await registerFakePlatform(pw, fake);
    const pupil = await launchPerson(pw, fake, 'student', 'log-pupil', NAME);
    await placeSampleUnit(pw);
    await pupil.get('/student/competencies/one-step');
    const attempt = attemptIdFrom(await pupil.post('/student/competencies/one-step/check'));
    const items = await attemptItems(pw, attempt);
    await pupil.get(`/student/attempts/${attempt}`);
    await pupil.post(`/student/attempts/${attempt}`, answerFields(items, true));
    await pupil.post(`/student/attempts/${attempt}/reflection`, { whatHelped: REFLECTION, confidence: '4' });
    const exported = await request(pw.app).get(`/admin/api/platforms/${platform.id}/users/log-pupil/export`).set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(exported.status).toBe(200);
    expect(exported.body.profile.name).toBe(NAME);
    // The answers the student gave, as text (numbers and words alike).
    answers.push(
      ...Object.values(answerFields(items, true))
        .flat()
        .map(String)
        .filter((a) => a.length > 2),
    );
  }, 400_000);
  const answers: string[] = [];
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('captured log lines of every step, none with a name, email, reflection or answer', () => {
    expect(lines.length).toBeGreaterThan(5);
    const all = lines.join('\n');
    expect(all).toContain('student data exported');
    for (const secret of [NAME, 'Quentin', 'Zyxwicz', EMAIL, REFLECTION]) expect({ secret, found: all.includes(secret) }).toEqual({ secret, found: false });
    for (const answer of answers) expect({ answer, found: all.includes(`"${answer}"`) }).toEqual({ answer, found: false });
  });
});
