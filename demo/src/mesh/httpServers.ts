import type http from 'node:http';

/**
 * Listens on 127.0.0.1 (port 0: a free port) and resolves with the bound port. Only the
 * metrics and control servers may be given another host, for running the mesh in a container.
 */
export function listenLocal(server: http.Server, port = 0, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Stops listening and drops open (keep-alive) connections, so closing does not wait for clients. */
export function closeServer(server: http.Server): Promise<void> {
  if (!server.listening) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The address to put in a URL for a server bound to `host`: a wildcard bind is reached locally. */
export function urlHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}
