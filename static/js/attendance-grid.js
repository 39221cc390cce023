/*
 * The attendance grid without a round trip: "All present" fills a day's or a
 * person's selects, and the totals, the % and the colours follow every change.
 * The page works without it: the same buttons then save the grid with that day or
 * person present and show it again.
 *
 * Markup: form[data-attendance-grid][data-rule] (the course's minimum %), rows
 * tr[data-person] with selects [data-day], cells td[data-status], totals
 * [data-person-total] and [data-day-total="<day id>"], buttons [data-fill-day] and
 * [data-fill-person].
 */
(function () {
  "use strict";

  const ATTENDED = ["present", "late"];

  function percent(part, whole) {
    return whole ? Math.round((part * 100) / whole) : 0;
  }

  function refresh(form) {
    const rule = Number(form.dataset.rule || 0);
    const rows = Array.from(form.querySelectorAll("tr[data-person]"));
    const dayCounts = {};
    rows.forEach(function (row) {
      const selects = Array.from(row.querySelectorAll("select[data-day]"));
      let attended = 0;
      selects.forEach(function (select) {
        select.closest("td").dataset.status = select.value;
        if (ATTENDED.includes(select.value)) {
          attended += 1;
          dayCounts[select.dataset.day] = (dayCounts[select.dataset.day] || 0) + 1;
        }
      });
      const total = row.querySelector("[data-person-total]");
      const share = percent(attended, selects.length);
      total.textContent = attended + "/" + selects.length + " · " + share + " %";
      total.classList.toggle("is-below", share < rule);
    });
    form.querySelectorAll("[data-day-total]").forEach(function (cell) {
      const count = dayCounts[cell.dataset.dayTotal] || 0;
      cell.textContent =
        count + "/" + rows.length + " · " + percent(count, rows.length) + " %";
    });
  }

  function fill(form, selects) {
    selects.forEach(function (select) {
      select.value = "present";
    });
    refresh(form);
  }

  function start(form) {
    form.addEventListener("change", function () {
      refresh(form);
    });
    form.addEventListener("click", function (event) {
      const button = event.target.closest("[data-fill-day], [data-fill-person]");
      if (!button) {
        return;
      }
      event.preventDefault();
      if (button.dataset.fillDay) {
        fill(form, form.querySelectorAll(
          'select[data-day="' + button.dataset.fillDay + '"]'));
      } else {
        const row = form.querySelector(
          'tr[data-person="' + button.dataset.fillPerson + '"]');
        fill(form, row.querySelectorAll("select[data-day]"));
      }
    });
  }

  document.querySelectorAll("form[data-attendance-grid]").forEach(start);
})();
