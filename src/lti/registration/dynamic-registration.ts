import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import type { Database } from '../../store/database.js';
import type { PlatformRecord, PlatformRepository } from '../../store/platform-repository.js';
import type { RegistrationInvite, RegistrationInviteRepository } from '../../store/registration-invite-repository.js';
import { isUniqueViolation, platformExists } from './errors.js';
import type { LmsHttp } from '../http/lms-http.js';
import { fetchPlatformConfiguration, fetchPlatformJson } from './platform-configuration.js';
import { PLATFORM_CONFIGURATION_CLAIM, TOOL_CONFIGURATION_CLAIM, clientRegistrationRequest } from './tool-configuration.js';

export interface DynamicRegistrationOptions {
  publicUrl: string;
  inviteTtlHours: number;
  timeoutMs: number;
  allowLoopbackHttp: boolean;
  /** The one outbound client (limits, no redirects, no private addresses unless allowed). */
  http: LmsHttp;
  /** Failed attempts after which an invite can no longer be used. Default 10. */
  maxFailedAttempts?: number;
}

export interface RegistrationResult {
  platform: PlatformRecord;
  deploymentId: string | null;
  productFamily: string | null;
}

const inviteRefused = {
  invalid_invite: ['not_found', 'This registration link is not valid.'],
  invite_used: ['conflict', 'This registration link has already been used.'],
  invite_expired: ['forbidden', 'This registration link has expired.'],
  invite_exhausted: ['forbidden', 'This registration link failed too many times and can no longer be used.'],
} as const;

function refuse(code: keyof typeof inviteRefused): AppError {
  const [kind, message] = inviteRefused[code];
  return new AppError(code, message, { kind, help: 'Ask the Pathwise operator for a new registration link.' });
}

/** Keeps only the platform's answer without anything secret-looking, for the record. */
function forRecord(body: Record<string, unknown>): Record<string, unknown> {
  const { registration_access_token: _t, client_secret: _s, ...rest } = body;
  return rest;
}

/**
 * LTI Dynamic Registration 1.0 from the tool's side, https://www.imsglobal.org/spec/lti-dr/v1p0/ :
 * one-time invites, reading the platform configuration, posting the client registration and
 * storing the platform and its deployment.
 */
export class DynamicRegistration {
  constructor(
    private readonly db: Database,
    private readonly platforms: PlatformRepository,
    private readonly invites: RegistrationInviteRepository,
    private readonly options: DynamicRegistrationOptions,
  ) {}

  /** Creates a one-time registration link; only the token's hash is stored. */
  async createInvite(): Promise<{ url: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const invite = await this.invites.create(token, new Date(Date.now() + this.options.inviteTtlHours * 3600_000));
    return { url: `${this.options.publicUrl}/lti/register?invite=${token}`, expiresAt: invite.expiresAt };
  }

  /** The invite for `token` if it can still be used; throws invalid_invite / invite_used / invite_expired. */
  async usableInvite(token: string | undefined): Promise<RegistrationInvite> {
    const invite = token ? await this.invites.findByToken(token) : null;
    if (!invite) throw refuse('invalid_invite');
    if (invite.usedAt) throw refuse('invite_used');
    if (invite.expiresAt.getTime() <= Date.now()) throw refuse('invite_expired');
    if (invite.failedAttempts >= (this.options.maxFailedAttempts ?? 10)) throw refuse('invite_exhausted');
    return invite;
  }

  /**
   * Runs the registration for an invite. Platform failures leave the invite unused so the admin
   * can retry; the platform, its deployment and the used invite are stored in one transaction.
   */
  async register(input: { inviteToken: string | undefined; openidConfiguration: string; registrationToken?: string | undefined }): Promise<RegistrationResult> {
    const invite = await this.usableInvite(input.inviteToken);
    try {
      return await this.registerWith(invite, input);
    } catch (err) {
      // Every failed attempt counts against the invite (a leaked link is not an unlimited probe).
      if (!(err instanceof AppError && err.code === 'invite_used')) await this.invites.recordFailure(invite.id).catch(() => undefined);
      throw err;
    }
  }

  private async registerWith(
    invite: RegistrationInvite,
    input: { openidConfiguration: string; registrationToken?: string | undefined },
  ): Promise<RegistrationResult> {
    const config = await fetchPlatformConfiguration(input.openidConfiguration, this.options);
    const platformInfo = config[PLATFORM_CONFIGURATION_CLAIM];
    const productFamily = platformInfo?.product_family_code ?? null;
    const request = clientRegistrationRequest(this.options.publicUrl, {
      productFamilyCode: platformInfo?.product_family_code,
      messagesSupported: platformInfo?.messages_supported,
      scopesSupported: config.scopes_supported,
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    // The registration token is passed on as a bearer token, https://www.imsglobal.org/spec/lti-dr/v1p0/#step-3-client-registration
    if (input.registrationToken) headers.authorization = `Bearer ${input.registrationToken}`;
    const { status, body } = await fetchPlatformJson(
      this.options.http,
      config.registration_endpoint,
      { method: 'POST', headers, body: JSON.stringify(request) },
      this.options.timeoutMs,
    );
    if (status >= 500) {
      throw new AppError('platform_unreachable', `The LMS could not take the registration (HTTP ${status}).`, {
        kind: 'unavailable',
        help: 'Try again in a moment from the LMS; the registration link still works.',
        params: { variant: 'registration', status },
      });
    }
    const answer = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (status < 200 || status >= 300 || typeof answer.client_id !== 'string' || !answer.client_id) {
      // The LMS's own text is not echoed (it could carry anything); an RFC 7591 error code is safe to name.
      const oauthError = typeof answer.error === 'string' && /^[a-z_]{1,64}$/.test(answer.error) ? answer.error : undefined;
      const reason = oauthError ? `${oauthError}, HTTP ${status}` : `HTTP ${status}`;
      throw new AppError('registration_rejected', `The LMS refused the registration (${reason}).`, {
        kind: 'invalid',
        help: 'Start the registration again from the LMS; the registration link still works. If it keeps failing, register Pathwise manually.',
        params: { reason },
      });
    }
    const toolConfig = answer[TOOL_CONFIGURATION_CLAIM] as Record<string, unknown> | undefined;
    const deploymentId = typeof toolConfig?.deployment_id === 'string' && toolConfig.deployment_id ? toolConfig.deployment_id : null;
    const clientId = answer.client_id;

    if (await this.platforms.findByIssuerAndClient(config.issuer, clientId)) throw platformExists();
    const platform = await this.db.transaction(async (tx) => {
      // Claim first: a concurrent second use of the same invite waits on the row lock, then loses.
      if (!(await this.invites.claim(invite.id, tx))) throw refuse('invite_used');
      const created = await this.platforms
        .create(
          {
            issuer: config.issuer,
            clientId,
            name: new URL(config.issuer).host,
            productFamily,
            authLoginUrl: config.authorization_endpoint,
            authTokenUrl: config.token_endpoint,
            authTokenAudience: config.authorization_server ?? null,
            jwksUrl: config.jwks_uri,
            deploymentIds: deploymentId ? [deploymentId] : [],
            registration: { request, response: forRecord(answer) },
          },
          tx,
        )
        .catch((err: unknown) => {
          throw isUniqueViolation(err) ? platformExists() : err;
        });
      await this.invites.attachPlatform(invite.id, created.id, tx);
      return created;
    });
    return { platform, deploymentId, productFamily };
  }
}
