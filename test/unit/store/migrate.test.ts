import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database.js';
import { migrate, migrationChecksum, MigrationChangedError } from '../../../src/store/migrate.js';
import { openPgliteDatabase } from '../../../src/store/pglite-database.js';

describe('migrate: checksums of applied migrations', () => {
  let db: Database;
  let dir: string;
  const write = (name: string, sql: string) => writeFileSync(path.join(dir, name), sql);

  // One embedded database for the file (starting one is the slow part), emptied before each test.
  beforeAll(async () => {
    db = await openPgliteDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('drop schema public cascade; create schema public');
    dir = mkdtempSync(path.join(tmpdir(), 'pathwise-migrations-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies new files in name order once, recording each file’s checksum', async () => {
    write('002_b.sql', 'create table b (id int references a (id));');
    write('001_a.sql', 'create table a (id int primary key);');
    expect(await migrate(db, dir)).toEqual(['001_a.sql', '002_b.sql']);
    expect(await migrate(db, dir)).toEqual([]);
    const { rows } = await db.query<{ name: string; checksum: string }>('select name, checksum from schema_migrations order by name');
    expect(rows).toEqual([
      { name: '001_a.sql', checksum: migrationChecksum('create table a (id int primary key);') },
      { name: '002_b.sql', checksum: migrationChecksum('create table b (id int references a (id));') },
    ]);
  });

  it('refuses to go on when an applied file was edited, naming it, and applies nothing else', async () => {
    write('001_a.sql', 'create table a (id int primary key);');
    await migrate(db, dir);
    write('001_a.sql', 'create table a (id int primary key, extra text);');
    write('002_b.sql', 'create table b (id int);');
    const err = await migrate(db, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationChangedError);
    expect((err as Error).message).toMatch(/001_a\.sql.*never be edited/);
    const { rows } = await db.query<{ name: string }>('select name from schema_migrations');
    expect(rows.map((r) => r.name)).toEqual(['001_a.sql']);
    expect((await db.query(`select 1 from information_schema.tables where table_name = 'b'`)).rows).toEqual([]);
  });

  it('a line-ending change is not an edit', async () => {
    write('001_a.sql', 'create table a (\n  id int\n);\n');
    await migrate(db, dir);
    write('001_a.sql', 'create table a (\r\n  id int\r\n);\r\n');
    expect(await migrate(db, dir)).toEqual([]);
  });

  it('a database migrated before checksums existed takes the current checksums, then guards them', async () => {
    await db.exec(`create table schema_migrations (name text primary key, applied_at timestamptz not null default now());
      create table a (id int primary key);
      insert into schema_migrations (name) values ('001_a.sql');`);
    write('001_a.sql', 'create table a (id int primary key);');
    expect(await migrate(db, dir)).toEqual([]);
    const { rows } = await db.query<{ checksum: string }>('select checksum from schema_migrations');
    expect(rows[0]!.checksum).toBe(migrationChecksum('create table a (id int primary key);'));
    write('001_a.sql', 'create table a (id bigint primary key);');
    await expect(migrate(db, dir)).rejects.toBeInstanceOf(MigrationChangedError);
  });
});
