// The two packages ship no types; this declares the little of them the comparison app uses.
declare module 'ltijs' {
  import type { Express, Request, Response } from 'express';
  interface IdToken {
    userInfo?: { name?: string; given_name?: string };
    platformContext?: { context?: { title?: string; label?: string }; resource?: { title?: string }; roles?: string[] };
  }
  interface LtiProvider {
    setup(key: string, database: { plugin: unknown }, options: Record<string, unknown>): LtiProvider;
    deploy(options: { port: number; silent?: boolean }): Promise<boolean>;
    close(options?: { silent?: boolean }): Promise<boolean>;
    registerPlatform(platform: Record<string, unknown>): Promise<unknown>;
    onConnect(fn: (token: IdToken, req: Request, res: Response) => unknown): void;
    whitelist(...routes: string[]): unknown;
    readonly app: Express;
  }
  const ltijs: { Provider: LtiProvider };
  export default ltijs;
}

declare module 'ltijs-sequelize' {
  export default class Database {
    constructor(database: string, user: string, password: string, options: Record<string, unknown>);
  }
}
