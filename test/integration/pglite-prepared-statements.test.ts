import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { openPgliteDatabase } from '../../src/store/pglite-database.js';

// docs/performance.md (PGlite): statements outside transactions run as prepared statements, with
// each value written as a literal after PGlite's serializer for its type.
describe('embedded database: statements run as prepared statements', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPgliteDatabase();
    await db.exec(`create table things (
      id int primary key, label text, doc jsonb, tags text[], at timestamptz, raw bytea, big int8, ok boolean)`);
  }, 60_000);
  afterAll(() => db?.close());

  const tricky = [`it's`, `back\\slash`, `E'\\x41'`, `'); drop table things; --`, `$1 and $$dollar$$`, 'ünïcödé ✓', '{"not":"json"}', ''];

  it('keeps every value exactly, whatever quotes, backslashes or SQL it holds', async () => {
    const at = new Date('2026-12-05T12:34:56.789Z');
    for (const [i, label] of tricky.entries()) {
      const res = await db.query(`insert into things (id, label, doc, tags, at, raw, big, ok) values ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        i,
        label,
        { label, nested: [label, null, 1.5] },
        [label, 'b,c', '"q"', null],
        at,
        new Uint8Array([0, 39, 92, 255]),
        2 ** 40,
        i % 2 === 0,
      ]);
      expect(res.rowCount).toBe(1);
    }
    const { rows } = await db.query<{ id: number; label: string; doc: unknown; tags: unknown; at: Date; raw: Uint8Array; big: number; ok: boolean }>(
      'select id, label, doc, tags, at, raw, big, ok from things where id = any($1) order by id',
      [tricky.map((_, i) => i)],
    );
    expect(rows.map((r) => r.label)).toEqual(tricky);
    for (const [i, r] of rows.entries()) {
      expect(r.doc).toEqual({ label: tricky[i], nested: [tricky[i], null, 1.5] });
      expect(r.tags).toEqual([tricky[i], 'b,c', '"q"', null]);
      expect(r.at.toISOString()).toBe('2026-12-05T12:34:56.789Z');
      expect([...r.raw]).toEqual([0, 39, 92, 255]);
      expect(r.big).toBe(2 ** 40);
      expect(r.ok).toBe(i % 2 === 0);
    }
    expect((await db.query('select count(*)::int as n from things')).rows).toEqual([{ n: tricky.length }]);
  });

  it('prepares each statement text once and reuses it', async () => {
    const sql = 'select label from things where id = $1';
    for (let i = 0; i < 12; i++) expect((await db.query<{ label: string }>(sql, [1])).rows).toEqual([{ label: tricky[1] }]);
    const { rows } = await db.query<{ n: number; runs: number }>(
      `select count(*)::int as n, sum(generic_plans + custom_plans)::int as runs from pg_prepared_statements where statement like '%' || $1`,
      [sql],
    );
    expect(rows).toEqual([{ n: 1, runs: 12 }]);
  });

  it('reports errors as before: their code, and the statement as the caller wrote it', async () => {
    const sql = 'insert into things (id, label) values ($1, $2)';
    const err = (await db.query(sql, [0, 'again']).catch((e: unknown) => e)) as { code?: string; query?: string };
    expect(err.code).toBe('23505');
    expect(err.query).toBe(sql);
    // Text with NUL cannot be stored in PostgreSQL: the same refusal as through an unnamed statement.
    const nul = (await db.query(sql, [99, 'a\u0000b']).catch((e: unknown) => e)) as { code?: string };
    expect(nul.code).toBe('22021');
  });

  it('runs statements PREPARE cannot take, and statements inside transactions, as before', async () => {
    await db.query(`set work_mem = '4MB'`);
    expect((await db.query<{ work_mem: string }>('show work_mem')).rows).toEqual([{ work_mem: '4MB' }]);
    await db.query('reset work_mem');
    const n = await db.transaction(async (tx) => {
      await tx.query('update things set label = $1 where id = $2', ['in tx', 0]);
      return (await tx.query<{ label: string }>('select label from things where id = $1', [0])).rows[0]!.label;
    });
    expect(n).toBe('in tx');
    expect(db.counters.statements).toBeGreaterThan(20);
  });
});
