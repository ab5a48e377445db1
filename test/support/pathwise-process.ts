// Pathwise in a process of its own on one schema of the PostgreSQL server in DATABASE_URL, for
// tests that kill it (SIGKILL) and start it again on the same data. Prints "port <n>" when it listens.
import { loadConfig } from '../../src/config/load.js';
import { compose } from '../../src/main.js';
import { openServerDatabase } from '../../src/store/server-database.js';

const db = await openServerDatabase(process.env.DATABASE_URL!, { schema: process.argv[2], max: 10 });
const config = loadConfig({
  env: { NODE_ENV: 'test' },
  overrides: {
    publicUrl: 'http://127.0.0.1:3999',
    dataDir: './data-test',
    // A short lease (above the service timeout), so a restarted process takes over a killed one's deliveries soon.
    grades: { worker: true, pollIntervalMs: 50, baseDelayMs: 50, maxDelayMs: 200, leaseMs: 5000 },
    services: { timeoutMs: 3000 },
  },
});
const pathwise = await compose(config, { db });
const server = pathwise.app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
});
