import { z } from 'zod';
import type { SecurityDefaultsFacts } from '../../core/posture/postureFacts.js';
import { readAnswer } from './graphAnswer.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

/** Reads whether security defaults are on (docs/graph-behaviour.md#security-defaults); the rollout never writes them. */
export async function readSecurityDefaults(gateway: GraphGateway): Promise<SecurityDefaultsFacts> {
  const answer = await gateway.send({ operation: 'securityDefaults.read', method: 'GET', version: 'v1.0', path: '/policies/identitySecurityDefaultsEnforcementPolicy?$select=id,isEnabled', permission: graphPermissions.readSecurityDefaults });
  return { isEnabled: readAnswer('securityDefaults.read', answer, z.object({ isEnabled: z.boolean() })).isEnabled };
}
