import { replay } from '@hub/decider';
import { deciderSpecification } from '@hub/decider/testing';
import { departments } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { shippedItems } from './catalogue.ts';
import { defineShippedItems, itemTableDecider } from './decide.ts';
import { itemDefinedData, itemLookup, type ItemEvent } from './events.ts';
import { coApprovers, type Item } from './item.ts';
import { checkItem, itemProblems } from './validate.ts';

/** 建筑工程施工许可证核发 as shipped: housing leads, land and market, then hrss. */
const valid: Item = shippedItems.find((item) => item.code === '11450100MB1596344B4000119003000')!;

const fieldsOf = (input: unknown) => itemProblems(input).map((problem) => problem.field);

describe('checkItem: an item definition and its problems, by field', () => {
  it('accepts a valid definition and returns the item', () => {
    expect(checkItem(valid)).toEqual({ ok: true, item: valid });
    expect(checkItem({ ...valid, fee: null, certificateType: null })).toEqual({ ok: true, item: { ...valid, certificateType: undefined } });
  });

  it('promised within legal, legal within 45 (+15) working days', () => {
    expect(fieldsOf({ ...valid, promisedDays: 8 })).toEqual(['promisedDays']);
    expect(fieldsOf({ ...valid, legalDays: 61, promisedDays: 5 })).toEqual(['legalDays']);
    expect(fieldsOf({ ...valid, legalDays: 60 })).toEqual([]);
    expect(fieldsOf({ ...valid, legalDays: 0 })).toEqual(['legalDays']);
    expect(fieldsOf({ ...valid, promisedDays: -1 })).toEqual(['promisedDays']);
    expect(fieldsOf({ ...valid, promisedDays: 2.5 })).toEqual(['promisedDays']);
  });

  it('departments known; the lead not a co-approver of its own case; each co-approver in one stage', () => {
    expect(fieldsOf({ ...valid, leadDepartment: 'customs' })).toEqual(['leadDepartment']);
    expect(fieldsOf({ ...valid, stages: [{ departments: ['land', 'customs'], dueDays: 2 }] })).toEqual(['stages[0].departments[1]']);
    const own = itemProblems({ ...valid, stages: [{ departments: ['housing'], dueDays: 2 }] });
    expect(own).toEqual([{ field: 'stages[0].departments[0]', message: 'housing leads the item and cannot co-approve its own case' }]);
    expect(fieldsOf({ ...valid, stages: [{ departments: ['land'], dueDays: 1 }, { departments: ['land'], dueDays: 1 }] })).toEqual(['stages[1].departments[0]']);
  });

  it('a stage has departments and 1..promised days, and the stages together fit the promise', () => {
    expect(fieldsOf({ ...valid, stages: [{ departments: [], dueDays: 2 }] })).toEqual(['stages[0].departments']);
    expect(fieldsOf({ ...valid, stages: [{ departments: ['land'], dueDays: 0 }] })).toEqual(['stages[0].dueDays']);
    expect(fieldsOf({ ...valid, stages: [{ departments: ['land'], dueDays: 6 }] })).toEqual(['stages[0].dueDays']);
    expect(itemProblems({ ...valid, stages: [{ departments: ['land'], dueDays: 3 }, { departments: ['hrss'], dueDays: 3 }] })).toEqual([
      { field: 'stages', message: 'the stages run one after another for 6 working days, longer than the promised limit 5' },
    ]);
    expect(fieldsOf({ ...valid, stages: 'land' })).toEqual(['stages']);
    expect(fieldsOf({ ...valid, stages: [] })).toEqual([]);
  });

  it('a fee in yuan with two decimals, above zero, with its basis', () => {
    expect(fieldsOf({ ...valid, fee: { amount: '80.00', basis: '发改价格规〔2016〕2559号' } })).toEqual([]);
    expect(fieldsOf({ ...valid, fee: { amount: '80', basis: '依据' } })).toEqual(['fee.amount']);
    expect(fieldsOf({ ...valid, fee: { amount: 8000, basis: '依据' } })).toEqual(['fee.amount']);
    expect(fieldsOf({ ...valid, fee: { amount: '0.00', basis: '依据' } })).toEqual(['fee.amount']);
    expect(fieldsOf({ ...valid, fee: { amount: '1.50', basis: ' ' } })).toEqual(['fee.basis']);
    expect(fieldsOf({ ...valid, fee: { amount: '1.50', basis: '依据', currency: 'CNY' } })).toEqual(['fee.currency']);
  });

  it('names unknown fields and reports every problem at once', () => {
    expect(fieldsOf({ ...valid, colour: 'red' })).toEqual(['colour']);
    expect(fieldsOf({ ...valid, code: '', name: '', certificateType: '' })).toEqual(['code', 'name', 'certificateType']);
    expect(fieldsOf('not an item')).toEqual(['']);
    expect(fieldsOf({ ...valid, stages: [{ departments: ['land'], dueDays: 2, parallel: true }] })).toEqual(['stages[0].parallel']);
  });
});

describe('the shipped catalogue (事项目录)', () => {
  it('holds at least 12 valid items with distinct codes', () => {
    expect(shippedItems.length).toBeGreaterThanOrEqual(12);
    for (const item of shippedItems) expect({ code: item.code, problems: itemProblems(item) }).toEqual({ code: item.code, problems: [] });
    expect(new Set(shippedItems.map((item) => item.code)).size).toBe(shippedItems.length);
  });

  it('every one of the seven departments leads an item and co-approves another', () => {
    const codes = departments.map((department) => department.code).sort();
    expect([...new Set(shippedItems.map((item) => item.leadDepartment))].sort()).toEqual(codes);
    expect([...new Set(shippedItems.flatMap(coApprovers))].sort()).toEqual(codes);
  });

  it('has staged items, parallel items, items decided alone, fees and same-day items', () => {
    expect(shippedItems.some((item) => item.stages.length > 1 && coApprovers(item).length >= 3)).toBe(true);
    expect(shippedItems.some((item) => item.stages.length === 1 && item.stages[0]!.departments.length > 1)).toBe(true);
    expect(shippedItems.some((item) => item.stages.length === 0)).toBe(true);
    expect(shippedItems.some((item) => item.fee !== undefined)).toBe(true);
    expect(shippedItems.some((item) => item.promisedDays === 0)).toBe(true);
    for (const item of shippedItems) expect(item.promisedDays, item.name).toBeLessThan(item.legalDays);
  });
});

describe('the item table: items recorded as events', () => {
  const spec = deciderSpecification(itemTableDecider);
  const at = new Date('2026-03-01T00:00:00.000Z');
  const later = new Date('2026-03-05T00:00:00.000Z');
  const defined = (item: Item, version: number, occurredAt = at): ItemEvent => ({ type: 'ItemDefined', data: itemDefinedData(item, version, occurredAt, 'operator') });
  const define = (definition: unknown, occurredAt = at) => ({ type: 'DefineItem' as const, data: { definition, occurredAt, definedBy: 'operator' } });

  it('a new definition is recorded whole, as version 1', () => {
    const table = spec.given().when(define(valid)).then([defined(valid, 1)], { itemCode: valid.code, version: 1, changed: true });
    expect(itemLookup(table)(valid.code)).toEqual(valid);
    expect(defined(valid, 1).data).toMatchObject({ eventId: `item:${valid.code}:1`, fee: null, certificateType: '建筑工程施工许可证' });
  });

  it('the same definition again records nothing', () => {
    spec.given(defined(valid, 1)).when(define({ ...valid }, later)).then([], { itemCode: valid.code, version: 1, changed: false });
  });

  it('a changed definition is the next version', () => {
    const changed: Item = { ...valid, promisedDays: 4 };
    const table = spec.given(defined(valid, 1)).when(define(changed, later)).then([defined(changed, 2, later)], { itemCode: valid.code, version: 2, changed: true });
    expect(table.items.get(valid.code)).toEqual({ item: changed, version: 2, definedAt: later });
  });

  it('an invalid definition is refused with its problems', () => {
    const error = spec.given().when(define({ ...valid, promisedDays: 9 })).thenFails({ type: 'InvalidItem' });
    expect(error.problems).toEqual([{ field: 'promisedDays', message: 'promised limit 9 is longer than the legal limit 7' }]);
  });

  it('the shipped items are defined once; an operator’s redefinition survives the next start', () => {
    const first = defineShippedItems(itemTableDecider.initialState(), shippedItems, at);
    expect(first).toHaveLength(shippedItems.length);
    const events = first.flatMap((command) => {
      const decision = itemTableDecider.decide(command, itemTableDecider.initialState());
      return decision.ok ? [...decision.events] : [];
    });
    const table = replay(itemTableDecider, events);
    expect(table.items.size).toBe(shippedItems.length);
    expect(defineShippedItems(table, shippedItems, later)).toEqual([]);
  });

  it('a recorded definition that today’s rules reject leaves the previous one in force', () => {
    const bad = { ...defined(valid, 2, later), data: { ...defined(valid, 2, later).data, promisedDays: 30 } };
    const table = spec.given(defined(valid, 1), bad).state();
    expect(itemLookup(table)(valid.code)).toEqual(valid);
    expect(table.unreadable).toEqual([{ eventId: `item:${valid.code}:2`, problems: [expect.objectContaining({ field: 'promisedDays' })] }]);
  });
});
