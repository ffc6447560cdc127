import { replay } from '@hub/decider';
import { describe, expect, it } from 'vitest';
import { AGREEMENT, bj, businessLicence, decider, history, residentIdentity, taxpayersNotShared, when } from '../agreements/fixtures.ts';
import type { AgreementCommand } from '../agreements/decide.ts';
import type { AgreementState } from '../agreements/events.ts';
import { decodeCommand, encodeCommand } from '../wire/messages.ts';
import { CATALOGUE_WATCH, catalogueChangeCommands } from './catalogue-watch.ts';

const agreementAfter = (...commands: AgreementCommand[]): AgreementState => replay(decider, history(...commands));
const requestedAt = bj('2026-03-02 10:00');
const readAt = bj('2026-03-05 15:00');
/** Civil affairs' request for the resident register (conditional), granted by ps. */
const grantedByOwner = () => agreementAfter(when.request(residentIdentity, requestedAt), when.approve('ps', bj('2026-03-03 09:00')));
const catalogue = (conditions: Record<string, string | null>) => (code: string) => conditions[code];

describe('catalogueChangeCommands: what a read of the catalogue tells the agreements', () => {
  it('given a granted agreement, when its resource is not shared any more, then one SharingConditionChanged, keyed by the agreement, idempotent on its version and the condition', () => {
    const commands = catalogueChangeCommands([grantedByOwner()], catalogue({ 'ps.resident-identity': 'not-shared' }), readAt);
    expect(commands).toEqual([
      {
        commandId: `key:${CATALOGUE_WATCH}:${AGREEMENT}@2:not-shared`,
        fingerprint: 'ps.resident-identity:not-shared',
        command: { type: 'SharingConditionChanged', data: { agreementId: AGREEMENT, resourceCode: 'ps.resident-identity', sharing: 'not-shared', occurredAt: readAt } },
      },
    ]);
    // The same read again, later: the same id and fingerprint, so the router decides it once.
    const again = catalogueChangeCommands([grantedByOwner()], catalogue({ 'ps.resident-identity': 'not-shared' }), bj('2026-03-05 15:01'));
    expect(again.map((c) => [c.commandId, c.fingerprint])).toEqual(commands.map((c) => [c.commandId, c.fingerprint]));
    expect(decodeCommand(encodeCommand(commands[0]!))).toStrictEqual(commands[0]);
  });

  it('says nothing when the condition holds the agreement as it is: the same condition, or conditional for one the owner approved', () => {
    const granted = grantedByOwner();
    expect(catalogueChangeCommands([granted], catalogue({ 'ps.resident-identity': 'conditional' }), readAt)).toEqual([]);
    const pending = agreementAfter(when.request(residentIdentity, requestedAt));
    expect(catalogueChangeCommands([pending], catalogue({ 'ps.resident-identity': 'conditional' }), readAt)).toEqual([]);
    const byHub = agreementAfter(when.request(businessLicence, requestedAt));
    expect(catalogueChangeCommands([byHub], catalogue({ 'market.business-licence': 'unconditional' }), readAt)).toEqual([]);
  });

  it('once the suspension is in the agreement, the same condition says nothing more; its return reinstates it', () => {
    const suspended = agreementAfter(when.request(residentIdentity, requestedAt), when.approve('ps', bj('2026-03-03 09:00')), when.change('ps.resident-identity', 'not-shared', readAt));
    expect(catalogueChangeCommands([suspended], catalogue({ 'ps.resident-identity': 'not-shared' }), bj('2026-03-05 15:01'))).toEqual([]);
    expect(catalogueChangeCommands([suspended], catalogue({ 'ps.resident-identity': 'conditional' }), bj('2026-03-06 09:00')).map((c) => c.commandId)).toEqual([`key:${CATALOGUE_WATCH}:${AGREEMENT}@3:conditional`]);
  });

  it('leaves alone a resource the catalogue does not list or lists without a valid condition, and agreements refused or revoked', () => {
    expect(catalogueChangeCommands([grantedByOwner()], catalogue({}), readAt)).toEqual([]);
    expect(catalogueChangeCommands([grantedByOwner()], catalogue({ 'ps.resident-identity': null }), readAt)).toEqual([]);
    expect(catalogueChangeCommands([grantedByOwner()], catalogue({ 'ps.resident-identity': 'public' }), readAt)).toEqual([]);
    const refused = agreementAfter(when.request(taxpayersNotShared, requestedAt));
    const revoked = agreementAfter(when.request(residentIdentity, requestedAt), when.revoke('civil', bj('2026-03-03 09:00')));
    expect(catalogueChangeCommands([refused, revoked], catalogue({ 'tax.taxpayer-registration': 'unconditional', 'ps.resident-identity': 'not-shared' }), readAt)).toEqual([]);
  });

  it('a pending request on a resource now not shared is refused by the hub; one now unconditional is granted by it', () => {
    const pending = agreementAfter(when.request(residentIdentity, requestedAt));
    expect(catalogueChangeCommands([pending], catalogue({ 'ps.resident-identity': 'not-shared' }), readAt)).toHaveLength(1);
    expect(catalogueChangeCommands([pending], catalogue({ 'ps.resident-identity': 'unconditional' }), readAt)).toHaveLength(1);
  });
});
