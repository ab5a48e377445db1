import { Router } from 'express';
import type { AppContext } from '../context.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * GET /.well-known/jwks.json: the tool's public key set (Security Framework §6.3,
 * https://www.imsglobal.org/spec/security/v1p0/#h_key-set-url). Cached briefly so a rotated key
 * reaches platforms within minutes; private members are stripped as a second line of defence.
 */
export function wellKnownRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/.well-known/jwks.json', async (_req, res) => {
    const { keys } = await ctx.keys.publicJwks();
    const safe = keys.map((k) => Object.fromEntries(Object.entries(k).filter(([name]) => !PRIVATE_MEMBERS.includes(name))));
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.json({ keys: safe });
  });
  return router;
}
