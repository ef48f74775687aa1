import { graphErrors } from './graphErrors.js';
import type { GraphStage } from './graphRoute.js';
import type { RouteTable } from './compileRoutes.js';
import type { TokenService } from './tokens.js';

export interface GraphStageDependencies {
  readonly routes: RouteTable;
  readonly tokens: TokenService;
}

/**
 * The standard steps of a Graph request, in the order of `defaultGraphPipeline`. Later features slot in between
 * (a quota after `authorize`, fault injection before `invoke`) without touching the handlers.
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
      const app = context.tenant.app;
      // Consent is read live from the app registration, so a role change applies without waiting for a new token.
      context.caller = { appId: check.claims.appid, roles: check.claims.appid === app.clientId ? app.roles : check.claims.roles };
      return next();
    },

    requireRoute: async (context, next) => {
      if (context.routeMiss !== undefined) throw context.routeMiss;
      return next();
    },

    authorize: async (context, next) => {
      const roles = context.caller?.roles ?? [];
      if (!context.route?.permissions.some((permission) => roles.includes(permission))) throw graphErrors.insufficientPrivileges();
      return next();
    },

    checkQueryOptions: async (context, next) => {
      const supported = context.route?.queryOptions ?? [];
      for (const name of context.query.keys()) {
        if (name.startsWith('$') && !supported.includes(name.toLowerCase())) throw graphErrors.unsupportedQueryOption(name);
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

/** The stage order startSandbox uses. */
export function defaultGraphPipeline(stages: ReturnType<typeof graphStages>): readonly GraphStage[] {
  return [stages.resolveRoute, stages.authenticate, stages.requireRoute, stages.authorize, stages.checkQueryOptions, stages.parseBody, stages.invoke];
}
