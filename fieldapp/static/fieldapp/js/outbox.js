// The outbox: every change made on the phone is an idempotent API write (client UUIDs), kept in
// IndexedDB and sent in order. Lost connections back off and retry; 429/503 wait Retry-After;
// a final 4xx or a 409 stops that inspection's queue and is shown to the inspector, never
// retried forever and never dropped without the inspector's say.
import { all, db, del, get, put, updateInspection } from "./storage.js";
import { ApiError, NetworkError, accessToken, apiUrl, refresh, request } from "./api.js";

const MAX_BACKOFF = 60_000;
const BLOCKING = new Set(["conflict", "failed", "held"]);
const events = new EventTarget();
let running = false;
let again = false;
let timer = null;
export const progress = {}; // seq → [sent, total] of a photo upload in flight

export function onChange(listener) {
  events.addEventListener("change", listener);
}
function changed() {
  events.dispatchEvent(new Event("change"));
}

export function uuid() {
  return crypto.randomUUID();
}

export async function enqueue(entry) {
  const seq = await put("outbox", { status: "pending", attempts: 0, nextAt: 0, createdAt: Date.now(), ...entry });
  changed();
  kick();
  return seq;
}

export async function entries() {
  return (await all("outbox")).sort((a, b) => a.seq - b.seq);
}

export async function entriesFor(inspectionId) {
  return (await entries()).filter((e) => e.inspection === inspectionId);
}

export async function summary() {
  const list = await entries();
  return {
    pending: list.length,
    blocked: list.filter((e) => BLOCKING.has(e.status)).length,
    waitingUntil: Math.min(...list.filter((e) => e.status === "pending").map((e) => e.nextAt), Infinity),
  };
}

export function kick(delay = 0) {
  clearTimeout(timer);
  timer = setTimeout(run, delay);
}

async function run() {
  if (running) { again = true; return; }
  running = true;
  try {
    do {
      again = false;
      await drain();
    } while (again);
  } finally {
    running = false;
  }
}

async function drain() {
  const blocked = new Set();
  const merged = new Set();
  let soonest = Infinity;
  const list = await entries();
  for (let entry of list) {
    if (merged.has(entry.seq)) continue;
    if (blocked.has(entry.inspection)) continue;
    if (BLOCKING.has(entry.status)) { blocked.add(entry.inspection); continue; }
    if (entry.nextAt > Date.now()) {
      // Order within an inspection: nothing after an entry that is waiting.
      blocked.add(entry.inspection);
      soonest = Math.min(soonest, entry.nextAt);
      continue;
    }
    if (!navigator.onLine) return;
    if (entry.kind === "answers") entry = await coalesce(entry, list, merged);
    const outcome = await attempt(entry);
    if (outcome === "stop") return;
    if (outcome !== "done") {
      blocked.add(entry.inspection);
      const fresh = await get("outbox", entry.seq);
      if (fresh && fresh.status === "pending") soonest = Math.min(soonest, fresh.nextAt);
    }
  }
  if (soonest < Infinity) kick(Math.max(0, soonest - Date.now()));
}

// A day of taps offline is hundreds of one-answer entries: the answers that follow each other
// in one inspection's queue go out as one batch (one PUT instead of hundreds). Only the latest
// answer per item is kept; each answer still carries its own client UUID, so a batch sent twice
// changes nothing.
const BATCH_MAX = 400;

async function coalesce(entry, list, merged) {
  const answers = new Map(entry.body.answers.map((a) => [a.item, a]));
  const taken = [];
  for (const next of list) {
    if (next.seq <= entry.seq || next.inspection !== entry.inspection || merged.has(next.seq)) continue;
    if (next.kind !== "answers" || next.status !== "pending") break;
    if (answers.size + next.body.answers.length > BATCH_MAX) break;
    for (const a of next.body.answers) { answers.delete(a.item); answers.set(a.item, a); }
    taken.push(next.seq);
  }
  if (!taken.length) return entry;
  entry.body = { ...entry.body, answers: [...answers.values()] };
  const tx = (await db()).transaction("outbox", "readwrite");
  await Promise.all([tx.store.put(entry), ...taken.map((seq) => tx.store.delete(seq)), tx.done]);
  for (const seq of taken) merged.add(seq);
  changed();
  return entry;
}

async function attempt(entry) {
  try {
    await SENDERS[entry.kind](entry);
    await del("outbox", entry.seq);
    delete progress[entry.seq];
    changed();
    return "done";
  } catch (exc) {
    return handleFailure(entry, exc);
  }
}

async function handleFailure(entry, exc) {
  const status = exc instanceof ApiError ? exc.status : 0;
  if (exc instanceof NetworkError || status === 0 || status >= 500 || status === 429) {
    const wait = (exc instanceof ApiError && exc.retryAfter) || backoff(entry.attempts);
    await save(entry, { attempts: entry.attempts + 1, nextAt: Date.now() + wait, error: status ? exc.body : null });
    if (exc instanceof NetworkError || status === 0) {
      kick(wait);
      return "stop";
    }
    return "wait";
  }
  if (status === 401) {
    if (await refresh()) { await save(entry, { attempts: entry.attempts + 1 }); return "wait"; }
    await save(entry, { status: "held", error: { code: "login_required", detail: exc.message } });
    return "stop";
  }
  if (status === 404) {
    // The inspection is gone from this user (a tombstone is on its way): keep the work.
    await save(entry, { status: "held", error: exc.body });
    return "held";
  }
  if (status === 409) {
    await save(entry, { status: "conflict", error: exc.body });
    return "conflict";
  }
  await save(entry, { status: "failed", error: exc.body });
  return "failed";
}

function backoff(attempts) {
  const base = Math.min(MAX_BACKOFF, 1000 * 2 ** attempts);
  return base / 2 + Math.random() * (base / 2);
}

async function save(entry, changes) {
  Object.assign(entry, changes);
  await put("outbox", entry);
  changed();
}

// The connection is back (or the inspector asked to sync): entries waiting out a backoff after
// a network failure go now; a server's Retry-After is still honoured.
export async function resume() {
  for (const entry of await entries()) {
    if (entry.status === "pending" && entry.nextAt > Date.now() && !entry.error) {
      await save(entry, { nextAt: 0, attempts: 0 });
    }
  }
  kick();
}

export async function retry(seq) {
  const entry = await get("outbox", seq);
  if (!entry) return;
  await save(entry, { status: "pending", nextAt: 0, attempts: 0, error: null });
  kick();
}

export async function discard(seq) {
  await del("outbox", seq);
  changed();
  kick();
}

export async function replace(seq, changes) {
  const entry = await get("outbox", seq);
  if (!entry) return;
  await save(entry, { ...changes, status: "pending", nextAt: 0, attempts: 0, error: null });
  kick();
}

// --- Senders: one per kind of write ---------------------------------------------------------

async function noteVersion(inspectionId, version) {
  if (!version) return;
  await updateInspection(inspectionId, (row) => { row.version = Math.max(row.version || 0, version); });
}

async function currentVersion(inspectionId) {
  return (await get("inspections", inspectionId)).version;
}

async function refreshVersion(inspectionId) {
  const { data } = await request("GET", `/inspections/${inspectionId}/`);
  await updateInspection(inspectionId, (row) => {
    row.version = data.version;
    row.state = data.state;
    row.answers = data.answers || row.answers;
  });
}

// A stale version means someone else changed the inspection: read it again, then resend once.
async function withVersion(entry, call) {
  try {
    return await call(await currentVersion(entry.inspection));
  } catch (exc) {
    if (exc instanceof ApiError && exc.status === 409 && exc.body.code === "stale_version") {
      await refreshVersion(entry.inspection);
      return call(await currentVersion(entry.inspection));
    }
    throw exc;
  }
}

const SENDERS = {
  async start(entry) {
    const { data } = await request("POST", `/inspections/${entry.inspection}/start/`, { json: entry.body });
    await updateInspection(entry.inspection, (row) => { row.state = data.state; row.version = data.version; });
  },

  async answers(entry) {
    const { data } = await withVersion(entry, (version) =>
      request("PUT", `/inspections/${entry.inspection}/answers/`, { json: { version, answers: entry.body.answers } })
    );
    await noteVersion(entry.inspection, data.inspection_version);
    const conflicts = data.results.filter((r) => r.status === "conflict");
    const accepted = new Set(data.results.filter((r) => r.status !== "conflict").map((r) => r.client_uuid));
    await updateInspection(entry.inspection, (row) => {
      for (const answer of Object.values(row.local.answers)) {
        if (accepted.has(answer.client_uuid)) answer.sent = true;
      }
    });
    if (conflicts.length) {
      const mine = entry.body.answers.filter((a) => conflicts.some((c) => c.client_uuid === a.client_uuid));
      entry.body = { answers: mine };
      entry.server = conflicts.map((c) => c.answer);
      throw new ApiError(409, { code: "answer_conflict", detail: conflicts[0].detail, current: conflicts.map((c) => c.answer) });
    }
  },

  async finding(entry) {
    const { data } = await request("POST", `/inspections/${entry.inspection}/findings/`, { json: entry.body });
    await noteVersion(entry.inspection, data.inspection_version);
    await markSent(entry.inspection, "findings", entry.body.client_uuid);
  },

  async photo(entry) {
    const blob = await get("blobs", entry.body.client_uuid);
    if (!entry.uploaded) {
      await tusUpload(entry, blob);
      await save(entry, { uploaded: true });
    }
    const form = new FormData();
    for (const [key, value] of Object.entries(entry.body)) {
      if (value !== null && value !== undefined && value !== "") form.append(key, value);
    }
    const { data } = await request("POST", `/inspections/${entry.inspection}/photos/`, { form });
    await noteVersion(entry.inspection, data.inspection_version);
    await markSent(entry.inspection, "photos", entry.body.client_uuid);
  },

  async signature(entry) {
    const blob = await get("blobs", entry.body.client_uuid);
    const form = new FormData();
    for (const [key, value] of Object.entries(entry.body)) form.append(key, value);
    form.append("image", blob, "signature.png");
    const { data } = await request("POST", `/inspections/${entry.inspection}/signatures/`, { form });
    await noteVersion(entry.inspection, data.inspection_version);
    await updateInspection(entry.inspection, (row) => {
      const sig = row.local.signatures[entry.body.role];
      if (sig && sig.client_uuid === entry.body.client_uuid) sig.sent = true;
    });
  },

  async submit(entry) {
    const { data } = await withVersion(entry, (version) =>
      request("POST", `/inspections/${entry.inspection}/submit/`, { json: { ...entry.body, version } })
    );
    await updateInspection(entry.inspection, (row) => {
      row.state = data.state;
      row.version = data.version;
      if (row.local.submit) row.local.submit.sent = true;
    });
  },
};

async function markSent(inspectionId, list, clientUuid) {
  await updateInspection(inspectionId, (row) => {
    const found = row.local[list].find((x) => x.client_uuid === clientUuid);
    if (found) found.sent = true;
  });
}

// A resumable upload with the tus client; the outbox keeps its URL so a reload resumes it.
async function tusUpload(entry, blob) {
  const token = await accessToken();
  return new Promise((resolve, reject) => {
    const upload = new window.tus.Upload(blob, {
      endpoint: apiUrl(`/inspections/${entry.inspection}/photo-uploads/`),
      uploadUrl: entry.uploadUrl || null,
      chunkSize: 256 * 1024,
      retryDelays: [], // the outbox owns retries and their backoff
      storeFingerprintForResuming: false,
      headers: { Authorization: "Bearer " + token },
      metadata: { sha256: entry.body.sha256, filetype: blob.type, filename: entry.body.client_uuid + ".jpg" },
      onUploadUrlAvailable() {
        if (entry.uploadUrl !== upload.url) save(entry, { uploadUrl: upload.url });
      },
      onProgress(sent, total) {
        progress[entry.seq] = [sent, total];
        changed();
      },
      onSuccess: () => resolve(),
      onError(error) {
        const response = error.originalResponse;
        const status = response ? response.getStatus() : 0;
        if (!status) return reject(new NetworkError(String(error)));
        let body = null;
        try { body = JSON.parse(response.getBody()); } catch { body = { detail: String(error) }; }
        const headers = new Headers();
        const retryAfter = response.getHeader("Retry-After");
        if (retryAfter) headers.set("Retry-After", retryAfter);
        if (status === 404 || status === 410) save(entry, { uploadUrl: null });
        reject(new ApiError(status, body, headers));
      },
    });
    upload.start();
  });
}

export async function hasUnsent(inspectionId) {
  return (await entriesFor(inspectionId)).length > 0;
}

export async function clearFor(inspectionId) {
  const d = await db();
  for (const entry of await entriesFor(inspectionId)) {
    await d.delete("outbox", entry.seq);
    if (entry.body && entry.body.client_uuid) await d.delete("blobs", entry.body.client_uuid);
  }
  changed();
}
