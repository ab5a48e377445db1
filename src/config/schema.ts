import { z } from 'zod';

/** Everything Pathwise can be configured with. Defaults live in config/default.json. */
export const configSchema = z.object({
  env: z.string().default('development'),
  port: z.coerce.number().int().min(0).max(65535),
  publicUrl: z
    .url({ message: 'must be an absolute URL such as https://pathwise.example.org' })
    .transform((u) => u.replace(/\/+$/, '')),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  dataDir: z.string().min(1),
  adminToken: z.string().min(16, 'must be at least 16 characters long').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  session: z.object({
    ttlMinutes: z.number().int().positive(),
  }),
  keys: z.object({
    rotationGraceHours: z.number().positive(),
  }),
  jwks: z.object({
    timeoutMs: z.number().int().positive(),
    defaultMaxAgeSeconds: z.number().int().nonnegative(),
  }),
  launch: z.object({
    clockSkewSeconds: z.number().int().nonnegative().max(300),
    loginStateTtlSeconds: z.number().int().positive(),
  }),
});

export type Config = z.infer<typeof configSchema>;
