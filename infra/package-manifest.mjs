// Writes the package.json of the Function App package: the checkout's package.json with only the production
// dependencies the compiled functions reach (their import closure over dist/, from dist/functions/*.js), so the
// package's node_modules holds what the functions load and not what only the CLI uses. Plain JavaScript with only
// node: imports; infra/package-app.sh runs it in the staging folder.
//
//   node infra/package-manifest.mjs <checkout package.json> <staging folder>
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import process from 'node:process';

const [source, staging] = process.argv.slice(2);
if (source === undefined || staging === undefined) throw new Error('usage: package-manifest.mjs <package.json> <staging folder>');

// static import / export ... from / import('...') with a literal: the compiled ESM has no other form
// (test/productImports.test.ts rejects computed imports and require)
const specifierPattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"]+)\1/g;
const packageName = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const builtins = new Set(builtinModules);

const reached = new Set();
const seen = new Set();
const pending = readdirSync(path.join(staging, 'dist', 'functions')).filter((file) => file.endsWith('.js')).map((file) => path.join(staging, 'dist', 'functions', file));
while (pending.length > 0) {
  const file = pending.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  for (const [, , specifier] of readFileSync(file, 'utf8').matchAll(specifierPattern)) {
    if (specifier.startsWith('.')) pending.push(path.resolve(path.dirname(file), specifier));
    else if (!specifier.startsWith('node:') && !builtins.has(specifier)) reached.add(packageName(specifier));
  }
}

const manifest = JSON.parse(readFileSync(source, 'utf8'));
const unknown = [...reached].filter((name) => manifest.dependencies?.[name] === undefined);
if (unknown.length > 0) throw new Error(`the functions import ${unknown.join(', ')}, which package.json does not list among its dependencies`);
const dependencies = Object.fromEntries([...reached].sort().map((name) => [name, manifest.dependencies[name]]));
// no scripts, bin (the CLI is not in the package) or devDependencies: the package is the functions and what they load
const { name, version, private: isPrivate, description, type, engines, main } = manifest;
const packaged = { name, version, private: isPrivate, description, type, engines, main, dependencies };
writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(packaged, null, 2)}\n`);
process.stdout.write(`${Object.keys(dependencies).join(' ')}\n`);
