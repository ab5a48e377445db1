import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/shared/logger.js';
import { prettyDestination, startupBanner, wantsPretty } from '../../../src/shared/log-format.js';

describe('log format', () => {
  it('auto is pretty only at a terminal outside production; json and pretty are what they say', () => {
    expect(wantsPretty('auto', 'development', true)).toBe(true);
    expect(wantsPretty('auto', 'development', false)).toBe(false);
    expect(wantsPretty('auto', 'production', true)).toBe(false);
    expect(wantsPretty('json', 'development', true)).toBe(false);
    expect(wantsPretty('pretty', 'production', false)).toBe(true);
  });

  it('pretty lines are readable text, not JSON, and secrets stay redacted', async () => {
    const pretty = await prettyDestination();
    expect(pretty).toBeDefined();
    // pino-pretty writes to stdout by default; capture what a logger sends through the same formatter.
    const mod = (await import('pino-pretty')) as unknown as { default: (o: Record<string, unknown>) => NodeJS.WritableStream };
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const logger = createLogger('info', mod.default({ colorize: false, destination: sink, sync: true, ignore: 'pid,hostname', singleLine: true }) as never);
    logger.info({ req: { headers: { authorization: 'Bearer secret' } } }, 'Pathwise is listening on http://localhost:3000');
    logger.flush?.();
    await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/INFO.*Pathwise is listening on http:\/\/localhost:3000/);
    expect(out.trim().startsWith('{')).toBe(false);
    expect(out).not.toContain('secret');
  });

  it('the start-up banner names the URL to open and what is on', () => {
    const banner = startupBanner({ publicUrl: 'http://localhost:3000', database: 'embedded', dataDir: './data', demo: true, adminApi: false });
    expect(banner).toContain('Open      http://localhost:3000/  (the demo LMS is on');
    expect(banner).toContain('embedded, in ./data');
    expect(banner).toContain('off (set ADMIN_TOKEN to turn it on)');
  });
});
