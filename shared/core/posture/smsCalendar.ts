import { startOfDay } from '../journey/methodAvailability.js';
import type { PostureSettings, SmsCalendar } from './postureTypes.js';

const dayMs = 86_400_000;

/** Whole days from the start of `now`'s day (UTC) to the start of `date`: 0 on the day, negative after it. */
export function daysUntil(date: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((startOfDay(date) - today) / dayMs);
}

/**
 * The SMS and voice calendar tonight (docs/graph-behaviour.md#sms-and-voice-retirement): with Microsoft's delivery a
 * phone pre-registration is a bridge until the user's retirement date (a later one may apply to Global
 * Administrators and external users); with a customer-managed provider the bridge stays open (SMS sign-in still
 * retires, which the rollout never relies on).
 */
export function smsCalendar(settings: Pick<PostureSettings, 'smsDelivery' | 'smsRetirementDate' | 'smsRetirementDateAdmins'>, now: Date): SmsCalendar {
  const daysLeft = daysUntil(settings.smsRetirementDate, now);
  const daysLeftAdmins = daysUntil(settings.smsRetirementDateAdmins, now);
  const customer = settings.smsDelivery === 'customerManaged';
  const bridgeOpen = customer || daysLeft > 0;
  const bridgeOpenAdmins = customer || daysLeftAdmins > 0;
  const when = (days: number, date: string): string => (days > 0 ? `${days} day(s) left to ${date}` : days === 0 ? `retired today (${date})` : `retired since ${date}`);
  const admins = settings.smsRetirementDateAdmins === settings.smsRetirementDate ? '' : `; Global Administrators and external users: ${when(daysLeftAdmins, settings.smsRetirementDateAdmins)}`;
  const summary = customer
    ? `SMS and voice by a customer-managed provider (MFA_SMS_DELIVERY=customerManaged): the phone bridge stays open; Microsoft's delivery ${when(daysLeft, settings.smsRetirementDate)}${admins}`
    : bridgeOpen
      ? `SMS and voice by Microsoft: a pre-registered phone is a bridge to the target method, ${when(daysLeft, settings.smsRetirementDate)}${admins}`
      : `SMS and voice by Microsoft, ${when(daysLeft, settings.smsRetirementDate)}: no phone is pre-registered${admins}`;
  return {
    delivery: settings.smsDelivery,
    retirementDate: settings.smsRetirementDate,
    retirementDateAdmins: settings.smsRetirementDateAdmins,
    daysLeft,
    daysLeftAdmins,
    bridgeOpen,
    bridgeOpenAdmins,
    summary,
  };
}
