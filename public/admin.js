// Back office: buttons marked data-confirm="…" ask before they act. Loaded as a file
// because the Content-Security-Policy allows no inline event handlers.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-confirm]") : null;
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
