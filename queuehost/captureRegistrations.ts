import Module from 'node:module';
import { format } from 'node:util';

/** A function as the handler module registered it with `app.storageQueue(...)` (or any `app.*`). */
export interface RegisteredFunction {
  readonly name: string;
  /** The trigger binding as the host reads it: `type` (e.g. queueTrigger), `name`, `queueName`, `connection`, … */
  readonly trigger: Readonly<Record<string, unknown>>;
}

type Require = (this: unknown, id: string) => unknown;

/**
 * Stands in for `@azure/functions-core`, the module the Functions host's Node.js worker provides to `@azure/functions`
 * (the worker intercepts `require` for it): registrations are recorded instead of being skipped in "test mode", and the
 * library's own system log goes to `systemLog`. Call before the handler module is imported.
 */
export function captureRegistrations(systemLog: (level: string, message: string) => void): RegisteredFunction[] {
  const registered: RegisteredFunction[] = [];
  const coreApi = {
    version: '4.0.0',
    hostVersion: '4.0.0',
    setProgrammingModel: () => undefined,
    registerFunction: (metadata: { name: string; bindings: Record<string, Record<string, unknown>> }) => {
      const trigger = Object.values(metadata.bindings).find((binding) => typeof binding['type'] === 'string' && String(binding['type']).endsWith('Trigger'));
      registered.push({ name: metadata.name, trigger: trigger ?? {} });
      return { dispose: () => undefined };
    },
    registerHook: () => ({ dispose: () => undefined }),
    log: (level: string, _category: string, ...args: unknown[]) => systemLog(level, format(...args)),
  };
  const prototype = Module.prototype as unknown as { require: Require };
  prototype.require = new Proxy(prototype.require, {
    apply(target, self, args: [string]) {
      return args[0] === '@azure/functions-core' ? coreApi : Reflect.apply(target, self, args);
    },
  });
  return registered;
}
