import { Router } from 'express';
import { toolEndpoints } from '../../../lti/registration/tool-configuration.js';
import type { AppContext } from '../../context.js';

/** GET /admin/api/tool: the values an admin pastes into an LMS's manual registration form. */
export function toolAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/tool', (_req, res) => {
    res.json(toolEndpoints(ctx.config.publicUrl));
  });
  return router;
}
