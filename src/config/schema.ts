import { z } from 'zod';

/** Everything Pathwise can be configured with. Defaults live in config/default.json. */
export const configSchema = z
  .object({
    env: z.string().default('development'),
    port: z.coerce.number().int().min(0).max(65535),
    publicUrl: z.url({ message: 'must be an absolute URL such as https://pathwise.example.org' }).transform((u) => u.replace(/\/+$/, '')),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    /** Send the launch's hot statements as prepared statements on a PostgreSQL server (off for a transaction-mode pooler). */
    databasePreparedStatements: z
      .union([z.boolean(), z.enum(['true', 'false'])])
      .default(true)
      .transform((v) => v === true || v === 'true'),
    dataDir: z.string().min(1),
    /** Where the embedded database runs: `worker`, a thread of its own; `main`, the request thread (docs/performance.md). */
    embeddedDatabaseThread: z.enum(['main', 'worker']).default('main'),
    adminToken: z.string().min(16, 'must be at least 16 characters long').optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    /** auto: readable lines at a terminal outside production, JSON lines otherwise. */
    logFormat: z.enum(['auto', 'json', 'pretty']).default('auto'),
    session: z.object({
      ttlMinutes: z.number().int().positive(),
    }),
    keys: z.object({
      rotationGraceHours: z.number().positive(),
      /** Encrypts the tool's private keys at rest (from KEY_ENCRYPTION_KEY only: never in a file). */
      encryptionKey: z.string().min(32, 'must be at least 32 characters long (e.g. openssl rand -base64 32)').optional(),
    }),
    jwks: z.object({
      timeoutMs: z.number().int().positive(),
      defaultMaxAgeSeconds: z.number().int().nonnegative(),
    }),
    registration: z.object({
      /** How long a Dynamic Registration invite link stays usable. */
      inviteTtlHours: z.number().positive(),
      /** Timeout for each call to a platform during Dynamic Registration. */
      timeoutMs: z.number().int().positive(),
    }),
    launch: z.object({
      clockSkewSeconds: z.number().int().nonnegative().max(300),
      loginStateTtlSeconds: z.number().int().positive(),
      /** How often expired login states and sessions (and retired tool keys) are deleted. */
      purgeIntervalMinutes: z.number().positive().default(15),
    }),
    /** The grade outbox (AGS score delivery). */
    grades: z
      .object({
        /** Run the delivery worker in this process (turn off for web-only instances). */
        worker: z.boolean().default(true),
        pollIntervalMs: z.number().int().positive().default(1000),
        /** A score the LMS refuses only temporarily (5xx, 429, timeouts) keeps waiting this long before it is marked failed. */
        retryForHours: z.number().positive().default(72),
        concurrency: z.number().int().positive().max(64).default(8),
        batchSize: z.number().int().positive().max(500).default(50),
        /** A score left 'sending' this long (its worker died) is taken over. Keep it above the service timeout. */
        leaseMs: z.number().int().positive().default(120_000),
        baseDelayMs: z.number().int().positive().default(2000),
        /** Backoff cap: after an outage a waiting score is sent within this long of the LMS's recovery. */
        maxDelayMs: z.number().int().positive().default(900_000),
      })
      .prefault({}),
    /** Every call to an LMS (key sets, registration, token, NRPS, AGS) goes through one client with these limits. */
    outbound: z
      .object({
        /** Largest answer read from an LMS (bytes). */
        maxBytes: z.number().int().positive().default(262_144),
        /** Most keys accepted in an LMS key set. */
        maxJwksKeys: z.number().int().positive().default(50),
        /** Call LMSs on loopback/private/link-local addresses (a development LMS next to Pathwise, tests). */
        allowPrivateAddresses: z
          .union([z.boolean(), z.enum(['true', 'false'])])
          .default(false)
          .transform((v) => v === true || v === 'true'),
      })
      .prefault({}),
    /** LTI Advantage service calls (token endpoint, NRPS, AGS). */
    services: z.object({ timeoutMs: z.number().int().positive().default(10_000) }).prefault({}),
    /** Rosters read through NRPS. */
    roster: z
      .object({
        /** A teacher launch re-reads a roster older than this. */
        maxAgeMinutes: z.number().int().nonnegative().default(15),
        /** Bound on the pages one sync follows (Schoology pages hold 100 members). */
        maxPages: z.number().int().positive().default(200),
      })
      .prefault({}),
    /** What Pathwise keeps about people: names and emails can be turned off. */
    privacy: z
      .object({
        storeNames: z.boolean().default(true),
        storeEmails: z.boolean().default(true),
        /** Courses with no activity for this many days are deleted by the retention job. */
        retentionDays: z.number().int().min(1).default(400),
        /** Run the retention job in this process, every retentionIntervalHours. */
        retentionJob: z.boolean().default(true),
        retentionIntervalHours: z.number().positive().default(24),
      })
      .prefault({}),
    /** The admin console: operator sign-in and admin sessions. */
    admin: z
      .object({
        idleTimeoutMinutes: z.number().int().positive().default(30),
        /** Wrong tokens from one address before it is locked out, and for how long. */
        maxFailures: z.number().int().positive().default(5),
        lockoutMinutes: z.number().int().positive().default(15),
      })
      .prefault({}),
    /**
     * Failed requests per address before further ones are refused with 429 until the window ends.
     * Only failures count (an unknown issuer, a bad id_token, a wrong registration link or admin
     * token), so a whole school launching from one NAT address is never slowed by valid traffic.
     */
    rateLimits: z
      .object({
        enabled: z.boolean().default(true),
        windowSeconds: z.number().int().positive().max(86_400).default(60),
        /** Refused login initiations (unknown issuer or client, bad parameters) per address and window. */
        login: z.number().int().positive().default(100),
        /** Refused launches (bad or replayed id_token, unknown deployment, lost state) per address and window. */
        launch: z.number().int().positive().default(100),
        /** Unusable registration links per address and window. */
        registration: z.number().int().positive().default(20),
        /** Admin API requests with a missing or wrong token per address and window. */
        adminApi: z.number().int().positive().default(20),
      })
      .prefault({}),
    /**
     * The built-in demo LMS at /demo-lms (try Pathwise without an LMS). "auto" (the default) turns it
     * on with the embedded database outside production when PUBLIC_URL is a loopback address;
     * true/false (or DEMO_LMS=true/false) decide, and true is refused in production.
     */
    demo: z.object({ enabled: z.union([z.boolean(), z.enum(['auto', 'true', 'false'])]).default('auto') }).prefault({}),
  })
  .superRefine((c, ctx) => {
    // The demo LMS makes anyone who can reach it a teacher of its course: never in production.
    if (c.env === 'production' && (c.demo.enabled === true || c.demo.enabled === 'true')) {
      ctx.addIssue({
        code: 'custom',
        path: ['demo', 'enabled'],
        message: 'the demo LMS cannot run in production (NODE_ENV=production): anyone could launch as its teacher. Unset DEMO_LMS or set DEMO_LMS=false.',
      });
    }
  })
  .transform((c) => {
    const setting = c.demo.enabled;
    const enabled = setting === 'auto' ? !c.databaseUrl && c.env !== 'production' && isLoopbackUrl(c.publicUrl) : setting === true || setting === 'true';
    return { ...c, demo: { enabled } };
  });

/** True for a URL on this machine only (localhost, *.localhost, 127.0.0.0/8, ::1): the demo's `auto`. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}

export type Config = z.infer<typeof configSchema>;
