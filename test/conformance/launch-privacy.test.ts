import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { launch, registerFakePlatform } from '../support/lti-flow.js';

describe('LTI 1.3 launch with names and emails turned off', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  beforeAll(async () => {
    pw = await createTestPathwise({ privacy: { storeNames: false, storeEmails: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('keeps who the learner is (sub) but not the name or email the LMS sent', async () => {
    const r = await launch(pw, fake, { role: 'student' });
    expect(r.sessionToken).toBeTruthy();
    const { rows } = await pw.ctx.db.query<{ sub: string; name: string | null; email: string | null; given_name: string | null }>(
      'select sub, name, given_name, email from users',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sub).toBeTruthy();
    expect(rows[0]).toMatchObject({ name: null, given_name: null, email: null });
  });
});
