/*
 * A long list of ticks (common.widgets.SearchableSelectMultiple) with a search
 * field: typing hides the choices whose text does not contain what is typed; the
 * people or organisations ticked stay listed first and are counted.
 *
 * Markup: div[data-searchable-select] holding input.suksa-pick__search,
 * p.suksa-pick__count and div.suksa-pick__options with the checkbox labels.
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFC").toLocaleLowerCase().replace(/\s+/g, " ").trim();
  }

  function start(box) {
    const search = box.querySelector(".suksa-pick__search");
    const count = box.querySelector(".suksa-pick__count");
    const options = box.querySelector(".suksa-pick__options");
    const items = Array.from(options.querySelectorAll("input[type=checkbox]")).map(
      function (input) {
        const label = input.closest("label");
        return { input: input, row: label.parentElement, text: fold(label.textContent) };
      }
    );
    const list = items.length ? items[0].row.parentElement : null;

    function counted() {
      const chosen = items.filter(function (item) {
        return item.input.checked;
      }).length;
      count.textContent = chosen ? chosen + " ✓" : "";
    }

    function filter() {
      const query = fold(search.value);
      items.forEach(function (item) {
        item.row.hidden = query !== "" && !item.text.includes(query);
      });
    }

    // The chosen ones first, so that what the record holds is seen at once.
    if (list) {
      items
        .filter(function (item) {
          return item.input.checked;
        })
        .reverse()
        .forEach(function (item) {
          list.insertBefore(item.row, list.firstChild);
        });
    }
    search.hidden = false;
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter here searches; it does not save the form.
      }
    });
    options.addEventListener("change", counted);
    counted();
  }

  function startAll() {
    document.querySelectorAll("[data-searchable-select]").forEach(function (box) {
      if (!box.dataset.started) {
        box.dataset.started = "1";
        start(box);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
