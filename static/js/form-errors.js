/* A form sent back with errors: move the keyboard to the first field in error, so a
 * screen reader announces it with its label and its error message (Django links the
 * message to the field with aria-describedby and marks it aria-invalid). Loaded with
 * defer, from a file: the Content-Security-Policy runs no inline script. */
(function () {
  "use strict";
  var field = document.querySelector("main [aria-invalid=true]");
  if (field && typeof field.focus === "function") {
    field.focus();
  }
})();
