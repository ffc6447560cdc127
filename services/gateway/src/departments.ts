import type { DepartmentConnector } from '@hub/connector-core';
import { civilConnector } from '@hub/connector-civil';
import { housingConnector } from '@hub/connector-housing';
import { hrssConnector } from '@hub/connector-hrss';
import { landConnector } from '@hub/connector-land';
import { marketConnector } from '@hub/connector-market';
import { psConnector } from '@hub/connector-ps';
import { taxConnector } from '@hub/connector-tax';
import { departments } from '@hub/schemas';

/** The department connectors whose resources the gateway accepts pushes for. */
export const departmentConnectors: readonly DepartmentConnector[] = [
  taxConnector,
  psConnector,
  landConnector,
  marketConnector,
  civilConnector,
  hrssConnector,
  housingConnector,
];

/** The packages `departmentConnectors` come from, for the publishers' prepare worker thread to load. */
export const departmentConnectorModules: readonly string[] = departments.map((d) => `@hub/connector-${d.code}`);
