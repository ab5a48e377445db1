import { describe, expect, it } from 'vitest';
import { classifyDeliveryFailure, deliveryFailureKind, DELIVERY_FAILURE_KINDS } from '../../../../src/lti/ags/failure-kind.js';
import { lmsCallFailed } from '../../../../src/lti/http/lms-http.js';
import { serviceError } from '../../../../src/lti/ags/retry-policy.js';
import { AppError } from '../../../../src/shared/errors.js';
import { hasMessage } from '../../../../src/web/i18n/index.js';

const answered = (status: number) =>
  serviceError(new Response('{"errors":[{"message":"The specified resource does not exist."}]}', { status }), 'Sending the score failed');

describe('classifyDeliveryFailure: why a score did not reach the gradebook, by kind', () => {
  it('tells an LMS out of reach from one that answered with an error', async () => {
    expect(classifyDeliveryFailure(lmsCallFailed('https://lms.example/x', 'timeout'))).toBe('lms_unreachable');
    expect(classifyDeliveryFailure(lmsCallFailed('https://lms.example/x', 'network'))).toBe('lms_unreachable');
    expect(classifyDeliveryFailure(lmsCallFailed('https://lms.example/x', 'address_refused'))).toBe('lms_address');
    expect(classifyDeliveryFailure(lmsCallFailed('https://lms.example/x', 'redirect'))).toBe('lms_error');
    expect(classifyDeliveryFailure(await answered(503))).toBe('lms_error');
    expect(classifyDeliveryFailure(await answered(429))).toBe('lms_error');
  });

  it('reads a refusal by its HTTP status: the column gone, not allowed, or the score itself refused', async () => {
    expect(classifyDeliveryFailure(await answered(404))).toBe('line_item_gone');
    expect(classifyDeliveryFailure(await answered(410))).toBe('line_item_gone');
    expect(classifyDeliveryFailure(await answered(403))).toBe('not_allowed');
    expect(classifyDeliveryFailure(await answered(400))).toBe('score_refused');
    expect(classifyDeliveryFailure(await answered(422))).toBe('score_refused');
  });

  it('knows the token refusal and a grade service that is off; anything else is other', () => {
    expect(classifyDeliveryFailure(new AppError('service_token_failed', 'x', { kind: 'unavailable' }))).toBe('token_refused');
    expect(classifyDeliveryFailure(new AppError('ags_not_offered', 'x', { kind: 'invalid' }))).toBe('grades_off');
    expect(classifyDeliveryFailure(new AppError('ags_score_not_allowed', 'x', { kind: 'invalid' }))).toBe('not_allowed');
    expect(classifyDeliveryFailure(new Error('socket hang up'))).toBe('other');
    expect(deliveryFailureKind('no_such_kind')).toBe('other');
    expect(deliveryFailureKind(null)).toBe('other');
  });

  it('every kind has a summary and a next step in the catalogs', () => {
    for (const kind of DELIVERY_FAILURE_KINDS) {
      expect(hasMessage(`grades.failure.${kind}`), kind).toBe(true);
      expect(hasMessage(`grades.failure.${kind}.help`), kind).toBe(true);
    }
  });
});
