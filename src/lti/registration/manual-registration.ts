import { z } from 'zod';
import type { PlatformRecord, PlatformRepository } from '../../store/platform-repository.js';
import { isUniqueViolation, platformExists } from './errors.js';

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

/** A manual registration: the values an LMS shows after the admin adds Pathwise by hand. */
export const manualPlatformSchema = z.strictObject({
  issuer: httpUrl,
  clientId: z.string().trim().min(1, 'is required'),
  authLoginUrl: httpUrl,
  authTokenUrl: httpUrl,
  jwksUrl: httpUrl,
  deploymentIds: z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'needs at least one deployment id'),
  name: z.string().trim().min(1).max(200).optional(),
  authTokenAudience: z.string().trim().min(1).optional(),
  productFamily: z.string().trim().min(1).max(100).optional(),
});
export type ManualPlatformInput = z.infer<typeof manualPlatformSchema>;

/**
 * Stores a manually registered platform with its deployments (active). The same issuer and
 * client id twice is refused with platform_exists.
 */
export async function registerPlatformManually(platforms: PlatformRepository, input: ManualPlatformInput): Promise<PlatformRecord> {
  if (await platforms.findByIssuerAndClient(input.issuer, input.clientId)) throw platformExists();
  try {
    return await platforms.create({
      issuer: input.issuer,
      clientId: input.clientId,
      name: input.name ?? null,
      productFamily: input.productFamily ?? null,
      authLoginUrl: input.authLoginUrl,
      authTokenUrl: input.authTokenUrl,
      authTokenAudience: input.authTokenAudience ?? null,
      jwksUrl: input.jwksUrl,
      deploymentIds: [...new Set(input.deploymentIds)],
    });
  } catch (err) {
    throw isUniqueViolation(err) ? platformExists() : err;
  }
}
