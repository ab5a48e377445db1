import { Router } from 'express';
import type { AppContext } from '../context.js';
import { RETRY_AFTER_SECONDS } from '../middleware/errors.js';

/** GET /health: 200 when the database answers, 503 when it does not. */
export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/health', async (req, res) => {
    try {
      await ctx.db.query('select 1');
      res.json({ status: 'ok', database: ctx.db.kind });
    } catch (err) {
      req.log.error({ err }, 'health check: database unreachable');
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      res.status(503).json({ status: 'unavailable', error: { code: 'database_unavailable', message: 'The database is not reachable.' } });
    }
  });
  return router;
}
