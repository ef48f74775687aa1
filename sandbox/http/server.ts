import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ListeningServer {
  readonly port: number;
  /** Starts answering; requests that arrive before this get a 503. */
  attach(listener: (request: IncomingMessage, response: ServerResponse) => void): void;
  /** Stops listening and closes every open connection (keep-alive ones included). */
  close(): Promise<void>;
}

export interface ServerOptions {
  readonly key: string;
  readonly cert: string;
  /** 0 picks a free port. */
  readonly port: number;
}

/** An HTTPS server on 127.0.0.1 only. The listener is attached after listening, once the port (and so the origin) is known. */
export async function listenHttps(options: ServerOptions): Promise<ListeningServer> {
  let listener: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  const server = https.createServer({ key: options.key, cert: options.cert, keepAliveTimeout: 5_000 }, (request, response) => {
    if (listener === undefined) response.writeHead(503, { 'Retry-After': '1' }).end();
    else listener(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('listenHttps: the server has no TCP address');
  return {
    port: address.port,
    attach: (next) => {
      listener = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
