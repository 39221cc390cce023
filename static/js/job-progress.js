/*
 * Follows a background job on its page: every 1.5 s it asks the job's status URL
 * (data-status-url) and fills in the headings, the progress bar, the counts, the
 * message and, when the job is done, the download links. The page works without it: it shows the state
 * when it was loaded and a link to refresh.
 *
 * Markup: [data-job-progress] holds [data-job-field="…"] elements named after the
 * status fields (plus "percent"), [data-job-link="pdf_url|zip_url"] links,
 * [data-job-downloads] around them and [data-job-refresh].
 */
(function () {
  "use strict";

  const INTERVAL_MS = 1500;
  const FINISHED = ["done", "failed"];

  function follow(root) {
    const url = root.dataset.statusUrl;
    if (!url || FINISHED.includes(root.dataset.state)) {
      return;
    }

    function field(name) {
      return root.querySelector(`[data-job-field="${name}"]`);
    }

    function setText(name, value) {
      const element = field(name);
      if (element) {
        element.textContent = value ?? "";
      }
    }

    // The page's headings follow the job: "issuing" becomes "issued" (or "failed"),
    // in the admin header (its title and last breadcrumb) and the tab's title too.
    function retitle(heading) {
      const before = field("heading")?.textContent;
      if (!heading || !before || heading === before) {
        return;
      }
      const header = document.querySelector("header");
      if (header) {
        const walker = document.createTreeWalker(header, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const node = walker.currentNode;
          if (node.textContent.includes(before)) {
            node.textContent = node.textContent.replace(before, heading);
          }
        }
      }
      document.title = document.title.replace(before, heading);
    }

    function show(status) {
      const percent = `${status.progress} %`;
      retitle(status.heading);
      const bar = field("progress");
      if (bar) {
        bar.value = status.progress;
        bar.textContent = percent;
      }
      setText("percent", percent);
      setText("state_label", status.state_label);
      setText("heading", status.heading);
      setText("done", status.done);
      setText("total", status.total);
      setText("message", status.message);
      if (status.state === "failed") {
        field("message")?.classList.add("help-block", "help-critical");
      }
      let anyLink = false;
      root.querySelectorAll("[data-job-link]").forEach((link) => {
        const href = status[link.dataset.jobLink];
        if (href) {
          link.href = href;
          link.hidden = false;
          anyLink = true;
        }
      });
      const downloads = root.querySelector("[data-job-downloads]");
      if (downloads && anyLink) {
        downloads.hidden = false;
      }
      root.dataset.state = status.state;
    }

    function finish() {
      const refresh = root.querySelector("[data-job-refresh]");
      if (refresh) {
        refresh.hidden = true;
      }
    }

    async function poll() {
      let response;
      try {
        response = await fetch(url, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          cache: "no-store",
        });
      } catch {
        // Offline for a moment: try again; the refresh link stays meanwhile.
        window.setTimeout(poll, INTERVAL_MS);
        return;
      }
      if (response.status >= 400 && response.status < 500) {
        return; // Signed out or no longer allowed: the page keeps its refresh link.
      }
      if (response.ok) {
        if (!response.headers.get("Content-Type")?.includes("application/json")) {
          return; // Sent to the sign-in page: the page keeps its refresh link.
        }
        const status = await response.json();
        show(status);
        if (FINISHED.includes(status.state)) {
          finish();
          return;
        }
      }
      window.setTimeout(poll, INTERVAL_MS);
    }

    window.setTimeout(poll, INTERVAL_MS);
  }

  function start() {
    document.querySelectorAll("[data-job-progress]").forEach(follow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
