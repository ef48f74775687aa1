import { z } from 'zod';
import type { PerUserMfaState } from '../../core/rosterUser.js';
import { readAnswer } from './graphAnswer.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';
import { listAuthenticationMethods } from './listAuthenticationMethods.js';

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
  /** `@odata.type` names of the strong (MFA-capable) methods the user has registered, those only beta lists included. */
  readonly strongMethods: readonly string[];
}

const mobileSchema = z.object({ mobilePhone: z.string().nullable().optional().transform((value) => value ?? null) });
const requirementsSchema = z.object({ perUserMfaState: z.enum(['disabled', 'enabled', 'enforced']) });

const userPath = (userId: string) => `/users/${encodeURIComponent(userId)}`;

/** The synced mobile number, read fresh when it is about to be written. */
export async function readMobilePhone(gateway: GraphGateway, userId: string): Promise<string | null> {
  const answer = await gateway.send({ operation: 'users.read', method: 'GET', version: 'v1.0', path: `${userPath(userId)}?$select=id,mobilePhone`, permission: graphPermissions.readUsers });
  return readAnswer('users.read', answer, mobileSchema).mobilePhone;
}

/**
 * The user's phone methods and strong methods: the v1.0 list plus what only beta lists (a hardware OATH token is a
 * method: docs/graph-behaviour.md#authentication-methods-list); password, email and a TAP are not.
 */
export async function readMethods(gateway: GraphGateway, userId: string): Promise<UserMethods> {
  const methods = await listAuthenticationMethods(gateway, userId);
  return {
    phoneMethods: methods.filter((method) => method.kind === 'phone').map((method) => ({ id: method.id, phoneNumber: method.phoneNumber ?? '', phoneType: method.phoneType ?? '' })),
    strongMethods: methods.filter((method) => method.kind !== 'notStrong').map((method) => method.odataType),
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
