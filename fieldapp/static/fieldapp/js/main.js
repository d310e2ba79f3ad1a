// Start-up and navigation: restore the session from IndexedDB, route by the URL's hash, keep the
// sync status in the header, send the outbox when the connection returns.
import "../vendor/tus.min.js";
import { setLang, t } from "./i18n.js";
import { askPersistence, get, getKv } from "./storage.js";
import * as outbox from "./outbox.js";
import { pull, inspections } from "./sync.js";
import * as screens from "./screens.js";

const body = document.body;

async function loggedIn() {
  const tokens = await getKv("tokens", {});
  return Boolean(tokens && tokens.refresh);
}

async function route() {
  document.querySelectorAll(".sheet").forEach((s) => s.remove());
  if (!(await loggedIn())) return screens.loginScreen(afterLogin);
  const hash = location.hash.replace(/^#\/?/, "");
  const [first, id, sub] = hash.split("/");
  if (first === "i" && id) {
    const row = await get("inspections", Number(id));
    if (!row) { location.hash = "#/"; return; }
    if (sub === "check") return screens.checklistScreen(row);
    if (sub === "find") return screens.findingsScreen(row);
    if (sub === "sign") return screens.signScreen(row);
    return screens.inspectionScreen(row);
  }
  if (first === "sync") return screens.outboxScreen();
  if (first === "settings") return screens.settingsScreen(() => route());
  return screens.listScreen(await inspections());
}

function afterLogin() {
  askPersistence();
  outbox.kick();
  location.hash = "#/";
  route();
}

async function renderStatus() {
  const button = document.getElementById("status");
  const s = await outbox.summary();
  button.classList.toggle("offline", !navigator.onLine);
  button.classList.toggle("error", s.blocked > 0);
  button.textContent = !navigator.onLine ? `${t("offline")} · ${s.pending}` : s.pending ? `⇅ ${s.pending}` : "✓";
  button.title = s.pending ? `${s.pending} ${t("pending")}` : t("allSent");
  body.dataset.pending = String(s.pending);
  body.dataset.blocked = String(s.blocked);
}

async function backgroundPull() {
  if (!navigator.onLine || !(await loggedIn())) return;
  try {
    await pull();
    if (!document.querySelector("input:focus, textarea:focus, .sheet") && !location.hash.includes("/sign")) route();
  } catch { /* offline or server busy: the next tick tries again */ }
}

async function start() {
  setLang(await getKv("lang", "vi"));
  document.getElementById("back").addEventListener("click", () => history.back());
  document.getElementById("status").addEventListener("click", () => { location.hash = "#/sync"; });
  window.addEventListener("hashchange", route);
  window.addEventListener("online", () => { renderStatus(); outbox.resume(); backgroundPull(); });
  window.addEventListener("offline", renderStatus);
  outbox.onChange(() => {
    renderStatus();
    if (location.hash.startsWith("#/sync")) route();
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: body.dataset.scope }).catch(() => {});
  }
  await route();
  renderStatus();
  body.dataset.ready = "1";
  outbox.kick();
  setInterval(backgroundPull, 5 * 60 * 1000);
  setInterval(() => outbox.kick(), 30 * 1000);
}

start();
