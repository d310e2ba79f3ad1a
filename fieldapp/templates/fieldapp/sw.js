// Service worker of the inspector app: the shell and its static files from the cache, so the
// app starts with no network. API calls are never cached here (the app's outbox owns them).
const VERSION = "{{ version }}";
const CACHE = "fieldapp-" + VERSION;
const PRECACHE = {{ precache|safe }};
const SCOPE = "{{ app_scope }}";
const STATIC = "{{ static_prefix }}";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((u) => new Request(u, { cache: "reload" })))).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("fieldapp-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith(SCOPE)) {
    // The shell: network first (a new release is seen at once), the cached copy offline.
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok) caches.open(CACHE).then((c) => c.put(SCOPE, response.clone()));
        return response;
      }).catch(() => caches.match(SCOPE))
    );
    return;
  }
  if (url.pathname.startsWith(STATIC + "fieldapp/") || url.pathname === SCOPE + "manifest.webmanifest") {
    event.respondWith(caches.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request)));
  }
});
