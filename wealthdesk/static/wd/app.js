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
