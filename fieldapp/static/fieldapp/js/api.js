// The API with the JWT pair: the access token on every call, one refresh when it expires.
import { getKv, setKv } from "./storage.js";
import { lang } from "./i18n.js";

const BASE = document.body.dataset.api || "/api/v1";

export class NetworkError extends Error {}

export class ApiError extends Error {
  constructor(status, body, headers) {
    super((body && body.detail) || "HTTP " + status);
    this.status = status;
    this.body = body || {};
    this.headers = headers;
  }
  get retryAfter() {
    const raw = this.headers && this.headers.get("Retry-After");
    if (!raw) return null;
    const seconds = Number(raw);
    if (!Number.isNaN(seconds)) return seconds * 1000;
    const when = Date.parse(raw);
    return Number.isNaN(when) ? null : Math.max(0, when - Date.now());
  }
}

export function apiUrl(path) {
  return BASE + path;
}

async function tokens() {
  return (await getKv("tokens")) || {};
}

export async function accessToken() {
  return (await tokens()).access || null;
}

async function send(method, path, { json, form, access }) {
  const headers = { "Accept-Language": lang(), Accept: "application/json" };
  if (access) headers.Authorization = "Bearer " + access;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  try {
    return await fetch(apiUrl(path), { method, headers, body, cache: "no-store" });
  } catch (exc) {
    throw new NetworkError(String(exc));
  }
}

export async function refresh() {
  const { refresh: token } = await tokens();
  if (!token) return false;
  const response = await send("POST", "/auth/token/refresh/", { json: { refresh: token } });
  if (!response.ok) {
    if (response.status === 401) await setKv("tokens", {});
    return false;
  }
  const data = await response.json();
  await setKv("tokens", { access: data.access, refresh: data.refresh || token });
  return true;
}

export async function request(method, path, options = {}) {
  let response = await send(method, path, { ...options, access: await accessToken() });
  if (response.status === 401 && (await refresh())) {
    response = await send(method, path, { ...options, access: await accessToken() });
  }
  let data = null;
  const text = await response.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = { detail: text.slice(0, 200) }; }
  }
  if (!response.ok) throw new ApiError(response.status, data, response.headers);
  return { status: response.status, data, headers: response.headers };
}

export async function login(email, password) {
  const response = await send("POST", "/auth/token/", { json: { email, password } });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null), response.headers);
  const data = await response.json();
  await setKv("tokens", { access: data.access, refresh: data.refresh });
  const me = await request("GET", "/me/");
  await setKv("me", me.data);
  return me.data;
}

export async function logout() {
  const { refresh: token } = await tokens();
  if (token) {
    try { await request("POST", "/auth/token/revoke/", { json: { refresh: token } }); } catch { /* offline: the token expires */ }
  }
  await setKv("tokens", {});
}
