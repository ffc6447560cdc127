import { Type, type Static } from '@sinclair/typebox';
import { divisionLevels } from '../divisions.ts';

/** RFC 9457 problem details, as the runtime's error handler writes them. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'AN_* from the analytics catalogue, VALIDATION for a parameter that does not fit its schema' }),
    instance: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), reason: Type.String() }))),
  },
  { $id: 'Problem', description: 'problem+json (RFC 9457)' },
);
export const problemRef = Type.Ref('Problem');

const LocalDate = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `${description}, YYYY-MM-DD (Asia/Shanghai)`, examples: ['2026-03-02'] });

/** The filters every figure takes; each narrows the selection, all together. */
export const filterProperties = {
  from: Type.Optional(LocalDate('First day of the period, included')),
  to: Type.Optional(LocalDate('Last day of the period, included')),
  item: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: 'Item code (事项编码)' })),
  department: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$', description: 'Department code (tax, ps, land, market, civil, hrss, housing)' })),
  division: Type.Optional(Type.String({
    pattern: '^(\\d{2}|\\d{4}|\\d{6}|\\d{9}|\\d{12})$',
    description: 'Division code or prefix: 2 digits a province, 4 a city, 6 a county (450100 is read as the city 4501, 450000 as the province 45), 9 a town, 12 a village; the selection is every centre within it',
  })),
  centre: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: 'Service centre id (政务服务中心)' })),
};

export const groupings = ['day', 'month', 'item', 'department', 'division', 'level'] as const;
export type Grouping = (typeof groupings)[number];

export const groupByProperty = Type.Optional(Type.Union(groupings.map((g) => Type.Literal(g)), {
  description: 'One row per day, month (YYYY-MM), item, department, division (the children of the `division` filter, or the provinces) or level (of the centre\'s division); one row for the whole selection without it',
}));

export const FigureQuery = Type.Object({ ...filterProperties, groupBy: groupByProperty }, { additionalProperties: false });
export type FigureQuery = Static<typeof FigureQuery>;

/** The key columns a row carries for its grouping. */
export const groupColumns = {
  day: Type.Optional(Type.String({ description: 'groupBy=day' })),
  month: Type.Optional(Type.String({ description: 'groupBy=month, YYYY-MM' })),
  item: Type.Optional(Type.String({ description: 'groupBy=item: the item code' })),
  itemName: Type.Optional(Type.String({ description: 'groupBy=item' })),
  department: Type.Optional(Type.String({ description: 'groupBy=department' })),
  division: Type.Optional(Type.String({ description: 'groupBy=division: the division prefix' })),
  level: Type.Optional(Type.Union(divisionLevels.map((l) => Type.Literal(l)), { description: 'groupBy=level; with groupBy=division, the level of the division' })),
};

export const Rate = (description: string) => Type.Union([Type.Number(), Type.Null()], { description: `${description}; rounded to 12 decimals, null when the denominator is 0` });
export const Count = (description: string) => Type.Integer({ minimum: 0, description });

export const csvNote = 'As CSV (header row, RFC 4180) with `Accept: text/csv`.';
