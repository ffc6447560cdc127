import { Counter, type Registry } from 'prom-client';

export type SharingStep = 'request-agreement' | 'approve-agreement' | 'answer-forwarded';

/** What the sharing traffic counts; the app counts into its Prometheus registry, tests into nothing. */
export interface SharingMetrics {
  /**
   * `step`: request-agreement (a subscriber asks), approve-agreement (its owner
   * answers), answer-forwarded (an owner's system answers a data request
   * forwarded to it); `outcome` as the gateway answered: answered, refused (4xx), gave-up.
   */
  sharingStep(step: SharingStep, outcome: string): void;
  /** `kind`: verify or question; `status`: the answer's (answered, not-found, refused, timeout), or rejected (4xx), gave-up. */
  dataRequest(requester: string, resource: string, kind: 'verify' | 'question', status: string): void;
  /** An answer other than the simulators expected from what they published (a verification of a published value false, say). */
  surprise(resource: string): void;
}

export const noSharingMetrics: SharingMetrics = { sharingStep: () => undefined, dataRequest: () => undefined, surprise: () => undefined };

/** The counters in `registry`: simulators_sharing_steps_total, simulators_data_requests_total, simulators_data_request_surprises_total. */
export function sharingMetrics(registry: Registry): SharingMetrics {
  const steps = new Counter({
    name: 'simulators_sharing_steps_total',
    help: 'Data sharing steps the simulated departments took: request-agreement (subscriber), approve-agreement (owner), answer-forwarded (owner\'s system), by how the gateway answered',
    labelNames: ['step', 'outcome'],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'simulators_data_requests_total',
    help: 'Data requests the simulated windows asked, by requester, resource, kind (verify: 核验, question) and the answer\'s status (answered, not-found, refused, timeout; rejected: 4xx; gave-up)',
    labelNames: ['requester', 'resource', 'kind', 'status'],
    registers: [registry],
  });
  const surprises = new Counter({
    name: 'simulators_data_request_surprises_total',
    help: 'Answers other than expected from the records the simulators published (a published record not found, a published value not matching), by resource',
    labelNames: ['resource'],
    registers: [registry],
  });
  return {
    sharingStep: (step, outcome) => steps.inc({ step, outcome }),
    dataRequest: (requester, resource, kind, status) => requests.inc({ requester, resource, kind, status }),
    surprise: (resource) => surprises.inc({ resource }),
  };
}
