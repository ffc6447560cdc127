import { Counter, type Registry } from 'prom-client';

/** How a step sent to the gateway ended, as the counters label it. */
export type StepOutcome = 'answered' | 'refused' | 'gave-up' | 'deferred';

/** What the case traffic counts; the app counts into its Prometheus registry, tests into nothing. */
export interface CaseTrafficMetrics {
  caseSubmitted(leadDepartment: string): void;
  /** `step` is a stepLabel: accept, answer-grant, decide-refuse, … */
  stepAnswered(step: string, outcome: StepOutcome): void;
  supervisionAlert(department: string): void;
}

export const noCaseMetrics: CaseTrafficMetrics = { caseSubmitted: () => undefined, stepAnswered: () => undefined, supervisionAlert: () => undefined };

/** The counters in `registry`: simulators_cases_submitted_total, simulators_case_steps_total, simulators_supervision_alerts_total. */
export function caseTrafficMetrics(registry: Registry): CaseTrafficMetrics {
  const submitted = new Counter({
    name: 'simulators_cases_submitted_total',
    help: 'Cases the simulated window submitted and the gateway took, by lead department',
    labelNames: ['lead_department'],
    registers: [registry],
  });
  const steps = new Counter({
    name: 'simulators_case_steps_total',
    help: 'Case steps sent by the simulated window and departments, by step and outcome (answered, refused 4xx, gave-up, deferred until the case resumes)',
    labelNames: ['step', 'outcome'],
    registers: [registry],
  });
  const alerts = new Counter({
    name: 'simulators_supervision_alerts_total',
    help: 'Supervision alerts (预警, 超时) delivered to each simulated department',
    labelNames: ['department'],
    registers: [registry],
  });
  return {
    caseSubmitted: (leadDepartment) => submitted.inc({ lead_department: leadDepartment }),
    stepAnswered: (step, outcome) => steps.inc({ step, outcome }),
    supervisionAlert: (department) => alerts.inc({ department }),
  };
}
