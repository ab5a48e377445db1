import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { openServerDatabase } from '../../src/store/server-database.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MIGRATIONS = readdirSync(path.join(root, 'src/store/migrations'))
  .filter((f) => f.endsWith('.sql'))
  .sort();

interface Run {
  child: ChildProcess;
  ready: Promise<void>;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startMigrator(url: string, schema: string): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/migrate-process.ts', schema], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.startsWith('ready\n')) resolve();
    });
    child.once('exit', () => reject(new Error(`migrator exited before it was ready: ${stderr}`)));
  });
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, ready, exit };
}

// CI's PostgreSQL pass: several Pathwise processes starting at once on one empty database.
describe.runIf(process.env.DATABASE_URL)('migrations: processes starting together on one fresh PostgreSQL', () => {
  const url = process.env.DATABASE_URL!;
  const schema = `race_${randomBytes(6).toString('hex')}`;
  let admin: Database;

  beforeAll(async () => {
    admin = await openServerDatabase(url, { max: 1 });
    await admin.exec(`create schema ${schema}`);
  });
  afterAll(async () => {
    await admin?.exec(`drop schema if exists ${schema} cascade`);
    await admin?.close();
  });

  it('all succeed; each migration is applied exactly once, by one of them', async () => {
    const runs = Array.from({ length: 4 }, () => startMigrator(url, schema));
    await Promise.all(runs.map((r) => r.ready));
    for (const r of runs) r.child.stdin!.end('go\n');
    const results = await Promise.all(runs.map((r) => r.exit));
    for (const r of results) expect([r.code, r.stderr]).toEqual([0, '']);
    const appliedBy = results.map((r) => JSON.parse(r.stdout.split('\n')[1]!) as string[]);
    expect(appliedBy.flat().sort()).toEqual(MIGRATIONS);
    expect(appliedBy.filter((a) => a.length > 0)).toHaveLength(1);
    const { rows } = await admin.query<{ name: string; checksum: string | null }>(`select name, checksum from ${schema}.schema_migrations order by name`);
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum ?? ''))).toBe(true);
  }, 120_000);
});
