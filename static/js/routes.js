// Hash routes: which view a `location.hash` shows. DOM-free so node can test it.

export const VIEWS = ['checkin', 'history', 'patterns', 'settings', 'practices', 'support', 'summary', 'lock'];
/** Views with a tab of their own; the others are reached from inside these. */
export const TABS = ['checkin', 'history', 'patterns', 'settings'];
export const DEFAULT_VIEW = 'checkin';

/** Parse '#history' or '#history/2026-11-24' into {view, param}; unknown → the check-in. */
export function parseRoute(hash) {
  const raw = String(hash || '').replace(/^#\/?/, '');
  const [view, ...rest] = raw.split('/');
  if (!VIEWS.includes(view)) return { view: DEFAULT_VIEW, param: null };
  const param = rest.length ? decodeURIComponent(rest.join('/')) : null;
  return { view, param };
}

/** The hash for a view, with an optional parameter. */
export function routeHash(view, param = null) {
  if (!VIEWS.includes(view)) throw new Error(`unknown view: ${view}`);
  return param == null ? `#${view}` : `#${view}/${encodeURIComponent(param)}`;
}
