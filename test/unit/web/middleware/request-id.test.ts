import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src/shared/logger.js';
import { requestContext } from '../../../../src/web/middleware/request-id.js';

function appLogging(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const made = { children: 0 };
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<typeof child>) => (made.children++, child(...args))) as typeof logger.child;
  const app = express();
  app.use(requestContext(logger));
  app.get('/quiet', (_req, res) => {
    res.send('ok');
  });
  app.get('/warns', (req, res) => {
    req.log.warn({ code: 'something' }, 'refused');
    res.send('ok');
  });
  return { app, lines, made };
}

describe('requestContext', () => {
  it('at info, logs one line per request with its id and the path without the query', async () => {
    const { app, lines } = appLogging('info');
    const res = await request(app).get('/quiet?session=secret-token');
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[\da-f-]{36}$/);
    expect(lines).toEqual([expect.objectContaining({ msg: 'request', requestId: id, path: '/quiet', status: 200 })]);
  });

  it('at warn, makes no child logger for a request that logs nothing; a line the handler logs still carries its own id', async () => {
    const { app, lines, made } = appLogging('warn');
    await request(app).get('/quiet');
    expect(lines).toEqual([]);
    expect(made.children).toBe(0);
    const a = await request(app).get('/warns');
    const b = await request(app).get('/warns');
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'refused', requestId: a.headers['x-request-id'] }),
      expect.objectContaining({ msg: 'refused', requestId: b.headers['x-request-id'] }),
    ]);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});
