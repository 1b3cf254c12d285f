/**
 * The ladder drawing's geometry (px). Its width follows its scroll box's (measured,
 * viewport.ts), between MIN_W and MAX_W: the client's and the server's sides keep SIDE px
 * outside them for what is written there (a state's name, a segment's time and window, a
 * fold's button), and the arrows between them get all the width left. Text keeps its size:
 * a wider ladder is a longer arrow, not a larger font (presentation mode zooms everything).
 */

/** The drawing's width, where its client's and server's sides run. */
export interface Geometry {
  W: number;
  /** The client's side. */
  XL: number;
  /** The server's side. */
  XR: number;
  /** Halfway between the sides: where the labels are centred. */
  MID: number;
}

/** Room outside each side: "SYN_RECEIVED *" in bold 11 px monospace and its gap, a fold's button. */
export const SIDE = 110;
/** The narrowest drawing: a fold's "client → server: 1 048 576 B in 17" fits between the sides. */
export const MIN_W = 430;
/** The widest: past it the drawing is centred in its box. */
export const MAX_W = 960;
/** The width when the box cannot be measured (happy-dom). */
export const BOX_W = 440;

/** The geometry of a drawing in a box `width` px wide. */
export function geometryFor(width: number): Geometry {
  const W = Math.round(Math.min(MAX_W, Math.max(MIN_W, width > 0 ? width : BOX_W)));
  return { W, XL: SIDE, XR: W - SIDE, MID: W / 2 };
}

/** The scroll box's height when it cannot be measured (happy-dom): its CSS height. */
export const BOX_H = 560;
/** Rows drawn beyond the box on each side, in px, so that scrolling shows no gap. */
export const OVERSCAN = 600;
