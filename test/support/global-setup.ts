import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/store/migrate.js';
import { dumpPgliteDatabase } from '../../src/store/pglite-database.js';
import { imageIsCurrent } from '../../src/store/database-image.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated embedded database's data directory (tarball) that each test file starts from; '' on a server. */
    pgliteTemplate: string;
  }
}

/**
 * Once per run: migrate one in-memory embedded database and keep its data directory, so each
 * test file loads a copy instead of running every migration again (test/support/database.ts).
 * After `npm run build` the build's migrated image serves, if no migration changed since.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  if (process.env.DATABASE_URL) {
    project.provide('pgliteTemplate', '');
    return () => {};
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'pathwise-test-db-'));
  const file = path.join(dir, 'migrated.tar');
  // The build's image, when it was made from these very migrations, saves migrating here (~6 s).
  const built = fileURLToPath(new URL('../../dist/store/embedded-database.tar.gz', import.meta.url));
  if (imageIsCurrent(built)) {
    writeFileSync(file, gunzipSync(readFileSync(built)));
  } else {
    const dump = await dumpPgliteDatabase((db) => migrate(db));
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  }
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
