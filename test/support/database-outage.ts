import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Database } from '../../src/store/database.js';
import { openServerDatabase } from '../../src/store/server-database.js';
import { migrate } from '../../src/store/migrate.js';
import { createTestDatabase } from './database.js';

/** A database that can be taken away and given back while Pathwise runs. */
export interface OutageDatabase {
  db: Database;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Embedded database: every call fails as a lost connection does while `down` (PGlite runs in the
 * process, so it cannot be stopped on its own). Server (DATABASE_URL): Pathwise connects through a
 * TCP proxy on 127.0.0.1; `down` cuts every connection and refuses new ones, as a stopped server does.
 */
export async function createOutageDatabase(): Promise<OutageDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) return embeddedOutage();
  const target = new URL(url);
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openServerDatabase(url, { max: 1 });
  await admin.exec(`create schema ${schema}`);
  await admin.close();
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  const port = await proxy.start();
  const viaProxy = new URL(url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(port);
  const db = await openServerDatabase(viaProxy.toString(), { schema, max: 5 });
  await migrate(db);
  return {
    db,
    down: () => proxy.down(),
    up: () => proxy.up(),
    async close() {
      await proxy.up();
      await db.close().catch(() => undefined); // Pathwise's close() may have closed it already
      await proxy.stop();
      const cleanup = await openServerDatabase(url, { max: 1 });
      await cleanup.exec(`drop schema ${schema} cascade`);
      await cleanup.close();
    },
  };
}

async function embeddedOutage(): Promise<OutageDatabase> {
  const real = await createTestDatabase();
  let isDown = false;
  const guard = () => {
    if (isDown) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
  };
  const db: Database = {
    ...real,
    kind: real.kind,
    counters: real.counters,
    async query(sql, params) {
      guard();
      return real.query(sql, params);
    },
    async exec(sql) {
      guard();
      return real.exec(sql);
    },
    async transaction(fn) {
      guard();
      return real.transaction(fn);
    },
    listen: (...args) => real.listen(...args),
    close: () => closeOnce(),
  };
  let closing: Promise<void> | undefined;
  const closeOnce = () => (closing ??= real.close());
  return {
    db,
    down: async () => void (isDown = true),
    up: async () => void (isDown = false),
    close: closeOnce,
  };
}

class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    await this.up();
    return this.port;
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise((r) => server.close(r));
  }

  stop(): Promise<void> {
    return this.down();
  }
}
