import path from 'node:path';
import express, { type Express } from 'express';
import type { AppContext } from './context.js';
import { requestContext } from './middleware/request-id.js';
import { hsts } from './middleware/hsts.js';
import { securityHeaders } from './middleware/security-headers.js';
import { noStoreForSessions } from './middleware/no-store.js';
import { errorHandler, notFoundHandler } from './middleware/errors.js';
import { FailureLimiter } from './middleware/rate-limit.js';
import { ROOT, setupViews } from './views.js';
import { healthRoutes } from './routes/health.js';
import { homeRoutes } from './routes/home.js';
import { adminRoutes } from './routes/admin/index.js';
import { adminConsoleRoutes } from './routes/admin/console/index.js';
import { registrationRoutes } from './routes/registration/index.js';
import { wellKnownRoutes } from './routes/well-known.js';
import { ltiRoutes } from './routes/lti/index.js';
import { teacherGradeRoutes } from './routes/teacher/grades.js';
import { rosterRoutes } from './routes/teacher/roster.js';
import { studentRoutes } from './routes/student/index.js';
import { teacherRoutes } from './routes/teacher/index.js';
import { demoLmsRoutes } from '../demo-lms/routes/index.js';
import { demoOnPublicHost } from '../demo-lms/public-host.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const wellFormed = (s: string) => s.replace(LONE_SURROGATE, '\uFFFD');

/** Builds the Express app from its context. Routers are thin: validate → use case → render. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag on dynamic responses: each page carries its own CSP nonce, so none would ever match,
  // and hashing every body cost CPU on each request. Static assets keep theirs (express.static).
  app.set('etag', false);
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  setupViews(app);
  app.use(requestContext(ctx.logger));
  app.use(hsts(ctx.config.publicUrl));
  app.use(securityHeaders(() => ctx.platformOrigins()));
  app.use(noStoreForSessions());
  app.use('/assets', express.static(path.join(ROOT, 'public'), { maxAge: '1h', index: false }));
  // Failures per address at the doors anyone can knock on; valid requests cost nothing here.
  // Before the body parsers, so a refused address's bodies are not even read.
  const limiter = new FailureLimiter(ctx.rateLimits, ctx.config.rateLimits, ctx.logger);
  app.use('/lti/login', limiter.gate('login'));
  app.use('/lti/launch', limiter.gate('launch'));
  app.use('/lti/register', limiter.gate('registration'));
  app.use('/admin/api', limiter.gate('adminApi'));

  // Small bodies only: an id_token is a few KB; 1 MB of garbage is refused before it is parsed.
  app.use(express.urlencoded({ extended: false, limit: '256kb' }));
  // JSON may escape a lone surrogate ("\ud800"), which PostgreSQL's jsonb refuses (a 500 before);
  // such text becomes U+FFFD, as in a form body.
  app.use(express.json({ limit: '256kb', reviver: (_key, value: unknown) => (typeof value === 'string' ? wellFormed(value) : value) }));

  app.use(healthRoutes(ctx));
  if (ctx.demo) app.use(demoOnPublicHost(ctx.config.publicUrl));
  // The launch's three requests (login, launch, landing page) are the busiest: their routes come
  // first, so they do not walk the admin and registration routers' layers. No other router
  // answers a path of ltiRoutes, so the order changes no answer.
  app.use(ltiRoutes(ctx));
  app.use(homeRoutes(ctx));
  app.use(wellKnownRoutes(ctx));
  app.use(adminRoutes(ctx));
  app.use(adminConsoleRoutes(ctx));
  app.use(registrationRoutes(ctx));
  app.use(teacherGradeRoutes(ctx));
  app.use(rosterRoutes(ctx));
  app.use(teacherRoutes(ctx));
  app.use(studentRoutes(ctx));
  if (ctx.demo) app.use(demoLmsRoutes(ctx.demo));

  app.use(notFoundHandler);
  app.use(limiter.countFailures);
  app.use(errorHandler);
  return app;
}
