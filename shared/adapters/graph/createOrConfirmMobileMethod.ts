import { classifyMobileCreateRefusal } from '../../core/mobileCreateRefusal.js';
import { RolloutError, toRolloutError } from '../../errors/RolloutError.js';
import type { GraphGateway } from './graphGateway.js';
import { createMobileMethod, readMethods } from './userAuthentication.js';

export type MobileCreateOutcome =
  | { readonly kind: 'created' }
  /** Graph refused the create, and the user's mobile has the very number: nothing left to write. */
  | { readonly kind: 'alreadyThere' }
  /** Graph refused the create: the user has a mobile with another number (GRAPH_PHONE_DUPLICATE, with Graph's request-id). */
  | { readonly kind: 'conflict'; readonly error: RolloutError }
  /** Graph refused the number itself: the user has no mobile (GRAPH_PHONE_INVALID, with Graph's request-id). */
  | { readonly kind: 'invalid'; readonly error: RolloutError };

/**
 * Creates the user's `mobile` phone method, and on ANY 400 reads the user's methods and decides by comparing
 * numbers (`classifyMobileCreateRefusal`), never by the text of Graph's answer: a retry after a lost answer, a mobile
 * the user added meanwhile, and a bad number all answer 400 in ways Graph does not document. Other failures throw.
 */
export async function createOrConfirmMobileMethod(gateway: GraphGateway, userId: string, graphNumber: string, defaultRegion: string | undefined): Promise<MobileCreateOutcome> {
  try {
    await createMobileMethod(gateway, userId, graphNumber);
    return { kind: 'created' };
  } catch (caught) {
    const refused = toRolloutError(caught);
    if (refused.httpStatus !== 400) throw refused;
    const mobile = (await readMethods(gateway, userId)).phoneMethods.find((method) => method.phoneType === 'mobile');
    const kind = classifyMobileCreateRefusal(graphNumber, mobile?.phoneNumber ?? null, defaultRegion);
    if (kind === 'alreadyThere') return { kind };
    const details = {
      httpStatus: 400,
      ...(refused.requestId === undefined ? {} : { requestId: refused.requestId }),
      ...(refused.graphCode === undefined ? {} : { graphCode: refused.graphCode }),
    };
    return kind === 'conflict'
      ? { kind, error: new RolloutError('GRAPH_PHONE_DUPLICATE', `phoneMethods.create: Graph refused the mobile of user ${userId}: the user has a mobile phone method with another number`, details) }
      : { kind, error: new RolloutError('GRAPH_PHONE_INVALID', `phoneMethods.create: Graph refused the number for user ${userId} (the user has no mobile phone method): ${refused.message}`, details) };
  }
}
