/* 长者模式 (elder-friendly mode), remembered by this browser without an account.
 *
 * Loaded in <head> without defer, so the class is on <html> before the page paints: no
 * flash of the standard layout. The page's HTML is the same for every visitor (the
 * public page cache keeps one copy); the mode lives in local storage and in CSS only
 * (static/css/portal.css, "html.elder"). A file, not inline code: the
 * Content-Security-Policy runs scripts from the portal's own files only.
 */
(function () {
  "use strict";
  var KEY = "portal-elder-mode";
  var root = document.documentElement;

  function remembered() {
    try {
      return window.localStorage.getItem(KEY) === "on";
    } catch (error) {  // storage switched off: the standard mode
      return false;
    }
  }

  function remember(on) {
    try {
      if (on) {
        window.localStorage.setItem(KEY, "on");
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (error) { /* not remembered; the mode still applies to this page */ }
  }

  function apply(on) {
    root.classList.toggle("elder", on);
  }

  // The switch shows only where this script runs ("js"); without it the 无障碍 page
  // explains the mode.
  root.classList.add("js");
  // A link may choose the mode (?elder=1 or ?elder=0): remembered like a click, and taken
  // off the address so that it is not bookmarked or shared with the choice in it.
  var chosen = /[?&]elder=([01])(?:&|$)/.exec(window.location.search);
  if (chosen) {
    remember(chosen[1] === "1");
    var rest = window.location.search.replace(/([?&])elder=[01](&|$)/, "$1").replace(/[?&]$/, "");
    window.history.replaceState(window.history.state, "", window.location.pathname + rest + window.location.hash);
  }
  apply(chosen ? chosen[1] === "1" : remembered());

  // Delegated: the buttons come later in the document than this script.
  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest("[data-elder-toggle]") : null;
    if (!button) {
      return;
    }
    var on = !root.classList.contains("elder");
    apply(on);
    remember(on);
    // Keep the keyboard where it was: the label changed, the button did not move away.
    button.focus();
  });

  // Another tab switched the mode: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      apply(event.newValue === "on");
    }
  });
})();
