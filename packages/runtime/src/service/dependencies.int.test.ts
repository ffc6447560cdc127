import { describe, expect, it } from 'vitest';
import { testBrokers } from '@hub/test-support';
import { kafkaAt, probeDependency, waitForDependencies } from './dependencies.ts';

describe('waiting for Kafka', () => {
  it('a running broker passes the probe at the first attempt', async () => {
    await probeDependency(kafkaAt(testBrokers()));
    const failures: string[] = [];
    await waitForDependencies([kafkaAt(testBrokers())], { onUnreachable: (_dependency, { reason }) => failures.push(reason) });
    expect(failures).toEqual([]);
  });
});
