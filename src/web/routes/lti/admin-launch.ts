import type { Response } from 'express';
import type { SessionRecord } from '../../../store/session-repository.js';
import type { AppContext } from '../../context.js';

/**
 * An LMS administrator's launch (institution or system Administrator, no role in a course, as
 * courseRole decides): the admin console limited to their own platform. The console's cookie is
 * SameSite=Strict and would be a third-party cookie inside the LMS frame, so the launch page
 * offers a link that opens the console in a tab of its own, with a one-time ticket that lives a minute.
 */
export async function openAdminConsole(ctx: AppContext, res: Response, s: SessionRecord): Promise<void> {
  const ticket = await ctx.adminSessions.createTicket({ platformId: s.platformId, userId: s.userId, locale: s.locale });
  res.setHeader('Cache-Control', 'no-store');
  res.render('pages/admin-launch', { enterUrl: `/admin/enter?ticket=${encodeURIComponent(ticket)}`, inCourse: Boolean(s.courseId) });
}
