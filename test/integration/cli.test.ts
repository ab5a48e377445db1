import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { runCli } from '../../src/cli/run.js';
import { createTestPathwise, TEST_ADMIN_TOKEN } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { registerFakePlatform } from '../support/lti-flow.js';
import { launchPerson } from './teacher-support.js';

describe('the pathwise command against a running Pathwise', () => {
  let pw: Pathwise;
  let server: Server;
  let fake: FakePlatform;
  let url: string;
  let platformId: string;

  /** Runs `pathwise …args` with ADMIN_TOKEN and PATHWISE_URL set; returns exit code and output. */
  async function cli(args: string[], env: Record<string, string | undefined> = {}) {
    let out = '';
    let err = '';
    const code = await runCli(args, { env: { ADMIN_TOKEN: TEST_ADMIN_TOKEN, PATHWISE_URL: url, ...env }, out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  }

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    server = pw.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fake = await new FakePlatform().start();
    platformId = (await registerFakePlatform(pw, fake)).id;
    await launchPerson(pw, fake, 'student', 'cli-pupil', 'Cleo Pupil');
  }, 120_000);
  afterAll(async () => {
    await fake?.stop();
    await new Promise((r) => server?.close(r));
    await pw?.close();
  });

  it('--help explains every command; a command’s --help explains it', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['registration-link', 'platforms', 'platforms-add', 'approve', 'rotate-keys', 'export', 'delete', 'retention'])
      expect(help.out).toContain(`  ${c} `);
    const one = await cli(['delete', '--help']);
    expect(one.out).toContain('Usage: pathwise delete <platform id> <LMS user id> --yes');
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['platforms'], { ADMIN_TOKEN: undefined })).err).toContain('set ADMIN_TOKEN');
  });

  it('creates a registration link', async () => {
    const r = await cli(['registration-link']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^http:\/\/127\.0\.0\.1:3999\/lti\/register\?invite=[\w-]{43}\nexpires /);
  });

  it('lists platforms and approves a pending deployment', async () => {
    const pending = await pw.ctx.platforms.addPendingDeployment(platformId, 'school-9');
    const list = await cli(['platforms']);
    expect(list.out).toContain(`deployment school-9  pending  (id ${pending.id})`);
    const approved = await cli(['approve', pending.id]);
    expect(approved).toMatchObject({ code: 0, out: 'approved: school-9\n' });
    expect((await cli(['platforms', '--json'])).out).toContain('"status": "active"');
    const unknown = await cli(['approve', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('deployment_not_found');
  });

  it('registers a platform manually', async () => {
    const r = await cli([
      'platforms-add',
      '--issuer',
      'https://schoology.example',
      '--client-id',
      '777',
      '--login-url',
      'https://schoology.example/auth',
      '--token-url',
      'https://schoology.example/token',
      '--jwks-url',
      'https://schoology.example/jwks',
      '--deployment',
      'd-1',
      '--name',
      'Schoology',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('deployment d-1  active');
    expect((await cli(['platforms-add', '--issuer', 'https://x.example'])).code).toBe(2);
  });

  it('rotates keys', async () => {
    const r = await cli(['rotate-keys']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^new key \S+\nsigns from /);
  });

  it('exports, then deletes a student (only with --yes), then the export is gone', async () => {
    const exported = await cli(['export', platformId, 'cli-pupil']);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.out).profile.name).toBe('Cleo Pupil');
    expect((await cli(['delete', platformId, 'cli-pupil'])).code).toBe(2);
    const deleted = await cli(['delete', platformId, 'cli-pupil', '--yes']);
    expect(deleted.code).toBe(0);
    const again = await cli(['export', platformId, 'cli-pupil']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('user_not_found');
    // Both requests are audited (operator, address, a hashed subject), with nothing personal in the log.
    const entries = await pw.ctx.privacy.audit.list({ platformId });
    const exportedEntry = entries.find((e) => e.action === 'student.exported');
    const deletedEntry = entries.find((e) => e.action === 'student.deleted');
    expect(exportedEntry).toMatchObject({ actorKind: 'operator', ip: expect.any(String), subjectRef: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(deletedEntry?.subjectRef).toBe(exportedEntry?.subjectRef);
    const log = JSON.stringify(await pw.ctx.privacy.audit.list());
    expect(log).not.toContain('cli-pupil');
    expect(log).not.toContain('Cleo');
  });

  it('retention is a dry run unless --run', async () => {
    await launchPerson(pw, fake, 'student', 'old-pupil', 'Olga Old', 'old-course');
    await pw.ctx.db.query(`update courses set updated_at = now() - interval '500 days' where context_id = 'old-course'`);
    await pw.ctx.db.query(
      `update enrollments set last_launch_at = now() - interval '500 days' where course_id in (select id from courses where context_id = 'old-course')`,
    );
    const dry = await cli(['retention']);
    expect(dry.out).toContain('Dry run: nothing deleted');
    expect(dry.out).toContain('Course old-course');
    expect(dry.out).toContain('1 course, 1 person would be deleted');
    expect((await pw.ctx.db.query(`select 1 from courses where context_id = 'old-course'`)).rows).toHaveLength(1);
    const run = await cli(['retention', '--run']);
    expect(run.out).toContain('1 course, 1 person deleted.');
    expect((await pw.ctx.db.query(`select 1 from courses where context_id = 'old-course'`)).rows).toHaveLength(0);
    expect((await pw.ctx.db.query(`select 1 from users where sub = 'old-pupil'`)).rows).toHaveLength(0);
    expect((await pw.ctx.db.query(`select 1 from courses where context_id = 'course-1'`)).rows).toHaveLength(1);
    expect((await pw.ctx.privacy.audit.list({ action: 'retention.run' }))[0]?.details).toMatchObject({ courses: 1, people: 1 });
  });

  it('a wrong token is refused, and an unreachable Pathwise is reported', async () => {
    const wrong = await cli(['platforms'], { ADMIN_TOKEN: 'not-the-token-at-all' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('unauthorized');
    const down = await cli(['platforms', '--url', 'http://127.0.0.1:1']);
    expect(down.code).toBe(1);
    expect(down.err).toContain('cannot reach Pathwise');
  });
});
