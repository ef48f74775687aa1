import { classifyPhoneRemovalRefusal, type PhoneRemovalRefusal } from '../../core/phoneRemovalRefusal.js';
import { toRolloutError } from '../../errors/RolloutError.js';
import type { GraphGateway } from './graphGateway.js';
import { deleteMobileMethod, readMethods } from './userAuthentication.js';

/**
 * Deletes the user's `mobile` phone method once: `removed`, `alreadyGone` (404), or, when Graph refuses (400), why
 * (`classifyPhoneRemovalRefusal` on the methods read after it: an alternate mobile, else the default MFA method).
 * A refusal is not retryable by running again: the user (or an admin) must change something first.
 */
export async function removeMobileMethod(gateway: GraphGateway, userId: string): Promise<'removed' | 'alreadyGone' | PhoneRemovalRefusal> {
  try {
    await deleteMobileMethod(gateway, userId);
    return 'removed';
  } catch (caught) {
    const refused = toRolloutError(caught);
    if (refused.httpStatus === 404) return 'alreadyGone';
    if (refused.httpStatus !== 400) throw refused;
    const phoneTypes = (await readMethods(gateway, userId)).phoneMethods.map((method) => method.phoneType);
    return classifyPhoneRemovalRefusal(phoneTypes);
  }
}
