{% load i18n %}/* Suksa service worker (served at /sw.js so that its scope is the whole site).
   Pages: network first, the last copy from the cache when offline. Static files: cache
   first (their names change when they do). Never stored: admin, API, anything but GET,
   other hosts, personal pages (the promoter portal, also sent no-store: a phone is
   often shared). Signing out in the portal (meeting-queue.js) asks the worker to drop
   any copy of a personal page an older worker kept. "Save for offline" (offline.js)
   keeps pages and files in SAVED, which outlives new versions of this worker. */
"use strict";
const VERSION = "{{ version }}";
const PAGES = "suksa-pages-" + VERSION;
const STATIC = "suksa-static-" + VERSION;
const SAVED = "suksa-saved-v1";
const KEEP = [PAGES, STATIC, SAVED];
const NEVER_CACHED = {{ never_cached|safe }};
const MAX_PAGES = 60;
const PERSONAL = /^\/([a-z]{2}(-[a-z]+)?\/)?portal\//;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((key) => key.startsWith("suksa-") && !KEEP.includes(key))
        .map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "signed-out") event.waitUntil(dropPersonal());
});

async function dropPersonal() {
  const names = (await caches.keys()).filter((name) => name.startsWith("suksa-pages-"));
  await Promise.all(names.map(async (name) => {
    const cache = await caches.open(name);
    const requests = await cache.keys();
    await Promise.all(requests
      .filter((request) => PERSONAL.test(new URL(request.url).pathname))
      .map((request) => cache.delete(request)));
  }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === "/sw.js") return;
  if (NEVER_CACHED.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    caches.open(STATIC).then((cache) => cache.put(request, copy));
  }
  return response;
}

function storable(request, response) {
  return request.mode === "navigate" && response.ok && response.type === "basic" &&
    !PERSONAL.test(new URL(request.url).pathname) &&
    !/no-store/.test(response.headers.get("Cache-Control") || "");
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (storable(request, response)) {
      const copy = response.clone();
      caches.open(PAGES).then((cache) => cache.put(request, copy)).then(trimPages);
    }
    return response;
  } catch (offline) {
    const cached = await caches.match(request);
    if (cached) return cached;
    if (request.mode === "navigate") return offlinePage();
    throw offline;
  }
}

async function trimPages() {
  const cache = await caches.open(PAGES);
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES))
    .map((key) => cache.delete(key)));
}

async function offlinePage() {
  const body = "<!DOCTYPE html><meta charset=utf-8>" +
    "<meta name=viewport content='width=device-width,initial-scale=1'>" +
    "<title>Suksa</title><main style='font-family:sans-serif;padding:1rem'>" +
    "{% filter escapejs %}{% for saved in saved_lists %}{% language saved.code %}<h1 lang={{ saved.code }}>{% translate "You are offline" %}</h1><p lang={{ saved.code }}>{% translate "This page was not saved for reading offline. Try again when you are connected." %}</p><p lang={{ saved.code }}><a href={{ saved.url }}>{% translate "Saved for reading offline" %}</a></p>{% endlanguage %}{% endfor %}{% endfilter %}</main>";
  return new Response(body, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}
