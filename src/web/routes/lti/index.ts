import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { landingRoutes } from './landing.js';
import { launchRoutes } from './launch.js';
import { loginRoutes } from './login.js';

/** LTI 1.3 login, launch and the pages a launch lands on. */
export function ltiRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(loginRoutes(ctx));
  router.use(launchRoutes(ctx));
  router.use(landingRoutes(ctx));
  return router;
}
