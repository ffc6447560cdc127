import { isLocalDate } from '@hub/calendar';
import { childLevel, levelOfPrefix, normaliseDivision, type DivisionLevel } from '../divisions.ts';
import { errors } from '../errors.ts';
import type { FigureQuery, Grouping } from './schemas.ts';

/**
 * How a table's columns answer the filters and groupings: SQL expressions
 * over its alias. A filter a table cannot answer (an item for exchanges) is
 * left out of its columns and refused as a bad filter.
 */
export interface SelectionColumns {
  day: string;
  item?: string;
  itemName?: string;
  department?: string;
  /** A condition on `{department:String}` instead of a column (an exchange's either side). */
  departmentCondition?: string;
  centre?: string;
  /** The column holding a division's prefix at each level (`c.city`), and the level of the centre's division. */
  division?: (level: DivisionLevel) => string;
  divisionLevel?: string;
}

export interface Selection {
  /** `WHERE …` (or empty) with `{name:Type}` placeholders. */
  where: string;
  params: Record<string, unknown>;
}

/** The WHERE clause of the filters; a date that does not exist, a period that ends before it starts, or a filter the figure has no column for, is a 400 naming it. */
export function selection(query: FigureQuery, columns: SelectionColumns): Selection {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  for (const bound of ['from', 'to'] as const) {
    const value = query[bound];
    if (value !== undefined && !isLocalDate(value)) throw new errors.BAD_FILTER(bound, `${value} is not a date`);
  }
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) throw new errors.BAD_FILTER('to', `${query.to} is before from ${query.from}`);
  if (query.from !== undefined) {
    conditions.push(`${columns.day} >= {from:Date}`);
    params.from = query.from;
  }
  if (query.to !== undefined) {
    conditions.push(`${columns.day} <= {to:Date}`);
    params.to = query.to;
  }
  const exact = (name: 'item' | 'department' | 'centre', column: string | undefined) => {
    const value = query[name];
    if (value === undefined) return;
    if (column === undefined) throw new errors.BAD_FILTER(name, 'this figure cannot be filtered by it');
    conditions.push(`${column} = {${name}:String}`);
    params[name] = value;
  };
  exact('item', columns.item);
  if (columns.departmentCondition !== undefined && query.department !== undefined) {
    conditions.push(columns.departmentCondition);
    params.department = query.department;
  } else exact('department', columns.department);
  exact('centre', columns.centre);
  if (query.division !== undefined) {
    if (columns.division === undefined) throw new errors.BAD_FILTER('division', 'this figure cannot be filtered by it');
    const prefix = normaliseDivision(query.division);
    if (prefix === undefined) throw new errors.BAD_FILTER('division', `${query.division} is not a division code`);
    conditions.push(`${columns.division(levelOfPrefix(prefix))} = {division:String}`);
    params.division = prefix;
  }
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}

export interface GroupKey {
  /** `expr AS name` for the SELECT and the GROUP BY. */
  expressions: string[];
  /** The names, in order: the row's key columns. */
  names: string[];
  /** What to GROUP BY (a key that is an aggregate or derived from another is left out). */
  groupBy: string[];
}

/** The key columns of a grouping; none without one (one row for the whole selection). */
export function groupKey(groupBy: Grouping | undefined, query: FigureQuery, columns: SelectionColumns): GroupKey {
  const need = (column: string | undefined): string => {
    if (column === undefined) throw new errors.BAD_FILTER('groupBy', `this figure cannot be grouped by ${groupBy}`);
    return column;
  };
  switch (groupBy) {
    case undefined:
      return { expressions: [], names: [], groupBy: [] };
    case 'day':
      return { expressions: [`toString(${columns.day}) AS day`], names: ['day'], groupBy: ['day'] };
    case 'month':
      return { expressions: [`formatDateTime(${columns.day}, '%Y-%m') AS month`], names: ['month'], groupBy: ['month'] };
    case 'item':
      return { expressions: [`${need(columns.item)} AS item`, `any(${need(columns.itemName)}) AS itemName`], names: ['item', 'itemName'], groupBy: ['item'] };
    case 'department':
      return { expressions: [`${need(columns.department)} AS department`], names: ['department'], groupBy: ['department'] };
    case 'level':
      return { expressions: [`${need(columns.divisionLevel)} AS level`], names: ['level'], groupBy: ['level'] };
    case 'division': {
      const divisionOf = columns.division;
      if (divisionOf === undefined) return need(undefined) as never;
      const prefix = query.division === undefined ? undefined : normaliseDivision(query.division);
      const parent = prefix === undefined ? undefined : levelOfPrefix(prefix);
      // The children of the filter's division; a centre at the filter's own level (no child code) stays under the parent's code.
      const level = parent === undefined ? 'province' : (childLevel(parent) ?? parent);
      const expression = parent === undefined || level === parent ? divisionOf(level) : `if(${divisionOf(level)} = '', ${divisionOf(parent)}, ${divisionOf(level)})`;
      return { expressions: [`${expression} AS division`, `if(length(division) = 2, 'province', if(length(division) = 4, 'city', if(length(division) = 6, 'county', if(length(division) = 9, 'town', 'village')))) AS level`], names: ['division', 'level'], groupBy: ['division'] };
    }
    default: {
      const _exhaustive: never = groupBy;
      throw new Error(`unknown grouping ${String(_exhaustive)}`);
    }
  }
}

