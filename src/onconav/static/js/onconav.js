// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  // Language select submits itself; the button stays for keyboard and no-JS users.
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t && t.matches && t.matches("select[data-autosubmit]")) { t.form.submit(); }
  });
  // Move focus to the error summary so screen-reader users hear it first.
  document.addEventListener("DOMContentLoaded", function () {
    var s = document.querySelector("[data-focus-on-load]");
    if (s) { s.focus(); }
  });
  // htmx sends the CSRF token with every request.
  document.addEventListener("htmx:configRequest", function (e) {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) { e.detail.headers["X-CSRFToken"] = decodeURIComponent(m[1]); }
  });
})();
