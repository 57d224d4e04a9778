/* gongshi: optional enhancements. Every page works without this file. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "gongshi-reading-mode";  /* also read by the inline script in <head>, before first paint */

  function remember(elder) {
    try {
      if (elder) { localStorage.setItem(KEY, "elder"); } else { localStorage.removeItem(KEY); }
    } catch (e) { /* storage may be off: the switch still works for this page */ }
  }

  /* 长者模式 (适老化): larger type and high contrast together, kept on every page and visit. */
  var buttons = document.querySelectorAll(".text-size");
  function show(elder) {
    root.classList.toggle("text-large", elder);
    root.classList.toggle("high-contrast", elder);
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", elder ? "true" : "false");
    }
  }
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      var elder = !root.classList.contains("high-contrast");
      show(elder);
      remember(elder);
    });
  }
  show(root.classList.contains("high-contrast"));

  /* Tables in articles become labelled cards on a phone (like the ledger), once each cell
     knows its column's name. Without this they stay plain tables that wrap. */
  var tables = document.querySelectorAll(".body table");
  for (var t = 0; t < tables.length; t++) {
    var heads = tables[t].querySelectorAll("thead th");
    if (!heads.length) { continue; }
    var rows = tables[t].querySelectorAll("tbody tr");
    for (var r = 0; r < rows.length; r++) {
      for (var c = 0; c < rows[r].cells.length && c < heads.length; c++) {
        rows[r].cells[c].setAttribute("data-label", heads[c].textContent.trim());
      }
    }
    tables[t].classList.add("cards");
  }

  /* 打印本页 */
  var prints = document.querySelectorAll(".print-page");
  for (var j = 0; j < prints.length; j++) {
    prints[j].hidden = false;
    prints[j].addEventListener("click", function () { window.print(); });
  }

  /* Close the phone's 更多栏目 menu with Escape or a tap elsewhere. */
  var more = document.querySelector(".nav-more");
  if (more) {
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && more.open) { more.open = false; more.querySelector("summary").focus(); }
    });
    document.addEventListener("click", function (e) {
      if (more.open && !more.contains(e.target)) { more.open = false; }
    });
  }
})();
