/** What one CLI command sends to the admin API, and how its answer is printed. */
export interface ApiCall {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** Prints the successful answer (stdout). */
  print(body: unknown): string;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  help: string;
  build(args: string[], flags: Flags): ApiCall;
}

export type Flags = Record<string, string[]>;

export class UsageError extends Error {
  override name = 'UsageError';
}

const json = (v: unknown) => JSON.stringify(v, null, 2);
const one = (flags: Flags, name: string): string | undefined => flags[name]?.[flags[name]!.length - 1];
const need = (v: string | undefined, what: string): string => {
  if (!v) throw new UsageError(`missing ${what}`);
  return v;
};
const enc = encodeURIComponent;
/** "1 course", "2 courses": the command speaks English. */
const count = (n: number, one: string, other: string) => `${n} ${n === 1 ? one : other}`;

interface PlatformOut {
  id: string;
  name: string | null;
  issuer: string;
  clientId: string;
  disabledAt?: string | null;
  deployments: Array<{ id: string; deploymentId: string; status: string }>;
}

function platformLines(body: unknown): string {
  const platforms = (body as { platforms: PlatformOut[] }).platforms;
  if (!platforms.length) return 'No platforms are registered yet.';
  return platforms
    .map((p) =>
      [
        `${p.name ?? p.issuer}${p.disabledAt ? '  [off]' : ''}`,
        `  platform id: ${p.id}`,
        `  issuer: ${p.issuer}   client id: ${p.clientId}`,
        ...p.deployments.map((d) => `  deployment ${d.deploymentId}  ${d.status}  (id ${d.id})`),
      ].join('\n'),
    )
    .join('\n\n');
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'registration-link',
    usage: 'pathwise registration-link',
    summary: 'Create a one-time Dynamic Registration link to paste into the LMS.',
    help: 'Prints the link and when it expires. It works once; paste it into Canvas (Developer Keys → LTI Registration) or Moodle (Manage tools → Tool URL).',
    build: () => ({
      method: 'POST',
      path: '/admin/api/registration-invites',
      print: (b) => {
        const i = b as { url: string; expiresAt: string };
        return `${i.url}\nexpires ${i.expiresAt}`;
      },
    }),
  },
  {
    name: 'platforms',
    usage: 'pathwise platforms [--json]',
    summary: 'List registered platforms (LMSs) and their deployments with their status.',
    help: 'Pending deployments (a school that launched before it was approved) show as "pending"; approve them with pathwise approve <deployment id>.',
    build: (_a, flags) => ({ method: 'GET', path: '/admin/api/platforms', print: (b) => (flags.json ? json(b) : platformLines(b)) }),
  },
  {
    name: 'platforms-add',
    usage:
      'pathwise platforms-add --issuer URL --client-id ID --login-url URL --token-url URL --jwks-url URL --deployment ID [--deployment ID …] [--name NAME]',
    summary: 'Register an LMS manually (Schoology, or Canvas/Moodle without Dynamic Registration).',
    help: 'Use the values the LMS shows for Pathwise: its issuer (platform id), the client id, its OIDC authorization URL, token URL and key set URL, and one or more deployment ids.',
    build: (_a, flags) => ({
      method: 'POST',
      path: '/admin/api/platforms',
      body: {
        issuer: need(one(flags, 'issuer'), '--issuer'),
        clientId: need(one(flags, 'client-id'), '--client-id'),
        authLoginUrl: need(one(flags, 'login-url'), '--login-url'),
        authTokenUrl: need(one(flags, 'token-url'), '--token-url'),
        jwksUrl: need(one(flags, 'jwks-url'), '--jwks-url'),
        deploymentIds: flags.deployment ?? [],
        ...(one(flags, 'name') ? { name: one(flags, 'name') } : {}),
      },
      print: (b) => platformLines({ platforms: [(b as { platform: PlatformOut }).platform] }),
    }),
  },
  {
    name: 'approve',
    usage: 'pathwise approve <deployment id>',
    summary: 'Approve a pending deployment so its launches work.',
    help: 'The deployment id is the uuid shown by pathwise platforms (id …), not the LMS’s deployment id.',
    build: (args) => ({
      method: 'POST',
      path: `/admin/api/deployments/${enc(need(args[0], '<deployment id>'))}/approve`,
      print: (b) => `approved: ${(b as { deployment: { deploymentId: string } }).deployment.deploymentId}`,
    }),
  },
  {
    name: 'rotate-keys',
    usage: 'pathwise rotate-keys',
    summary: 'Rotate the tool key: publish a new key now, sign with it shortly, retire the old one after the grace period.',
    help: 'LMSs that cache the key set see the new key before it signs anything; the old key stays published for keys.rotationGraceHours (72 h).',
    build: () => ({
      method: 'POST',
      path: '/admin/api/keys/rotate',
      print: (b) => {
        const k = b as { kid: string; activatesAt: string; previousRetiresAt: string };
        return `new key ${k.kid}\nsigns from ${k.activatesAt}\nprevious key retires ${k.previousRetiresAt}`;
      },
    }),
  },
  {
    name: 'export',
    usage: 'pathwise export <platform id> <LMS user id>',
    summary: 'Print everything Pathwise holds about one student (JSON), for a data request.',
    help: 'The LMS user id is the LTI "sub" of the person. Redirect the output to a file: pathwise export … > student.json. Exports are recorded in the audit log.',
    build: (args) => ({
      method: 'GET',
      path: `/admin/api/platforms/${enc(need(args[0], '<platform id>'))}/users/${enc(need(args[1], '<LMS user id>'))}/export`,
      print: json,
    }),
  },
  {
    name: 'delete',
    usage: 'pathwise delete <platform id> <LMS user id> --yes',
    summary: 'Delete everything Pathwise holds about one student (cannot be undone).',
    help: 'Removes the student from every table, queued scores included, and keeps only an audit entry with no personal data. Needs --yes.',
    build: (args, flags) => {
      const platform = need(args[0], '<platform id>');
      const sub = need(args[1], '<LMS user id>');
      if (!flags.yes) throw new UsageError('deleting cannot be undone: add --yes to confirm');
      return {
        method: 'DELETE',
        path: `/admin/api/platforms/${enc(platform)}/users/${enc(sub)}`,
        print: (b) => `deleted\n${json((b as { rows: unknown }).rows)}`,
      };
    },
  },
  {
    name: 'retention',
    usage: 'pathwise retention [--run]',
    summary: 'Show which inactive courses retention would delete (dry run); --run deletes them.',
    help: 'Courses with no activity for privacy.retentionDays (400) are deleted with the people who belong to no other course. Without --run nothing is deleted.',
    build: (_a, flags) => ({
      method: flags.run ? 'POST' : 'GET',
      path: flags.run ? '/admin/api/retention/run' : '/admin/api/retention',
      print: (b) => {
        const r = b as {
          dryRun: boolean;
          retentionDays: number;
          cutoff: string;
          people: number;
          courses: Array<{ title: string | null; courseId: string; lastActivityAt: string }>;
        };
        const head = r.dryRun
          ? `Dry run: nothing deleted. Courses inactive for ${r.retentionDays} days (before ${r.cutoff}):`
          : `Deleted courses inactive for ${r.retentionDays} days (before ${r.cutoff}):`;
        const lines = r.courses.map((c) => `  ${c.title ?? c.courseId}  last activity ${c.lastActivityAt}`);
        return [
          head,
          ...(lines.length ? lines : ['  none']),
          `${count(r.courses.length, 'course', 'courses')}, ${count(r.people, 'person', 'people')}${r.dryRun ? ' would be deleted. Run again with --run to delete them.' : ' deleted.'}`,
        ].join('\n');
      },
    }),
  },
];

/** Splits argv into positional arguments and --flags (a flag takes the next word unless it is a switch). */
export function parseArgs(argv: string[]): { args: string[]; flags: Flags } {
  const switches = new Set(['yes', 'run', 'json', 'help']);
  const args: string[] = [];
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') (flags.help ??= []).push('');
    else if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      const value = inline ?? (switches.has(name) ? '' : argv[++i]);
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      (flags[name] ??= []).push(value);
    } else args.push(a);
  }
  return { args, flags };
}

/** pathwise --help */
export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'pathwise — run Pathwise from scripts, through its admin API.',
    '',
    'Usage: pathwise <command> [arguments] [--url URL]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Settings (environment):',
    '  PATHWISE_URL   the Pathwise address (default http://localhost:3000); --url overrides it',
    '  ADMIN_TOKEN    the admin token Pathwise was started with (never put it on the command line)',
    '',
    'pathwise <command> --help explains one command.',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  return `Usage: ${c.usage}\n\n${c.summary}\n${c.help}`;
}
