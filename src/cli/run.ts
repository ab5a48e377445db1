import { COMMANDS, commandHelp, helpText, parseArgs, UsageError } from './commands.js';

export interface CliIo {
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
  fetch?: typeof fetch;
}

/** Runs one command; returns the exit code (0 ok, 1 refused by Pathwise or unreachable, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    io.err(`pathwise: ${(e as Error).message}\n`);
    return 2;
  }
  const [name, ...args] = parsed.args;
  if (!name || name === 'help') {
    io.out(`${helpText()}\n`);
    return name || parsed.flags.help ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`pathwise: unknown command "${name}"\n\n${helpText()}\n`);
    return 2;
  }
  if (parsed.flags.help) {
    io.out(`${commandHelp(command)}\n`);
    return 0;
  }
  const token = io.env.ADMIN_TOKEN;
  if (!token) {
    io.err('pathwise: set ADMIN_TOKEN to the admin token Pathwise was started with.\n');
    return 2;
  }
  let call;
  try {
    call = command.build(args, parsed.flags);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`pathwise ${name}: ${e.message}\n\n${commandHelp(command)}\n`);
    return 2;
  }
  const base = (parsed.flags.url?.at(-1) ?? io.env.PATHWISE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  let res: Response;
  try {
    res = await (io.fetch ?? fetch)(`${base}${call.path}`, {
      method: call.method,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(call.body ? { 'Content-Type': 'application/json' } : {}) },
      body: call.body ? JSON.stringify(call.body) : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(60_000),
    });
  } catch (e) {
    io.err(`pathwise: cannot reach Pathwise at ${base} (${(e as Error).message}). Check PATHWISE_URL or --url.\n`);
    return 1;
  }
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; help?: string } } | null;
  if (!res.ok) {
    const e = body?.error;
    io.err(e ? `pathwise ${name}: ${e.message} (${e.code})${e.help ? `\n${e.help}` : ''}\n` : `pathwise ${name}: Pathwise answered ${res.status}.\n`);
    return 1;
  }
  io.out(`${call.print(body)}\n`);
  return 0;
}
