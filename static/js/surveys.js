/* Survey forms: a question shown only for a given answer to an earlier question on the
 * same page (data-shown-if-question / data-shown-if-option on its fieldset) is hidden
 * until that answer is chosen. Without this script every question is shown and the
 * server leaves out the answers of hidden ones, so the form works the same. Loaded with
 * defer, from a file: the Content-Security-Policy runs no inline script. */
(function () {
  "use strict";
  var dependants = document.querySelectorAll("fieldset[data-shown-if-question]");
  if (!dependants.length) {
    return;
  }
  function chosen(questionId, optionId) {
    var inputs = document.querySelectorAll('input[name="q' + questionId + '"]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked && inputs[i].value === optionId) {
        return true;
      }
    }
    return false;
  }
  function update() {
    for (var i = 0; i < dependants.length; i++) {
      var fieldset = dependants[i];
      var question = fieldset.getAttribute("data-shown-if-question");
      var controls = document.querySelectorAll('input[name="q' + question + '"]');
      if (!controls.length) {
        continue; // the controlling question is not on this page: the server decided
      }
      var shown = chosen(question, fieldset.getAttribute("data-shown-if-option"));
      fieldset.hidden = !shown;
      fieldset.disabled = !shown;
    }
  }
  document.addEventListener("change", function (event) {
    if (event.target && /^q\d+$/.test(event.target.name || "")) {
      update();
    }
  });
  update();
})();
