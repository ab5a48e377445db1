import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/store/migrate.js';
import { dumpPgliteDatabase } from '../../src/store/pglite-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated embedded database's data directory (tarball) that each test file starts from; '' on a server. */
    pgliteTemplate: string;
  }
}

/**
 * Once per run: migrate one in-memory embedded database and keep its data directory, so each
 * test file loads a copy instead of running every migration again (test/support/database.ts).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  if (process.env.DATABASE_URL) {
    project.provide('pgliteTemplate', '');
    return () => {};
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'pathwise-test-db-'));
  const file = path.join(dir, 'migrated.tar');
  const dump = await dumpPgliteDatabase((db) => migrate(db));
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
