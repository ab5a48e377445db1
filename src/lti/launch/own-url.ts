/**
 * Whether `target` is an absolute http(s) URL on Pathwise's own origin (PUBLIC_URL). The login's
 * target_link_uri and the id_token's target_link_uri claim pass the same rule, so neither can send
 * the browser to another site (OpenID Connect Core §4: the RP MUST verify target_link_uri "to
 * prevent being used as an open redirector", https://openid.net/specs/openid-connect-core-1_0.html#ThirdPartyInitiatedLogin).
 */
export function isOwnUrl(target: string, publicUrl: string): boolean {
  try {
    const url = new URL(target);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === new URL(publicUrl).origin;
  } catch {
    return false;
  }
}
