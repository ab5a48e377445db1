import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

const get = (port: number, agent: Agent) =>
  new Promise<number>((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path: '/health', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });

/**
 * The real process, signalled. Before: each SIGTERM/SIGINT started another shutdown (closing the
 * database twice), and an idle keep-alive connection held server.close() until the 10 s guard
 * exited with 1.
 */
describe('graceful shutdown of the process', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pathwise-shutdown-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs once on repeated signals, finishes, closes and exits 0 within 10 s', async () => {
    const port = await freePort();
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...env, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, DEMO_LMS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 150_000;
    while (!out.includes('Pathwise is listening') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('Pathwise is listening');

    // A keep-alive connection stays open and idle, as a browser's or a proxy's would.
    const agent = new Agent({ keepAlive: true });
    expect(await get(port, agent)).toBe(200);
    const t = Date.now();
    child.kill('SIGTERM');
    // Apart, so that the kernel does not merge them into one pending signal.
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(Date.now() - t).toBeLessThan(10_000);
    agent.destroy();
    expect(out.match(/"msg":"shutting down"/g)).toHaveLength(1);
    expect(out).not.toMatch(/shutdown failed|PGlite is closed/);
  }, 180_000);

  it('on a port another process holds, says so and exits 1 instead of claiming to listen', async () => {
    // Held on every address, as Pathwise listens.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const { DATABASE_URL: _ignored, ...env } = process.env;
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: { ...env, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, DEMO_LMS: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect(code).toBe(1);
      expect(err).toContain(`Pathwise could not listen on port ${port}: another process is listening on it (EADDRINUSE). Set PORT to a free port.`);
      expect(err).not.toMatch(/\n\s+at /);
      expect(out).not.toContain('Pathwise is listening');
    } finally {
      holder.close();
    }
  }, 180_000);
});
