// Everything the app keeps on the phone, in IndexedDB (survives reloads, closed tabs, restarts).
import { openDB } from "../vendor/idb.js";

const DB_NAME = "pccc-field";

let dbPromise = null;

export function db() {
  if (!dbPromise) {
    dbPromise = openDB(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore("kv");
        d.createObjectStore("inspections", { keyPath: "id" });
        d.createObjectStore("premises", { keyPath: "id" });
        d.createObjectStore("citations");
        const outbox = d.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
        outbox.createIndex("inspection", "inspection");
        d.createObjectStore("blobs");
      },
    });
  }
  return dbPromise;
}

export async function getKv(key, fallback = null) {
  const value = await (await db()).get("kv", key);
  return value === undefined ? fallback : value;
}
export async function setKv(key, value) {
  return (await db()).put("kv", value, key);
}
export async function get(store, key) {
  return (await db()).get(store, key);
}
export async function put(store, value, key) {
  return (await db()).put(store, value, key);
}
export async function all(store) {
  return (await db()).getAll(store);
}
export async function del(store, key) {
  return (await db()).delete(store, key);
}

// A change to one inspection, read-modify-write in one transaction (two taps never lose one).
export async function updateInspection(id, change) {
  const tx = (await db()).transaction("inspections", "readwrite");
  const row = await tx.store.get(id);
  if (!row) throw new Error("unknown inspection " + id);
  row.local = row.local || emptyLocal();
  change(row);
  await tx.store.put(row);
  await tx.done;
  return row;
}

export function emptyLocal() {
  return { answers: {}, findings: [], photos: [], signatures: {}, submit: null, started: false };
}

export async function storageEstimate() {
  if (!navigator.storage || !navigator.storage.estimate) return null;
  const { usage, quota } = await navigator.storage.estimate();
  return { usage, quota, ratio: quota ? usage / quota : 0 };
}

export async function askPersistence() {
  if (navigator.storage && navigator.storage.persist) {
    try { return await navigator.storage.persist(); } catch { return false; }
  }
  return false;
}

export async function wipeAccountData() {
  const d = await db();
  for (const store of ["inspections", "premises", "citations", "kv"]) await d.clear(store);
}
