/** Rotated rectangles for text boxes: minimum-area rectangle of a pixel set, corners, angles. */
import type { Point, Quad } from './image.js';

/** Centre, size and direction of a rotated rectangle. `angle` (radians) is the direction of the
 * `width` side; `width` ≥ `height` is not implied. Image coordinates (y down, angles clockwise). */
export interface RotatedRect {
  cx: number;
  cy: number;
  width: number;
  height: number;
  angle: number;
}

/** Corners in reading order for text running along `angle` (see Quad). */
export function rectToQuad(r: RotatedRect): Quad {
  const ux = Math.cos(r.angle);
  const uy = Math.sin(r.angle);
  const nx = -uy;
  const ny = ux;
  const hw = r.width / 2;
  const hh = r.height / 2;
  const p = (su: number, sn: number): Point => ({ x: r.cx + su * hw * ux + sn * hh * nx, y: r.cy + su * hw * uy + sn * hh * ny });
  return [p(-1, -1), p(1, -1), p(1, 1), p(-1, 1)];
}

/** Rectangle of a quad given in reading order (averaging opposite sides). */
export function quadToRect(q: Quad): RotatedRect {
  const [p0, p1, p2, p3] = q;
  const cx = (p0.x + p1.x + p2.x + p3.x) / 4;
  const cy = (p0.y + p1.y + p2.y + p3.y) / 4;
  const tx = (p1.x - p0.x + p2.x - p3.x) / 2;
  const ty = (p1.y - p0.y + p2.y - p3.y) / 2;
  const sx = (p3.x - p0.x + p2.x - p1.x) / 2;
  const sy = (p3.y - p0.y + p2.y - p1.y) / 2;
  return { cx, cy, width: Math.hypot(tx, ty), height: Math.hypot(sx, sy), angle: Math.atan2(ty, tx) };
}

/** The same rectangle described as running along `angle` (radians; should be a multiple of 90°
 * away from r.angle, up to the small tilt that separates them). */
export function orientRect(r: RotatedRect, angle: number): RotatedRect {
  const diff = normalizeAngle(angle - r.angle);
  const quarter = Math.round(diff / (Math.PI / 2));
  const swap = Math.abs(quarter) % 2 === 1;
  return {
    cx: r.cx,
    cy: r.cy,
    width: swap ? r.height : r.width,
    height: swap ? r.width : r.height,
    angle: normalizeAngle(r.angle + quarter * (Math.PI / 2)),
  };
}

/** Angle in (-π, π]. */
export function normalizeAngle(a: number): number {
  let x = a % (2 * Math.PI);
  if (x <= -Math.PI) x += 2 * Math.PI;
  if (x > Math.PI) x -= 2 * Math.PI;
  return x;
}

/** Convex hull (monotone chain), counter-clockwise in a y-up frame. */
export function convexHull(points: Point[]): Point[] {
  const pts = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (pts.length <= 2) return pts;
  const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  upper.pop();
  lower.pop();
  return lower.concat(upper);
}

/** Minimum-area enclosing rectangle of a point set (rotating an edge of the hull). The longer
 * side becomes `width`, with `angle` in [0, π). */
export function minAreaRect(points: Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) return { cx: 0, cy: 0, width: 0, height: 0, angle: 0 };
  if (hull.length === 1) return { cx: hull[0]!.x, cy: hull[0]!.y, width: 0, height: 0, angle: 0 };
  let best: RotatedRect | null = null;
  let bestArea = Infinity;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len === 0) continue;
    const ux = (b.x - a.x) / len;
    const uy = (b.y - a.y) / len;
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of hull) {
      const pu = p.x * ux + p.y * uy;
      const pv = -p.x * uy + p.y * ux;
      if (pu < minU) minU = pu;
      if (pu > maxU) maxU = pu;
      if (pv < minV) minV = pv;
      if (pv > maxV) maxV = pv;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea) {
      bestArea = area;
      const cu = (minU + maxU) / 2;
      const cv = (minV + maxV) / 2;
      best = { cx: cu * ux - cv * uy, cy: cu * uy + cv * ux, width: maxU - minU, height: maxV - minV, angle: Math.atan2(uy, ux) };
    }
  }
  const r = best!;
  const long = r.width >= r.height ? r : { ...r, width: r.height, height: r.width, angle: r.angle + Math.PI / 2 };
  let angle = long.angle % Math.PI;
  if (angle < 0) angle += Math.PI;
  return { ...long, angle };
}
