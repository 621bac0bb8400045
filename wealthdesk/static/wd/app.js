// WealthDesk: small behaviours without inline scripts (CSP: script-src 'self').
document.addEventListener("change", function (e) {
  if (e.target.matches("[data-autosubmit]")) { e.target.form.submit(); }
});
// Charts: any element with data-chart holds its ECharts option as JSON in a sibling <script type="application/json">.
function wdRenderCharts(root) {
  if (typeof echarts === "undefined") { return; }
  (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
    var src = document.getElementById(el.dataset.chart);
    if (!src) { return; }
    var chart = echarts.getInstanceByDom(el) || echarts.init(el);
    chart.setOption(JSON.parse(src.textContent));
  });
}
document.addEventListener("DOMContentLoaded", function () { wdRenderCharts(document); });
document.addEventListener("htmx:afterSwap", function (e) { wdRenderCharts(e.target); });
// Bootstrap modal for htmx dialogs: a response swapped into #wd-modal-body opens #wd-modal.
document.addEventListener("htmx:afterSwap", function (e) {
  if (e.target.id === "wd-modal-body" && typeof bootstrap !== "undefined") {
    bootstrap.Modal.getOrCreateInstance(document.getElementById("wd-modal")).show();
  }
});
document.addEventListener("wd:close-modal", function () {
  var m = document.getElementById("wd-modal");
  if (m && typeof bootstrap !== "undefined") { bootstrap.Modal.getOrCreateInstance(m).hide(); }
});
// Errors reach the eye (DESIGN rule 12). htmx swaps 2xx and 400/409/422 answers (the form re-rendered with its
// reasons; see the htmx-config meta in base.html); every other failed answer and a lost connection show a message
// in the toast area, in the page's language (texts on #wd-toasts, rendered by the server).
function wdToast(message, level) {
  var box = document.getElementById("wd-toasts");
  if (!box || !message) { return; }
  var el = document.createElement("div");
  el.className = "alert alert-" + (level || "danger") + " alert-dismissible shadow-sm mb-2";
  el.setAttribute("role", level === "success" ? "status" : "alert");
  el.dataset.level = level || "danger";
  el.textContent = message;
  var close = document.createElement("button");
  close.type = "button";
  close.className = "btn-close";
  close.setAttribute("data-bs-dismiss", "alert");
  close.setAttribute("aria-label", box.dataset.close || "close");
  el.appendChild(close);
  box.appendChild(el);
  if (level === "success") { setTimeout(function () { el.remove(); }, 6000); }
}
function wdFailureText(xhr) {
  var box = document.getElementById("wd-toasts") || { dataset: {} };
  var status = xhr ? xhr.status : 0;
  var generic = status === 403 ? box.dataset.msgForbidden : status === 404 ? box.dataset.msgMissing
    : status >= 500 ? box.dataset.msgServer : box.dataset.msgOther;
  // A short fragment from the server (not a whole error page) says more than the generic text: show both.
  var body = xhr && typeof xhr.responseText === "string" ? xhr.responseText : "";
  if (body && body.length < 2000 && !/<html|<body|<!doctype/i.test(body)) {
    var detail = (new DOMParser().parseFromString(body, "text/html").body.textContent || "").trim();
    if (detail && detail !== generic) { return generic + " " + detail; }
  }
  return generic;
}
document.addEventListener("htmx:beforeSwap", function (e) {
  if (e.detail.isError && !e.detail.shouldSwap) { wdToast(wdFailureText(e.detail.xhr), "danger"); }
});
document.addEventListener("htmx:sendError", function () {
  var box = document.getElementById("wd-toasts");
  wdToast(box ? box.dataset.msgNetwork : "", "danger");
});
// A server answer can ask for a confirmation: HX-Trigger {"wd:toast": {"message": "...", "level": "success"}}.
document.addEventListener("wd:toast", function (e) {
  wdToast(e.detail && e.detail.message, (e.detail && e.detail.level) || "success");
});
// Enter in a field with data-enter-clicks presses that button instead of submitting the surrounding form.
document.addEventListener("keydown", function (e) {
  if (e.key !== "Enter" || e.isComposing || !e.target.matches || !e.target.matches("[data-enter-clicks]")) { return; }
  e.preventDefault();
  var button = document.querySelector(e.target.dataset.enterClicks);
  if (button) { button.click(); }
});
// Search pickers (core/picker.py): type a name or the last digits of a mobile, pick one of at most 20 results.
function wdPickerSetup(root) {
  (root || document).querySelectorAll("[data-picker]:not([data-picker-ready])").forEach(function (box) {
    box.setAttribute("data-picker-ready", "1");
    var input = box.querySelector("[data-picker-input]");
    var hidden = box.querySelector("[data-picker-value]");
    var list = box.querySelector("[data-picker-results]");
    var timer = null, seq = 0, active = -1;
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function choose(item) {
      hidden.value = item.dataset.id;
      input.value = item.dataset.label;
      close();
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function mark(i) {
      var items = list.querySelectorAll("[data-id]");
      items.forEach(function (el, j) { el.classList.toggle("active", j === i); });
      active = i;
    }
    function show(data) {
      list.replaceChildren();
      data.results.forEach(function (r) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "list-group-item list-group-item-action py-1";
        b.setAttribute("role", "option");
        b.dataset.id = r.id;
        b.dataset.label = r.label;
        b.textContent = r.label;
        if (r.detail) {
          var s = document.createElement("small");
          s.className = "text-muted ms-2";
          s.textContent = r.detail;
          b.appendChild(s);
        }
        b.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(b); });
        list.appendChild(b);
      });
      if (!data.results.length || data.more) {
        var note = document.createElement("div");
        note.className = "list-group-item small text-muted py-1";
        note.textContent = data.results.length ? box.dataset.more : box.dataset.empty;
        list.appendChild(note);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }
    function search() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var mine = ++seq;
      fetch(box.dataset.url + (box.dataset.url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q),
            { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw r; } return r.json(); })
        .then(function (data) { if (mine === seq) { show(data); } })
        .catch(function (r) { wdToast(wdFailureText(r && r.status ? { status: r.status } : null), "danger"); });
    }
    input.addEventListener("input", function () {
      hidden.value = "";  // typing again un-chooses: the form never sends a stale id
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (e) {
      var items = list.querySelectorAll("[data-id]");
      if (e.key === "ArrowDown" && items.length) { e.preventDefault(); mark(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp" && items.length) { e.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && !list.hidden) {
        e.preventDefault();  // Enter picks a result, it does not submit the form
        if (items.length) { choose(items[active >= 0 ? active : 0]); }
      } else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  });
}
document.addEventListener("DOMContentLoaded", function () { wdPickerSetup(document); });
document.addEventListener("htmx:load", function (e) { wdPickerSetup(e.target); });
// "填入": a button with data-fill="#field" adds the lines of its [data-suggest] box to that field (once).
document.addEventListener("click", function (e) {
  var btn = e.target.closest ? e.target.closest("[data-fill]") : null;
  if (!btn) { return; }
  var field = document.querySelector(btn.dataset.fill);
  var box = btn.closest("[data-suggest]");
  if (!field || !box) { return; }
  var current = field.value.split("\n").map(function (l) { return l.trim(); });
  var add = Array.prototype.map.call(box.querySelectorAll("[data-line]"), function (el) { return el.textContent.trim(); })
    .filter(function (l) { return l && current.indexOf(l) < 0; });
  if (add.length) { field.value = (field.value.trim() ? field.value.replace(/\s+$/, "") + "\n" : "") + add.join("\n"); }
  field.dispatchEvent(new Event("input", { bubbles: true }));
});
