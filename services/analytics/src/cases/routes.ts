import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errors } from '../errors.ts';
import { sendRows } from '../http/csv.ts';
import { Count, csvNote, FigureQuery, groupColumns, problemRef, Rate } from '../http/schemas.ts';
import type { AnalyticsStore } from '../store/store.ts';
import { caseEvents, caseFigureRows } from './queries.ts';

const figureColumns = {
  submitted: Count('Cases submitted (申请)'),
  accepted: Count('Accepted (受理)'),
  refusedAtIntake: Count('Refused at intake (不予受理)'),
  completed: Count('Completed: the lead decided, approved or refused (办结)'),
  inProgress: Count('Accepted, not completed'),
  onTime: Count('Completed on or before the promised due date (suspensions move it)'),
  onTimeRate: Rate('onTime / completed (按时办结率)'),
  handlingSpeedUp: Rate('Mean over completed cases of 1 − working days used / legal days (办理提速率)'),
  promisedSpeedUp: Rate('Mean over accepted cases of 1 − promised days / legal days (承诺提速率)'),
  sameDay: Count('Completed on the day of acceptance'),
  sameDayRate: Rate('sameDay / accepted (即办率)'),
  reviews: Count('Reviews (好差评)'),
  satisfied: Count('Reviews of grade 3 to 5 (基本满意 and better)'),
  satisfaction: Rate('satisfied / reviews (满意率)'),
};
const figureNames = Object.keys(figureColumns);

const CaseFigureRow = Type.Object({ ...groupColumns, ...figureColumns }, { additionalProperties: false });

const CaseEvent = Type.Object({
  eventId: Type.String(),
  version: Type.Integer({ description: 'The event\'s place in its case, from 1 (the submission)' }),
  type: Type.String({ description: 'CaseSubmitted, CaseAccepted, …' }),
  occurredAt: Type.String({ format: 'date-time' }),
  source: Type.String({ description: 'CloudEvents source: who says so' }),
  data: Type.Unknown({ description: 'The event as the hub wrote it, the applicant kept only as a person or an organisation' }),
});
const Alert = Type.Object({
  eventId: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
  level: Type.String({ description: 'WARNING, OVERDUE or LEGAL_LIMIT_BREACHED' }),
  responsibleDepartment: Type.String(),
  deadline: Type.String(),
  limitDays: Type.Integer(),
  workingDaysUsed: Type.Integer(),
  workingDaysRemaining: Type.Integer(),
});

/** GET /api/v1/figures/cases and the drill-down GET /api/v1/cases/{caseId}/events. */
export const caseRoutes: FastifyPluginAsyncTypebox<{ store: AnalyticsStore }> = async (app, { store }) => {
  app.get('/api/v1/figures/cases', {
    schema: {
      summary: 'Case figures: submitted, accepted, completed, on-time rate, speed-ups, same-day rate, satisfaction',
      description: `Over the cases whose day (of acceptance or refusal at intake, else of submission; Asia/Shanghai) lies in the period, filtered by item, lead department, division (every centre within it) and centre. Working days come from the router's calendar (HUB_CALENDAR_FILE), counted as the router counts them. ${csvNote}`,
      tags: ['figures'],
      querystring: FigureQuery,
      produces: ['application/json', 'text/csv'],
      response: { 200: Type.Object({ rows: Type.Array(CaseFigureRow) }), 400: problemRef, 503: problemRef },
    },
  }, async (request, reply) => {
    const { keys, rows } = await caseFigureRows(store, request.query);
    return sendRows(request, reply, [...keys, ...figureNames], rows);
  });

  app.get('/api/v1/cases/:caseId/events', {
    schema: {
      summary: 'One case\'s full history: its events in order, the supervision alerts raised on it, and its figures',
      tags: ['cases'],
      params: Type.Object({ caseId: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: {
        200: Type.Object({
          caseId: Type.String(),
          case: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'The case\'s facts as the figures count them (due dates, working days used, on time …); null while its submission is not projected' }),
          rows: Type.Array(CaseEvent),
          alerts: Type.Array(Alert),
        }),
        404: problemRef,
        503: problemRef,
      },
    },
  }, async (request) => {
    const { caseId } = request.params;
    const { facts, events, alerts } = await caseEvents(store, caseId);
    if (events.length === 0 && alerts.length === 0) throw new errors.UNKNOWN_CASE(caseId);
    return { caseId, case: facts ?? null, rows: events, alerts };
  });
};
