import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/**
 * A fake LMS on 127.0.0.1 for tests and benchmarks. It signs id_tokens with jose and serves
 * its JWKS; other test modules add routes (OIDC auth, token, NRPS, AGS, dynamic registration)
 * to `app` before or after start().
 */
export class FakePlatform {
  readonly app: Express = express();
  readonly clientId: string;
  readonly deploymentId: string;
  /** Requests the fake received, newest last: handy for asserting what Pathwise sent. */
  readonly received: Array<{ method: string; path: string; headers: Record<string, unknown>; body: unknown }> = [];
  private server: Server | undefined;
  private keys: Array<{ kid: string; privateKey: CryptoKey; publicJwk: JWK }> = [];
  private baseUrl = '';
  jwksCacheControl = 'max-age=300';
  jwksRequests = 0;

  constructor(options: { clientId?: string; deploymentId?: string } = {}) {
    this.clientId = options.clientId ?? `client-${randomUUID().slice(0, 8)}`;
    this.deploymentId = options.deploymentId ?? 'deployment-1';
    this.app.use(express.json({ type: ['application/json', 'application/*+json'] }));
    this.app.use(express.urlencoded({ extended: false }));
    this.app.use((req, _res, next) => {
      this.received.push({ method: req.method, path: req.path, headers: req.headers, body: req.body });
      next();
    });
    this.app.get('/jwks', (_req, res) => {
      this.jwksRequests += 1;
      res.setHeader('Cache-Control', this.jwksCacheControl);
      res.json({ keys: this.keys.map((k) => k.publicJwk) });
    });
  }

  /** The issuer is the fake's own origin, e.g. http://127.0.0.1:41234 */
  get issuer(): string {
    return this.baseUrl;
  }
  get jwksUrl(): string {
    return `${this.baseUrl}/jwks`;
  }
  get authLoginUrl(): string {
    return `${this.baseUrl}/auth`;
  }
  get authTokenUrl(): string {
    return `${this.baseUrl}/token`;
  }
  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  async start(): Promise<this> {
    if (this.keys.length === 0) await this.rotateKey();
    await new Promise<void>((resolve) => {
      this.server = this.app.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server!.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  /** Adds a new signing key (published in the JWKS) and makes it the current one. */
  async rotateKey(): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = `fake-${randomUUID().slice(0, 8)}`;
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    this.keys.push({ kid, privateKey, publicJwk });
    return kid;
  }

  /** The values a manual registration needs (POST /admin/api/platforms). */
  registration(): { issuer: string; clientId: string; authLoginUrl: string; authTokenUrl: string; jwksUrl: string; deploymentIds: string[] } {
    return {
      issuer: this.issuer,
      clientId: this.clientId,
      authLoginUrl: this.authLoginUrl,
      authTokenUrl: this.authTokenUrl,
      jwksUrl: this.jwksUrl,
      deploymentIds: [this.deploymentId],
    };
  }

  /**
   * Signs a JWT as the platform. `header` overrides the protected header (alg, kid);
   * `key: 'other'` signs with a key the JWKS does not publish; `kid: null` leaves kid out of the header.
   */
  async sign(payload: JWTPayload, options: { kid?: string | null; key?: 'current' | 'other'; alg?: string } = {}): Promise<string> {
    const current = this.keys[this.keys.length - 1]!;
    let privateKey = current.privateKey;
    const kid = options.kid === null ? undefined : (options.kid ?? current.kid);
    if (options.key === 'other') privateKey = (await generateKeyPair('RS256')).privateKey;
    return new SignJWT(payload).setProtectedHeader({ alg: options.alg ?? 'RS256', ...(kid ? { kid } : {}), typ: 'JWT' }).sign(privateKey);
  }
}
