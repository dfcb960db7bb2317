// Hybrid logical clock: timestamps that never go backwards on a device, even when its wall
// clock does, and that move past any clock seen from another device. The string form
// `<13-digit ms>-<4 hex counter>-<16 hex node>` sorts in clock order as plain text.

export const HLC_PATTERN = /^\d{13}-[0-9a-f]{4}-[0-9a-f]{16}$/;
const MAX_COUNTER = 0xffff;
const MAX_WALL = 9_999_999_999_999; // the largest 13-digit wall time
/** How far past this device's wall clock another clock may be before it is set aside (24 h). */
export const MAX_DRIFT = 86_400_000;

export class ClockTooFar extends Error {}

/**
 * True when `text` is a well-formed clock whose wall time is more than MAX_DRIFT past `now`:
 * such a change is set aside, never merged, so it can never drag this device's clock with it.
 */
export function isFarFuture(text, now = Date.now()) {
  return typeof text === 'string' && HLC_PATTERN.test(text) && Number(text.slice(0, 13)) > now + MAX_DRIFT;
}

export function format({ wall, counter, node }) {
  return `${String(wall).padStart(13, '0')}-${counter.toString(16).padStart(4, '0')}-${node}`;
}

export function parse(text) {
  if (typeof text !== 'string' || !HLC_PATTERN.test(text)) throw new Error(`not a clock: ${text}`);
  const [wall, counter, node] = text.split('-');
  return { wall: Number(wall), counter: parseInt(counter, 16), node };
}

/** A random 16-hex node id for a device. */
export function newNodeId(random = globalThis.crypto) {
  const bytes = random.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A clock for one device. `last` is the last timestamp it issued (persisted by the caller),
 * `physical` reads the wall clock in ms.
 */
export function createClock({ node, last = null, physical = () => Date.now() }) {
  if (!/^[0-9a-f]{16}$/.test(node)) throw new Error(`bad node id: ${node}`);
  let state = { wall: 0, counter: 0, node };
  let repaired = false;
  if (last != null) {
    // A saved state that is malformed or far in the future (a poisoned sync from an older Thaw)
    // is dropped: the clock starts again from the wall clock, and the journal still opens.
    const ok = typeof last === 'string' && HLC_PATTERN.test(last) && !isFarFuture(last, physical());
    if (ok) state = { ...parse(last), node };
    else repaired = true;
  }

  const issue = (wall, counter) => {
    // A counter overflow borrows the next millisecond rather than break ordering.
    if (counter > MAX_COUNTER) { wall += 1; counter = 0; }
    if (!Number.isSafeInteger(wall) || wall < 0 || wall > MAX_WALL) throw new ClockTooFar(`clock out of range: ${wall}`);
    state = { wall, counter, node };
    return format(state);
  };

  return {
    now() {
      const wall = Math.max(state.wall, physical());
      return issue(wall, wall === state.wall ? state.counter + 1 : 0);
    },
    /** Move past a clock seen elsewhere; ClockTooFar (state unchanged) if it is > 24 h ahead. */
    receive(remoteText) {
      const remote = parse(remoteText);
      if (remote.wall > physical() + MAX_DRIFT) throw new ClockTooFar(`clock too far in the future: ${remoteText}`);
      const wall = Math.max(state.wall, remote.wall, physical());
      let counter = 0;
      if (wall === state.wall && wall === remote.wall) counter = Math.max(state.counter, remote.counter) + 1;
      else if (wall === state.wall) counter = state.counter + 1;
      else if (wall === remote.wall) counter = remote.counter + 1;
      return issue(wall, counter);
    },
    last() {
      return state.wall ? format(state) : null;
    },
    /** True when the saved state was broken and the clock started again. */
    repaired: () => repaired,
  };
}
