// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var T = function (el, key, fallback) { return (el && el.getAttribute(key)) || fallback; };

  // Language select submits itself; the button stays for keyboard and no-JS users.
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t && t.matches && t.matches("select[data-autosubmit]")) { t.form.submit(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // Phone navigation: the menu button opens and closes the navigation.
    var toggle = document.querySelector(".menu-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var header = toggle.closest(".site-header");
        var open = header.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // Move focus to the error summary, else to the results, so screen-reader users hear them first.
    var s = document.querySelector("[data-focus-on-load]");
    if (s) { s.focus(); s.scrollIntoView({ block: "start" }); }
  });

  // Uploads: a progress bar, and the button disabled while the file is sent.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches || !window.XMLHttpRequest || !window.FormData) { return; }
    if (form.matches("form[data-upload]")) {
      var fileInput = form.querySelector("input[type=file]");
      if (!fileInput || !fileInput.files || !fileInput.files.length) { return; }
      e.preventDefault();
      var button = form.querySelector("button[type=submit], button:not([type])");
      var box = form.querySelector(".progress");
      var bar = box && box.querySelector("progress");
      var label = box && box.querySelector(".progress-label");
      if (button) { button.disabled = true; }
      if (box) { box.hidden = false; }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("X-Upload-Progress", "1");
      xhr.upload.addEventListener("progress", function (ev) {
        if (ev.lengthComputable && bar) {
          var pct = Math.round((ev.loaded / ev.total) * 100);
          bar.value = pct;
          if (label) { label.textContent = T(box, "data-sending", "Sending") + " " + pct + "%"; }
        }
      });
      var fail = function (text) {
        if (button) { button.disabled = false; }
        if (label) { label.textContent = text || T(box, "data-failed", "The upload failed. Try again."); }
        if (label) { label.setAttribute("role", "alert"); }
      };
      xhr.addEventListener("load", function () {
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = null; }
        if (data && data.redirect) {
          if (label) { label.textContent = T(box, "data-done", "Sent"); }
          window.location.assign(data.redirect);
        } else {
          fail(data && data.errors ? data.errors.join(" ") : null);
        }
      });
      xhr.addEventListener("error", function () { fail(null); });
      xhr.send(new FormData(form));
      return;
    }
    // PDF and other slow downloads: say that it is being prepared; the button comes back when
    // the file has arrived (the server sets a cookie with the token the form sent).
    var submitter = e.submitter;
    if (submitter && submitter.matches("[data-download]")) {
      var token = String(Date.now());
      var input = form.querySelector("input[name=download_token]");
      if (!input) { input = document.createElement("input"); input.type = "hidden"; input.name = "download_token"; form.appendChild(input); }
      input.value = token;
      var status = document.getElementById(submitter.getAttribute("data-download"));
      // Disabled only after the browser has read the button (its formaction and value).
      window.setTimeout(function () { submitter.disabled = true; submitter.classList.add("busy"); }, 0);
      if (status) { status.hidden = false; }
      var started = Date.now();
      var timer = window.setInterval(function () {
        if (document.cookie.indexOf("download_done=" + token) !== -1 || Date.now() - started > 60000) {
          window.clearInterval(timer);
          submitter.disabled = false; submitter.classList.remove("busy");
          if (status) { status.hidden = true; }
        }
      }, 500);
    }
  });

  // Download links (PDF reports): the same "being prepared" status, with the token in the URL.
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[data-download]") : null;
    if (!a) { return; }
    var token = String(Date.now());
    var url = new URL(a.href, window.location.href);
    url.searchParams.set("download_token", token);
    a.href = url.toString();
    var status = document.getElementById(a.getAttribute("data-download"));
    if (status) { status.hidden = false; }
    a.classList.add("busy"); a.setAttribute("aria-disabled", "true");
    var started = Date.now();
    var timer = window.setInterval(function () {
      if (document.cookie.indexOf("download_done=" + token) !== -1 || Date.now() - started > 60000) {
        window.clearInterval(timer);
        a.classList.remove("busy"); a.removeAttribute("aria-disabled");
        if (status) { status.hidden = true; }
      }
    }, 500);
  });

  // Other slow forms (a profile file read and answered on the server): the button is disabled
  // and a status line says what is happening, until the next page arrives.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || !form.matches || !form.matches("form[data-busy]")) { return; }
    var button = e.submitter || form.querySelector("button[type=submit], button:not([type])");
    var status = form.querySelector("[data-busy-status]");
    window.setTimeout(function () { if (button) { button.disabled = true; button.classList.add("busy"); } }, 0);
    if (status) { status.hidden = false; }
  });
  // Back to a page kept in the browser's cache: its buttons work again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-busy] button.busy").forEach(function (b) { b.disabled = false; b.classList.remove("busy"); });
    document.querySelectorAll("form[data-busy] [data-busy-status]").forEach(function (s) { s.hidden = true; });
  });

  // htmx sends the CSRF token with every request.
  document.addEventListener("htmx:configRequest", function (e) {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) { e.detail.headers["X-CSRFToken"] = decodeURIComponent(m[1]); }
  });
})();
