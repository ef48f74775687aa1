// Loads a Function App the way the Node.js worker of the Functions host does, with the folder to load as the working
// directory: it provides the built-in module `@azure/functions-core` (the worker intercepts `require` for it), imports
// every file that package.json's `main` names, and prints, as one JSON line, the functions that registered and every
// module URL that was resolved on the way. Plain JavaScript with only node: imports, so it resolves nothing itself.
import Module, { registerHooks } from 'node:module';
import process from 'node:process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const resolved = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    resolved.add(result.url);
    return result;
  },
});

const registered = [];
const coreApi = {
  version: '4.0.0',
  hostVersion: '4.0.0',
  setProgrammingModel() {},
  registerFunction(metadata, callback) {
    registered.push({ name: metadata.name, bindings: metadata.bindings, handler: typeof callback });
    return { dispose() {} };
  },
  registerHook() {
    return { dispose() {} };
  },
  log() {},
};
Module.prototype.require = new Proxy(Module.prototype.require, {
  apply(target, self, args) {
    return args[0] === '@azure/functions-core' ? coreApi : Reflect.apply(target, self, args);
  },
});

const { main } = JSON.parse(readFileSync('package.json', 'utf8'));
const [prefix, suffix, ...rest] = path.basename(main).split('*');
if (suffix === undefined || rest.length > 0 || path.dirname(main).includes('*')) throw new Error(`package.json main ${main}: expected one folder and one * in the file name`);
const files = readdirSync(path.dirname(main)).filter((file) => file.startsWith(prefix) && file.endsWith(suffix)).sort();
for (const file of files) await import(pathToFileURL(path.resolve(path.dirname(main), file)).href);
process.stdout.write(`${JSON.stringify({ main, files, registered, resolved: [...resolved] })}\n`);
