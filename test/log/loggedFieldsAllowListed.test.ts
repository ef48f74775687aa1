import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';
import { safeFieldNames } from '../../shared/log/redact.js';

/**
 * Every field the product logs reaches the log line: a field name missing from the redactor's allow-list is logged
 * as REDACTED, which hides what the event was for (the `released` count of `users.unparked` did, unnoticed). The
 * compiler finds every `.event(name, fields)` and `.with(fields)` call of a Logger in functions/ and shared/ and
 * names the properties of `fields`' type, whatever its form (literal, spread, variable).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const sources = ['functions', 'shared'].flatMap((folder) =>
  readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts')).map((file) => path.join(root, folder, file)),
);

interface LoggedField {
  readonly where: string;
  readonly event: string;
  readonly field: string;
}

function loggedFields(): LoggedField[] {
  const program = ts.createProgram(sources, { target: ts.ScriptTarget.ES2023, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true, types: ['node'] });
  const checker = program.getTypeChecker();
  const found: LoggedField[] = [];
  const isLoggerCall = (call: ts.CallExpression): 'event' | 'with' | null => {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'event' && callee.name.text !== 'with')) return null;
    const receiver = checker.getTypeAtLocation(callee.expression);
    const named = checker.getNonNullableType(receiver).getSymbol()?.getName();
    return named === 'Logger' ? callee.name.text : null;
  };
  for (const file of program.getSourceFiles()) {
    if (!sources.includes(path.normalize(file.fileName))) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const kind = isLoggerCall(node);
        const fields = kind === 'event' ? node.arguments[1] : kind === 'with' ? node.arguments[0] : undefined;
        if (kind !== null && fields !== undefined) {
          const first = node.arguments[0];
          const event = kind === 'event' && first !== undefined && ts.isStringLiteralLike(first) ? first.text : `(${kind})`;
          const { line } = file.getLineAndCharacterOfPosition(node.getStart());
          const where = `${path.relative(root, file.fileName)}:${line + 1}`;
          for (const property of checker.getTypeAtLocation(fields).getProperties()) found.push({ where, event, field: property.getName() });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

describe('log fields', () => {
  it('every field name logged in functions/ and shared/ is on the redactor allow-list', () => {
    const fields = loggedFields();
    // the scan found the product's events (a scan that finds nothing proves nothing)
    expect(fields.some((field) => field.event === 'users.unparked' && field.field === 'released')).toBe(true);
    expect(new Set(fields.map((field) => field.event)).size).toBeGreaterThan(20);
    expect(fields.filter((field) => !safeFieldNames.has(field.field)).map((field) => `${field.where} ${field.event}.${field.field}`)).toEqual([]);
  }, 60_000);
});
