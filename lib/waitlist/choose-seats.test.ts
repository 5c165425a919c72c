import { describe, expect, it } from 'vitest';
import { chooseSeats, type FreeSeat } from './choose-seats';

const seat = (id: number, rowIndex: number, seatIndex: number, extra: Partial<FreeSeat> = {}): FreeSeat => ({
  id,
  sectionId: 'a',
  rowIndex,
  seatIndex,
  wheelchair: false,
  priceTierId: 't1',
  priceMinor: 5000,
  ...extra,
});
const needs = (partySize: number, extra: Partial<Parameters<typeof chooseSeats>[1]> = {}) => ({
  partySize,
  maxPriceMinor: 10_000,
  wheelchairSeats: 0,
  priceTierId: null,
  ...extra,
});

describe('chooseSeats', () => {
  it('seats a party side by side when a run of free seats allows, across an aisle never', () => {
    // Row 0: 1, 2 | aisle | 4; row 1: 5, 6, 7 side by side.
    const free = [seat(1, 0, 0), seat(2, 0, 1), seat(4, 0, 3), seat(5, 1, 0), seat(6, 1, 1), seat(7, 1, 2)];
    expect(chooseSeats(free, needs(3))).toEqual([5, 6, 7]);
    expect(chooseSeats(free, needs(2))).toEqual([1, 2]);
  });

  it('splits a party only when no run is long enough, keeping it in one row first', () => {
    const free = [seat(1, 0, 0), seat(3, 0, 2), seat(5, 1, 0)];
    expect(chooseSeats(free, needs(2))).toEqual([1, 3]);
    expect(chooseSeats(free, needs(3))).toEqual([1, 3, 5]);
    expect(chooseSeats(free, needs(4))).toBeNull();
  });

  it('respects the price ceiling and the tier asked for', () => {
    const free = [
      seat(1, 0, 0, { priceMinor: 9000 }),
      seat(2, 0, 1, { priceMinor: 9000 }),
      seat(3, 1, 0, { priceTierId: 't2' }),
    ];
    expect(chooseSeats(free, needs(2, { maxPriceMinor: 8000 }))).toBeNull();
    expect(chooseSeats(free, needs(1, { maxPriceMinor: 8000 }))).toEqual([3]);
    expect(chooseSeats(free, needs(1, { maxPriceMinor: 8000, priceTierId: 't1' }))).toBeNull();
  });

  it('includes the wheelchair spaces a party asks for, with companions beside them where possible', () => {
    const free = [seat(1, 0, 0), seat(2, 0, 1), seat(3, 2, 0), seat(4, 2, 1, { wheelchair: true }), seat(5, 2, 2)];
    expect(chooseSeats(free, needs(2, { wheelchairSeats: 1 }))).toEqual([3, 4]);
    expect(chooseSeats(free, needs(2, { wheelchairSeats: 2 }))).toBeNull();
  });
});
