/**
 * The API server's version (`GET /version`, `gitVersion`), for the Overview's health line.
 * The client's KubeConfig authenticates the request (certificates, token, exec plugin), as for
 * every other call; the answer is small and read with a timeout.
 *
 * @see https://kubernetes.io/docs/reference/using-api/health-checks/
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/version/types.go (Info)
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeClient } from '@nodeless/cluster-runtime';

const MAX_BYTES = 64 * 1024;

/** `v1.36.3`, or undefined when the server does not say. Rejects when it cannot be reached. */
export async function serverVersion(
  client: KubeClient,
  server: string,
  timeoutMs = 10_000,
): Promise<string | undefined> {
  const url = new URL('/version', server);
  const options: https.RequestOptions = { method: 'GET', headers: { accept: 'application/json' } };
  await client.config.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'http:' ? http : https;
    const req = transport.request(url, { ...options, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_BYTES) req.destroy(new Error('version answer too large'));
      });
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(undefined);
        try {
          const info = JSON.parse(body) as { gitVersion?: unknown };
          resolve(typeof info.gitVersion === 'string' ? info.gitVersion : undefined);
        } catch {
          resolve(undefined);
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('version request timed out')));
    req.on('error', reject);
    req.end();
  });
}
