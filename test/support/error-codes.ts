import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One place the code base raises an error code. */
export interface RaiseSite {
  code: string;
  /** file:line below src/ */
  at: string;
  /** Whether this site gives the error a help text (a next step) of its own. */
  help: boolean;
  /** False for errors never shown as they are (kind 'internal' or expose: false). */
  exposed: boolean;
}

/** How a constructor of errors takes its code and help: the argument positions, or help always given. */
interface Constructor {
  codeArg: number;
  help: { arg: number } | 'always' | 'never';
  exposed: boolean;
}

type FunctionLike = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration;

const isFunctionLike = (n: ts.Node): n is FunctionLike =>
  ts.isFunctionDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n);

/** The name a function is called by: its own, or the variable or property it is assigned to. */
function nameOf(fn: FunctionLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

const enclosingFunction = (n: ts.Node): FunctionLike | undefined => {
  for (let p = n.parent; p; p = p.parent) if (isFunctionLike(p)) return p;
  return undefined;
};

const paramIndex = (fn: FunctionLike | undefined, name: string): number =>
  fn ? fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name) : -1;

/** The string values an expression can take, when it is written out (literals, a ?: of literals). */
function literalValues(e: ts.Expression): string[] | undefined {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  if (ts.isParenthesizedExpression(e)) return literalValues(e.expression);
  if (ts.isConditionalExpression(e)) {
    const a = literalValues(e.whenTrue);
    const b = literalValues(e.whenFalse);
    return a && b ? [...a, ...b] : undefined;
  }
  return undefined;
}

function sourceFiles(dir: string): ts.SourceFile[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ts.createSourceFile(path.join(dir, f), readFileSync(path.join(dir, f), 'utf8'), ts.ScriptTarget.Latest, true));
}

function calls(file: ts.SourceFile): Array<ts.CallExpression | ts.NewExpression> {
  const found: Array<ts.CallExpression | ts.NewExpression> = [];
  const visit = (n: ts.Node) => {
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && ts.isIdentifier(n.expression)) found.push(n);
    ts.forEachChild(n, visit);
  };
  visit(file);
  return found;
}

/**
 * Every error code `srcDir` can raise, read from the source: `new AppError(code, …)` and every
 * function that passes its own parameter on as the code (invalid, notFound, launchError, a
 * module's `refuse(code)` …), found until no new one appears. A code that is not written out at
 * its call site (a variable, a template) is returned in `unresolved`, so it cannot hide.
 */
export function findRaisedErrorCodes(srcDir: string): { sites: RaiseSite[]; unresolved: string[] } {
  const files = sourceFiles(srcDir);
  const all = files.flatMap((f) => calls(f).map((call) => ({ file: f, call })));
  const ctors = new Map<string, Constructor>([['AppError', { codeArg: 0, help: 'never', exposed: true }]]);

  // What one call gives as help and whether it hides its message, relative to its enclosing function.
  const describe = (call: ts.CallExpression | ts.NewExpression, ctor: Constructor) => {
    const args = call.arguments ?? ts.factory.createNodeArray();
    const fn = enclosingFunction(call);
    let help: Constructor['help'] = ctor.help;
    let exposed = ctor.exposed;
    const helpExpr = (e: ts.Expression | undefined): Constructor['help'] => {
      if (!e || (ts.isIdentifier(e) && e.text === 'undefined')) return 'never';
      const i = ts.isIdentifier(e) ? paramIndex(fn, e.text) : -1;
      return i >= 0 ? { arg: i } : 'always';
    };
    if (ctor.help === 'never' && call.expression.getText() === 'AppError') {
      const options = args[2];
      if (options && ts.isObjectLiteralExpression(options)) {
        for (const p of options.properties) {
          const key = p.name && ts.isIdentifier(p.name) ? p.name.text : undefined;
          const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
          if (key === 'help') help = helpExpr(value);
          if (key === 'kind' && value && literalValues(value)?.includes('internal')) exposed = false;
          if (key === 'expose' && value?.kind === ts.SyntaxKind.FalseKeyword) exposed = false;
        }
      }
    } else if (typeof ctor.help === 'object') {
      help = helpExpr(args[ctor.help.arg]);
    }
    return { help, exposed, fn };
  };

  // Wrappers: functions whose parameter becomes the code of an error they raise.
  for (let grew = true; grew;) {
    grew = false;
    for (const { call } of all) {
      const ctor = ctors.get(call.expression.getText());
      const codeExpr = call.arguments?.[ctor?.codeArg ?? 0];
      if (!ctor || !codeExpr || !ts.isIdentifier(codeExpr)) continue;
      const { help, exposed, fn } = describe(call, ctor);
      const name = fn && nameOf(fn);
      const codeArg = paramIndex(fn, codeExpr.text);
      if (name && codeArg >= 0 && !ctors.has(name)) {
        ctors.set(name, { codeArg, help, exposed });
        grew = true;
      }
    }
  }

  const sites: RaiseSite[] = [];
  const unresolved: string[] = [];
  for (const { file, call } of all) {
    const ctor = ctors.get(call.expression.getText());
    const codeExpr = call.arguments?.[ctor?.codeArg ?? 0];
    if (!ctor || !codeExpr) continue;
    const { help, exposed, fn } = describe(call, ctor);
    const at = `${path.relative(srcDir, file.fileName)}:${file.getLineAndCharacterOfPosition(call.getStart()).line + 1}`;
    if (ts.isIdentifier(codeExpr) && paramIndex(fn, codeExpr.text) >= 0) continue; // a wrapper's own definition
    const codes = literalValues(codeExpr);
    if (!codes) unresolved.push(`${at}: ${codeExpr.getText()}`);
    for (const code of codes ?? []) sites.push({ code, at, help: help !== 'never', exposed });
  }
  return { sites, unresolved };
}
