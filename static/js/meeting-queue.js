/* Suksa promoter portal: meetings recorded without a network wait on the phone and are
   sent when it returns. Inlined into the portal pages (no extra request). Without this
   script the form still works: an ordinary POST with a client_uuid the server made.

   - The form ([data-meeting-form]) is sent with fetch, asking for JSON. No network (or
     a server error): the meeting is kept in localStorage with its client_uuid and the
     form is cleared for the next one. A validation answer (400): the form is posted the
     ordinary way, so the server shows its messages beside the fields.
   - The waiting list ([data-meeting-queue]) shows what is kept, and sends each entry on
     page load, on the "online" event, every minute and on "Send now". An entry leaves
     the list only after a 200 or 201; a 400 keeps it, marked, with the server's
     messages, until the promoter corrects or removes it.
   - The server stores a client_uuid once, so sending an entry twice (two tabs, a lost
     answer) stores one meeting.
   Strings come from data-msg-* attributes that the templates translate. */
(function () {
  "use strict";
  var panel = document.querySelector("[data-meeting-queue]");
  if (!panel || !window.localStorage || !window.fetch || !window.JSON) return;
  var QUEUE = "suksa-meeting-queue";
  var USED = "suksa-meeting-ids";
  var RETRY_MS = 60000;
  var user = panel.getAttribute("data-user");
  var endpoint = panel.getAttribute("data-endpoint");
  var list = panel.querySelector("[data-queue-list]");
  var status = panel.querySelector("[data-queue-status]");
  var form = document.querySelector("[data-meeting-form]");
  var sending = false;

  function msg(name, values) {
    var text = panel.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }
  function read(key) {
    try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; }
  }
  function write(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
  // Another promoter may share the phone: each sees and sends only their own entries.
  function mine() { return read(QUEUE).filter(function (e) { return e.user === user; }); }
  function update(uuid, change) {
    write(QUEUE, read(QUEUE).map(function (entry) {
      return entry.uuid === uuid ? change(entry) : entry;
    }).filter(Boolean));
  }
  function remember(uuid) {
    var used = read(USED).filter(function (each) { return each !== uuid; });
    used.unshift(uuid);
    write(USED, used.slice(0, 200));
  }

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
            hex.slice(20)].join("-");
  }

  // The token of this page: after a new sign-in the one saved with an entry is stale.
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(fields, background) {
    var body = new URLSearchParams();
    fields.forEach(function (pair) {
      if (pair[0] !== "csrfmiddlewaretoken") body.append(pair[0], pair[1]);
    });
    body.append("csrfmiddlewaretoken", csrfToken());
    var headers = { "Accept": "application/json", "X-CSRFToken": csrfToken() };
    if (background) headers["X-Meeting-Queue"] = "background";
    return fetch(endpoint, {
      method: "POST", body: body, headers: headers, credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) return { status: response.status, data: {} };
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function render() {
    var entries = mine();
    panel.hidden = entries.length === 0 && !status.textContent;
    panel.querySelector("[data-queue-count]").textContent = String(entries.length);
    list.textContent = "";
    entries.forEach(function (entry) {
      var item = element("li", null, entry.errors ? "queue__rejected" : "");
      item.setAttribute("data-queue-entry", entry.uuid);
      item.appendChild(element("strong", [entry.summary.village, entry.summary.date,
        msg("people", { count: entry.summary.turnout })].join(" · ")));
      item.appendChild(element("span", entry.errors ? msg("rejected") : msg("waiting"),
        "queue__state"));
      if (entry.errors) {
        var errors = element("ul", null, "errorlist");
        entry.errors.forEach(function (error) {
          error.messages.forEach(function (message) {
            errors.appendChild(element("li", error.label ? error.label + ": " + message : message));
          });
        });
        item.appendChild(errors);
        var actions = element("div", null, "queue__actions");
        var correct = element("a", msg("correct"), "button");
        correct.href = endpoint + "?queued=" + encodeURIComponent(entry.uuid);
        actions.appendChild(correct);
        var remove = element("button", msg("remove"), "button--secondary");
        remove.type = "button";
        remove.addEventListener("click", function () {
          if (!window.confirm(msg("confirm-remove"))) return;
          update(entry.uuid, function () { return null; });
          render();
        });
        actions.appendChild(remove);
        item.appendChild(actions);
      }
      list.appendChild(item);
    });
  }

  function say(text) { status.textContent = text; render(); }

  // Send the waiting entries one by one; stop at the first that cannot go now.
  function flush() {
    if (sending) return Promise.resolve();
    var waiting = mine().filter(function (entry) { return !entry.errors; });
    if (!waiting.length) return Promise.resolve();
    if (!navigator.onLine) { say(msg("offline")); return Promise.resolve(); }
    sending = true;
    say(msg("sending"));
    var next = function (index) {
      if (index >= waiting.length) return null;
      var entry = waiting[index];
      return post(entry.fields, true).then(function (answer) {
        if (answer.status === 200 || answer.status === 201) {
          remember(entry.uuid);
          update(entry.uuid, function () { return null; });
          say(msg("sent", { summary: entry.summary.village + " · " + entry.summary.date }));
          return next(index + 1);
        }
        if (answer.status === 400) {
          update(entry.uuid, function (kept) {
            kept.errors = answer.data.errors || [];
            return kept;
          });
          render();
          return next(index + 1);
        }
        if (answer.status === 401 || answer.status === 403 || answer.status === 0) {
          say(msg("signed-out"));
          return null;
        }
        say(msg("offline"));  // a server error: keep everything and try later
        return null;
      });
    };
    return Promise.resolve(next(0)).catch(function () {
      say(msg("offline"));
    }).then(function () { sending = false; render(); });
  }

  function summaryOf(target) {
    var village = target.querySelector("select[name=village]");
    var option = village && village.options[village.selectedIndex];
    var turnout = 0;
    Array.prototype.forEach.call(target.querySelectorAll("input[name^=turnout_]"),
      function (input) { turnout += parseInt(input.value, 10) || 0; });
    var date = (target.querySelector("input[name=date]") || {}).value || "";
    return {
      village: option ? option.text : "",
      date: date.replace(/^(\d{4})-(\d{2})-(\d{2})$/, "$3/$2/$1"),  // as Lao dates are written
      turnout: turnout
    };
  }

  function keep(entry) {
    var entries = read(QUEUE).filter(function (each) { return each.uuid !== entry.uuid; });
    entries.push(entry);
    write(QUEUE, entries);
  }

  function clearForNext(target) {
    Array.prototype.forEach.call(target.querySelectorAll(
      "input[type=number], textarea"), function (input) { input.value = ""; });
    Array.prototype.forEach.call(target.querySelectorAll("input[type=checkbox]"),
      function (input) { input.checked = false; });
    target.querySelector("input[name=client_uuid]").value = newUuid();
    window.scrollTo(0, 0);
  }

  function fill(target, fields) {
    Array.prototype.forEach.call(target.querySelectorAll("input[type=checkbox]"),
      function (input) { input.checked = false; });
    fields.forEach(function (pair) {
      if (pair[0] === "csrfmiddlewaretoken") return;
      Array.prototype.forEach.call(target.elements[pair[0]] ?
        target.querySelectorAll("[name='" + pair[0] + "']") : [], function (input) {
          if (input.type === "checkbox") {
            if (input.value === pair[1]) input.checked = true;
          } else {
            input.value = pair[1];
          }
        });
    });
  }

  // A blank form from the phone's cache (or the back button) may carry a client_uuid
  // already sent; a form the server sent back with messages keeps its own.
  function freshUuid(target, uuidInput) {
    if (target.hasAttribute("data-bound")) return;
    if (read(USED).indexOf(uuidInput.value) !== -1 ||
        read(QUEUE).some(function (each) { return each.uuid === uuidInput.value; })) {
      uuidInput.value = newUuid();
    }
  }

  function setUpForm(target) {
    var uuidInput = target.querySelector("input[name=client_uuid]");
    var queued = new URLSearchParams(location.search).get("queued");
    var entry = queued && mine().filter(function (each) { return each.uuid === queued; })[0];
    if (entry) {
      fill(target, entry.fields);
    } else {
      freshUuid(target, uuidInput);
    }
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) freshUuid(target, uuidInput);
    });
    target.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = target.querySelector("[type=submit]");
      var fields = [];
      new FormData(target).forEach(function (value, name) { fields.push([name, value]); });
      var uuid = uuidInput.value;
      var store = function () {
        keep({ uuid: uuid, user: user, fields: fields, summary: summaryOf(target),
               queued: new Date().toISOString() });
        remember(uuid);
        clearForNext(target);
        say(msg("queued"));
        button.disabled = false;
      };
      button.disabled = true;
      if (!navigator.onLine) { store(); return; }
      post(fields, false).then(function (answer) {
        if (answer.status === 200 || answer.status === 201) {
          remember(uuid);
          update(uuid, function () { return null; });
          location.assign(answer.data.redirect);
        } else if (answer.status === 400) {
          target.submit();  // the server's page shows each message beside its field
        } else {
          store();  // signed out or a server error: nothing is lost, it waits
          if (answer.status < 500) say(msg("signed-out"));
        }
      }, store);
    });
  }

  // Signing out: the service worker drops any copy of the portal pages (the next
  // person must not see them offline); entries that wait stay for their owner.
  var signOut = document.querySelector("[data-portal-signout]");
  if (signOut && navigator.serviceWorker && navigator.serviceWorker.controller) {
    signOut.addEventListener("submit", function () {
      navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
    });
  }

  panel.querySelector("[data-queue-send]").addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("storage", function (event) {
    if (event.key === QUEUE) render();
  });
  if (form) setUpForm(form);
  render();
  flush();
  window.setInterval(flush, RETRY_MS);
})();
