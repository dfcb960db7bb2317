// Hybrid logical clock: timestamps that never go backwards on a device, even when its wall
// clock does, and that move past any clock seen from another device. The string form
// `<13-digit ms>-<4 hex counter>-<16 hex node>` sorts in clock order as plain text.

export const HLC_PATTERN = /^\d{13}-[0-9a-f]{4}-[0-9a-f]{16}$/;
const MAX_COUNTER = 0xffff;

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
  let state = last ? { ...parse(last), node } : { wall: 0, counter: 0, node };

  const issue = (wall, counter) => {
    // A counter overflow borrows the next millisecond rather than break ordering.
    if (counter > MAX_COUNTER) { wall += 1; counter = 0; }
    state = { wall, counter, node };
    return format(state);
  };

  return {
    now() {
      const wall = Math.max(state.wall, physical());
      return issue(wall, wall === state.wall ? state.counter + 1 : 0);
    },
    receive(remoteText) {
      const remote = parse(remoteText);
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
  };
}
