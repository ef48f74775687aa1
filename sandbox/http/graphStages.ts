import { graphErrors } from './graphErrors.js';
import type { GraphStage } from './graphRoute.js';
import type { RouteTable } from './compileRoutes.js';
import type { TokenService } from '../auth/tokens.js';

/** Query options Graph offers that the sandbox does not model (the rollout never sends them). */
const notModelledOptions: Readonly<Record<string, string>> = {
  $count: '$count (with ConsistencyLevel: eventual)',
  $orderby: '$orderby',
};

export interface GraphStageDependencies {
  readonly routes: RouteTable;
  readonly tokens: TokenService;
}

/**
 * The standard steps of a Graph request, in the order of `defaultGraphPipeline`. Other features slot in between
 * (fault injection and the quota after `checkQueryOptions`, the duplicate-write observer before `invoke`) without
 * touching the handlers.
 */
export function graphStages(dependencies: GraphStageDependencies): Record<'resolveRoute' | 'authenticate' | 'requireRoute' | 'authorize' | 'checkQueryOptions' | 'parseBody' | 'invoke', GraphStage> {
  return {
    /** Finds the route (so even a 401 is counted under its family) but leaves a miss to `requireRoute`. */
    resolveRoute: async (context, next) => {
      const match = dependencies.routes.match(context.request.method, context.version, context.segments);
      if (match.kind === 'match') {
        context.route = match.route;
        context.params = match.params;
      } else {
        context.routeMiss = match.kind === 'methodNotAllowed' ? graphErrors.methodNotAllowed() : graphErrors.unknownSegment(match.segment);
      }
      return next();
    },

    /** A bearer token this sandbox issued, unexpired, for Graph and this tenant. */
    authenticate: async (context, next) => {
      const header = context.request.headers.authorization?.trim() ?? '';
      if (header === '' || /^bearer\s*$/i.test(header)) throw graphErrors.tokenMissing();
      const match = /^bearer\s+(\S+)$/i.exec(header);
      if (match === null) throw graphErrors.tokenInvalid();
      const check = dependencies.tokens.verify(match[1] ?? '');
      if (!check.ok) throw check.reason === 'expired' ? graphErrors.tokenExpired() : graphErrors.tokenInvalid();
      // As in Entra, the permissions are those in the token (consented when it was issued): a role change applies to
      // tokens issued after it, and a token issued before keeps its roles until it expires.
      // A token without `roles` (and app-only tokens carry no `scp`): the app has no consented permission at all.
      if (!Array.isArray(check.claims.roles) || check.claims.roles.length === 0) throw graphErrors.noRolesClaim();
      context.caller = { appId: check.claims.appid, roles: check.claims.roles };
      return next();
    },

    requireRoute: async (context, next) => {
      if (context.routeMiss !== undefined) throw context.routeMiss;
      return next();
    },

    /** Any one of the route's permission entries in the token's roles (every permission of a set entry); a route that names none (`$batch`, whose items are authorized one by one) only needs a valid token. */
    authorize: async (context, next) => {
      const roles = context.caller?.roles ?? [];
      const permissions = context.route?.permissions;
      const holds = (entry: string | readonly string[]): boolean => (typeof entry === 'string' ? roles.includes(entry) : entry.every((permission) => roles.includes(permission)));
      if (permissions === undefined || (permissions.length > 0 && !permissions.some(holds))) throw graphErrors.insufficientPrivileges();
      return next();
    },

    /** Only the route's `$` options; Graph options the sandbox does not model are refused as such. */
    checkQueryOptions: async (context, next) => {
      const supported = context.route?.queryOptions ?? [];
      for (const name of context.query.keys()) {
        const lower = name.toLowerCase();
        if (!name.startsWith('$') || supported.includes(lower)) continue;
        const notModelled = notModelledOptions[lower];
        throw notModelled === undefined ? graphErrors.unsupportedQueryOption(name) : graphErrors.notModelled(notModelled);
      }
      return next();
    },

    parseBody: async (context, next) => {
      const text = context.request.bodyText;
      if (['POST', 'PATCH', 'PUT'].includes(context.request.method) && text.trim() !== '') {
        try {
          context.body = JSON.parse(text) as unknown;
        } catch {
          throw graphErrors.malformedJson();
        }
      }
      return next();
    },

    invoke: async (context) => {
      if (context.route === undefined) throw graphErrors.internal();
      return context.route.handle(context);
    },
  };
}

/** Stages from other modules, placed by `defaultGraphPipeline`. */
export interface ExtraGraphStages {
  /** Outlook's per-mailbox concurrency: before the latency, so a slow answer holds its place. */
  readonly mailbox?: GraphStage;
  /** Latency and injected answers (and malformed bodies on the way back): before the quota, so an injected answer consumes nothing. */
  readonly faults?: GraphStage;
  /** Quota metering (429s); after authorization, as Graph meters only requests it accepts. */
  readonly quota?: GraphStage;
  /** Sees the parsed body and the answer of every write, just around the handler. */
  readonly observeWrites?: GraphStage;
}

/** The stage order startSandbox uses. */
export function defaultGraphPipeline(stages: ReturnType<typeof graphStages>, extra: ExtraGraphStages = {}): readonly GraphStage[] {
  const optional = (stage: GraphStage | undefined): GraphStage[] => (stage === undefined ? [] : [stage]);
  return [
    stages.resolveRoute,
    stages.authenticate,
    stages.requireRoute,
    stages.authorize,
    stages.checkQueryOptions,
    ...optional(extra.mailbox),
    ...optional(extra.faults),
    ...optional(extra.quota),
    stages.parseBody,
    ...optional(extra.observeWrites),
    stages.invoke,
  ];
}
