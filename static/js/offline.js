/* Suksa offline: registers the service worker (/sw.js), saves a page and its chosen
   files for reading offline, and lists what is saved. Inlined into every page
   (cms_tags inline_static), so it costs no request; strings come from data-*
   attributes the templates translate. Any page can offer saving:
     <section data-offline-save hidden data-url data-title data-saved-list-url
              data-msg-saving data-msg-saved data-msg-failed>
       <input type=checkbox data-offline-file value="FILE URL" data-label="…"> …
       <button type=button data-offline-save-button> <p data-offline-status>
   (templates/materials/material_page.html); the list is [data-saved-list] with
   [data-saved-empty] (templates/cms/saved_for_offline.html). */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches || !window.localStorage) return;
  var CACHE = "suksa-saved-v1";
  var INDEX = "suksa-saved";

  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" });
  });

  function readIndex() {
    try { return JSON.parse(localStorage.getItem(INDEX)) || []; } catch (e) { return []; }
  }
  function writeIndex(items) { localStorage.setItem(INDEX, JSON.stringify(items)); }

  // A copy without the "redirected" flag, which a browser refuses for a navigation.
  function keep(cache, url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.blob().then(function (body) {
        return cache.put(url, new Response(body, { headers: response.headers }));
      });
    });
  }

  function pageImages() {
    return Array.prototype.map.call(document.images, function (img) {
      return img.currentSrc || img.src;
    }).filter(function (src) { return src.indexOf(location.origin + "/") === 0; });
  }

  function setUpSave(box) {
    var button = box.querySelector("[data-offline-save-button]");
    var status = box.querySelector("[data-offline-status]");
    var url = box.getAttribute("data-url") || location.pathname;
    var say = function (name) { status.textContent = box.getAttribute("data-msg-" + name); };
    box.hidden = false;
    if (readIndex().some(function (item) { return item.url === url; })) say("saved");
    button.addEventListener("click", function () {
      var boxes = box.querySelectorAll("[data-offline-file]:checked");
      var files = Array.prototype.map.call(boxes, function (input) {
        return { url: input.value, label: input.getAttribute("data-label") };
      });
      var urls = [url, box.getAttribute("data-saved-list-url")].concat(
        files.map(function (file) { return file.url; }), pageImages());
      button.disabled = true;
      say("saving");
      // One at a time: kinder to a slow connection than all at once.
      caches.open(CACHE).then(function (cache) {
        return urls.reduce(function (done, each) {
          return done.then(function () { return keep(cache, each); });
        }, Promise.resolve());
      }).then(function () {
        var items = readIndex().filter(function (item) { return item.url !== url; });
        items.unshift({ url: url, title: box.getAttribute("data-title"), files: files,
                        saved: new Date().toISOString() });
        writeIndex(items);
        say("saved");
      }).catch(function () { say("failed"); }).then(function () { button.disabled = false; });
    });
  }

  function forget(item) {
    writeIndex(readIndex().filter(function (other) { return other.url !== item.url; }));
    return caches.open(CACHE).then(function (cache) {
      return Promise.all([item.url].concat(item.files.map(function (file) {
        return file.url;
      })).map(function (each) { return cache.delete(each); }));
    });
  }

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    return node;
  }

  function showSaved(list) {
    var empty = document.querySelector("[data-saved-empty]");
    var items = readIndex();
    list.textContent = "";
    empty.hidden = items.length > 0;
    items.forEach(function (item) {
      var entry = element("li", "", { "class": "saved-item" });
      entry.appendChild(element("a", item.title || item.url, { href: item.url }));
      if (item.files.length) {
        var files = element("ul", "", { "class": "saved-item__files" });
        item.files.forEach(function (file) {
          var line = element("li");
          line.appendChild(element("a", file.label || file.url, { href: file.url }));
          files.appendChild(line);
        });
        entry.appendChild(files);
      }
      var remove = element("button", list.getAttribute("data-msg-remove"), {
        type: "button", "class": "button button--secondary button--small"
      });
      remove.addEventListener("click", function () {
        if (!window.confirm(list.getAttribute("data-msg-confirm"))) return;
        forget(item).then(function () { showSaved(list); });
      });
      entry.appendChild(remove);
      list.appendChild(entry);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-offline-save]"), setUpSave);
    var list = document.querySelector("[data-saved-list]");
    if (list) showSaved(list);
  });
})();
