// The app's screens. Each builds its part of the page from what is on the phone (IndexedDB);
// taps change the phone's copy first and queue the matching API write in the outbox.
import SignaturePad from "../vendor/signature_pad.js";
import { h, toast, fieldErrors } from "./dom.js";
import { lang, pick, setLang, t } from "./i18n.js";
import { del, get, getKv, put, setKv, storageEstimate, updateInspection } from "./storage.js";
import * as outbox from "./outbox.js";
import { currentPosition, preparePhoto } from "./photos.js";
import { login, logout } from "./api.js";
import { pull } from "./sync.js";

const view = () => document.getElementById("view");

function show(title, ...children) {
  document.getElementById("title").textContent = title;
  document.getElementById("back").hidden = location.hash === "" || location.hash === "#/";
  const main = view();
  main.replaceChildren(...children.flat(Infinity).filter(Boolean));
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

function localDate(d = new Date()) {
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function answerFor(row, itemId) {
  return (row.local.answers[itemId]) || (row.answers || []).find((a) => a.item === itemId) || null;
}

function isOpen(row) {
  return !row.local.submit && ["scheduled", "in_progress"].includes(row.state);
}

// --- Log in ---------------------------------------------------------------------------------

export function loginScreen(onDone, typed = {}) {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true, value: typed.email || "" });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true, value: typed.password || "" });
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", {
    onsubmit: async (event) => {
      event.preventDefault();
      error.textContent = "";
      try {
        await login(email.value.trim(), password.value);
        await pull();
        onDone();
      } catch (exc) {
        error.textContent = exc.status ? t("loginFailed") : t("needOnline");
      }
    },
  },
  h("label", {}, t("email"), email),
  h("label", {}, t("password"), password),
  error,
  h("button", { class: "primary wide", type: "submit" }, t("login")),
  // Switching language redraws the form at once, keeping what was already typed.
  langSwitch(() => loginScreen(onDone, { email: email.value, password: password.value })));
  show(t("app"), h("h2", {}, t("login")), form);
}

function langSwitch(redraw = () => window.dispatchEvent(new Event("hashchange"))) {
  return h("div", { class: "row" },
    ["vi", "en"].map((code) => h("button", {
      type: "button",
      "aria-pressed": String(lang() === code),
      onclick: () => { setLang(code); redraw(); setKv("lang", code).catch(() => {}); },
    }, code === "vi" ? "Tiếng Việt" : "English")));
}

// --- Inspections of the day -----------------------------------------------------------------

export async function listScreen(rows) {
  const today = localDate();
  const groups = { overdue: [], today: [], upcoming: [], done: [] };
  for (const row of rows.sort((a, b) => a.scheduled_for.localeCompare(b.scheduled_for))) {
    if (row.removed) groups.today.unshift(row);
    else if (!isOpen(row)) groups.done.push(row);
    else if (row.state === "in_progress" || row.scheduled_for === today) groups.today.push(row);
    else if (row.scheduled_for < today) groups.overdue.push(row);
    else groups.upcoming.push(row);
  }
  const cards = (list) => list.length ? list.map((row) => card(row)) : [h("p", { class: "muted" }, t("none"))];
  show(t("app"),
    await statusCard(),
    h("h2", {}, t("today")), cards(groups.today),
    groups.overdue.length ? [h("h2", {}, t("overdue")), cards(groups.overdue)] : null,
    h("h2", {}, t("upcoming")), cards(groups.upcoming),
    groups.done.length ? [h("h2", {}, t("done")), cards(groups.done.slice(-10))] : null,
    h("button", { class: "wide", type: "button", onclick: () => { location.hash = "#/settings"; } }, t("settings")));
}

function card(row) {
  const answered = (row.items || []).filter((i) => answerFor(row, i.id)).length;
  return h("button", { class: "card link" + (row.removed ? " bad-box" : ""), type: "button", onclick: () => { location.hash = `#/i/${row.id}`; } },
    h("div", { class: "title" }, row.premises_name),
    h("div", { class: "small" }, row.place),
    h("div", {},
      h("span", { class: "tag" }, row.scheduled_for),
      h("span", { class: "tag " + (row.state === "in_progress" ? "warn" : "") }, t("state_" + (row.local.submit ? "submitted" : row.state))),
      h("span", { class: "tag" }, `${answered}${t("of")}${(row.items || []).length}`)),
    row.removed ? h("p", { class: "error" }, t("tombstone")) : null);
}

export async function statusCard({ outboxLink = true } = {}) {
  const s = await outbox.summary();
  const last = await getKv("lastSync");
  const estimate = await storageEstimate();
  return h("div", { class: "card" + (s.blocked ? " bad-box" : "") },
    h("p", {}, navigator.onLine ? t("online") : t("offline"), " · ",
      s.pending ? `${s.pending} ${t("pending")}` : t("allSent"),
      s.blocked ? ` · ${s.blocked} ${t("errors")}` : ""),
    h("p", { class: "small muted" }, `${t("lastSync")}: ${last ? new Date(last).toLocaleString(lang()) : t("never")}`),
    estimate && estimate.ratio > 0.8 ? h("p", { class: "error" }, t("storageLow")) : null,
    h("div", { class: "row" },
      outboxLink ? h("button", { type: "button", onclick: () => { location.hash = "#/sync"; } }, t("outbox")) : null,
      h("button", { type: "button", class: "primary", onclick: syncNow }, t("syncNow"))));
}

async function syncNow() {
  outbox.resume();
  try {
    await pull();
    const { pending } = await outbox.summary();
    toast(pending ? `${t("synced")} · ${pending} ${t("pending")}` : t("allSent"));
  } catch {
    toast(t("offline"));
  }
  window.dispatchEvent(new Event("hashchange"));
}

// --- One inspection -------------------------------------------------------------------------

export async function inspectionScreen(row) {
  const premises = await get("premises", row.premises);
  const obligations = premises ? premises.obligations || [] : [];
  const unsent = await outbox.entriesFor(row.id);
  const facts = premises ? [
    ["floors", premises.floors], ["height_m", premises.height_m], ["floor_area_m2", premises.floor_area_m2],
    ["volume_m3", premises.volume_m3], ["capacity", premises.capacity], ["occupancy_category", premises.occupancy_category],
    ["alarm_device_state", premises.alarm_device_state], ["contact_phone", premises.contact_phone],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "") : [];
  const open = isOpen(row) && !row.removed;
  show(row.premises_name,
    row.removed ? h("div", { class: "notice bad-box" },
      h("p", { class: "error" }, t("tombstone"), ` (${t("gone_" + row.removed.reason)})`),
      h("p", {}, t("unsentKept")),
      h("ul", {}, unsent.map((e) => h("li", {}, entryLabel(e, row)))),
      h("button", { class: "wide", type: "button", onclick: async () => {
        if (!confirm(t("confirmRemove"))) return;
        await outbox.clearFor(row.id);
        await del("inspections", row.id);
        location.hash = "#/";
      } }, t("removeLocal"))) : null,
    h("p", {}, row.place),
    h("p", {}, h("span", { class: "tag" }, row.scheduled_for), h("span", { class: "tag" }, t("state_" + (row.local.submit ? "submitted" : row.state)))),
    open && row.state === "scheduled" ? h("button", { class: "primary wide", type: "button", onclick: () => startInspection(row) }, t("start")) : null,
    row.state !== "scheduled" || row.local.started ? h("div", {},
      h("button", { class: "primary wide", type: "button", onclick: () => { location.hash = `#/i/${row.id}/check`; } }, t("checklist")),
      h("button", { class: "wide", type: "button", onclick: () => { location.hash = `#/i/${row.id}/find`; } }, `${t("findings")} (${allFindings(row).length})`),
      h("button", { class: "wide", type: "button", onclick: () => { location.hash = `#/i/${row.id}/sign`; } }, `${t("signatures")} · ${t("submit")}`)) : null,
    h("h2", {}, t("facts")),
    h("dl", { class: "facts" }, facts.map(([k, v]) => [
      h("dt", {}, t("fact_" + k)),
      h("dd", {}, k === "alarm_device_state" ? t("alarm_" + v) : String(v))])),
    h("h2", {}, t("obligations")),
    obligations.map((o) => h("div", { class: "card" },
      h("div", { class: "title" }, pick(o, "title")),
      h("span", { class: "tag " + (o.status === "met" ? "ok" : o.status === "unknown" ? "warn" : "bad") }, t("ob_" + o.status)),
      o.due_on ? h("span", { class: "tag" }, o.due_on) : null,
      h("p", { class: "small" }, pick(o, "reason")))));
}

async function startInspection(row) {
  await updateInspection(row.id, (r) => { r.local.started = true; r.state = "in_progress"; });
  await outbox.enqueue({ kind: "start", inspection: row.id, body: { started_at: new Date().toISOString() } });
  location.hash = `#/i/${row.id}/check`;
}

function allFindings(row) {
  const local = row.local.findings;
  const server = (row.findings || []).filter((f) => !local.some((l) => l.client_uuid === f.client_uuid));
  return [...server, ...local];
}

// --- Checklist ------------------------------------------------------------------------------

export async function checklistScreen(row) {
  const citations = {};
  for (const item of row.items) for (const key of item.citations) citations[key] = citations[key] || (await get("citations", key));
  const premises = await get("premises", row.premises);
  const reasons = {};
  for (const o of (premises && premises.obligations) || []) reasons[o.requirement] = pick(o, "reason");
  const answered = row.items.filter((i) => answerFor(row, i.id)).length;
  const pct = Math.round((answered / Math.max(1, row.items.length)) * 10) * 10;
  show(`${t("checklist")} · ${row.premises_name}`,
    h("p", {}, `${answered}${t("of")}${row.items.length} ${t("answered")}`),
    h("div", { class: "progress" }, h("span", { class: "w" + pct })),
    row.items.map((item) => itemCard(row, item, citations, reasons)));
}

function itemCard(row, item, citations, reasons) {
  const answer = answerFor(row, item.id);
  const editable = isOpen(row) && !row.removed;
  const cls = ["card", "item"];
  if (answer) cls.push(answer.value === "non_compliant" ? "noncompliant" : "answered");
  if (answer && answer.sent === false) cls.push("pending");
  const choose = (value, extra = {}) => answerItem(row, item, { value, ...extra });
  const choices = [["compliant", "yes"], ["non_compliant", "no"]];
  if (item.answer_type !== "yes_no") choices.push(["not_applicable", "na"]);
  let control;
  if (["yes_no", "yes_no_na"].includes(item.answer_type)) {
    control = h("div", { class: "choices" }, choices.map(([value, key]) => h("button", {
      type: "button", class: key, "aria-pressed": String(!!answer && answer.value === value), disabled: !editable,
      "data-item": item.id, "data-value": value, onclick: () => choose(value),
    }, t(key))));
  } else if (item.answer_type === "number") {
    const input = h("input", { type: "number", inputmode: "decimal", step: "any", value: answer && answer.number_value !== null ? answer.number_value : "", disabled: !editable });
    control = h("div", { class: "row" }, input, h("button", { type: "button", disabled: !editable, onclick: () => choose("", { number_value: input.value }) }, t("save")));
  } else {
    control = null;
  }
  const note = h("textarea", { placeholder: t("note"), disabled: !editable, "data-note": item.id }, answer ? answer.note || "" : "");
  const saveNote = h("button", { type: "button", disabled: !editable, onclick: () => choose(answer ? answer.value : item.answer_type === "text" ? "" : "not_applicable", { note: note.value, number_value: answer ? answer.number_value : null }) }, t("save"));
  const photos = [...(row.photos || []).filter((p) => p.item === item.id), ...row.local.photos.filter((p) => p.item === item.id)];
  return h("div", { class: cls.join(" "), id: "item-" + item.id },
    h("div", { class: "small muted" }, `${item.order}. ${item.code}`, item.required ? ` · ${t("required")}` : ""),
    h("div", { class: "title" }, pick(item, "title")),
    h("p", {}, pick(item, "question")),
    h("button", { type: "button", class: "wide", onclick: () => whySheet(item, citations, reasons) }, "§ " + t("why")),
    control,
    note, saveNote,
    h("div", { class: "thumbs" }, photos.map((p) => thumb(p))),
    editable ? photoButton(row, item) : null);
}

async function answerItem(row, item, { value, number_value = null, note }) {
  const previous = answerFor(row, item.id);
  const answer = {
    client_uuid: outbox.uuid(),
    item: item.id,
    value: value || "",
    number_value: number_value === "" || number_value === undefined ? null : number_value,
    note: note !== undefined ? note : previous ? previous.note || "" : "",
    answered_at: new Date().toISOString(),
    sent: false,
  };
  const updated = await updateInspection(row.id, (r) => { r.local.answers[item.id] = answer; });
  const { sent, ...body } = answer;
  await outbox.enqueue({ kind: "answers", inspection: row.id, body: { answers: [body] } });
  Object.assign(row, updated);
  const citations = {};
  for (const key of item.citations) citations[key] = await get("citations", key);
  const premises = await get("premises", row.premises);
  const reasons = {};
  for (const o of (premises && premises.obligations) || []) reasons[o.requirement] = pick(o, "reason");
  // The inspector may have moved on to another screen while this was saved.
  const card = document.getElementById("item-" + item.id);
  if (card) card.replaceWith(itemCard(row, item, citations, reasons));
}

function whySheet(item, citations, reasons) {
  const sheet = h("div", { class: "sheet", role: "dialog", "aria-label": t("why") },
    h("h3", {}, pick(item, "title")),
    reasons[item.requirement] ? h("p", {}, reasons[item.requirement]) : null,
    item.citations.map((key) => citations[key] ? [
      h("h3", {}, pick(citations[key], "label")),
      h("div", { class: "law" }, pick(citations[key], "text"))] : null),
    h("button", { class: "primary wide", type: "button", onclick: () => sheet.remove() }, t("close")));
  document.body.append(sheet);
}

function thumb(photo) {
  const img = h("img", { alt: photo.caption || t("photo") });
  get("blobs", photo.client_uuid).then((blob) => { if (blob) img.src = URL.createObjectURL(blob); });
  return img;
}

function photoButton(row, item, findingUuid = null) {
  const input = h("input", { type: "file", accept: "image/*", capture: "environment", hidden: true, "data-photo": item ? item.id : "finding",
    onchange: async () => {
      const file = input.files[0];
      if (!file) return;
      await addPhoto(row, file, { item: item ? item.id : null, finding: findingUuid });
      window.dispatchEvent(new Event("hashchange"));
    } });
  return h("div", {}, input, h("button", { type: "button", class: "wide", onclick: () => input.click() }, t("photo")));
}

export async function addPhoto(row, file, { item = null, finding = null }) {
  const keepLocation = await getKv("locationConsent", false);
  const prepared = await preparePhoto(file, { keepLocation });
  const position = keepLocation ? await currentPosition() : null;
  const clientUuid = outbox.uuid();
  await put("blobs", prepared.blob, clientUuid);
  const body = {
    client_uuid: clientUuid, sha256: prepared.sha256, item, finding,
    taken_at: prepared.takenAt.toISOString(),
    latitude: position ? position.latitude : null, longitude: position ? position.longitude : null, caption: "",
  };
  await updateInspection(row.id, (r) => { r.local.photos.push({ ...body, sent: false }); });
  await outbox.enqueue({ kind: "photo", inspection: row.id, body });
  toast(t("saved"));
}

// --- Findings -------------------------------------------------------------------------------

export function findingsScreen(row) {
  const editable = isOpen(row) && !row.removed;
  const item = h("select", { name: "item" }, h("option", { value: "" }, "—"),
    row.items.map((i) => h("option", { value: i.id }, `${i.order}. ${pick(i, "title")}`)));
  const description = h("textarea", { name: "description", required: true });
  const severity = h("select", { name: "severity" }, ["minor", "major", "critical"].map((s) => h("option", { value: s }, t(s))));
  const deadline = h("input", { type: "date", name: "deadline" });
  const error = h("p", { class: "error" });
  const form = h("form", { onsubmit: async (event) => {
    event.preventDefault();
    if (!description.value.trim()) { error.textContent = `${t("description")}: ${t("required")}`; return; }
    const body = {
      client_uuid: outbox.uuid(),
      item: item.value ? Number(item.value) : null,
      description: description.value.trim(),
      severity: severity.value,
      remediation_deadline: deadline.value || null,
    };
    await updateInspection(row.id, (r) => { r.local.findings.push({ ...body, sent: false }); });
    await outbox.enqueue({ kind: "finding", inspection: row.id, body });
    toast(t("saved"));
    window.dispatchEvent(new Event("hashchange"));
  } },
  h("label", {}, t("item"), item), h("label", {}, t("description"), description),
  h("label", {}, t("severity"), severity), h("label", {}, t("deadline"), deadline), error,
  h("button", { class: "primary wide", type: "submit" }, t("addFinding")));
  show(`${t("findings")} · ${row.premises_name}`,
    allFindings(row).map((f) => h("div", { class: "card" + (f.sent === false ? " item pending" : "") },
      h("div", { class: "title" }, f.description),
      h("span", { class: "tag bad" }, t(f.severity || "minor")),
      f.remediation_deadline ? h("span", { class: "tag" }, `${t("deadline")}: ${f.remediation_deadline}`) : null,
      h("div", { class: "thumbs" }, row.local.photos.filter((p) => p.finding === f.client_uuid).map(thumb)),
      editable ? photoButton(row, null, f.client_uuid) : null)),
    editable ? form : null);
}

// --- Signatures and submission --------------------------------------------------------------

export async function signScreen(row) {
  const me = await getKv("me", {});
  const editable = isOpen(row) && !row.removed;
  const pads = {};
  const block = (role, defaults) => {
    const existing = row.local.signatures[role] || (row.signatures || []).find((s) => s.role === role);
    const canvas = h("canvas", { class: "pad", "data-role": role, width: 700, height: 360 });
    const name = h("input", { name: role + "_name", value: existing ? existing.signer_name : defaults.name || "" });
    const position = h("input", { name: role + "_position", value: existing ? existing.position : defaults.position || "" });
    pads[role] = { canvas, name, position, existing };
    return h("div", { class: "card", "data-block": role },
      h("h3", {}, t(role)),
      existing ? h("p", { class: "tag ok" }, "✓ " + existing.signer_name) : null,
      h("label", {}, t("name"), name), h("label", {}, t("position"), position),
      editable ? [h("p", { class: "small pad-hint" }, t("signHere")), canvas,
        h("button", { type: "button", onclick: () => pads[role].pad && pads[role].pad.clear() }, t("clear"))] : null);
  };
  const sent = row.local.submit || {};
  const refusal = sent.refusal_reason ?? row.refusal_reason ?? "";
  const refused = h("input", { type: "checkbox", name: "refused", checked: Boolean(refusal), disabled: !editable });
  const reason = h("textarea", { name: "refusal_reason", disabled: !editable }, refusal);
  const reasonLabel = h("label", {}, t("refusalReason"), reason);
  const comments = h("textarea", { name: "representative_comments", disabled: !editable },
    sent.representative_comments ?? row.representative_comments ?? "");
  const recommendations = h("textarea", { name: "recommendations", disabled: !editable }, sent.recommendations ?? row.recommendations ?? "");
  const error = h("div", { class: "error", role: "alert" });
  const representative = block("representative", { name: row.representative_name, position: row.representative_position });
  // A refusal replaces the representative's signature (Decree 105 Art. 14.3.d): the pad goes,
  // the reason is asked for; the name stays, the minutes record who refused.
  const refusalShown = () => {
    reasonLabel.hidden = !refused.checked;
    representative.querySelectorAll(".pad, .pad ~ button, .pad-hint").forEach((el) => { el.hidden = refused.checked; });
  };
  refused.addEventListener("change", refusalShown);
  show(`${t("signatures")} · ${row.premises_name}`,
    row.local.submit ? h("p", { class: "notice" }, t("submitted")) : null,
    h("label", {}, t("recommendations"), recommendations),
    block("inspector", { name: me.full_name || me.email || "", position: "" }),
    representative,
    h("label", {}, t("representativeComments"), comments),
    h("label", { class: "check" }, refused, t("refused")),
    reasonLabel,
    error,
    editable ? h("button", { class: "primary wide", type: "button", onclick: () => submit(row, pads, { refused, reason, comments, recommendations, error }) }, t("submit")) : null);
  refusalShown();
  for (const role of Object.keys(pads)) {
    if (editable) pads[role].pad = new SignaturePad(pads[role].canvas, { minWidth: 1.5, maxWidth: 4, penColor: "#000", backgroundColor: "#fff" });
  }
}

async function submit(row, pads, { refused, reason, comments, recommendations, error }) {
  const missing = row.items.filter((i) => i.required && !answerFor(row, i.id));
  const problems = [];
  if (missing.length) problems.push(`${t("missing")}: ${missing.map((i) => i.order).join(", ")}`);
  const has = (role) => pads[role].existing || (pads[role].pad && !pads[role].pad.isEmpty());
  if (!has("inspector")) problems.push(`${t("missing")}: ${t("inspector")}`);
  if (refused.checked && !reason.value.trim()) problems.push(`${t("missing")}: ${t("refusalReason")}`);
  if (!refused.checked && !has("representative")) problems.push(`${t("missing")}: ${t("representative")}`);
  if (problems.length) { error.replaceChildren(...problems.map((p) => h("p", {}, p))); return; }
  for (const role of ["inspector", "representative"]) {
    const { pad, name, position, existing } = pads[role];
    if (role === "representative" && refused.checked) continue;
    if (existing && (!pad || pad.isEmpty())) continue;
    const blob = await new Promise((resolve) => pad.canvas.toBlob(resolve, "image/png"));
    const body = { client_uuid: outbox.uuid(), role, signer_name: name.value.trim() || "—", position: position.value.trim(), signed_at: new Date().toISOString() };
    await put("blobs", blob, body.client_uuid);
    await updateInspection(row.id, (r) => { r.local.signatures[role] = { ...body, sent: false }; });
    await outbox.enqueue({ kind: "signature", inspection: row.id, body });
  }
  const body = {
    recommendations: recommendations.value.trim(),
    representative_name: pads.representative.name.value.trim(),
    representative_position: pads.representative.position.value.trim(),
    // The submit API's PC03 fields (representative's comments; the reason they will not sign).
    representative_comments: comments.value.trim(),
    refusal_reason: refused.checked ? reason.value.trim() : "",
    ended_at: new Date().toISOString(),
  };
  await updateInspection(row.id, (r) => { r.local.submit = { ...body, sent: false }; });
  await outbox.enqueue({ kind: "submit", inspection: row.id, body });
  toast(t("saved"));
  location.hash = "#/";
}

// --- Outbox: what waits, what failed, what conflicts ----------------------------------------

function entryLabel(entry, row) {
  const kind = t("kind" + entry.kind[0].toUpperCase() + entry.kind.slice(1));
  if (entry.kind === "answers" && row) {
    return `${kind}: ${entry.body.answers.map((a) => { const i = row.items.find((x) => x.id === a.item); return i ? `${i.order}. ${pick(i, "title")}` : a.item; }).join(", ")}`;
  }
  if (entry.kind === "finding") return `${kind}: ${entry.body.description}`;
  if (entry.kind === "signature") return `${kind}: ${t(entry.body.role)}`;
  return kind;
}

function describe(value) {
  if (!value) return "—";
  const parts = [value.value ? t({ compliant: "yes", non_compliant: "no", not_applicable: "na" }[value.value] || value.value) : "", value.number_value ?? "", value.note || ""];
  return parts.filter((p) => p !== "").join(" · ") + (value.answered_at ? ` (${new Date(value.answered_at).toLocaleString(lang())})` : "");
}

export async function outboxScreen() {
  const list = await outbox.entries();
  const rows = {};
  for (const e of list) rows[e.inspection] = rows[e.inspection] || (await get("inspections", e.inspection));
  show(t("outbox"), await statusCard({ outboxLink: false }),
    list.length ? null : h("p", {}, t("allSent")),
    list.map((entry) => {
      const row = rows[entry.inspection];
      const p = outbox.progress[entry.seq];
      return h("div", { class: "card" + (entry.status === "pending" ? "" : " bad-box"), "data-status": entry.status },
        h("div", { class: "title" }, row ? row.premises_name : `#${entry.inspection}`),
        h("p", {}, entryLabel(entry, row)),
        entry.status === "pending" && entry.nextAt > Date.now() ? h("p", { class: "small" }, `${t("retryIn")} ${Math.ceil((entry.nextAt - Date.now()) / 1000)} ${t("seconds")}`) : null,
        p ? h("p", { class: "small" }, `${t("uploading")} ${Math.round((100 * p[0]) / p[1])}%`) : null,
        entry.status === "conflict" ? conflictView(entry, row) : null,
        entry.status === "failed" ? [h("p", { class: "error" }, t("failed")), fieldErrors(entry.error),
          h("div", { class: "row" },
            h("button", { type: "button", onclick: () => outbox.retry(entry.seq) }, t("retry")),
            h("button", { type: "button", onclick: () => outbox.discard(entry.seq) }, t("discard")))] : null,
        entry.status === "held" ? [h("p", { class: "error" }, row && row.removed ? t("tombstone") : (entry.error && entry.error.detail) || ""),
          h("button", { type: "button", onclick: () => outbox.retry(entry.seq) }, t("retry"))] : null);
    }));
}

function conflictView(entry, row) {
  if (entry.kind === "answers") {
    return entry.body.answers.map((mine, n) => {
      const theirs = (entry.server || [])[n];
      const item = row && row.items.find((i) => i.id === mine.item);
      return h("div", { class: "conflict" },
        h("p", { class: "error" }, `${t("conflict")}: ${item ? `${item.order}. ${pick(item, "title")}` : mine.item}`),
        h("div", { class: "side" },
          h("div", {}, h("h3", {}, t("onPhone")), h("p", {}, describe(mine))),
          h("div", {}, h("h3", {}, t("onServer")), h("p", {}, describe(theirs)))),
        h("div", { class: "row" },
          h("button", { type: "button", class: "primary", onclick: () => keepMine(entry, row, mine, theirs) }, t("keepMine")),
          h("button", { type: "button", onclick: () => takeServer(entry, row, mine, theirs) }, t("takeServer"))));
    });
  }
  return [h("p", { class: "error" }, t("conflict")), fieldErrors(entry.error),
    h("div", { class: "side" },
      h("div", {}, h("h3", {}, t("onPhone")), h("pre", { class: "small" }, JSON.stringify(entry.body, null, 1))),
      h("div", {}, h("h3", {}, t("onServer")), h("pre", { class: "small" }, JSON.stringify(entry.error && entry.error.current, null, 1)))),
    h("div", { class: "row" },
      h("button", { type: "button", class: "primary", onclick: () => outbox.retry(entry.seq) }, t("keepMine")),
      h("button", { type: "button", onclick: () => outbox.discard(entry.seq) }, t("takeServer")))];
}

async function keepMine(entry, row, mine, theirs) {
  // The server keeps the answer with the latest device time: resend mine as the newer one.
  const after = theirs && theirs.answered_at ? Date.parse(theirs.answered_at) + 1000 : 0;
  const again = { ...mine, client_uuid: outbox.uuid(), answered_at: new Date(Math.max(Date.now(), after)).toISOString() };
  await updateInspection(row.id, (r) => { r.local.answers[mine.item] = { ...again, sent: false }; });
  // A batch may hold other answers in conflict: they go again as they are and, if still in
  // conflict, come back to be decided one by one.
  const answers = entry.body.answers.map((a) => (a.client_uuid === mine.client_uuid ? again : a));
  await outbox.replace(entry.seq, { body: { answers }, server: null });
  window.dispatchEvent(new Event("hashchange"));
}

async function takeServer(entry, row, mine, theirs) {
  await updateInspection(row.id, (r) => {
    delete r.local.answers[mine.item];
    r.answers = [...(r.answers || []).filter((a) => a.item !== mine.item), theirs];
  });
  const rest = entry.body.answers.filter((a) => a.client_uuid !== mine.client_uuid);
  if (rest.length) await outbox.replace(entry.seq, { body: { answers: rest }, server: null });
  else await outbox.discard(entry.seq);
  window.dispatchEvent(new Event("hashchange"));
}

// --- Settings -------------------------------------------------------------------------------

export async function settingsScreen(onLogout) {
  const consent = h("input", { type: "checkbox", name: "location", checked: await getKv("locationConsent", false),
    onchange: async () => setKv("locationConsent", consent.checked) });
  const me = await getKv("me", {});
  const estimate = await storageEstimate();
  const pending = (await outbox.entries()).length;
  show(t("settings"),
    h("p", {}, me.email || ""),
    h("h2", {}, t("language")), langSwitch(),
    h("h2", {}, t("photos")), h("label", { class: "check" }, consent, t("location")),
    estimate ? [h("h2", {}, t("storage")), h("p", {}, `${(estimate.usage / 1048576).toFixed(1)} MB / ${(estimate.quota / 1048576).toFixed(0)} MB`)] : null,
    pending ? h("p", { class: "notice" }, t("unsentLogout")) : null,
    h("button", { class: "wide", type: "button", onclick: async () => { await logout(); onLogout(); } }, t("logout")));
}
