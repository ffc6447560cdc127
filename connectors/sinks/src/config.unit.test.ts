import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { departmentTargets, loadSinksConfig } from './config.ts';

describe('sinks configuration', () => {
  it('sends every department to its webhook by default, the simulators on one machine', () => {
    const targets = departmentTargets(loadSinksConfig({}));
    expect(targets.find((t) => t.department === 'tax')).toEqual({ department: 'tax', url: 'http://127.0.0.1:8090/webhooks/tax', secret: 'dev-tax-secret' });
  });

  it('sends a department listed in SINKS_OUTBOXES to its folder, a relative one under HUB_DATA_DIR', () => {
    const config = loadSinksConfig({ SINKS_DEPARTMENTS: 'civil,land,tax', SINKS_OUTBOXES: 'civil=outbox/civil,land=/srv/land/inbox', HUB_DATA_DIR: '/var/hub' });
    expect(departmentTargets(config).map((t) => t.url)).toEqual([
      pathToFileURL(join('/var/hub', 'outbox', 'civil')).href,
      'file:///srv/land/inbox',
      'http://127.0.0.1:8090/webhooks/tax',
    ]);
  });

  it('names the variable and the department that is wrong', () => {
    expect(() => departmentTargets(loadSinksConfig({ SINKS_OUTBOXES: 'police=/x' }))).toThrow(/SINKS_OUTBOXES: unknown department "police"/);
    expect(() => departmentTargets(loadSinksConfig({ SINKS_WEBHOOKS: 'tax=ftp://x', SINKS_DEPARTMENTS: 'tax' }))).toThrow(/SINKS_WEBHOOKS: the webhook of tax must be an http\(s\) URL/);
    expect(() => departmentTargets(loadSinksConfig({ SINKS_SECRETS: 'tax=s', SINKS_DEPARTMENTS: 'tax,ps' }))).toThrow(/SINKS_SECRETS has no secret for department ps/);
    expect(() => loadSinksConfig({ SINKS_OUTBOXES: 'civil' })).toThrow(/SINKS_OUTBOXES/);
  });
});
