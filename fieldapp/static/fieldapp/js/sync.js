// Pull from GET /sync/: assigned inspections with checklists, premises with obligations, the law
// text of every citation, and tombstones. Local work is never overwritten or silently dropped.
import { all, del, emptyLocal, get, getKv, put, setKv } from "./storage.js";
import { request } from "./api.js";
import { hasUnsent } from "./outbox.js";

export async function pull() {
  let cursor = await getKv("cursor");
  for (let page = 0; page < 100; page++) {
    const query = cursor ? "?cursor=" + encodeURIComponent(cursor) : "";
    const { data } = await request("GET", "/sync/" + query);
    for (const [key, citation] of Object.entries(data.citations || {})) await put("citations", citation, key);
    for (const premises of data.premises) await put("premises", premises);
    for (const inspection of data.inspections) await mergeInspection(inspection);
    for (const tombstone of data.tombstones) await bury(tombstone);
    cursor = data.next_cursor;
    await setKv("cursor", cursor);
    if (!data.has_more) break;
  }
  await setKv("lastSync", new Date().toISOString());
}

async function mergeInspection(server) {
  const existing = await get("inspections", server.id);
  const local = existing ? existing.local : emptyLocal();
  await put("inspections", { ...server, local, removed: null });
}

async function bury(tombstone) {
  const existing = await get("inspections", tombstone.inspection);
  if (!existing) return;
  if (await hasUnsent(tombstone.inspection)) {
    // Kept and shown: the inspector decides what happens to work the server will not take.
    existing.removed = { reason: tombstone.reason, at: tombstone.at };
    if (tombstone.reason === "cancelled") existing.state = "cancelled";
    await put("inspections", existing);
  } else {
    await del("inspections", tombstone.inspection);
  }
}

export async function inspections() {
  return all("inspections");
}
