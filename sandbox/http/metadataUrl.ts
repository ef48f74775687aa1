import type { RequestContext } from './graphRoute.js';

/** An `@odata.context` value on the sandbox's origin, e.g. `https://localhost:8443/v1.0/$metadata#users(id,mail)`. */
export function metadataUrl(context: RequestContext, fragment: string, select?: readonly string[]): string {
  const selection = context.query.has('$select') && select !== undefined ? `(${select.join(',')})` : '';
  const [head, ...rest] = fragment.split('/');
  return `${context.origin}/${context.version}/$metadata#${head ?? ''}${selection}${rest.length > 0 ? `/${rest.join('/')}` : ''}`;
}
