// A separate process that migrates one schema of the PostgreSQL server in DATABASE_URL: it
// connects, says "ready", waits for a line on stdin (so several start migrating at the same
// moment), migrates, and exits 0, or 1 with the error on stderr.
import { createInterface } from 'node:readline';
import { migrate } from '../../src/store/migrate.js';
import { openServerDatabase } from '../../src/store/server-database.js';

const db = await openServerDatabase(process.env.DATABASE_URL!, { schema: process.argv[2], max: 2 });
process.stdout.write('ready\n');
await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
try {
  const applied = await migrate(db);
  process.stdout.write(`${JSON.stringify(applied)}\n`);
  await db.close();
  process.exit(0);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  await db.close();
  process.exit(1);
}
