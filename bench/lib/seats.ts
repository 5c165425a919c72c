/**
 * Which seats a benchmark asks for. A sound generator (xoshiro128**, period 2^128 - 1, 32-bit output; seeded with
 * splitmix32) and, for the cold seats, a shuffled list walked without replacement: a granted hold never asks for a
 * seat an earlier request asked for, so every conflict on a cold seat is the server's, not the picker's. The hot
 * seats (the first 1% of the layout) are drawn with replacement on purpose: contention there is the point.
 *
 * The generator this replaces (a 31-bit LCG computed in doubles: seed * 1103515245 exceeds 2^53 and loses its low
 * bits) fell into a cycle of 10,466 states after 15,825 draws, so "random" seats repeated and made false conflicts.
 */

/** splitmix32: seeds the main generator from one 32-bit number. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** xoshiro128**: uniform 32-bit integers; `next()` is a float in [0, 1), `below(n)` an unbiased integer in [0, n). */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed = 42) {
    const sm = splitmix32(seed);
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = sm();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c = (this.c ^ t) >>> 0;
    this.d = rotl(this.d >>> 0, 11);
    this.a >>>= 0;
    this.b >>>= 0;
    return result;
  }

  /** A float in [0, 1) with 32 random bits. */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [0, n), without modulo bias (n < 2^32). */
  below(n: number): number {
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.u32();
      if (x < limit) return x % n;
    }
  }

  shuffle<T>(list: T[]): T[] {
    for (let i = list.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  }
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

export type SeatRequest = { seatIds: number[]; hot: boolean };

/**
 * One event's seats for one benchmark: `hotShare` of the requests go to the hottest `hotFraction` of the layout
 * (drawn with replacement), the rest walk the shuffled cold seats without replacement. Requests ask for 1 or 2
 * seats. When the cold seats run out the walk starts over (counted in `wrapped`: from then on conflicts are
 * expected, and the report says so).
 */
export class SeatPicker {
  readonly hot: number[];
  private readonly cold: number[];
  private cursor = 0;
  wrapped = 0;
  coldDrawn = 0;

  constructor(
    seatIdsInLayoutOrder: number[],
    private readonly random: Random,
    private readonly hotShare = 0.2,
    hotFraction = 0.01,
    private readonly maxSeats = 2,
  ) {
    const hotCount = Math.max(1, Math.floor(seatIdsInLayoutOrder.length * hotFraction));
    this.hot = seatIdsInLayoutOrder.slice(0, hotCount);
    this.cold = random.shuffle(seatIdsInLayoutOrder.slice(hotCount));
  }

  get coldLeft(): number {
    return this.cold.length - this.cursor;
  }

  next(): SeatRequest {
    const n = 1 + this.random.below(this.maxSeats);
    if (this.random.next() < this.hotShare) {
      const picked = new Set<number>();
      while (picked.size < Math.min(n, this.hot.length)) picked.add(this.hot[this.random.below(this.hot.length)]!);
      return { seatIds: [...picked], hot: true };
    }
    const seatIds: number[] = [];
    for (let i = 0; i < n; i++) {
      if (this.cursor >= this.cold.length) {
        this.cursor = 0;
        this.wrapped++;
        this.random.shuffle(this.cold);
      }
      seatIds.push(this.cold[this.cursor++]!);
    }
    this.coldDrawn += n;
    return { seatIds, hot: false };
  }
}

/** Draws from a list with replacement (sold-out seats: every request is refused anyway). */
export function pickAny(list: number[], random: Random, maxSeats = 2): number[] {
  const n = Math.min(list.length, 1 + random.below(maxSeats));
  const picked = new Set<number>();
  while (picked.size < n) picked.add(list[random.below(list.length)]!);
  return [...picked];
}
