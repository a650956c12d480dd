// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen-reader users hear what went wrong.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // A table that is wider than the screen scrolls inside its .table-scroll wrapper (WCAG
  // 1.4.10 allows it for data tables). Keyboard users can only scroll it when the wrapper can
  // take focus, and screen-reader users need to know what the focusable region is: make it a
  // named region only while it really scrolls, so wide screens get no extra tab stop.
  const scrollers = [...document.querySelectorAll(".table-scroll:not([tabindex])")];
  const markScrollable = () => {
    scrollers.forEach((wrapper) => {
      if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
        const table = wrapper.querySelector("table");
        const caption = table && table.querySelector("caption");
        const name = (caption && caption.textContent.trim())
          || (table && table.getAttribute("aria-label"))
          || (table && table.getAttribute("aria-labelledby")
            && document.getElementById(table.getAttribute("aria-labelledby").split(" ")[0])?.textContent.trim());
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        if (name) wrapper.setAttribute("aria-label", name);
      } else if (wrapper.getAttribute("role") === "region") {
        wrapper.removeAttribute("tabindex");
        wrapper.removeAttribute("role");
        wrapper.removeAttribute("aria-label");
      }
    });
  };
  markScrollable();
  window.addEventListener("resize", markScrollable);

  // Copy buttons: <button data-copy-target="id">.
  document.querySelectorAll("[data-copy-target]").forEach((button) => {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copyTarget);
      if (!source) return;
      try {
        await navigator.clipboard.writeText(source.value || source.textContent);
        const status = document.getElementById(button.dataset.copyStatus || "");
        if (status) status.textContent = button.dataset.copiedText || "OK";
      } catch (error) {
        source.select && source.select();
      }
    });
  });
});
