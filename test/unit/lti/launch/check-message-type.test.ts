import { describe, expect, it } from 'vitest';
import { CLAIM, MESSAGE_TYPE } from '../../../../src/lti/claims.js';
import { checkMessageType } from '../../../../src/lti/launch/checks/check-message-type.js';
import type { Claims, LaunchDeps, LaunchInProgress } from '../../../../src/lti/launch/pipeline.js';
import { runChecks } from '../../../../src/lti/launch/pipeline.js';
import { isAppError } from '../../../../src/shared/errors.js';

const link = (): Claims => ({
  sub: 'user-1',
  [CLAIM.deploymentId]: 'deployment-1',
  [CLAIM.messageType]: MESSAGE_TYPE.resourceLink,
  [CLAIM.roles]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
  [CLAIM.resourceLink]: { id: 'link-1' },
});
const deepLink = (): Claims => ({
  sub: 'user-1',
  [CLAIM.deploymentId]: 'deployment-1',
  [CLAIM.messageType]: MESSAGE_TYPE.deepLinkingRequest,
  [CLAIM.roles]: [],
  [CLAIM.deepLinkingSettings]: { deep_link_return_url: 'https://lms.example/return', accept_types: ['ltiResourceLink'] },
});
const launch = (claims: Claims): LaunchInProgress => ({ input: { idToken: 'x', state: 's' }, header: { alg: 'RS256' }, claims, passed: [] });

/** The AppError a check throws, as { code, kind, message }. */
function refusal(claims: Claims) {
  try {
    void checkMessageType(launch(claims), {} as LaunchDeps);
  } catch (err) {
    if (isAppError(err)) return { code: err.code, kind: err.kind, message: err.message };
    throw err;
  }
  return null;
}

describe('checkMessageType: the message type and the claims it requires (LTI 1.3 §5.3, Deep Linking 2.0 §4.4.1)', () => {
  it('accepts a resource link launch and a deep linking request with their required claims', () => {
    expect(refusal(link())).toBeNull();
    expect(refusal(deepLink())).toBeNull();
  });

  it('refuses a message type it does not handle, or none', () => {
    expect(refusal({ ...link(), [CLAIM.messageType]: 'LtiSubmissionReviewRequest' })).toMatchObject({ code: 'invalid_message_type', kind: 'invalid' });
    const { [CLAIM.messageType]: _gone, ...untyped } = link();
    expect(refusal(untyped)).toMatchObject({ code: 'invalid_message_type' });
  });

  it('refuses an anonymous launch (no sub, or an empty one) as forbidden, not as a broken token', () => {
    const { sub: _sub, ...anonymous } = link();
    expect(refusal(anonymous)).toMatchObject({ code: 'anonymous_launch', kind: 'forbidden' });
    expect(refusal({ ...link(), sub: '' })).toMatchObject({ code: 'anonymous_launch' });
  });

  it('refuses roles that are not an array of strings, naming the claim', () => {
    for (const roles of [undefined, 'Learner', [1], [null]]) {
      const r = refusal({ ...link(), [CLAIM.roles]: roles });
      expect(r).toMatchObject({ code: 'missing_claim', kind: 'invalid' });
      expect(r!.message).toContain(CLAIM.roles);
    }
  });

  it('refuses a resource link without its id', () => {
    for (const resourceLink of [undefined, 'link-1', [], { id: '' }, { title: 'no id' }]) {
      expect(refusal({ ...link(), [CLAIM.resourceLink]: resourceLink })!.message).toContain(`${CLAIM.resourceLink} (id)`);
    }
  });

  it('refuses deep linking settings without a return URL or accept_types, saying which', () => {
    const settings = (s: unknown) => refusal({ ...deepLink(), [CLAIM.deepLinkingSettings]: s })!.message;
    expect(settings(undefined)).toBe(`The launch is missing the claim ${CLAIM.deepLinkingSettings}.`);
    expect(settings({ accept_types: ['ltiResourceLink'] })).toContain('(deep_link_return_url)');
    expect(settings({ deep_link_return_url: 'https://lms.example/return', accept_types: 'ltiResourceLink' })).toContain('(accept_types)');
  });
});

describe('runChecks', () => {
  it('records each check that passed, in order, and stops at the first refusal', async () => {
    const l = launch(link());
    const ran: string[] = [];
    const refuse = () => {
      throw new Error('refused');
    };
    await expect(
      runChecks(l, {} as LaunchDeps, [
        ['a', () => void ran.push('a')],
        ['b', refuse],
        ['c', () => void ran.push('c')],
      ]),
    ).rejects.toThrow('refused');
    expect(ran).toEqual(['a']);
    expect(l.passed).toEqual(['a']);
  });

  it('a pipeline that never found the platform or the deployment is a programming error, not an accepted launch', async () => {
    await expect(runChecks(launch(link()), {} as LaunchDeps, [['message_type', checkMessageType]])).rejects.toThrow('missing the platform or deployment');
  });
});
