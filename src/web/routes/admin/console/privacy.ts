import { Router } from 'express';
import { z } from 'zod';
import { PERSONAL_FIELDS } from '../../../../privacy/inventory.js';
import { notFound, invalid } from '../../../../shared/errors.js';
import { AUDIT_ACTIONS, auditCsv } from '../../../../store/audit-log.js';
import type { AppContext } from '../../../context.js';
import { adminActor, canReachPlatform, operatorOnly } from '../../../middleware/admin-session.js';
import { auditQuery } from '../privacy.js';
import { done, noticeOf, renderAdmin, when } from './page.js';

const studentForm = z.object({ platformId: z.uuid(), sub: z.string().trim().min(1).max(255), confirm: z.string().optional() });

/** The data inventory, retention (dry run, then run), per-student export and deletion, and the audit log. */
export function privacyPages(ctx: AppContext): Router {
  const router = Router();

  router.get('/privacy', async (req, res) => {
    const scope = req.adminScope;
    const platforms = (await ctx.platforms.list()).filter((p) => canReachPlatform(scope, p.id));
    const dryRun = scope?.kind === 'operator' ? await ctx.privacy.retentionDryRun() : undefined;
    renderAdmin(res, 'privacy', 'pages/admin-privacy', {
      noticeKey: noticeOf(req),
      fields: PERSONAL_FIELDS.map((f) => ({
        field: f.field,
        whyKey: `privacy.why.${f.why}`,
        sourceKey: `privacy.source.${f.source}`,
        keptKey: `privacy.kept.${f.kept}`,
        whoKey: `privacy.who.${f.who}`,
      })),
      storeNames: ctx.config.privacy.storeNames,
      storeEmails: ctx.config.privacy.storeEmails,
      retentionDays: ctx.config.privacy.retentionDays,
      platforms: platforms.map((p) => ({ id: p.id, name: p.name ?? p.issuer })),
      dryRun: dryRun && {
        cutoff: when(res, dryRun.cutoff),
        people: dryRun.people,
        courses: dryRun.courses.map((c) => ({ ...c, last: when(res, c.lastActivityAt) })),
      },
    });
  });

  router.post('/privacy/retention/run', operatorOnly, async (req, res) => {
    const r = await ctx.privacy.runRetention(adminActor(req));
    req.log.info({ courses: r.courses.length, people: r.people }, 'retention run from the console');
    done(res, '/admin/privacy', 'retention_done');
  });

  const student = (body: unknown) => {
    const f = studentForm.safeParse(body);
    if (!f.success)
      throw invalid('invalid_request', 'Choose a platform and give the LMS user id.', 'Go back and fill in both fields.', undefined, {
        variant: 'student',
      });
    return f.data;
  };
  const noUser = () =>
    notFound('user_not_found', 'Pathwise holds nothing about this user on this platform.', 'Check the platform and the LMS user id (the LTI "sub").');

  router.post('/privacy/students/export', async (req, res) => {
    const f = student(req.body);
    if (!canReachPlatform(req.adminScope, f.platformId)) throw noUser();
    const data = await ctx.privacy.exportStudent(f.platformId, f.sub, adminActor(req));
    if (!data) throw noUser();
    req.log.info({ platformId: f.platformId }, 'student data exported from the console');
    res.setHeader('Content-Disposition', 'attachment; filename="pathwise-export.json"');
    res.type('application/json').send(JSON.stringify(data, null, 2));
  });

  router.post('/privacy/students/delete', async (req, res) => {
    const f = student(req.body);
    if (f.confirm !== 'yes')
      throw invalid('confirmation_required', 'Tick the box to confirm the deletion.', 'Deleting cannot be undone: go back, tick the box and delete again.');
    if (!canReachPlatform(req.adminScope, f.platformId)) throw noUser();
    const report = await ctx.privacy.deleteStudent(f.platformId, f.sub, adminActor(req));
    if (!report) throw noUser();
    req.log.info({ platformId: f.platformId, tables: Object.keys(report.rows).length }, 'student data deleted from the console');
    done(res, '/admin/privacy', 'student_deleted');
  });

  router.get('/audit', async (req, res) => {
    const parsed = auditQuery.safeParse(req.query);
    const q = parsed.success ? parsed.data : auditQuery.parse({});
    const scope = req.adminScope;
    const platforms = (await ctx.platforms.list()).filter((p) => canReachPlatform(scope, p.id));
    const platformId = scope?.kind === 'platform' ? scope.platformId : q.platformId;
    const entries = await ctx.privacy.audit.list({
      platformId,
      action: q.action,
      from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
      to: q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) : undefined,
      limit: q.format === 'csv' ? 10_000 : 200,
    });
    if (q.format === 'csv') {
      res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="pathwise-audit.csv"');
      res.send(auditCsv(entries));
      return;
    }
    const names = new Map(platforms.map((p) => [p.id, p.name ?? p.issuer]));
    const csvQuery = new URLSearchParams({
      ...(q.action ? { action: q.action } : {}),
      ...(q.platformId ? { platformId: q.platformId } : {}),
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
      format: 'csv',
    });
    renderAdmin(res, 'audit', 'pages/admin-audit', {
      actions: AUDIT_ACTIONS.map((a) => ({ id: a, selected: a === q.action })),
      platforms: platforms.map((p) => ({ id: p.id, name: p.name ?? p.issuer, selected: p.id === q.platformId })),
      filter: q,
      csvUrl: `/admin/audit?${csvQuery.toString()}`,
      entries: entries.map((e) => ({
        ...e,
        when: when(res, e.at),
        actorKey: `admin.actor.${e.actorKind}`,
        platformName: e.platformId ? (names.get(e.platformId) ?? e.platformId) : '',
        details: Object.keys(e.details).length ? JSON.stringify(e.details) : '',
      })),
    });
  });

  return router;
}
