import { decideAgreement } from '../agreements/decide.ts';
import type { AgreementState } from '../agreements/events.ts';
import { isSharingCondition } from '../agreements/resource.ts';
import { idempotentCommandId, type CommandEnvelope } from '../wire/messages.ts';

/** The owner part of the idempotent command ids of the catalog's changes (`key:catalogue-watch:…`): no department or gateway is called so. */
export const CATALOGUE_WATCH = 'catalogue-watch';

/**
 * What a read of the catalogue tells the agreements (共享属性变更): for each
 * agreement on a resource whose sharing condition is no longer one it holds
 * under, a `SharingConditionChanged` command, keyed by the agreement, that
 * suspends, reinstates, refuses or grants it with the reason (see
 * `sharingChanged` in agreements/decide.ts). An agreement the condition
 * changes nothing for, and one on a resource the catalogue does not list (a
 * catalog still being seeded) or lists without a valid condition, gets none.
 *
 * The command id names the agreement's version and the condition, so every
 * router instance, and every later read before the change is in its state,
 * sends the same command again, and it is decided once. `at` is the time of
 * the read.
 */
export function catalogueChangeCommands(agreements: Iterable<AgreementState>, sharingOf: (resourceCode: string) => string | null | undefined, at: Date): CommandEnvelope[] {
  const commands: CommandEnvelope[] = [];
  for (const agreement of agreements) {
    if (agreement.status === undefined || agreement.status === 'refused' || agreement.status === 'revoked') continue;
    const sharing = sharingOf(agreement.resourceCode);
    if (!isSharingCondition(sharing)) continue;
    const { agreementId, resourceCode, version } = agreement;
    const decided = decideAgreement({ type: 'SharingConditionChanged', data: { resourceCode, sharing, occurredAt: at } }, agreement);
    if (!decided.ok || decided.events.length === 0) continue;
    commands.push({
      commandId: idempotentCommandId(CATALOGUE_WATCH, `${agreementId}@${version}:${sharing}`),
      fingerprint: `${resourceCode}:${sharing}`,
      command: { type: 'SharingConditionChanged', data: { agreementId, resourceCode, sharing, occurredAt: at } },
    });
  }
  return commands;
}
