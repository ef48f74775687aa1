import type { RawAnswer, TestSandbox } from './startTestSandbox.js';

const tokens = new WeakMap<TestSandbox, Promise<string>>();

/**
 * A Graph call over plain HTTPS with a sandbox token, for what the Graph client hides (headers of error answers,
 * bodies that are not JSON, $batch bodies the SDK would refuse to build). The token is fetched once per sandbox.
 */
export async function rawGraph(t: TestSandbox, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; token?: string } = {}): Promise<RawAnswer> {
  let token = init.token;
  if (token === undefined) {
    let pending = tokens.get(t);
    if (pending === undefined) {
      pending = t.token();
      tokens.set(t, pending);
    }
    token = await pending;
  }
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...init.headers };
  if (init.body !== undefined) headers['Content-Type'] ??= 'application/json';
  return t.raw(path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
}

/** Like rawGraph, but keeps a body that is not JSON as text instead of failing. */
export async function rawGraphText(t: TestSandbox, path: string): Promise<{ status: number; headers: Headers; text: string }> {
  const token = await t.token();
  const { Agent, fetch } = await import('undici');
  const agent = new Agent({ connect: { ca: t.sandbox.caPem } });
  try {
    const response = await fetch(new URL(path, t.sandbox.url), { headers: { Authorization: `Bearer ${token}` }, dispatcher: agent });
    return { status: response.status, headers: response.headers as unknown as Headers, text: await response.text() };
  } finally {
    await agent.close();
  }
}
