'use client';

import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
  type Ref,
} from 'react';
import type { LayoutDocument } from '@/lib/contracts/inventory';
import { STATUS_OF_CODE } from './availability';
import { drawSeatMap, modeFor, SHAPES_FROM_PX, type Mode } from './draw';
import { firstSeat, KEY_MOVES, move } from './keyboard';
import { describeSeat, type SeatState } from './labels';
import { boxOf, seatMapModel, type Box } from './model';
import { clampView, fit, interpolate, toMap, toScreen, zoomAt, type Size, type View } from './viewport';

export type SeatMapHandle = {
  /** Brings these seats into view at a size where they can be picked. */
  zoomToSeats(positions: number[]): void;
  zoomToSection(section: number): void;
  showAll(): void;
};

export type SeatMapProps = {
  layout: LayoutDocument;
  /** One status code per layout position (see availability.ts); a new array for every change. */
  codes: Uint8Array;
  /** Seats the viewer has picked but not yet held (drawn as theirs). */
  selected?: ReadonlySet<number>;
  /** Seats whose hold request is on its way. */
  pending?: ReadonlySet<number>;
  /** Called when a seat is clicked, tapped or chosen with Enter or Space. Without it the map is read-only. */
  onSeatActivate?: (position: number) => void;
  /** Which seats may be activated; by default available seats and the viewer's own. */
  canActivate?: (position: number, state: SeatState) => boolean;
  /** Accessible name of the map, e.g. "Seat map of The Lyric Theatre". */
  label: string;
  locale?: string;
  className?: string;
  ref?: Ref<SeatMapHandle>;
};

const MIN_TARGET_PX = { mouse: SHAPES_FROM_PX, touch: 22 } as const;
const reducedMotion = () =>
  typeof window !== 'undefined' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
const EMPTY = new Set<number>();

export function stateOf(position: number, codes: Uint8Array, selected: ReadonlySet<number>): SeatState {
  if (selected.has(position)) return 'selected';
  return STATUS_OF_CODE[codes[position]!] ?? 'blocked';
}

const defaultCanActivate = (_: number, state: SeatState) => state === 'available' || state === 'selected';

/**
 * The seat map: a canvas that draws tens of thousands of seats, zooms and pans with wheel, buttons, drag and pinch,
 * shows sections as areas when zoomed out (a click zooms into one), and has a keyboard path through rows and
 * sections with every move announced. Used by the buyer's seat page and, read-only, by admin previews.
 */
export function SeatMap({
  layout,
  codes,
  selected = EMPTY,
  pending = EMPTY,
  onSeatActivate,
  canActivate = defaultCanActivate,
  label,
  locale,
  className = '',
  ref,
}: SeatMapProps) {
  const model = useMemo(() => seatMapModel(layout), [layout]);
  const readOnly = !onSeatActivate;
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const viewRef = useRef<View>({ scale: 1, tx: 0, ty: 0 });
  const sizeRef = useRef<Size>({ width: 0, height: 0 });
  const frame = useRef(0);
  const animation = useRef(0);
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<{ view: View; x: number; y: number; distance: number; moved: boolean } | null>(null);

  const [focus, setFocus] = useState<number | null>(null);
  const [keyboard, setKeyboard] = useState(false);
  const [hover, setHover] = useState<{ position: number; left: number; top: number } | null>(null);
  const [mode, setMode] = useState<Mode>('overview');
  const [announcement, setAnnouncement] = useState('');

  const latest = useRef({ model, codes, selected, pending, focus, keyboard, hover: null as number | null });
  useLayoutEffect(() => {
    latest.current = { model, codes, selected, pending, focus, keyboard, hover: hover?.position ?? null };
  });

  const draw = useCallback(() => {
    frame.current = 0;
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    const size = sizeRef.current;
    if (!canvas || !ctx || !size.width) return;
    const input = latest.current;
    drawSeatMap(ctx, {
      model: input.model,
      codes: input.codes,
      selected: input.selected,
      pending: input.pending,
      focus: input.focus,
      showFocus: input.keyboard,
      hover: input.hover,
      view: viewRef.current,
      size,
      dpr: window.devicePixelRatio || 1,
    });
    // The current transform, for tests and tools that need to find a seat on screen (map x * scale + tx).
    const v = viewRef.current;
    containerRef.current?.setAttribute('data-view', `${v.scale},${v.tx},${v.ty}`);
    // When the first frame is on screen, for measuring how fast a big venue opens.
    if (!performance.getEntriesByName('seat-map-ready').length) performance.mark('seat-map-ready');
    setMode(modeFor(input.model, viewRef.current));
  }, []);

  const requestDraw = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  useLayoutEffect(() => requestDraw());

  const limits = useCallback(() => {
    const whole = fit(model.bounds, sizeRef.current);
    return { min: whole.scale * 0.7, max: Math.max(whole.scale * 2, 64 / model.pitch) };
  }, [model]);

  const setView = useCallback(
    (view: View) => {
      cancelAnimationFrame(animation.current);
      viewRef.current = clampView(view, model.bounds, sizeRef.current);
      requestDraw();
    },
    [model, requestDraw],
  );

  const animateTo = useCallback(
    (target: View) => {
      cancelAnimationFrame(animation.current);
      const to = clampView(target, model.bounds, sizeRef.current);
      if (reducedMotion()) {
        viewRef.current = to;
        requestDraw();
        return;
      }
      const from = viewRef.current;
      const started = performance.now();
      const step = (now: number) => {
        const t = Math.min(1, (now - started) / 260);
        const eased = 1 - Math.pow(1 - t, 3);
        viewRef.current = interpolate(from, to, eased);
        draw();
        if (t < 1) animation.current = requestAnimationFrame(step);
      };
      animation.current = requestAnimationFrame(step);
    },
    [model, draw, requestDraw],
  );

  const fitBox = useCallback(
    (box: Box, minSeatPx = 0, maxSeatPx = Infinity) => {
      const view = fit(box, sizeRef.current, 40);
      const max = Math.min(limits().max, maxSeatPx / model.pitch);
      const wanted = Math.min(max, Math.max(view.scale, minSeatPx / model.pitch));
      if (wanted === view.scale) return view;
      const cx = (box.minX + box.maxX) / 2;
      const cy = (box.minY + box.maxY) / 2;
      return {
        scale: wanted,
        tx: sizeRef.current.width / 2 - cx * wanted,
        ty: sizeRef.current.height / 2 - cy * wanted,
      };
    },
    [limits, model],
  );

  const showAll = useCallback(() => animateTo(fit(model.bounds, sizeRef.current)), [animateTo, model]);
  const zoomToSection = useCallback(
    (section: number) => animateTo(fitBox(model.sectionBounds[section]!, SHAPES_FROM_PX + 2)),
    [animateTo, fitBox, model],
  );
  // Close enough to pick seats, not so close that the neighbourhood disappears.
  const zoomToSeats = useCallback(
    (positions: number[]) => positions.length && animateTo(fitBox(boxOf(model, positions), 18, 28)),
    [animateTo, fitBox, model],
  );
  useImperativeHandle(ref, () => ({ zoomToSeats, zoomToSection, showAll }), [zoomToSeats, zoomToSection, showAll]);

  // Size the canvas to its box (in device pixels) and fit the venue the first time, and again for a new layout.
  const fitted = useRef<LayoutDocument | null>(null);
  useEffect(() => {
    const container = containerRef.current;
    const canvas = canvasRef.current;
    if (!container || !canvas) return;
    const resize = () => {
      const rect = container.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      const old = sizeRef.current;
      sizeRef.current = { width: rect.width, height: rect.height };
      canvas.width = Math.round(rect.width * dpr);
      canvas.height = Math.round(rect.height * dpr);
      if (fitted.current !== model.layout || !old.width) {
        fitted.current = model.layout;
        viewRef.current = fit(model.bounds, sizeRef.current);
      } else {
        // Keep the same middle of the map in the middle of the box.
        const v = viewRef.current;
        viewRef.current = { ...v, tx: v.tx + (rect.width - old.width) / 2, ty: v.ty + (rect.height - old.height) / 2 };
      }
      draw();
    };
    const observer = new ResizeObserver(resize);
    observer.observe(container);
    return () => observer.disconnect();
  }, [model, draw]);

  useEffect(
    () => () => {
      cancelAnimationFrame(frame.current);
      cancelAnimationFrame(animation.current);
    },
    [],
  );

  const announceSeat = useCallback(
    (position: number) => {
      const state = stateOf(position, codes, selected);
      setAnnouncement(describeSeat(layout, position, state, locale));
    },
    [codes, selected, layout, locale],
  );

  /** Keeps the keyboard's seat on screen, zoomed in far enough to see it. */
  const reveal = useCallback(
    (position: number) => {
      const { x, y } = layout.seats;
      const view = viewRef.current;
      const size = sizeRef.current;
      const seatPx = model.pitch * view.scale;
      const at = toScreen(view, x[position]!, y[position]!);
      const margin = 40;
      const onScreen = at.x > margin && at.y > margin && at.x < size.width - margin && at.y < size.height - margin;
      if (onScreen && seatPx >= SHAPES_FROM_PX) return;
      const scale = Math.max(view.scale, Math.min(limits().max, 24 / model.pitch));
      animateTo({ scale, tx: size.width / 2 - x[position]! * scale, ty: size.height / 2 - y[position]! * scale });
    },
    [layout, model, limits, animateTo],
  );

  const activate = useCallback(
    (position: number) => {
      if (!onSeatActivate) return;
      const state = stateOf(position, codes, selected);
      if (!canActivate(position, state)) {
        setAnnouncement(`${describeSeat(layout, position, state, locale)}. This seat cannot be selected.`);
        return;
      }
      onSeatActivate(position);
    },
    [onSeatActivate, canActivate, codes, selected, layout, locale],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = KEY_MOVES[event.key];
    const current = focus ?? firstSeat(model);
    if (current === null) return;
    if (step) {
      event.preventDefault();
      const next = event.ctrlKey && event.key === 'Home' ? (firstSeat(model) ?? current) : move(model, current, step);
      setKeyboard(true);
      setFocus(next);
      reveal(next);
      if (next === current)
        setAnnouncement(`${describeSeat(layout, next, stateOf(next, codes, selected), locale)}. ${edgeWord(step)}`);
      else announceSeat(next);
      return;
    }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      setKeyboard(true);
      if (focus === null) {
        setFocus(current);
        reveal(current);
        announceSeat(current);
      } else activate(current);
      return;
    }
    const centre = { x: sizeRef.current.width / 2, y: sizeRef.current.height / 2 };
    if (event.key === '+' || event.key === '=') animateTo(zoomAt(viewRef.current, 1.6, centre.x, centre.y, limits()));
    else if (event.key === '-' || event.key === '_')
      animateTo(zoomAt(viewRef.current, 1 / 1.6, centre.x, centre.y, limits()));
    else if (event.key === '0') showAll();
    else return;
    event.preventDefault();
  };

  const onFocus = () => {
    const container = containerRef.current;
    if (!container?.matches(':focus-visible')) return;
    setKeyboard(true);
    const start = focus ?? [...selected][0] ?? firstSeat(model);
    if (start === null) return;
    setFocus(start);
    announceSeat(start);
  };

  // Wheel zoom needs a non-passive listener to keep the page from scrolling under the map.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      const factor = Math.exp(-delta * (event.ctrlKey ? 0.01 : 0.0015));
      setView(zoomAt(viewRef.current, factor, event.clientX - rect.left, event.clientY - rect.top, limits()));
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [setView, limits]);

  const local = (event: PointerEvent) => {
    const rect = canvasRef.current!.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  const startGesture = () => {
    const points = [...pointers.current.values()];
    const mid =
      points.length === 2 ? { x: (points[0]!.x + points[1]!.x) / 2, y: (points[0]!.y + points[1]!.y) / 2 } : points[0]!;
    const distance = points.length === 2 ? Math.hypot(points[0]!.x - points[1]!.x, points[0]!.y - points[1]!.y) : 0;
    gesture.current = { view: viewRef.current, x: mid.x, y: mid.y, distance, moved: gesture.current?.moved ?? false };
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    pointers.current.set(event.pointerId, local(event));
    cancelAnimationFrame(animation.current);
    if (pointers.current.size === 1) gesture.current = null;
    startGesture();
  };

  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    const at = local(event);
    if (!pointers.current.has(event.pointerId)) {
      if (event.pointerType !== 'mouse') return;
      const view = viewRef.current;
      if (model.pitch * view.scale < SHAPES_FROM_PX) {
        if (hover) setHover(null);
        return;
      }
      const m = toMap(view, at.x, at.y);
      const p = model.seatAt(m.x, m.y, model.pitch * 0.6);
      if (p !== (hover?.position ?? null))
        setHover(
          p === null
            ? null
            : { position: p, left: Math.max(4, Math.min(at.x + 14, sizeRef.current.width - 260)), top: at.y + 14 },
        );
      return;
    }
    pointers.current.set(event.pointerId, at);
    const g = gesture.current;
    if (!g) return;
    const points = [...pointers.current.values()];
    if (points.length >= 2) {
      const mid = { x: (points[0]!.x + points[1]!.x) / 2, y: (points[0]!.y + points[1]!.y) / 2 };
      const distance = Math.hypot(points[0]!.x - points[1]!.x, points[0]!.y - points[1]!.y);
      const zoomed = zoomAt(g.view, g.distance ? distance / g.distance : 1, g.x, g.y, limits());
      g.moved = true;
      setView({ ...zoomed, tx: zoomed.tx + mid.x - g.x, ty: zoomed.ty + mid.y - g.y });
      return;
    }
    const dx = at.x - g.x;
    const dy = at.y - g.y;
    if (!g.moved && Math.hypot(dx, dy) < 6) return;
    g.moved = true;
    if (hover) setHover(null);
    setView({ ...g.view, tx: g.view.tx + dx, ty: g.view.ty + dy });
  };

  const onPointerUp = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!pointers.current.has(event.pointerId)) return;
    const at = local(event);
    pointers.current.delete(event.pointerId);
    const g = gesture.current;
    if (pointers.current.size > 0) {
      startGesture();
      return;
    }
    gesture.current = null;
    if (!g || g.moved || event.type === 'pointercancel') return;
    tap(at.x, at.y, event.pointerType === 'touch' || event.pointerType === 'pen' ? 'touch' : 'mouse');
  };

  /** A click or tap: picks a seat when seats are big enough to hit, otherwise zooms in where it landed. */
  const tap = (sx: number, sy: number, kind: 'mouse' | 'touch') => {
    const view = viewRef.current;
    const m = toMap(view, sx, sy);
    const seatPx = model.pitch * view.scale;
    setKeyboard(false);
    if (seatPx < MIN_TARGET_PX[kind] || readOnly) {
      if (readOnly && seatPx >= MIN_TARGET_PX[kind]) {
        const p = model.seatAt(m.x, m.y, model.pitch * 0.6);
        if (p !== null) {
          setFocus(p);
          announceSeat(p);
        }
        return;
      }
      const section = model.sectionAt(m.x, m.y);
      if (section !== null && modeFor(model, view) === 'overview') zoomToSection(section);
      else animateTo(zoomAt(view, Math.max(2, 24 / seatPx), sx, sy, limits()));
      return;
    }
    const p = model.seatAt(m.x, m.y, Math.max(model.pitch * 0.6, MIN_TARGET_PX[kind] / 2 / view.scale));
    if (p === null) return;
    setFocus(p);
    activate(p);
  };

  const zoomButton = (factor: number) => {
    const { width, height } = sizeRef.current;
    animateTo(zoomAt(viewRef.current, factor, width / 2, height / 2, limits()));
  };

  const focused = focus === null ? null : describeSeat(layout, focus, stateOf(focus, codes, selected), locale);
  const hint =
    mode === 'overview'
      ? 'Select a section to zoom in.'
      : mode === 'dense'
        ? 'Zoom in further to pick single seats.'
        : readOnly
          ? 'Drag to move around; use the buttons or the wheel to zoom.'
          : 'Select seats; drag to move around.';

  return (
    <div className={`relative overflow-hidden rounded-xl bg-white ring-1 ring-slate-200 ${className}`}>
      <div
        ref={containerRef}
        role="application"
        aria-roledescription="seat map"
        aria-label={label}
        aria-describedby={`${layout.eventId}-map-help`}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onBlur={() => setKeyboard(false)}
        className="relative h-[min(68vh,640px)] min-h-[300px] w-full touch-none select-none outline-none focus-visible:ring-4 focus-visible:ring-inset focus-visible:ring-brand-600"
      >
        <canvas
          ref={canvasRef}
          aria-hidden="true"
          className="absolute inset-0 h-full w-full cursor-pointer"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          onPointerLeave={() => setHover(null)}
        />
        {hover && (
          <div
            aria-hidden="true"
            className="pointer-events-none absolute z-10 max-w-64 rounded-md bg-slate-900 px-2 py-1 text-xs text-white shadow"
            style={{ left: hover.left, top: hover.top }}
          >
            {describeSeat(layout, hover.position, stateOf(hover.position, codes, selected), locale)}
          </div>
        )}
      </div>
      <div className="pointer-events-none absolute right-2 top-2 flex flex-col gap-2">
        <MapButton label="Zoom in" onClick={() => zoomButton(1.6)}>
          +
        </MapButton>
        <MapButton label="Zoom out" onClick={() => zoomButton(1 / 1.6)}>
          −
        </MapButton>
        <MapButton label="Show the whole venue" onClick={showAll}>
          <svg
            aria-hidden="true"
            viewBox="0 0 20 20"
            className="h-5 w-5"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
          >
            <path d="M3 8V3h5M17 8V3h-5M3 12v5h5M17 12v5h-5" />
          </svg>
        </MapButton>
      </div>
      <div className="flex min-h-11 flex-wrap items-center gap-x-4 gap-y-1 border-t border-slate-200 bg-slate-50 px-3 py-2 text-sm">
        <p id={`${layout.eventId}-map-help`} className="text-slate-600">
          {hint}{' '}
          <span className="sr-only">
            Keyboard: arrow keys move between seats, rows and sections; Page Up and Page Down jump a section; Enter or
            Space selects; plus and minus zoom.
          </span>
        </p>
        {focused && (
          <p className="font-medium text-slate-900" data-testid="focused-seat">
            {focused}
          </p>
        )}
      </div>
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </div>
  );
}

function edgeWord(step: string): string {
  if (step === 'left' || step === 'right' || step === 'rowStart' || step === 'rowEnd') return 'End of the row.';
  if (step === 'up' || step === 'down') return 'No more rows this way.';
  return 'No more sections this way.';
}

function MapButton({ label, onClick, children }: { label: string; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      className="pointer-events-auto grid h-11 w-11 place-items-center rounded-lg bg-white text-xl font-semibold text-slate-800 shadow ring-1 ring-slate-300 hover:bg-slate-50"
    >
      {children}
    </button>
  );
}
