import { registerHooks } from 'node:module';

/**
 * Lets a worker run from the TypeScript sources (a test under jest runs startQueueWorkers from source, before any
 * build): Node strips the types itself, and this hook maps the compiled-form specifiers our sources use (`./x.js`) to
 * the `.ts` file beside them when no `.js` file is there. Loaded with `--import` into worker processes only.
 */
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('file:');
      if (!relative || !specifier.endsWith('.js') || (error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
});
