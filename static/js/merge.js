// Last writer wins, per entry, by hybrid logical clock. A tombstone is just a newer version, so
// it beats older edits and loses to later ones. Commutative, associative and idempotent.

/** The version of one entry that both devices keep, whichever order they saw them in. */
export function merge(a, b) {
  if (!a) return b;
  if (!b) return a;
  if (a.hlc !== b.hlc) return a.hlc > b.hlc ? a : b;
  // Same clock means the same change; if a bug ever made two, choose one the same way everywhere.
  if (Boolean(a.deleted) !== Boolean(b.deleted)) return a.deleted ? a : b;
  return canonical(a) >= canonical(b) ? a : b;
}

/** JSON with sorted keys, so equal entries compare equal however they were built. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Merge incoming versions into what is stored; returns only those that change something. */
export function mergeAll(stored, incoming) {
  const changed = new Map();
  for (const entry of incoming) {
    const current = changed.get(entry.id) ?? stored.get(entry.id);
    const winner = merge(current, entry);
    if (winner !== current) changed.set(entry.id, winner);
  }
  return [...changed.values()];
}
