import { graphPermissions } from '../auth/graphPermissions.js';
import { graphErrors } from '../http/graphErrors.js';
import { requestBody, type GraphRoute } from '../http/graphRoute.js';
import { renderSecurityDefaults, securityDefaultsProperties } from '../render/methodsPolicyProperties.js';

const pattern = 'policies/identitySecurityDefaultsEnforcementPolicy';
const typeName = 'identitySecurityDefaultsEnforcementPolicy';
const properties = [...Object.keys(securityDefaultsProperties), 'isEnabled'];

/**
 * Security defaults (docs/graph-behaviour.md#security-defaults), v1.0 and beta: GET (`$select` works) with
 * `Policy.Read.All` or `Policy.ReadWrite.SecurityDefaults`; PATCH `{"isEnabled": bool}` → 204 with
 * `Policy.ReadWrite.SecurityDefaults` (or `Policy.ReadWrite.ConditionalAccess`). The other properties are read only.
 * Switching them on while a Conditional Access policy is enabled is refused: the two cannot be on together.
 */
export const securityDefaultsRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern,
    operation: 'securityDefaults.read',
    versions: ['v1.0', 'beta'],
    permissions: graphPermissions.readSecurityDefaults,
    queryOptions: ['$select'],
    handle: (context) => {
      const raw = context.query.get('$select');
      let select: string[] | null = null;
      if (raw !== null && raw.trim() !== '') {
        select = [];
        for (const part of raw.split(',').map((name) => name.trim()).filter((name) => name !== '')) {
          const name = properties.find((candidate) => candidate.toLowerCase() === part.toLowerCase());
          if (name === undefined) throw graphErrors.unknownProperty(part, typeName);
          if (!select.includes(name)) select.push(name);
        }
      }
      return { status: 200, body: renderSecurityDefaults(context.tenant.authenticationPolicies.securityDefaults(), { origin: context.origin, version: context.version }, select) };
    },
  },
  {
    method: 'PATCH',
    pattern,
    operation: 'securityDefaults.update',
    versions: ['v1.0', 'beta'],
    permissions: graphPermissions.writeSecurityDefaults,
    handle: (context) => {
      const body = requestBody(context);
      for (const name of Object.keys(body)) {
        if (name.includes('@') || name === 'isEnabled') continue;
        throw properties.includes(name) ? graphErrors.readOnlyProperty(name, typeName) : graphErrors.unknownPayloadProperty(name, typeName);
      }
      const { isEnabled } = body;
      if (typeof isEnabled !== 'boolean') throw graphErrors.invalidPayloadValue('isEnabled', 'expected true or false');
      if (isEnabled && context.tenant.conditionalAccessPolicies().some((policy) => policy.state === 'enabled')) throw graphErrors.securityDefaultsWithConditionalAccess();
      context.audit.detail.isEnabled = isEnabled;
      context.tenant.authenticationPolicies.setSecurityDefaults(isEnabled);
      return { status: 204 };
    },
  },
];
