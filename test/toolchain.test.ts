import { describe, it, expect } from '@jest/globals';
import pLimit from 'p-limit';
import { app, InvocationContext } from '@azure/functions';
import { Client } from '@microsoft/microsoft-graph-client';
import { TableClient } from '@azure/data-tables';
describe('toolchain', () => {
  it('loads esm and cjs deps', async () => {
    const limit = pLimit(2);
    expect(await limit(async () => 3)).toBe(3);
    expect(typeof app.timer).toBe('function');
    const ctx = new InvocationContext({ invocationId: 'x', functionName: 'f', logHandler: () => {} });
    expect(ctx.invocationId).toBe('x');
    expect(typeof Client.initWithMiddleware).toBe('function');
    expect(typeof TableClient.fromConnectionString).toBe('function');
    expect(process.version).toMatch(/^v22/);
  });
});
