// Sync with the server: push what changed here, pull what changed elsewhere, merge, and move the
// cursor only once the merge is stored — a crash mid-sync repeats work, it never skips any.
// DOM-free: the store (the journal) and fetch are handed in, so node can test it.
import { open, seal } from './vault.js';

export const PUSH_LIMIT = 500;

/** Why a sync stopped, in words a person can act on (never a stack trace). */
export class SyncError extends Error {
  constructor(kind, message, { retryAfter = null } = {}) {
    super(message);
    this.kind = kind; // offline | unreachable | deleted | busy
    this.retryAfter = retryAfter;
  }
}

const MESSAGES = {
  offline: 'You’re offline. Thaw will sync when you’re back online.',
  unreachable: 'The sync server can’t be reached right now. Thaw will try again.',
  deleted: 'This pairing was deleted from the server, so this device has stopped syncing. Your entries here are safe.',
  busy: 'The sync server is busy. Thaw will try again shortly.',
};

export function syncError(kind, extra) {
  return new SyncError(kind, MESSAGES[kind], extra);
}

/** One call to the API, with its failures sorted into the kinds above. */
export async function call(fetchFn, method, url, token, body, { online = true } = {}) {
  let response;
  try {
    response = await fetchFn(url, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw syncError(online ? 'unreachable' : 'offline');
  }
  if (response.status === 404 || response.status === 401) throw syncError('deleted');
  if (response.status === 429) {
    throw syncError('busy', { retryAfter: Number(response.headers.get('Retry-After')) || 30 });
  }
  if (!response.ok) throw syncError('unreachable');
  return response.status === 204 ? null : response.json();
}

/** Make sure the vault exists on the server (PUT is idempotent with the same token). */
export function createVault({ fetchFn, base = '', vault, online }) {
  return call(fetchFn, 'PUT', `${base}/api/v1/vaults/${vault.vaultId}`, vault.token, undefined, { online });
}

export function deleteVault({ fetchFn, base = '', vault, online }) {
  return call(fetchFn, 'DELETE', `${base}/api/v1/vaults/${vault.vaultId}`, vault.token, undefined, { online });
}

/**
 * One full sync. `store` is the journal's sync interface; `vault` = {vaultId, token, encKey};
 * `onProgress({received, total, pushed, toPush})` after each page. Returns what happened.
 */
export async function syncOnce({ store, vault, fetchFn, base = '', online = true, onProgress = () => {} }) {
  const url = `${base}/api/v1/vaults/${vault.vaultId}/sync`;
  let cursor = await store.setting('syncCursor', 0);
  const waiting = await store.outbox();
  const toPush = waiting.length;
  let pushed = 0;
  let received = 0;
  let merged = 0;
  let unreadable = 0;
  for (;;) {
    const chunk = waiting.splice(0, PUSH_LIMIT);
    const current = await store.getMany(chunk.map(([id]) => id));
    const changes = await Promise.all(current.map((entry) => seal(vault.encKey, entry)));
    const reply = await call(fetchFn, 'POST', url, vault.token, { cursor, changes }, { online });
    const incoming = [];
    const echoes = new Map(changes.map((envelope) => [envelope.id, envelope.hlc]));
    for (const envelope of reply.changes) {
      if (echoes.get(envelope.id) === envelope.hlc) continue; // our own push, come back
      try {
        incoming.push(await open(vault.encKey, envelope));
      } catch {
        unreadable += 1; // altered or foreign: never stored, never fatal
      }
    }
    const { winners, invalid } = await store.mergeRemote(incoming, {
      pushed: current.map((entry) => [entry.id, entry.hlc]),
      settings: { syncCursor: reply.cursor },
    });
    cursor = reply.cursor;
    pushed += current.length;
    received += reply.changes.length;
    merged += winners.length;
    unreadable += invalid;
    onProgress({ received, total: received + (reply.remaining ?? 0), pushed, toPush });
    if (!waiting.length && !reply.more) break;
  }
  return { pushed, received, merged, unreadable, cursor };
}

/** Retry delays after failures: 5 s, 10 s, 20 s … at most 5 minutes. */
export function backoff(failures, { base = 5000, max = 300_000 } = {}) {
  return Math.min(max, base * 2 ** Math.max(0, failures - 1));
}
