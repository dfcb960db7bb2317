// Sync with the server: push what changed here, pull what changed elsewhere, merge, and move the
// cursor only once the merge is stored — a crash mid-sync repeats work, it never skips any.
// DOM-free: the store (the journal) and fetch are handed in, so node can test it.
import { isFarFuture } from './hlc.js';
import { open, seal } from './vault.js';

export const PUSH_LIMIT = 500;

/** Why a sync stopped, in words a person can act on (never a stack trace). */
export class SyncError extends Error {
  constructor(kind, message, { retryAfter = null, notice = null } = {}) {
    super(message);
    // offline | unreachable | lost | gone | full | busy. Only `gone` (a 410) carries a notice,
    // and only a notice that verifies under this device's key may unpair it (autosync checks).
    this.kind = kind;
    this.retryAfter = retryAfter;
    this.notice = notice;
  }
}

const MESSAGES = {
  offline: 'You’re offline. Thaw will sync when you’re back online.',
  unreachable: 'The sync server can’t be reached right now. Thaw will try again.',
  lost: 'Can’t reach your pairing right now; your entries here are safe. Thaw will keep trying.',
  gone: 'Can’t reach your pairing right now; your entries here are safe. Thaw will keep trying.',
  deleted: 'This pairing was deleted from the server, so this device has stopped syncing. Your entries here are safe.',
  full: 'Your synced copy is full, so new changes stay on this device for now. Your entries here are safe.',
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
  const { status } = response;
  if (status === 204) return null;
  const reply = await readJson(response);
  const code = reply?.error?.code;
  if (status === 410) {
    // A notice is 44 characters of base64; anything else is kept out (and will not verify).
    const notice = reply?.error?.details?.notice;
    throw syncError('gone', { notice: typeof notice === 'string' && notice.length === 44 ? notice : null });
  }
  if (status === 401 || status === 404) throw syncError('lost');
  if (status === 403 && code === 'quota_exceeded') throw syncError('full');
  if (status === 429 || status === 503) {
    const retryAfter = Number(response.headers.get('Retry-After'));
    throw syncError('busy', { retryAfter: retryAfter > 0 && retryAfter <= 3600 ? retryAfter : 30 });
  }
  if (!response.ok || reply === undefined) throw syncError('unreachable');
  return reply;
}

const MAX_REPLY = 64 * 1024 * 1024;

/** The reply's JSON, or undefined when it is empty, not JSON or absurdly large (never throws). */
async function readJson(response) {
  try {
    const length = Number(response.headers.get('Content-Length'));
    if (length > MAX_REPLY) return undefined;
    return await response.json();
  } catch {
    return undefined;
  }
}

/** Make sure the vault exists on the server (PUT is idempotent with the same token). */
export function createVault({ fetchFn, base = '', vault, online }) {
  return call(fetchFn, 'PUT', `${base}/api/v1/vaults/${vault.vaultId}`, vault.token, undefined, { online });
}

/** Erase the vault; with `notice` the server keeps it, so every other device can verify the end. */
export function deleteVault({ fetchFn, base = '', vault, online, notice }) {
  const body = notice ? { notice } : undefined;
  return call(fetchFn, 'DELETE', `${base}/api/v1/vaults/${vault.vaultId}`, vault.token, body, { online });
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
  let future = 0;
  for (;;) {
    const chunk = waiting.splice(0, PUSH_LIMIT);
    const found = await store.getMany(chunk.map(([id]) => id));
    // A far-future version left by an older Thaw would make the server refuse the whole push:
    // it is not sent, and leaves the outbox with the rest.
    const current = found.filter((entry) => !isFarFuture(entry.hlc));
    const changes = await Promise.all(current.map((entry) => seal(vault.encKey, entry)));
    const reply = await call(fetchFn, 'POST', url, vault.token, { cursor, changes }, { online });
    if (!validReply(reply)) throw syncError('unreachable');
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
    const result = await store.mergeRemote(incoming, {
      pushed: found.map((entry) => [entry.id, entry.hlc]),
      settings: { syncCursor: reply.cursor },
    });
    cursor = reply.cursor;
    pushed += current.length;
    received += reply.changes.length;
    merged += result.winners.length;
    unreadable += result.invalid;
    future += result.future ?? 0;
    onProgress({ received, total: received + (reply.remaining ?? 0), pushed, toPush });
    if (!waiting.length && !reply.more) break;
  }
  return { pushed, received, merged, unreadable, future, cursor };
}

/** A sync reply of the right shape (anything else is treated like an unreachable server). */
function validReply(reply) {
  return Boolean(reply) && typeof reply === 'object' && Array.isArray(reply.changes)
    && Number.isSafeInteger(reply.cursor) && reply.cursor >= 0
    && reply.changes.every((e) => e && typeof e === 'object' && typeof e.id === 'string'
      && typeof e.hlc === 'string' && typeof e.deleted === 'boolean'
      && typeof e.iv === 'string' && typeof e.data === 'string');
}

/** Retry delays after failures: 5 s, 10 s, 20 s … at most 5 minutes. */
export function backoff(failures, { base = 5000, max = 300_000 } = {}) {
  return Math.min(max, base * 2 ** Math.max(0, failures - 1));
}
