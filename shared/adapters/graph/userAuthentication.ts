import { z } from 'zod';
import type { PerUserMfaState } from '../../core/rosterUser.js';
import { readAnswer } from './graphAnswer.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

/** Graph's fixed id of the `mobile` phone method. */
export const mobileMethodId = '3179e48a-750b-4051-897c-87b9720928f7';

export interface PhoneMethod {
  readonly id: string;
  /** Held in memory for the comparison only; never logged or stored. */
  readonly phoneNumber: string;
  readonly phoneType: string;
}

export interface UserMethods {
  readonly phoneMethods: readonly PhoneMethod[];
  /** `@odata.type` names of the strong (MFA-capable) methods the user has registered. */
  readonly strongMethods: readonly string[];
}

/** Methods that satisfy MFA. Password and email (SSPR only) do not; a TAP is temporary. */
const strongMethodTypes = new Set([
  '#microsoft.graph.phoneAuthenticationMethod',
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  '#microsoft.graph.fido2AuthenticationMethod',
  '#microsoft.graph.softwareOathAuthenticationMethod',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
  '#microsoft.graph.platformCredentialAuthenticationMethod',
]);

const methodsSchema = z.object({
  value: z.array(z.object({ '@odata.type': z.string(), id: z.string(), phoneNumber: z.string().nullable().optional(), phoneType: z.string().nullable().optional() })),
});
const mobileSchema = z.object({ mobilePhone: z.string().nullable().optional().transform((value) => value ?? null) });
const requirementsSchema = z.object({ perUserMfaState: z.enum(['disabled', 'enabled', 'enforced']) });

const userPath = (userId: string) => `/users/${encodeURIComponent(userId)}`;

/** The synced mobile number, read fresh when it is about to be written. */
export async function readMobilePhone(gateway: GraphGateway, userId: string): Promise<string | null> {
  const answer = await gateway.send({ operation: 'users.read', method: 'GET', version: 'v1.0', path: `${userPath(userId)}?$select=id,mobilePhone`, permission: graphPermissions.readUsers });
  return readAnswer('users.read', answer, mobileSchema).mobilePhone;
}

export async function readMethods(gateway: GraphGateway, userId: string): Promise<UserMethods> {
  const answer = await gateway.send({ operation: 'methods.list', method: 'GET', version: 'v1.0', path: `${userPath(userId)}/authentication/methods`, permission: graphPermissions.readAuthMethods });
  const methods = readAnswer('methods.list', answer, methodsSchema).value;
  return {
    phoneMethods: methods
      .filter((method) => method['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod')
      .map((method) => ({ id: method.id, phoneNumber: method.phoneNumber ?? '', phoneType: method.phoneType ?? '' })),
    strongMethods: methods.map((method) => method['@odata.type']).filter((type) => strongMethodTypes.has(type)),
  };
}

export async function createMobileMethod(gateway: GraphGateway, userId: string, graphNumber: string): Promise<void> {
  await gateway.send({
    operation: 'phoneMethods.create',
    method: 'POST',
    version: 'v1.0',
    path: `${userPath(userId)}/authentication/phoneMethods`,
    body: { phoneNumber: graphNumber, phoneType: 'mobile' },
    permission: graphPermissions.writePhoneMethods,
  });
}

export async function updateMobileMethod(gateway: GraphGateway, userId: string, graphNumber: string): Promise<void> {
  await gateway.send({
    operation: 'phoneMethods.update',
    method: 'PATCH',
    version: 'v1.0',
    path: `${userPath(userId)}/authentication/phoneMethods/${mobileMethodId}`,
    body: { phoneNumber: graphNumber, phoneType: 'mobile' },
    permission: graphPermissions.writePhoneMethods,
  });
}

export async function deleteMobileMethod(gateway: GraphGateway, userId: string): Promise<void> {
  await gateway.send({
    operation: 'phoneMethods.delete',
    method: 'DELETE',
    version: 'v1.0',
    path: `${userPath(userId)}/authentication/phoneMethods/${mobileMethodId}`,
    permission: graphPermissions.writePhoneMethods,
  });
}

/** Per-user MFA state: Graph beta only (there is no v1.0 equivalent). */
export async function readPerUserMfaState(gateway: GraphGateway, userId: string): Promise<PerUserMfaState> {
  const answer = await gateway.send({ operation: 'requirements.read', method: 'GET', version: 'beta', path: `${userPath(userId)}/authentication/requirements`, permission: graphPermissions.readPerUserMfa });
  return readAnswer('requirements.read', answer, requirementsSchema).perUserMfaState;
}

export async function setPerUserMfaState(gateway: GraphGateway, userId: string, state: PerUserMfaState): Promise<void> {
  await gateway.send({
    operation: 'requirements.update',
    method: 'PATCH',
    version: 'beta',
    path: `${userPath(userId)}/authentication/requirements`,
    body: { perUserMfaState: state },
    permission: graphPermissions.writePerUserMfa,
  });
}
