// The supplier form: show only the parameters of the protocol chosen (the others stay in the page, hidden).
(function () {
  function show() {
    var picker = document.getElementById("id_protocol");
    if (!picker) { return; }
    document.querySelectorAll("fieldset.protocol-parameters").forEach(function (set) {
      set.hidden = !set.classList.contains("protocol-" + picker.value);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    show();
    var picker = document.getElementById("id_protocol");
    if (picker) { picker.addEventListener("change", show); }
  });
})();
