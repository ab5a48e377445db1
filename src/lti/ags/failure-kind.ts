import { isAppError } from '../../shared/errors.js';

/**
 * Why a score did not reach the gradebook, in words a teacher can act on. The outbox stores the
 * kind beside the raw error (English, possibly the LMS's own words) and the grade sync page
 * shows the kind's text in the reader's language, the raw error only as a secondary detail.
 */
export const DELIVERY_FAILURE_KINDS = [
  'lms_unreachable', // no answer, no connection, a timeout
  'lms_error', // the LMS answered 5xx, 408 or 429, or something no LMS should send
  'token_refused', // the LMS's token endpoint gave no access token
  'not_allowed', // the score was refused with 401/403 after a fresh token, or the score scope is missing
  'line_item_gone', // the gradebook column answers 404/410
  'score_refused', // any other 4xx for the score itself
  'grades_off', // no AGS claim for the activity, or no column the LMS named or let Pathwise create
  'lms_address', // the stored LMS address is private or not a URL
  'removed', // the activity or the student is gone from Pathwise
  'other',
] as const;
export type DeliveryFailureKind = (typeof DELIVERY_FAILURE_KINDS)[number];

const BY_CODE: Record<string, DeliveryFailureKind> = {
  service_token_failed: 'token_refused',
  ags_unavailable: 'lms_error',
  ags_bad_lineitem: 'lms_error',
  ags_score_not_allowed: 'not_allowed',
  ags_not_offered: 'grades_off',
  ags_cannot_create_lineitem: 'grades_off',
};

const UNREACHABLE: Record<string, DeliveryFailureKind> = {
  timeout: 'lms_unreachable',
  network: 'lms_unreachable',
  redirect: 'lms_error',
  too_large: 'lms_error',
  address_refused: 'lms_address',
  bad_url: 'lms_address',
};

/** The kind of a failed delivery, from the error's stable code and, for a refusal, its HTTP status. */
export function classifyDeliveryFailure(err: unknown): DeliveryFailureKind {
  if (!isAppError(err)) return 'other';
  if (err.code === 'platform_unreachable') {
    const reason = (err.details as { reason?: unknown } | undefined)?.reason;
    return (typeof reason === 'string' ? UNREACHABLE[reason] : undefined) ?? 'lms_unreachable';
  }
  if (err.code === 'ags_refused') {
    const status = (err.details as { status?: unknown } | undefined)?.status;
    if (status === 401 || status === 403) return 'not_allowed';
    if (status === 404 || status === 410) return 'line_item_gone';
    return 'score_refused';
  }
  return BY_CODE[err.code] ?? 'other';
}

/** A stored kind read back: anything unknown (an older row, a kind since renamed) is 'other'. */
export function deliveryFailureKind(stored: string | null | undefined): DeliveryFailureKind {
  return (DELIVERY_FAILURE_KINDS as readonly string[]).includes(stored ?? '') ? (stored as DeliveryFailureKind) : 'other';
}
