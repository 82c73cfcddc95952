// The staff workspace's one behaviour of its own: when a form comes back
// refused, the refusal (#form-error, which names the field and every broken
// rule) takes the focus, so a keyboard or screen-reader user lands on what
// went wrong instead of the top of the page. Without JavaScript the
// refusal is still at the top of the form, and role="alert" announces it.
(function () {
  "use strict";
  function start() {
    var e = document.getElementById("form-error");
    if (e) {
      e.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
