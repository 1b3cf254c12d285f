/**
 * Saving a file from the window: a Blob and an `<a download>` click. The same code works in
 * browser mode (the browser's download) and in Electron (the session's download, which asks
 * where to save), and needs no privilege from the preload.
 */

/** Offer `blob` as a download named `name`. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has taken its copy once click() returned; a later revoke keeps slow
  // browsers safe and frees the memory of a large trace.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name stamp from a date: 2026-11-24-033604 (local time, safe on every system). */
export function fileStamp(d: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
