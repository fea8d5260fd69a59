// khabar serve: the app's only script. Small and optional: every page works without it.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // A document opened at a cited sentence: bring the sentence into view (the #cited fragment
  // does this too; this also covers links without the fragment) and give it focus.
  var cited = document.getElementById("cited");
  if (cited) {
    cited.scrollIntoView({ block: "center" });
    cited.focus({ preventScroll: true });
  }

  // Forms that change a lot (merge, undo) ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  // Filter forms: leave empty fields out of the address, so bookmarked views stay short.
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (field) {
        if (field.name && field.type !== "checkbox" && field.value === "") {
          field.disabled = true;
        }
      });
    });
  });
});

// Coming back to a page (history), fields left out above must be usable again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form.filters [disabled]").forEach(function (field) {
    field.disabled = false;
  });
});

// "/" puts the cursor in the search box at the top of every page, unless one is typing in a
// field already (then "/" is just a character) or holds a modifier key.
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
    return;
  }
  var target = event.target;
  var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
  if (tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable)) {
    return;
  }
  var box = document.querySelector('header.top form.search input[name="q"]');
  if (!box) {
    return;
  }
  event.preventDefault();
  box.focus();
  box.select();
});
