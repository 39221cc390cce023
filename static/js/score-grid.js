/*
 * The score grid: Enter moves down to the next person, as Tab does (the boxes'
 * tabindex puts each column in order, top to bottom, then the next column).
 * Enter in the last box saves, as it does without this script.
 *
 * Markup: form[data-score-grid] with inputs [data-score][tabindex].
 */
(function () {
  "use strict";

  function boxes(form) {
    return Array.from(form.querySelectorAll("input[data-score]")).sort(
      function (a, b) {
        return a.tabIndex - b.tabIndex;
      },
    );
  }

  document.querySelectorAll("form[data-score-grid]").forEach(function (form) {
    form.addEventListener("keydown", function (event) {
      const box = event.target;
      if (event.key !== "Enter" || !box.matches("input[data-score]")) {
        return;
      }
      const order = boxes(form);
      const next = order[order.indexOf(box) + (event.shiftKey ? -1 : 1)];
      if (next) {
        event.preventDefault();
        next.focus();
        next.select();
      } else if (event.shiftKey) {
        event.preventDefault();
      }
    });
  });
})();
