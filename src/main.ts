import { prettyDestination, startupBanner, wantsPretty } from './shared/log-format.js';
import { pathToFileURL } from 'node:url';
import type { Server } from 'node:http';
import { loadConfig, ConfigError } from './config/load.js';
import type { Config } from './config/schema.js';
import { createLogger, type Logger } from './shared/logger.js';
import type { Database } from './store/database.js';
import { openDatabase } from './store/open.js';
import { PlatformRepository } from './store/platform-repository.js';
import { PlatformOriginsCache } from './store/platform-origins.js';
import { RegistrationInviteRepository } from './store/registration-invite-repository.js';
import { ToolKeys } from './lti/keys/tool-keys.js';
import { DynamicRegistration } from './lti/registration/dynamic-registration.js';
import { LaunchService } from './lti/launch/launch-service.js';
import { RosterSync } from './lti/nrps/roster-sync.js';
import { RosterRepository } from './store/roster-repository.js';
import { LmsHttp } from './lti/http/lms-http.js';
import { ServiceTokens } from './lti/services/access-token.js';
import { OutboxWorker } from './lti/ags/outbox-worker.js';
import { createLearningService } from './store/learning-service.js';
import { createPlacementService } from './store/placement-service.js';
import { createPrivacyService } from './store/privacy-service.js';
import { AdminSessions } from './store/admin-sessions.js';
import { RateLimitRepository } from './store/rate-limit-repository.js';
import { startRetentionJob } from './store/retention-job.js';
import { startHousekeeping } from './store/housekeeping-job.js';
import { KeyEncryptionError } from './lti/keys/key-encryption.js';
import { createDemoLms } from './demo-lms/demo-lms.js';
import { createApp } from './web/app.js';
import { answerClientErrors } from './web/client-error.js';
import type { AppContext } from './web/context.js';

export interface Pathwise {
  ctx: AppContext;
  app: ReturnType<typeof createApp>;
  /** Stops background work and closes the database. */
  close(): Promise<void>;
  /** Deletes expired login states and sessions and retired tool keys now (it also runs on a timer). */
  purgeExpired(): Promise<void>;
}

/** The one place that constructs everything. Tests call it with their own database. */
export async function compose(config: Config, options: { db?: Database; logger?: Logger } = {}): Promise<Pathwise> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = options.db ?? (await openDatabase(config));
  const keys = new ToolKeys(db, { rotationGraceHours: config.keys.rotationGraceHours, encryptionKey: config.keys.encryptionKey });
  await keys.ensureKey();
  const platformOrigins = new PlatformOriginsCache(db);
  await platformOrigins.start();
  // Loaded now rather than by the first login (a failure here is retried by the first lookup).
  await platformOrigins.all().catch(() => []);
  const platforms = new PlatformRepository(db, platformOrigins);
  // The one client for every call to an LMS. The demo LMS is served by Pathwise itself, often on localhost.
  const lmsHttp = new LmsHttp({
    timeoutMs: config.services.timeoutMs,
    maxBytes: config.outbound.maxBytes,
    allowPrivateAddresses: config.outbound.allowPrivateAddresses,
    trustedOrigins: config.demo.enabled ? [config.publicUrl] : [],
  });
  const dynamicRegistration = new DynamicRegistration(db, platforms, new RegistrationInviteRepository(db), {
    publicUrl: config.publicUrl,
    inviteTtlHours: config.registration.inviteTtlHours,
    timeoutMs: config.registration.timeoutMs,
    // Plain http only to a platform on this machine, and never in production.
    allowLoopbackHttp: config.env !== 'production',
    http: lmsHttp,
  });
  const serviceTokens = new ServiceTokens(keys, { timeoutMs: config.services.timeoutMs, logger, http: lmsHttp });
  const outbox = new OutboxWorker(db, serviceTokens, { ...config.grades, logger });
  const roster = new RosterRepository(db);
  const rosterSync = new RosterSync({ roster, platforms, tokens: serviceTokens, logger }, { ...config.roster, privacy: config.privacy });
  const ctx: AppContext = {
    config,
    db,
    logger,
    // A database outage must not turn every page into a 500 (GET /health reports it as 503).
    platformOrigins: () => platformOrigins.all().catch(() => []),
    platformOriginsFor: (platformId) => platformOrigins.forPlatform(platformId).catch(() => []),
    keys,
    platforms,
    dynamicRegistration,
    launch: new LaunchService(db, config, lmsHttp, platforms),
    roster,
    rosterSync,
    serviceTokens,
    outbox,
    placements: createPlacementService(db),
    learning: createLearningService(db, { afterGradeChange: () => outbox.kick() }),
    privacy: createPrivacyService(db, { retentionDays: config.privacy.retentionDays }),
    adminSessions: new AdminSessions(db, config.admin),
    rateLimits: new RateLimitRepository(db),
  };
  if (config.demo.enabled) {
    // After the tool key exists: the demo LMS registers itself and places a sample unit.
    ctx.demo = await createDemoLms({ db, config, platforms, learning: ctx.learning, toolJwks: () => keys.publicJwks(), logger });
  }
  const app = createApp(ctx);
  if (config.grades.worker) outbox.start();
  const retention = config.privacy.retentionJob ? startRetentionJob(ctx.privacy, config.privacy.retentionIntervalHours, logger) : undefined;
  const housekeeping = startHousekeeping(
    [
      { name: 'login_states', run: () => ctx.launch.loginStates.purgeExpired() },
      { name: 'sessions', run: () => ctx.launch.sessions.purgeExpired() },
      { name: 'retired_tool_keys', run: () => keys.deleteRetired() },
      { name: 'rate_limit_failures', run: () => ctx.rateLimits.purgeExpired(config.rateLimits.windowSeconds) },
      { name: 'admin_sessions', run: () => ctx.adminSessions.purgeExpired() },
      // Not a cleanup: each unit's estimator weights, refitted once enough new answers arrived (bounded per run).
      { name: 'pfa_weights_refitted', run: () => ctx.learning.refitPfaWeights() },
    ],
    config.launch.purgeIntervalMinutes,
    logger,
  );
  let closing: Promise<void> | undefined;
  return {
    ctx,
    app,
    purgeExpired: housekeeping.runNow,
    close() {
      // Once only: a second SIGTERM or a test's afterAll after a signal must not close twice.
      closing ??= (async () => {
        // The worker finishes (or gives back) its deliveries while the database is still open.
        retention?.stop();
        housekeeping.stop();
        await outbox.close();
        await platformOrigins.close();
        await db.close();
      })();
      return closing;
    },
  };
}

async function start(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const pretty = wantsPretty(config.logFormat, config.env, Boolean(process.stdout.isTTY));
  const logger = createLogger(config.logLevel, pretty ? await prettyDestination() : undefined);
  let pathwise: Pathwise;
  try {
    pathwise = await compose(config, { logger });
  } catch (err) {
    if (err instanceof KeyEncryptionError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // Express 5 hands a failed listen (the port taken, no right to bind it) to this callback.
  const server: Server = pathwise.app.listen(config.port, (err?: Error) => {
    if (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'EADDRINUSE' ? 'another process is listening on it' : code === 'EACCES' ? 'this user may not listen on it' : err.message;
      process.stderr.write(`Pathwise could not listen on port ${config.port}: ${why} (${code ?? 'error'}). Set PORT to a free port.\n`);
      setTimeout(() => process.exit(1), 5_000).unref();
      void pathwise.close().finally(() => process.exit(1));
      return;
    }
    logger.info({ port: config.port, publicUrl: config.publicUrl, database: pathwise.ctx.db.kind }, `Pathwise is listening on ${config.publicUrl}`);
    if (pretty) {
      process.stdout.write(
        startupBanner({
          publicUrl: config.publicUrl,
          database: pathwise.ctx.db.kind,
          dataDir: config.dataDir,
          demo: Boolean(pathwise.ctx.demo),
          adminApi: Boolean(config.adminToken),
        }),
      );
    }
    if (!config.adminToken) {
      logger.warn('The admin API is off. Set ADMIN_TOKEN (16+ characters) to turn it on.');
    }
  });
  answerClientErrors(server);
  let stopping = false;
  /**
   * Graceful shutdown, run once: stop accepting connections, let requests in flight finish, give
   * the outbox's claimed scores back, close the database, exit 0 — or exit 1 after 10 s. A second
   * signal while stopping is only logged (it used to start a second shutdown over the first).
   */
  const stop = (signal: string) => {
    if (stopping) {
      logger.info({ signal }, 'already shutting down');
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close(() => {
      pathwise.close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
    // Idle keep-alive connections would hold server.close() until they time out.
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  start().catch((err: unknown) => {
    process.stderr.write(`Pathwise could not start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
