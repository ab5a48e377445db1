import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { classRoutes } from './class.js';
import { competencyEditorRoutes } from './competency-editor.js';
import { dashboardRoutes } from './dashboard.js';
import { editorRoutes } from './editor.js';
import { homeRoutes } from './home.js';
import { previewRoutes } from './preview.js';
import { TeacherQueries } from './queries.js';
import { studentRoutes } from './students.js';
import { unitRoutes } from './units.js';

/**
 * The teacher's pages under /teacher (grade sync and roster have their own routers): course home,
 * class list, unit editor, class dashboard, student pages. Every route runs teacherGuard — launch session,
 * CSRF on every POST, teacher of the session's course — and reads only that course's data.
 */
export function teacherRoutes(ctx: AppContext): Router {
  const queries = new TeacherQueries(ctx.db);
  const router = Router();
  router.use(homeRoutes(ctx, queries));
  router.use(unitRoutes(ctx));
  router.use(editorRoutes(ctx));
  router.use(competencyEditorRoutes(ctx));
  router.use(previewRoutes(ctx));
  router.use(classRoutes(ctx, queries));
  router.use(dashboardRoutes(ctx, queries));
  router.use(studentRoutes(ctx, queries));
  return router;
}
