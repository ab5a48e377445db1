/**
 * ltijs 5.9 (https://cvmcosta.me/ltijs/) with ltijs-sequelize on PostgreSQL, as a process of its
 * own, for the launch benchmark's comparison: the same fake LMS registration and an equivalent
 * landing page (course, person and role), served on the same routes as Pathwise (/lti/login,
 * /lti/launch), so bench/support/launch-client.ts drives both unchanged.
 *
 * Run: node --import tsx bench/ltijs/app.ts, with PORT, DATABASE_URL (a database of its own, its
 * tables go in `public`) and LTIJS_PLATFORM (the fake LMS's registration as JSON). Prints one JSON
 * line on stdout when it serves; GET /bench-stats answers the SQL statements Sequelize ran.
 */
import ltijs from 'ltijs';
import Database from 'ltijs-sequelize';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

async function main(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL ?? '');
  const platform = JSON.parse(process.env.LTIJS_PLATFORM ?? '{}') as Record<string, string>;
  let statements = 0;
  const db = new Database(decodeURIComponent(url.pathname.slice(1)), decodeURIComponent(url.username), decodeURIComponent(url.password), {
    host: url.hostname,
    port: Number(url.port || 5432),
    dialect: 'postgres',
    logging: () => {
      statements += 1;
    },
  });
  const lti = ltijs.Provider;
  lti.setup(
    process.env.LTIJS_KEY ?? 'bench-encryption-key',
    { plugin: db },
    {
      appRoute: '/lti/launch',
      loginRoute: '/lti/login',
      cookies: { secure: false, sameSite: 'Lax' },
      // A loaded machine may take more than ltijs's default 10 s from signing to checking.
      tokenMaxAge: 60,
    },
  );
  lti.onConnect((token, _req, res) => {
    const ctx = token.platformContext ?? {};
    const title = ctx.context?.title ?? 'Course';
    const role = ctx.roles?.includes(LEARNER) ? 'Learner' : 'Teacher';
    res
      .type('html')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main>` +
          `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(ctx.context?.label ?? '')} · ${escapeHtml(ctx.resource?.title ?? '')}</p>` +
          `<p>Welcome, ${escapeHtml(token.userInfo?.given_name ?? token.userInfo?.name ?? '')} (${role}).</p>` +
          `<p>This activity is not ready yet: your teacher has not chosen a unit for it.</p></main></body></html>`,
      );
  });
  lti.whitelist('/bench-stats');
  lti.app.get('/bench-stats', (_req, res) => {
    res.json({ database: { statements, transactions: 0 } });
  });
  await lti.deploy({ port: Number(process.env.PORT), silent: true });
  await lti.registerPlatform({
    url: platform.issuer,
    name: platform.name ?? 'Bench LMS',
    clientId: platform.clientId,
    authenticationEndpoint: platform.authLoginUrl,
    accesstokenEndpoint: platform.authTokenUrl,
    authConfig: { method: 'JWK_SET', key: platform.jwksUrl },
  });
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const stop = () => void lti.close({ silent: true }).finally(() => process.exit(0));
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
