import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { deepLinkingRoutes } from './deep-linking.js';
import { landingRoutes } from './landing.js';
import { launchRoutes } from './launch.js';
import { loginRoutes } from './login.js';
import { placementRoutes } from './placement.js';
import { relaunchRoutes } from './relaunch.js';

/** LTI 1.3 login, launch and the pages a launch lands on. */
export function ltiRoutes(ctx: AppContext): Router {
  const router = Router();
  // The launch's own three routes first, in the order a launch reaches them.
  router.use(loginRoutes(ctx));
  router.use(launchRoutes(ctx));
  router.use(landingRoutes(ctx));
  router.use(relaunchRoutes(ctx));
  router.use(deepLinkingRoutes(ctx));
  router.use(placementRoutes(ctx));
  return router;
}
