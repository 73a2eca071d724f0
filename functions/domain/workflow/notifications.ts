/**
 * Secrets inside a workflow's `notification_settings`: every value of a Slack config's
 * `credentials` and of a webhook config's `headers`. Each is sealed at rest on its own
 * (by its place, a JSON pointer such as `/on_error/webhook/0/headers/Authorization`), the
 * stored settings hold the mask in its stead, so every answer, event and audit entry shows
 * `********`, and the mask sent back keeps the value stored at the same place — for a
 * webhook header, only while that webhook's URL keeps its origin. Pure functions.
 */
import type { Violation } from '../../errors.js';
import { secretMask, urlOrigin } from '../secrets.js';

/** Where a notification secret sits in the settings, and its value as sent. */
export interface NotificationSecret {
  /** JSON pointer into `notification_settings`. */
  place: string;
  loc: (string | number)[];
  value: unknown;
}

/** The channel lists and, for each, the map of a config whose every value is a secret. */
const secretMaps = { slack: 'credentials', webhook: 'headers' } as const;
const outcomes = ['on_success', 'on_error'] as const;

const pointer = (loc: readonly (string | number)[]) =>
  loc.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

type Settings = Record<string, Record<string, Record<string, unknown>[] | undefined> | null | undefined>;

/** Every secret of a settings value (as the schema let it through), in order. */
export function notificationSecretsOf(settings: unknown): NotificationSecret[] {
  const secrets: NotificationSecret[] = [];
  for (const outcome of outcomes) {
    const channels = (settings as Settings | null | undefined)?.[outcome];
    for (const [channel, key] of Object.entries(secretMaps)) {
      (channels?.[channel] ?? []).forEach((config, index) => {
        for (const [name, value] of Object.entries((config[key] as Record<string, unknown> | null | undefined) ?? {})) {
          const loc = [outcome, channel, index, key, name];
          secrets.push({ place: pointer(loc), loc, value });
        }
      });
    }
  }
  return secrets;
}

/**
 * The secrets of stored settings that are not the mask: values a release before 0.2.0 stored in clear, which
 * the migration (or the next write that keeps them) seals at their place.
 */
export function unsealedNotificationSecrets(settings: unknown): NotificationSecret[] {
  return notificationSecretsOf(settings).filter((secret) => secret.value !== secretMask);
}

/** The settings with every secret replaced by the mask: what is stored and shown. */
export function maskedNotificationSettings<T>(settings: T): T {
  const masked = structuredClone(settings) as Settings;
  for (const { loc } of notificationSecretsOf(settings)) {
    const [outcome, channel, index, key, name] = loc as [string, string, number, string, string];
    (masked[outcome]![channel]![index][key] as Record<string, unknown>)[name] = secretMask;
  }
  return masked as T;
}

/** The origin the webhook holding a secret sends to ('' when the place is no webhook header, or there is none). */
export function notificationDestination(settings: unknown, secret: Pick<NotificationSecret, 'loc'>): string {
  const [outcome, channel, index] = secret.loc as [string, string, number];
  if (channel !== 'webhook') return '';
  const url = (settings as Settings | null | undefined)?.[outcome]?.webhook?.[index]?.url;
  return typeof url === 'string' ? urlOrigin(url) : '';
}

/** Where a notification secret is sealed: binds the ciphertext to its workflow and place. */
export function notificationSecretContext(organizationId: string, workflowId: string, place: string): string {
  return `workflow:${organizationId}:${workflowId}:notification_settings${place}`;
}

/** The mask was sent where no value is stored. */
export function notificationSecretNotStored(secret: Pick<NotificationSecret, 'loc'>): Violation {
  return {
    loc: ['body', 'notification_settings', ...secret.loc],
    rule: 'secret_not_stored',
    message: 'the mask keeps a stored value, but none is stored here: send the value itself',
  };
}

/** The mask was sent for a webhook header whose webhook now sends to another origin. */
export function notificationSecretRebound(secret: Pick<NotificationSecret, 'loc'>): Violation {
  return {
    loc: ['body', 'notification_settings', ...secret.loc],
    rule: 'secret_same_destination',
    message: "this webhook's url moves to another origin: send this header's value again with it",
  };
}

/**
 * A PATCH's notification secrets before they meet the stored ones: those sent in clear
 * (sealed already), those sent masked (each to keep the value stored at its place), and the
 * settings as sent (where each webhook now sends).
 */
export interface NotificationKeeps {
  fresh: Record<string, string>;
  kept: NotificationSecret[];
  settings: unknown;
}
