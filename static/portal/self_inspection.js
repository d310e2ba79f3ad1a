// Self-inspection: each answer is saved as it is given (progressive enhancement: without this
// script the form's "Lưu" button saves everything, and an error keeps all that was typed).
// Nothing typed is ever cleared here; a failed save is said at its own question.
const form = document.getElementById("checklist");
const TEXT_DELAY_MS = 800;

function csrfToken() {
  return form.querySelector("input[name=csrfmiddlewaretoken]").value;
}

function showStatus(fieldset, text, isError) {
  const status = fieldset.querySelector(".save-status");
  status.textContent = text;
  status.classList.toggle("errorlist", isError);
  fieldset.closest("li").classList.toggle("st-overdue", isError);
  if (isError) {
    fieldset.setAttribute("aria-invalid", "true");
  } else {
    fieldset.removeAttribute("aria-invalid");
  }
}

function updateCount(answered) {
  const counter = document.getElementById("answered-count");
  counter.textContent = form.dataset.msgCount
    .replace("%(a)s", String(answered))
    .replace("%(n)s", counter.dataset.total);
}

async function save(fieldset) {
  const body = new FormData();
  body.append("item", fieldset.dataset.item);
  for (const el of fieldset.querySelectorAll("input, textarea")) {
    if (el.type === "radio" && !el.checked) continue;
    if (el.name) body.append(el.name, el.value);
  }
  showStatus(fieldset, form.dataset.msgSaving, false);
  let response;
  try {
    response = await fetch(form.dataset.saveUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    });
  } catch {
    showStatus(fieldset, form.dataset.msgOffline, true);
    return;
  }
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = { detail: form.dataset.msgOffline };
  }
  if (response.ok) {
    showStatus(fieldset, form.dataset.msgSaved, false);
    updateCount(data.answered);
  } else {
    showStatus(fieldset, data.detail || form.dataset.msgOffline, true);
  }
}

if (form && form.dataset.saveUrl) {
  const timers = new WeakMap();
  const later = (fieldset) => {
    clearTimeout(timers.get(fieldset));
    timers.set(fieldset, setTimeout(() => save(fieldset), TEXT_DELAY_MS));
  };
  form.addEventListener("change", (event) => {
    const fieldset = event.target.closest("fieldset[data-item]");
    if (!fieldset) return;
    clearTimeout(timers.get(fieldset));
    save(fieldset);
  });
  form.addEventListener("input", (event) => {
    const fieldset = event.target.closest("fieldset[data-item]");
    if (fieldset && event.target.type !== "radio") later(fieldset);
  });
}
