// Whether and how to suggest keeping Thaw on the Home Screen. DOM-free, so node can test it.
// Chromium offers its own install dialog (`beforeinstallprompt`); Safari on iPhone and iPad has
// none, only Share → Add to Home Screen, and may clear a site's storage after 7 days without a
// visit unless it is on the Home Screen. Elsewhere (no prompt, not iOS) there is nothing to say.

/** iPhone, iPod or iPad (iPadOS reports itself as a Mac with a touch screen). */
export function isIos(userAgent, maxTouchPoints = 0) {
  return /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 1);
}

/**
 * 'prompt' (Chromium can install), 'ios' (explain Add to Home Screen) or null. Only on a later
 * day than the first check-in (`firstSeen`, `today`: YYYY-MM-DD, local), in a browser tab, and
 * never again once dismissed or installed.
 */
export function installHint({ standalone, canPrompt, ios, dismissed, firstSeen, today }) {
  if (standalone || dismissed || !firstSeen || firstSeen >= today) return null;
  if (canPrompt) return 'prompt';
  return ios ? 'ios' : null;
}
