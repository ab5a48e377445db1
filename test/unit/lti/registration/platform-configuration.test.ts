import { describe, expect, it } from 'vitest';
import { isAllowedPlatformUrl } from '../../../../src/lti/registration/platform-configuration.js';

describe('isAllowedPlatformUrl', () => {
  it('always allows https', () => {
    expect(isAllowedPlatformUrl('https://lms.example.org/x', false)).toBe(true);
  });

  it('allows http only to loopback, and only when told to', () => {
    for (const url of ['http://127.0.0.1:8080/x', 'http://localhost/x', 'http://[::1]:3000/x']) {
      expect(isAllowedPlatformUrl(url, true)).toBe(true);
      expect(isAllowedPlatformUrl(url, false)).toBe(false);
    }
    expect(isAllowedPlatformUrl('http://lms.example.org/x', true)).toBe(false);
    expect(isAllowedPlatformUrl('http://127.0.0.1.nip.io/x', true)).toBe(false);
  });

  it('refuses other schemes and garbage', () => {
    for (const url of ['ftp://lms.example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '']) {
      expect(isAllowedPlatformUrl(url, true)).toBe(false);
    }
  });
});
