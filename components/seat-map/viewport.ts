import type { Box } from './model';

/** screen = map * scale + (tx, ty), in CSS pixels of the canvas. */
export type View = { scale: number; tx: number; ty: number };
export type Size = { width: number; height: number };

export function fit(box: Box, size: Size, margin = 16): View {
  const w = Math.max(1, box.maxX - box.minX);
  const h = Math.max(1, box.maxY - box.minY);
  const scale = Math.min((size.width - 2 * margin) / w, (size.height - 2 * margin) / h);
  const s = Number.isFinite(scale) && scale > 0 ? scale : 1;
  return {
    scale: s,
    tx: size.width / 2 - ((box.minX + box.maxX) / 2) * s,
    ty: size.height / 2 - ((box.minY + box.maxY) / 2) * s,
  };
}

/** Zooms by `factor` keeping the map point under (sx, sy) where it is, within [min, max]. */
export function zoomAt(view: View, factor: number, sx: number, sy: number, limits: { min: number; max: number }): View {
  const scale = Math.min(limits.max, Math.max(limits.min, view.scale * factor));
  const k = scale / view.scale;
  return { scale, tx: sx - (sx - view.tx) * k, ty: sy - (sy - view.ty) * k };
}

export const toMap = (view: View, sx: number, sy: number) => ({
  x: (sx - view.tx) / view.scale,
  y: (sy - view.ty) / view.scale,
});
export const toScreen = (view: View, x: number, y: number) => ({
  x: x * view.scale + view.tx,
  y: y * view.scale + view.ty,
});

/** Keeps at least part of the map on screen so a fling cannot lose it. */
export function clampView(view: View, bounds: Box, size: Size): View {
  const keep = 80;
  const left = bounds.minX * view.scale + view.tx;
  const right = bounds.maxX * view.scale + view.tx;
  const top = bounds.minY * view.scale + view.ty;
  const bottom = bounds.maxY * view.scale + view.ty;
  let { tx, ty } = view;
  if (right < keep) tx += keep - right;
  if (left > size.width - keep) tx -= left - (size.width - keep);
  if (bottom < keep) ty += keep - bottom;
  if (top > size.height - keep) ty -= top - (size.height - keep);
  return { scale: view.scale, tx, ty };
}

/** A step of an animated zoom: the scale moves geometrically so a big zoom feels even. */
export function interpolate(a: View, b: View, t: number): View {
  return {
    scale: a.scale * Math.pow(b.scale / a.scale, t),
    tx: a.tx + (b.tx - a.tx) * t,
    ty: a.ty + (b.ty - a.ty) * t,
  };
}
