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
