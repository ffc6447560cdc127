import { hubTopics } from '@hub/topology';
import { describe, expect, it } from 'vitest';
import { AUDIT_TOPIC, AUDIT_TOPIC_SPEC } from './topic.ts';

describe('the audit topic', () => {
  it('is created by npm start as the writer creates it: never compacted, no time retention', () => {
    expect(AUDIT_TOPIC_SPEC).toMatchObject({ topic: AUDIT_TOPIC, cleanupPolicy: 'delete', retentionMs: -1 });
    expect(hubTopics().find((t) => t.topic === AUDIT_TOPIC)).toEqual(AUDIT_TOPIC_SPEC);
  });
});
