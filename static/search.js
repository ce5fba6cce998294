// Site-wide search with Pagefind's own interface; the index lies in ../pagefind/.
const element = document.querySelector("[data-search]");
if (element && window.PagefindUI) {
  new window.PagefindUI({
    element: "#search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
  });
  element.querySelector("input")?.focus();
}
