import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPgliteDatabase } from '../../src/store/pglite-database.js';

describe('embedded database (PGlite) in a data directory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathwise-embedded-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is created (in a child process), keeps small buffers and initdb settings, and reopens with its data', async () => {
    const first = await openPgliteDatabase(dir);
    try {
      const settings = await first.query<{ name: string; setting: string; unit: string | null }>(
        `select name, setting, unit from pg_settings where name in ('shared_buffers', 'TimeZone', 'DateStyle') order by name`,
      );
      // 8MB of 8kB pages: the WASM heap stays near its floor (docs/performance.md).
      expect(Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]))).toEqual({
        DateStyle: 'ISO, MDY',
        TimeZone: 'UTC',
        shared_buffers: '1024',
      });
      await first.exec(`create table kept (v text); insert into kept values ('still here')`);
    } finally {
      await first.close();
    }
    const again = await openPgliteDatabase(dir);
    try {
      expect((await again.query<{ v: string }>('select v from kept')).rows).toEqual([{ v: 'still here' }]);
      expect(again.counters.statements).toBe(1);
    } finally {
      await again.close();
    }
  }, 90_000); // two fresh embedded databases (initdb in a child process) take a while on a busy machine
});
