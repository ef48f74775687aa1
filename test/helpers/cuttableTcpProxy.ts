import net from 'node:net';

export interface CuttableTcpProxy {
  /** The loopback port the proxy listens on. */
  readonly port: number;
  /** Resets every open connection and, until `restore`, every new one (the client sees ECONNRESET): the service is unreachable. */
  cut(): void;
  /** Lets connections through to the target again. */
  restore(): void;
  /** Connections reset since the proxy started (open ones cut, new ones refused). */
  readonly resets: number;
  close(): Promise<void>;
}

/**
 * A plain TCP proxy on loopback to `127.0.0.1:targetPort` whose connections can be cut and restored: a service that
 * is unreachable for a while and comes back, with the service itself (and what it stored) untouched.
 */
export async function startCuttableTcpProxy(targetPort: number): Promise<CuttableTcpProxy> {
  let cutNow = false;
  let resets = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (cutNow) {
      resets += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    open.add(client);
    const forget = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    port: address.port,
    cut: () => {
      cutNow = true;
      for (const client of [...open]) {
        resets += 1;
        open.delete(client);
        client.resetAndDestroy();
      }
    },
    restore: () => {
      cutNow = false;
    },
    get resets() {
      return resets;
    },
    close: () => new Promise<void>((resolve) => {
      for (const client of open) client.destroy();
      server.close(() => resolve());
    }),
  };
}
