import { describe, expect, it } from 'vitest';
import { acceptsResourceLinks, readDeepLinkingSettings } from '../../../../src/lti/deep-linking/settings.js';

const base = { deep_link_return_url: 'https://lms.example/return', accept_types: ['ltiResourceLink'] };

describe('readDeepLinkingSettings (https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-settings)', () => {
  it('reads the return URL, accept flags and data', () => {
    const s = readDeepLinkingSettings({ ...base, accept_multiple: true, accept_lineitem: false, data: { a: 1 } });
    expect(s).toMatchObject({ returnUrl: base.deep_link_return_url, acceptMultiple: true, acceptLineItem: false, data: { value: { a: 1 } } });
    expect(acceptsResourceLinks(s)).toBe(true);
  });

  it('absent accept_multiple means one item; absent accept_lineitem still sends line items; absent data is not echoed', () => {
    const s = readDeepLinkingSettings(base);
    expect(s.acceptMultiple).toBe(false);
    expect(s.acceptLineItem).toBe(true);
    expect(s.data).toBeUndefined();
  });

  it('keeps falsy data values to echo them (empty string)', () => {
    expect(readDeepLinkingSettings({ ...base, data: '' }).data).toEqual({ value: '' });
  });

  it.each([[{}], [{ deep_link_return_url: 'javascript:alert(1)' }], [{ deep_link_return_url: 'not a url' }], [null]])('refuses unusable settings %j', (raw) => {
    expect(() => readDeepLinkingSettings(raw)).toThrow(expect.objectContaining({ code: 'invalid_deep_linking_settings' }));
  });

  it('knows when resource links are not accepted', () => {
    expect(acceptsResourceLinks(readDeepLinkingSettings({ ...base, accept_types: ['link', 'file'] }))).toBe(false);
  });
});
