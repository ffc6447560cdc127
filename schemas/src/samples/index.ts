import type { EventName, EventTypeMap } from '../../generated/types.ts';
import { agreementSamples } from './agreements.ts';
import { caseSamples } from './cases.ts';
import { exchangeSamples } from './exchange.ts';
import { hubSamples } from './hub.ts';
import { recordSamples } from './records.ts';

/** One realistic value per event type, for tests across the hub (`@hub/schemas/samples`). */
export const samples: { readonly [N in EventName]: EventTypeMap[N] } = {
  ...caseSamples,
  ...exchangeSamples,
  ...agreementSamples,
  ...recordSamples,
  ...hubSamples,
};
