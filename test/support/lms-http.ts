import { LmsHttp, type LmsHttpOptions } from '../../src/lti/http/lms-http.js';

/** The outbound client as tests use it: the fake LMS lives on 127.0.0.1, so private addresses are allowed. */
export function testLmsHttp(overrides: Partial<LmsHttpOptions> = {}): LmsHttp {
  return new LmsHttp({ timeoutMs: 5000, maxBytes: 262_144, allowPrivateAddresses: true, ...overrides });
}
