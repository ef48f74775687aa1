import type { AdminRequest } from './adminApi.js';
import type { Reply } from '../http/graphRoute.js';
import type { TrafficControls } from './trafficControls.js';

/**
 * The traffic part of the admin API, under `/_sandbox/`: `GET stats[?perUser=true]`, `GET|POST quota`,
 * `GET|POST|DELETE faults`, `DELETE faults/{id}`, `GET|POST latency`. Undefined when the path is not one of these.
 * Validation errors are RangeErrors (the admin API answers them 400).
 */
export function handleTrafficAdmin(request: AdminRequest, body: Record<string, unknown>, traffic: TrafficControls): Reply | undefined {
  const path = request.url.pathname.replace(/\/+$/, '');
  const key = `${request.method} ${path}`;
  switch (key) {
    case 'GET /_sandbox/stats':
      return { status: 200, body: traffic.stats({ perUser: request.url.searchParams.get('perUser') === 'true' }) };
    case 'GET /_sandbox/quota':
      return { status: 200, body: traffic.quota() };
    case 'POST /_sandbox/quota':
      traffic.setQuota(body);
      return { status: 200, body: traffic.quota() };
    case 'GET /_sandbox/faults':
      return { status: 200, body: traffic.faults() };
    case 'POST /_sandbox/faults':
      return { status: 201, body: traffic.addFault(body) };
    case 'DELETE /_sandbox/faults':
      traffic.clearFaults();
      return { status: 200, body: traffic.faults() };
    case 'GET /_sandbox/latency':
      return { status: 200, body: traffic.faults().latency };
    case 'POST /_sandbox/latency':
      return { status: 200, body: traffic.setLatency(body.off === true ? false : body) };
    default:
      break;
  }
  const one = /^DELETE \/_sandbox\/faults\/([^/]+)$/.exec(key);
  if (one?.[1] !== undefined) {
    const id = one[1];
    return traffic.removeFault(id)
      ? { status: 200, body: traffic.faults() }
      : { status: 404, body: { error: { code: 'NotFound', message: `No active fault '${id}'.` } } };
  }
  return undefined;
}
