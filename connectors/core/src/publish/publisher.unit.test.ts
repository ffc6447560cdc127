import { describe, expect, it } from 'vitest';
import { transactionalIdOf } from './publisher.ts';

describe('the publisher without I/O', () => {
  it('names the transactional id after the connector and the instance, stable across restarts', () => {
    expect(transactionalIdOf('ps', '0')).toBe('hub-connector-ps-0');
  });
});
