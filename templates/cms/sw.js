{% load i18n %}/* Suksa service worker (served at /sw.js so that its scope is the whole site).
   Pages: network first, the last copy from the cache when offline. Static files: cache
   first (their names change when they do). Never stored: admin, API, anything but GET,
   other hosts, personal pages (the promoter portal, also sent no-store: a phone is
   often shared) — except the few a promoter may read offline (My meetings, My
   certificates: "Suksa-Keep-Until"), kept in PERSONAL_CACHE for the one owner the
   server last named ("Suksa-Owner" on every portal page) and only until that sign-in
   would expire. A portal page for someone else, or for no one (the sign-in page after
   signing out), drops them; so does any sign-out (a navigation to .../logout/, or the
   portal's message). "Save for offline" (offline.js) keeps pages and files in SAVED,
   which outlives new versions of this worker. With no copy, the answer is a page in
   the language of the address asked for (OFFLINE, rendered by cms/offline.html). */
"use strict";
const VERSION = "{{ version }}";
const PAGES = "suksa-pages-" + VERSION;
const STATIC = "suksa-static-" + VERSION;
const SAVED = "suksa-saved-v1";
const PERSONAL_CACHE = "suksa-personal-v1";
const KEEP = [PAGES, STATIC, SAVED, PERSONAL_CACHE];
const NEVER_CACHED = {{ never_cached|safe }};
const MAX_PAGES = 60;
const PERSONAL = /^\/([a-z]{2}(-[a-z]+)?\/)?portal\//;
const SIGN_OUT = /\/logout\/$/;
const OFFLINE = {{ offline|safe }};
const DEFAULT_LANGUAGE = {{ default_language|safe }};

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
  await caches.delete(PERSONAL_CACHE);
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
  const url = new URL(request.url);
  // Signing out (portal or admin, a POST): forget the owner's pages at once.
  if (request.mode === "navigate" && SIGN_OUT.test(url.pathname)) {
    event.waitUntil(dropPersonal());
  }
  if (request.method !== "GET") return;
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
  const personal = PERSONAL.test(new URL(request.url).pathname);
  try {
    const response = await fetch(request);
    if (storable(request, response)) {
      const copy = response.clone();
      caches.open(PAGES).then((cache) => cache.put(request, copy)).then(trimPages);
    } else if (personal && request.mode === "navigate" && response.type === "basic") {
      // Before the page shows: a sign-out's clean-up must not lag behind it.
      await keepPersonal(request, response.clone()).catch(() => undefined);
    }
    return response;
  } catch (offline) {
    const cached = personal ? await personalCopy(request) : await caches.match(request);
    if (cached) return cached;
    if (request.mode === "navigate") return offlinePage(request);
    throw offline;
  }
}

function owner(response) {
  return response.headers.get("Suksa-Owner") || "";
}

function keptUntil(response) {
  return Number(response.headers.get("Suksa-Keep-Until")) || 0;
}

// The server named who is signed in: keep nothing of anyone else, and keep this page
// if it is one its owner may read offline.
async function keepPersonal(request, response) {
  const signedIn = owner(response);
  const cache = await caches.open(PERSONAL_CACHE);
  for (const key of await cache.keys()) {
    const kept = await cache.match(key);
    if (!signedIn || !kept || owner(kept) !== signedIn) await cache.delete(key);
  }
  if (signedIn && response.ok && keptUntil(response) * 1000 > Date.now()) {
    await cache.put(request, response);
  }
}

async function personalCopy(request) {
  const cache = await caches.open(PERSONAL_CACHE);
  const kept = await cache.match(request, { ignoreVary: true });
  if (!kept) return undefined;
  if (keptUntil(kept) * 1000 > Date.now()) return kept;
  await cache.delete(request);
  return undefined;
}

async function trimPages() {
  const cache = await caches.open(PAGES);
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES))
    .map((key) => cache.delete(key)));
}

function languageOf(url) {
  const first = url.pathname.split("/")[1];
  return OFFLINE[first] ? first : DEFAULT_LANGUAGE;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (char) => "&#" + char.charCodeAt(0) + ";");
}

// Links to the personal pages kept for this language (their first page only).
async function keptLinks(language) {
  const cache = await caches.open(PERSONAL_CACHE);
  const paths = new Set();
  for (const key of await cache.keys()) {
    const kept = await cache.match(key);
    if (kept && keptUntil(kept) * 1000 > Date.now()) paths.add(new URL(key.url).pathname);
  }
  return Object.entries(OFFLINE[language].kept)
    .filter(([path]) => paths.has(path))
    .map(([path, label]) => `<li><a href="${escapeHtml(path)}">${escapeHtml(label)}</a></li>`)
    .join("");
}

async function offlinePage(request) {
  const language = languageOf(new URL(request.url));
  const body = OFFLINE[language].page.replace("{KEPT}", await keptLinks(language));
  return new Response(body, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; img-src 'self'",
    },
  });
}
