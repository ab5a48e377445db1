import { Router } from 'express';
import type { AppContext } from '../../context.js';

/**
 * GET /admin/api/stats: this process's database statement and transaction counters since start,
 * its resident memory and CPU time. The launch benchmark divides the differences by the round
 * trips it ran; an operator can watch them the same way.
 */
export function statsAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/stats', (_req, res) => {
    const cpu = process.cpuUsage();
    res.json({
      database: { kind: ctx.db.kind, statements: ctx.db.counters.statements, transactions: ctx.db.counters.transactions },
      process: { rssBytes: process.memoryUsage.rss(), cpuMs: (cpu.user + cpu.system) / 1000, uptimeSeconds: process.uptime() },
    });
  });
  return router;
}
