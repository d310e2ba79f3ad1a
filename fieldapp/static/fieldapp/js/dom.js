// A tiny DOM builder: text always goes in as text (never as HTML), so synced data cannot inject.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function toast(message) {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 2500);
}

export function fieldErrors(error) {
  if (!error) return null;
  const lines = [];
  const walk = (prefix, value) => {
    if (Array.isArray(value)) value.forEach((v) => (typeof v === "object" ? walk(prefix, v) : lines.push(`${prefix}: ${v}`)));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
  };
  walk("", error.fields || {});
  return h("div", { class: "error" }, error.detail || "", lines.length ? h("ul", {}, lines.map((l) => h("li", {}, l))) : null);
}
