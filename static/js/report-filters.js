/*
 * Reports page: choosing a province narrows the district list to that province's
 * districts. The server renders every district the user may see, each with its
 * province (data-province); this only hides the others. A district left chosen from
 * another province is cleared. Without this script the full list stays.
 */
(function () {
  "use strict";

  function narrow(select) {
    const form = select.form;
    const province = form?.elements[select.dataset.narrowedBy];
    if (!province) {
      return;
    }
    const all = Array.from(select.options);

    function update() {
      const chosen = province.value;
      const keep = all.filter(
        (option) => !option.dataset.province || !chosen || option.dataset.province === chosen,
      );
      const selected = keep.includes(select.selectedOptions[0]) ? select.value : "";
      select.replaceChildren(...keep);
      select.value = selected;
    }

    province.addEventListener("change", update);
    update();
  }

  function start() {
    document.querySelectorAll("select[data-narrowed-by]").forEach(narrow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
