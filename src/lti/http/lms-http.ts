import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../../shared/errors.js';

export interface LmsHttpOptions {
  /** Time limit for one call, headers and body together. */
  timeoutMs: number;
  /** Largest response body read from an LMS; a larger one is refused, not truncated. */
  maxBytes: number;
  /**
   * Calls to loopback, private, link-local and other non-public addresses are refused unless this
   * is on (tests and a development machine whose LMS runs next to it), so a registration link or a
   * stored URL cannot make Pathwise probe its own network (SSRF).
   */
  allowPrivateAddresses: boolean;
  /** Origins always allowed whatever their address (the built-in demo LMS, served by Pathwise itself). */
  trustedOrigins?: readonly string[];
  /** Resolves a host name to its addresses; tests pass a fake. */
  resolve?: (host: string) => Promise<string[]>;
  fetch?: typeof fetch;
}

/** Why a call failed, for callers that decide between "retry later" and "give up". */
export type LmsFailure = 'timeout' | 'network' | 'redirect' | 'too_large' | 'address_refused' | 'bad_url';

/** Addresses that are not on the public Internet (RFC 6890 special-purpose ranges). */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** Whether `address` (an IP literal) is loopback, private, link-local or otherwise not public. */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return NON_PUBLIC.check(mapped[1]!, 'ipv4');
  const family = isIP(bare);
  if (family === 0) return true;
  return NON_PUBLIC.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** The one error for a failed call to an LMS; the LMS's own words are never part of it. */
export function lmsCallFailed(url: string, reason: LmsFailure, cause?: unknown): AppError {
  const text: Record<LmsFailure, string> = {
    timeout: 'The LMS did not answer in time.',
    network: 'The LMS could not be reached.',
    redirect: 'The LMS answered with a redirect, which Pathwise does not follow.',
    too_large: 'The LMS sent an answer that is far too large.',
    address_refused: 'The LMS address is on a private network, which Pathwise does not call.',
    bad_url: 'The LMS address is not a valid http(s) URL.',
  };
  return new AppError('platform_unreachable', text[reason], {
    kind: 'unavailable',
    help: 'Check that the LMS is up and reachable from the Pathwise server, then try again.',
    cause,
    details: { host: hostOf(url), reason, timedOut: reason === 'timeout' },
    params: { variant: reason },
  });
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** The reason recorded on a platform_unreachable error, if it is one. */
export function lmsFailureOf(err: unknown): LmsFailure | undefined {
  if (!(err instanceof AppError) || err.code !== 'platform_unreachable') return undefined;
  return (err.details as { reason?: LmsFailure } | undefined)?.reason;
}

const defaultResolve = async (host: string) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The one HTTP client for every call Pathwise makes to an LMS (key sets, Dynamic Registration,
 * token endpoint, NRPS, AGS): a time limit, a byte limit on the answer, no redirects (a redirect
 * could lead to an address the checks did not see) and no private addresses unless allowed.
 * It returns a Response whose body has already been read within the limits, so callers keep using
 * res.json()/res.text(); failures throw `platform_unreachable` with a `reason`.
 *
 * The address check resolves the host before the call; a DNS answer that changes between the
 * check and the connection (rebinding) is not covered.
 */
export class LmsHttp {
  private readonly trusted: Set<string>;

  constructor(readonly options: LmsHttpOptions) {
    this.trusted = new Set((options.trustedOrigins ?? []).map((o) => new URL(o).origin));
  }

  async fetch(url: string, init: RequestInit & { timeoutMs?: number; maxBytes?: number } = {}): Promise<Response> {
    const { timeoutMs = this.options.timeoutMs, maxBytes = this.options.maxBytes, ...rest } = init;
    await this.checkAddress(url);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = rest.signal ? AbortSignal.any([rest.signal, timeout]) : timeout;
    const doFetch = this.options.fetch ?? fetch;
    try {
      const res = await doFetch(url, { ...rest, redirect: 'manual', signal });
      if ((res.status >= 300 && res.status < 400) || res.type === 'opaqueredirect') {
        await res.body?.cancel().catch(() => undefined);
        throw lmsCallFailed(url, 'redirect');
      }
      const declared = Number(res.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        throw lmsCallFailed(url, 'too_large');
      }
      const body = await readCapped(res, maxBytes, url);
      const empty = res.status === 204 || res.status === 205 || res.status === 304;
      return new Response(empty ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } catch (err) {
      if (err instanceof AppError) throw err;
      const name = (err as Error)?.name;
      throw lmsCallFailed(url, name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network', err);
    }
  }

  private async checkAddress(raw: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw lmsCallFailed(raw, 'bad_url');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw lmsCallFailed(raw, 'bad_url');
    if (this.options.allowPrivateAddresses || this.trusted.has(url.origin)) return;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = await (this.options.resolve ?? defaultResolve)(host);
      } catch (cause) {
        throw lmsCallFailed(raw, 'network', cause);
      }
    }
    if (addresses.length === 0 || addresses.some(isNonPublicAddress)) throw lmsCallFailed(raw, 'address_refused');
  }
}

async function readCapped(res: Response, maxBytes: number, url: string): Promise<Uint8Array<ArrayBuffer>> {
  if (!res.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw lmsCallFailed(url, 'too_large');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(new ArrayBuffer(total));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
