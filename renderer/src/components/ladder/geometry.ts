/** The ladder drawing's geometry (px): its width and where the client's and server's sides run. */
export const GEOMETRY = {
  W: 440,
  /** The client's side. */
  XL: 112,
  /** The server's side. */
  XR: 328,
} as const;

/** The scroll box's height when it cannot be measured (happy-dom): its CSS height. */
export const BOX_H = 560;
/** Rows drawn beyond the box on each side, in px, so that scrolling shows no gap. */
export const OVERSCAN = 600;
