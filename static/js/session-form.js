// The session form (Wagtail admin): the "Long programme or abroad" panel
// (institution, expected end) shows only when the chosen course is a long programme
// or the country is not Laos, and follows a change of course or country. Hidden, its
// fields keep their values and are sent as they are; without JavaScript the panel
// always shows.
(function () {
  "use strict";

  function setUp() {
    var course = document.querySelector("select[name=course][data-long-programmes]");
    var institution = document.querySelector("[name=institution]");
    if (!course || !institution) return;
    var panel = institution.closest("section.w-panel") || institution.closest("section");
    if (!panel) return;
    var country = document.querySelector("select[name=country]");
    var laos = (country && country.getAttribute("data-laos")) || "LA";
    var longProgrammes = (course.getAttribute("data-long-programmes") || "")
      .split(" ")
      .filter(Boolean);

    function applies() {
      var abroad = country && country.value && country.value !== laos;
      return abroad || longProgrammes.indexOf(course.value) !== -1;
    }

    // A panel with an error to correct stays in view.
    var hasError = Boolean(panel.querySelector(".error-message"));

    function update() {
      panel.hidden = !applies() && !hasError;
    }

    course.addEventListener("change", update);
    if (country) country.addEventListener("change", update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
