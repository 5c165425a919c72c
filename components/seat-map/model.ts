import type { LayoutDocument } from '@/lib/contracts/inventory';
import { groupRows } from '@/lib/inventory/best-available';

export type Box = { minX: number; minY: number; maxX: number; maxY: number };
export type Point = { x: number; y: number };

/**
 * Everything the map derives once from an immutable layout document: rows in physical order, sections with their
 * rows, outlines and bounds, and a spatial grid for hit testing. Built in a few milliseconds for 50,000 seats.
 */
export type SeatMapModel = {
  layout: LayoutDocument;
  count: number;
  /** Positions of each row, in physical order. */
  rowSeats: number[][];
  /** Index of each position inside its row's list. */
  indexInRow: Int32Array;
  /** Rows of each section, in layout order (front to back). */
  sectionRows: number[][];
  sectionOf: Int32Array;
  sectionBounds: Box[];
  /** Convex outline of each section's seats, for the zoomed-out overview. */
  sectionOutline: Point[][];
  sectionCentre: Point[];
  bounds: Box;
  /** Typical distance between neighbouring seats, in map units. */
  pitch: number;
  idToPosition: Map<number, number>;
  seatAt(x: number, y: number, radius: number): number | null;
  sectionAt(x: number, y: number): number | null;
};

const emptyBox = (): Box => ({ minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity });
const grow = (box: Box, x: number, y: number) => {
  if (x < box.minX) box.minX = x;
  if (y < box.minY) box.minY = y;
  if (x > box.maxX) box.maxX = x;
  if (y > box.maxY) box.maxY = y;
};

const cache = new WeakMap<LayoutDocument, SeatMapModel>();

export function seatMapModel(layout: LayoutDocument): SeatMapModel {
  const cached = cache.get(layout);
  if (cached) return cached;
  const { x, y, row, order, id } = layout.seats;
  const count = id.length;
  const rowSeats = groupRows(layout).seats;
  const indexInRow = new Int32Array(count);
  rowSeats.forEach((list) => list.forEach((p, i) => (indexInRow[p] = i)));

  const sectionRows: number[][] = layout.sections.map(() => []);
  layout.rows.forEach((r, i) => sectionRows[r.section]!.push(i));
  const sectionOf = new Int32Array(count);
  for (let p = 0; p < count; p++) sectionOf[p] = layout.rows[row[p]!]!.section;

  const bounds = emptyBox();
  const sectionBounds = layout.sections.map(emptyBox);
  const sectionPoints: Point[][] = layout.sections.map(() => []);
  for (let p = 0; p < count; p++) {
    grow(bounds, x[p]!, y[p]!);
    grow(sectionBounds[sectionOf[p]!]!, x[p]!, y[p]!);
    sectionPoints[sectionOf[p]!]!.push({ x: x[p]!, y: y[p]! });
  }

  // The pitch: median gap between physically adjacent seats (rows give plenty of samples).
  const gaps: number[] = [];
  for (const list of rowSeats) {
    for (let i = 1; i < list.length && gaps.length < 4000; i++) {
      const a = list[i - 1]!;
      const b = list[i]!;
      if (order[b]! - order[a]! === 1) gaps.push(Math.hypot(x[b]! - x[a]!, y[b]! - y[a]!));
    }
  }
  gaps.sort((a, b) => a - b);
  const pitch = gaps.length ? gaps[Math.floor(gaps.length / 2)]! : 10;

  const pad = pitch / 2;
  for (const box of sectionBounds) {
    box.minX -= pad;
    box.minY -= pad;
    box.maxX += pad;
    box.maxY += pad;
  }
  if (layout.stage) {
    grow(bounds, layout.stage.x, layout.stage.y);
    grow(bounds, layout.stage.x + layout.stage.width, layout.stage.y + layout.stage.height);
  }
  if (count === 0 && !layout.stage) Object.assign(bounds, { minX: 0, minY: 0, maxX: 100, maxY: 100 });
  bounds.minX -= pitch;
  bounds.minY -= pitch;
  bounds.maxX += pitch;
  bounds.maxY += pitch;

  const sectionOutline = sectionPoints.map((points) => expand(convexHull(points), pad));
  const sectionCentre = sectionBounds.map((b) => ({ x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2 }));

  // Uniform grid of about two seats per cell for hit testing.
  const cell = pitch * 2;
  const grid = new Map<number, number[]>();
  const key = (cx: number, cy: number) => cx * 100_003 + cy;
  for (let p = 0; p < count; p++) {
    const k = key(Math.floor(x[p]! / cell), Math.floor(y[p]! / cell));
    const list = grid.get(k);
    if (list) list.push(p);
    else grid.set(k, [p]);
  }

  const idToPosition = new Map<number, number>();
  for (let p = 0; p < count; p++) idToPosition.set(id[p]!, p);

  const model: SeatMapModel = {
    layout,
    count,
    rowSeats,
    indexInRow,
    sectionRows,
    sectionOf,
    sectionBounds,
    sectionOutline,
    sectionCentre,
    bounds,
    pitch,
    idToPosition,
    seatAt(px, py, radius) {
      let best: number | null = null;
      let bestDistance = radius;
      const span = Math.ceil(radius / cell);
      const cx = Math.floor(px / cell);
      const cy = Math.floor(py / cell);
      for (let gx = cx - span; gx <= cx + span; gx++) {
        for (let gy = cy - span; gy <= cy + span; gy++) {
          for (const p of grid.get(key(gx, gy)) ?? []) {
            const d = Math.hypot(x[p]! - px, y[p]! - py);
            if (d <= bestDistance) {
              bestDistance = d;
              best = p;
            }
          }
        }
      }
      return best;
    },
    sectionAt(px, py) {
      for (let s = 0; s < sectionOutline.length; s++) {
        const b = sectionBounds[s]!;
        if (px < b.minX || px > b.maxX || py < b.minY || py > b.maxY) continue;
        if (insidePolygon(sectionOutline[s]!, px, py)) return s;
      }
      return null;
    },
  };
  cache.set(layout, model);
  return model;
}

/** Andrew's monotone chain; fine for a few thousand points per section. */
export function convexHull(points: Point[]): Point[] {
  if (points.length <= 2) return [...points];
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/** Pushes each vertex of a convex outline away from its centre, so the outline encloses the seats' discs. */
function expand(hull: Point[], by: number): Point[] {
  if (!hull.length) return hull;
  const cx = hull.reduce((n, p) => n + p.x, 0) / hull.length;
  const cy = hull.reduce((n, p) => n + p.y, 0) / hull.length;
  return hull.map((p) => {
    const d = Math.hypot(p.x - cx, p.y - cy) || 1;
    return { x: p.x + ((p.x - cx) / d) * by, y: p.y + ((p.y - cy) / d) * by };
  });
}

export function insidePolygon(polygon: Point[], px: number, py: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > py !== b.y > py && px < ((b.x - a.x) * (py - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

export function boxOf(model: SeatMapModel, positions: number[]): Box {
  const box = emptyBox();
  for (const p of positions) grow(box, model.layout.seats.x[p]!, model.layout.seats.y[p]!);
  box.minX -= model.pitch;
  box.minY -= model.pitch;
  box.maxX += model.pitch;
  box.maxY += model.pitch;
  return box;
}
