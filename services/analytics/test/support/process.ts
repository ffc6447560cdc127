import { startServiceProcess, type ServiceProcess } from '@hub/test-support';

/** The analytics service as its own process (as npm start runs it), listening on `port`. */
export function startAnalyticsProcess(env: Record<string, string>, port?: number, logFile?: string): Promise<ServiceProcess> {
  return startServiceProcess({
    dir: 'services/analytics',
    name: 'the analytics service',
    env,
    hostVariable: 'ANALYTICS_HOST',
    portVariable: 'ANALYTICS_PORT',
    ...(port === undefined ? {} : { port }),
    ...(logFile === undefined ? {} : { logFile }),
  });
}
