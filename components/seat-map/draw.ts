import { SEAT_FLAG } from '@/lib/contracts/inventory';
import { CODE } from './availability';
import type { SeatMapModel } from './model';
import { toMap, toScreen, type Size, type View } from './viewport';

/** Seats closer than this many screen pixels apart are drawn as section areas (the overview). */
export const OVERVIEW_BELOW_PX = 3.5;
/** From this many pixels apart, seats get their full shapes and glyphs. */
export const SHAPES_FROM_PX = 10;

/** Colours that are not a price tier's. Statuses also differ by shape, so colour is never the only cue. */
export const PALETTE = {
  mine: '#f59e0b',
  mineInk: '#0f172a',
  held: '#94a3b8',
  sold: '#64748b',
  blocked: '#cbd5e1',
  ink: '#0f172a',
  stage: '#e2e8f0',
  stageInk: '#334155',
  outline: '#94a3b8',
  focus: '#1d40c4',
} as const;

export type DrawInput = {
  model: SeatMapModel;
  codes: Uint8Array;
  selected: ReadonlySet<number>;
  pending: ReadonlySet<number>;
  focus: number | null;
  showFocus: boolean;
  hover: number | null;
  view: View;
  size: Size;
  dpr: number;
};

type Bucket = number[];

export type Mode = 'overview' | 'dense' | 'shapes';
export const modeFor = (model: SeatMapModel, view: View): Mode => {
  const px = model.pitch * view.scale;
  return px < OVERVIEW_BELOW_PX ? 'overview' : px < SHAPES_FROM_PX ? 'dense' : 'shapes';
};

export function drawSeatMap(ctx: CanvasRenderingContext2D, input: DrawInput): void {
  const { model, view, size, dpr } = input;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  drawStage(ctx, input);
  const mode = modeFor(model, view);
  if (mode === 'overview') drawOverview(ctx, input);
  else drawSeats(ctx, input, mode);
}

function drawStage(ctx: CanvasRenderingContext2D, { model, view }: DrawInput) {
  const stage = model.layout.stage;
  if (!stage) return;
  const a = toScreen(view, stage.x, stage.y);
  const w = stage.width * view.scale;
  const h = stage.height * view.scale;
  ctx.fillStyle = PALETTE.stage;
  ctx.beginPath();
  ctx.roundRect(a.x, a.y, w, h, Math.min(12, w / 4, h / 4));
  ctx.fill();
  const fontSize = Math.min(18, Math.max(10, h / 3));
  if (w > 40 && h > 14) {
    ctx.fillStyle = PALETTE.stageInk;
    ctx.font = `600 ${fontSize}px ui-sans-serif, system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(stage.label.toUpperCase(), a.x + w / 2, a.y + h / 2);
  }
}

/** Which sections intersect the canvas (in map units). */
function visibleSections({ model, view, size }: DrawInput): number[] {
  const tl = toMap(view, 0, 0);
  const br = toMap(view, size.width, size.height);
  const out: number[] = [];
  model.sectionBounds.forEach((b, s) => {
    if (b.maxX >= tl.x && b.minX <= br.x && b.maxY >= tl.y && b.minY <= br.y) out.push(s);
  });
  return out;
}

const mainTierCache = new WeakMap<SeatMapModel, number[]>();
/** The tier most of a section's seats are in: the overview paints the section in its colour. */
function mainTiers(model: SeatMapModel): number[] {
  const cached = mainTierCache.get(model);
  if (cached) return cached;
  const votes = model.layout.sections.map(() => new Array<number>(model.layout.tiers.length).fill(0));
  for (let p = 0; p < model.count; p++) votes[model.sectionOf[p]!]![model.layout.seats.tier[p]!]!++;
  const tiers = votes.map((v) => v.indexOf(Math.max(...v)));
  mainTierCache.set(model, tiers);
  return tiers;
}

type SectionSummary = { free: number[]; total: number[]; yours: boolean[] };
const summaryCache = new WeakMap<Uint8Array, SectionSummary>();
/** Free and total seats per section for one availability array (recomputed only when it changes). */
export function sectionSummary(model: SeatMapModel, codes: Uint8Array): SectionSummary {
  const cached = summaryCache.get(codes);
  if (cached) return cached;
  const n = model.layout.sections.length;
  const summary: SectionSummary = {
    free: new Array<number>(n).fill(0),
    total: new Array<number>(n).fill(0),
    yours: new Array<boolean>(n).fill(false),
  };
  for (let p = 0; p < model.count; p++) {
    const s = model.sectionOf[p]!;
    summary.total[s]!++;
    if (codes[p] === CODE.available) summary.free[s]!++;
    else if (codes[p] === CODE.yours) summary.yours[s] = true;
  }
  summaryCache.set(codes, summary);
  return summary;
}

function drawOverview(ctx: CanvasRenderingContext2D, input: DrawInput) {
  const { model, codes, view, selected } = input;
  const { layout } = model;
  const sections = visibleSections(input);
  const { free, total, yours } = sectionSummary(model, codes);
  const tiers = mainTiers(model);
  const mine = [...yours];
  for (const p of selected) mine[model.sectionOf[p]!] = true;
  for (const s of sections) {
    const outline = model.sectionOutline[s]!;
    if (outline.length < 3) continue;
    const tier = tiers[s]!;
    const share = total[s]! ? free[s]! / total[s]! : 0;
    ctx.beginPath();
    outline.forEach((pt, i) => {
      const q = toScreen(view, pt.x, pt.y);
      if (i === 0) ctx.moveTo(q.x, q.y);
      else ctx.lineTo(q.x, q.y);
    });
    ctx.closePath();
    if (share > 0) {
      ctx.globalAlpha = 0.25 + 0.75 * Math.min(1, share * 2);
      ctx.fillStyle = layout.tiers[tier]?.color ?? PALETTE.held;
    } else {
      ctx.globalAlpha = 1;
      ctx.fillStyle = PALETTE.blocked;
    }
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.lineWidth = mine[s] ? 3 : 1;
    ctx.strokeStyle = mine[s] ? PALETTE.mine : '#ffffff';
    ctx.stroke();
    const c = toScreen(view, model.sectionCentre[s]!.x, model.sectionCentre[s]!.y);
    const b = model.sectionBounds[s]!;
    const span = Math.min(b.maxX - b.minX, b.maxY - b.minY) * view.scale;
    if (span > 18) {
      ctx.font = `700 ${Math.min(14, Math.max(9, span / 3))}px ui-sans-serif, system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.lineWidth = 3;
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.strokeText(layout.sections[s]!.label, c.x, c.y);
      ctx.fillStyle = PALETTE.ink;
      ctx.fillText(layout.sections[s]!.label, c.x, c.y);
    }
  }
}

function drawSeats(ctx: CanvasRenderingContext2D, input: DrawInput, mode: 'dense' | 'shapes') {
  const { model, codes, view, selected, pending, dpr } = input;
  const { layout } = model;
  const { x, y, tier, flags } = layout.seats;
  const px = model.pitch * view.scale;
  const r = px * (mode === 'dense' ? 0.36 : 0.4);
  const tierBuckets: Bucket[] = layout.tiers.map(() => []);
  const held: Bucket = [];
  const sold: Bucket = [];
  const blocked: Bucket = [];
  const mine: Bucket = [];
  for (const s of visibleSections(input)) {
    for (const row of model.sectionRows[s]!) {
      for (const p of model.rowSeats[row]!) {
        const code = codes[p]!;
        if (selected.has(p) || pending.has(p) || code === CODE.yours) mine.push(p);
        else if (code === CODE.available) (tierBuckets[tier[p]!] ?? held).push(p);
        else if (code === CODE.held) held.push(p);
        else if (code === CODE.sold) sold.push(p);
        else blocked.push(p);
      }
    }
  }
  // Seat centres in screen space, drawn in the canvas' device pixels for crisp small shapes.
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawSectionOutlines(ctx, input);
  const sx = (p: number) => x[p]! * view.scale + view.tx;
  const sy = (p: number) => y[p]! * view.scale + view.ty;

  if (mode === 'dense') {
    const side = r * 2;
    const fillSquares = (bucket: Bucket, colour: string) => {
      if (!bucket.length) return;
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (const p of bucket) ctx.rect(sx(p) - r, sy(p) - r, side, side);
      ctx.fill();
    };
    tierBuckets.forEach((bucket, t) => fillSquares(bucket, layout.tiers[t]!.color));
    fillSquares(held, PALETTE.blocked);
    fillSquares(sold, PALETTE.sold);
    fillSquares(blocked, PALETTE.blocked);
    fillSquares(mine, PALETTE.mine);
    drawFocus(ctx, input, r, sx, sy);
    return;
  }

  // Available: a filled disc in the tier's colour.
  tierBuckets.forEach((bucket, t) => {
    if (!bucket.length) return;
    ctx.fillStyle = layout.tiers[t]!.color;
    ctx.beginPath();
    for (const p of bucket) {
      ctx.moveTo(sx(p) + r, sy(p));
      ctx.arc(sx(p), sy(p), r, 0, Math.PI * 2);
    }
    ctx.fill();
  });
  // Held by someone else: a hollow ring crossed by a slash.
  if (held.length) {
    ctx.strokeStyle = PALETTE.held;
    ctx.lineWidth = Math.max(1, r * 0.22);
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    for (const p of held) {
      ctx.moveTo(sx(p) + r * 0.85, sy(p));
      ctx.arc(sx(p), sy(p), r * 0.85, 0, Math.PI * 2);
    }
    ctx.fill();
    ctx.stroke();
    ctx.beginPath();
    for (const p of held) {
      ctx.moveTo(sx(p) - r * 0.6, sy(p) + r * 0.6);
      ctx.lineTo(sx(p) + r * 0.6, sy(p) - r * 0.6);
    }
    ctx.stroke();
  }
  // Sold: a small dark square with a cross.
  if (sold.length) {
    const h = r * 0.75;
    ctx.fillStyle = PALETTE.sold;
    ctx.beginPath();
    for (const p of sold) ctx.rect(sx(p) - h, sy(p) - h, h * 2, h * 2);
    ctx.fill();
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = Math.max(1, r * 0.18);
    ctx.beginPath();
    for (const p of sold) {
      ctx.moveTo(sx(p) - h * 0.55, sy(p) - h * 0.55);
      ctx.lineTo(sx(p) + h * 0.55, sy(p) + h * 0.55);
      ctx.moveTo(sx(p) + h * 0.55, sy(p) - h * 0.55);
      ctx.lineTo(sx(p) - h * 0.55, sy(p) + h * 0.55);
    }
    ctx.stroke();
  }
  // Not for sale: an empty square with a bar.
  if (blocked.length) {
    const h = r * 0.7;
    ctx.strokeStyle = PALETTE.outline;
    ctx.lineWidth = Math.max(1, r * 0.18);
    ctx.beginPath();
    for (const p of blocked) {
      ctx.rect(sx(p) - h, sy(p) - h, h * 2, h * 2);
      ctx.moveTo(sx(p) - h * 0.6, sy(p));
      ctx.lineTo(sx(p) + h * 0.6, sy(p));
    }
    ctx.stroke();
  }
  // Yours (selected or held): a larger amber disc with a dark ring and a check mark.
  if (mine.length) {
    const big = r * 1.12;
    ctx.fillStyle = PALETTE.mine;
    ctx.strokeStyle = PALETTE.mineInk;
    ctx.lineWidth = Math.max(1.5, r * 0.2);
    ctx.beginPath();
    for (const p of mine) {
      ctx.moveTo(sx(p) + big, sy(p));
      ctx.arc(sx(p), sy(p), big, 0, Math.PI * 2);
    }
    ctx.fill();
    ctx.stroke();
    ctx.lineWidth = Math.max(1.5, r * 0.24);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    for (const p of mine) {
      ctx.moveTo(sx(p) - big * 0.45, sy(p) + big * 0.02);
      ctx.lineTo(sx(p) - big * 0.1, sy(p) + big * 0.38);
      ctx.lineTo(sx(p) + big * 0.48, sy(p) - big * 0.35);
    }
    ctx.stroke();
    ctx.lineCap = 'butt';
    ctx.lineJoin = 'miter';
    const waiting = mine.filter((p) => pending.has(p));
    if (waiting.length) {
      ctx.setLineDash([3, 3]);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (const p of waiting) {
        ctx.moveTo(sx(p) + big + 3, sy(p));
        ctx.arc(sx(p), sy(p), big + 3, 0, Math.PI * 2);
      }
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }
  // Accessibility flags, once seats are large enough to carry a letter: W wheelchair, C companion, a corner
  // notch for a restricted view.
  if (px >= 15) {
    ctx.font = `700 ${Math.round(r * 1.05)}px ui-sans-serif, system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const all = [...tierBuckets.flat(), ...held, ...sold, ...blocked];
    for (const p of all) {
      const f = flags[p]!;
      if (!f) continue;
      const available = codes[p] === CODE.available;
      if (f & (SEAT_FLAG.wheelchair | SEAT_FLAG.companion)) {
        ctx.fillStyle = available ? '#ffffff' : PALETTE.ink;
        ctx.fillText(f & SEAT_FLAG.wheelchair ? 'W' : 'C', sx(p), sy(p) + 0.5);
      }
      if (f & SEAT_FLAG.restrictedView) {
        ctx.fillStyle = PALETTE.ink;
        ctx.beginPath();
        ctx.moveTo(sx(p) + r * 0.2, sy(p) - r * 1.1);
        ctx.lineTo(sx(p) + r * 1.1, sy(p) - r * 1.1);
        ctx.lineTo(sx(p) + r * 1.1, sy(p) - r * 0.2);
        ctx.closePath();
        ctx.fill();
      }
    }
  }
  if (px >= 14) drawRowLabels(ctx, input);
  if (input.hover !== null && input.hover !== input.focus) {
    ctx.strokeStyle = PALETTE.ink;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(sx(input.hover), sy(input.hover), r * 1.45, 0, Math.PI * 2);
    ctx.stroke();
  }
  drawFocus(ctx, input, r, sx, sy);
}

/** Faint outlines keep sections apart when zoomed in far enough to lose the overview. */
function drawSectionOutlines(ctx: CanvasRenderingContext2D, input: DrawInput) {
  const { model, view } = input;
  ctx.strokeStyle = '#e2e8f0';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const s of visibleSections(input)) {
    model.sectionOutline[s]!.forEach((pt, i) => {
      const q = toScreen(view, pt.x, pt.y);
      if (i === 0) ctx.moveTo(q.x, q.y);
      else ctx.lineTo(q.x, q.y);
    });
    ctx.closePath();
  }
  ctx.stroke();
}

function drawFocus(
  ctx: CanvasRenderingContext2D,
  input: DrawInput,
  r: number,
  sx: (p: number) => number,
  sy: (p: number) => number,
) {
  if (!input.showFocus || input.focus === null) return;
  const p = input.focus;
  const radius = Math.max(r * 1.6, 7);
  ctx.lineWidth = 4;
  ctx.strokeStyle = '#ffffff';
  ctx.beginPath();
  ctx.arc(sx(p), sy(p), radius, 0, Math.PI * 2);
  ctx.stroke();
  ctx.lineWidth = 2.5;
  ctx.strokeStyle = PALETTE.focus;
  ctx.stroke();
}

function drawRowLabels(ctx: CanvasRenderingContext2D, input: DrawInput) {
  const { model, view } = input;
  const { layout } = model;
  const { x, y } = layout.seats;
  ctx.fillStyle = '#475569';
  ctx.font = `600 ${Math.min(12, model.pitch * view.scale * 0.6)}px ui-sans-serif, system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const s of visibleSections(input)) {
    for (const row of model.sectionRows[s]!) {
      const seats = model.rowSeats[row]!;
      if (seats.length < 2) continue;
      for (const [end, next] of [
        [seats[0]!, seats[1]!],
        [seats[seats.length - 1]!, seats[seats.length - 2]!],
      ] as const) {
        const dx = x[end]! - x[next]!;
        const dy = y[end]! - y[next]!;
        const d = Math.hypot(dx, dy) || 1;
        const lx = x[end]! + (dx / d) * model.pitch * 1.1;
        const ly = y[end]! + (dy / d) * model.pitch * 1.1;
        const q = toScreen(view, lx, ly);
        ctx.fillText(layout.rows[row]!.label, q.x, q.y);
      }
    }
  }
}
