import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../../../shared/errors.js';
import { AUDIT_ACTIONS, auditCsv } from '../../../store/audit-log.js';
import type { AppContext } from '../../context.js';
import { adminActor, canReachPlatform, operatorOnly } from '../../middleware/admin-session.js';
import { parseOrThrow } from './validate.js';

const userParams = z.object({ platformId: z.uuid(), sub: z.string().min(1).max(255) });
export const auditQuery = z.object({
  action: z
    .enum(AUDIT_ACTIONS)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  platformId: z
    .uuid()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  from: z.iso
    .date()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  to: z.iso
    .date()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  format: z.enum(['json', 'csv']).default('json'),
});

const noUser = () =>
  notFound('user_not_found', 'Pathwise holds nothing about this user on this platform.', 'Check the platform id and the LMS user id (the LTI "sub").');

/**
 * Data requests and the audit log: per-student export and deletion, retention (dry run and run),
 * and the audit log as JSON or CSV. An LMS administrator reaches only their own platform.
 */
export function privacyAdminRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/platforms/:platformId/users/:sub/export', async (req, res) => {
    const p = parseOrThrow(userParams, req.params);
    if (!canReachPlatform(req.adminScope, p.platformId)) throw noUser();
    const data = await ctx.privacy.exportStudent(p.platformId, p.sub, adminActor(req));
    if (!data) throw noUser();
    req.log.info({ platformId: p.platformId }, 'student data exported');
    res.setHeader('Content-Disposition', 'attachment; filename="pathwise-export.json"');
    res.json(data);
  });

  router.delete('/platforms/:platformId/users/:sub', async (req, res) => {
    const p = parseOrThrow(userParams, req.params);
    if (!canReachPlatform(req.adminScope, p.platformId)) throw noUser();
    const report = await ctx.privacy.deleteStudent(p.platformId, p.sub, adminActor(req));
    if (!report) throw noUser();
    req.log.info({ platformId: p.platformId, tables: Object.keys(report.rows).length }, 'student data deleted');
    res.json({ deleted: true, rows: report.rows });
  });

  router.get('/retention', operatorOnly, async (_req, res) => {
    res.json({ dryRun: true, ...(await ctx.privacy.retentionDryRun()) });
  });

  router.post('/retention/run', operatorOnly, async (req, res) => {
    const report = await ctx.privacy.runRetention(adminActor(req));
    req.log.info({ courses: report.courses.length, people: report.people }, 'retention run');
    res.json({ dryRun: false, ...report });
  });

  router.get('/audit', async (req, res) => {
    const q = parseOrThrow(auditQuery, req.query);
    const scope = req.adminScope;
    const platformId = scope?.kind === 'platform' ? scope.platformId : q.platformId;
    const entries = await ctx.privacy.audit.list({
      platformId,
      action: q.action,
      from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
      to: q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) : undefined,
      limit: q.format === 'csv' ? 10_000 : 500,
    });
    if (q.format === 'csv') {
      res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="pathwise-audit.csv"');
      res.send(auditCsv(entries));
      return;
    }
    res.json({ entries });
  });

  return router;
}
