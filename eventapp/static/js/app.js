// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen-reader users hear what went wrong.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();

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
