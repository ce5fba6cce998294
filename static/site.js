// Small enhancements for every page; the site works without them.

// E-mail addresses are not in the HTML as text (harvesters read HTML, not scripts):
// the two halves stand reversed in data attributes and become a link here.
for (const element of document.querySelectorAll("span.email[data-user][data-domain]")) {
  const reverse = (text) => [...text].reverse().join("");
  const address = `${reverse(element.dataset.user)}@${reverse(element.dataset.domain)}`;
  const link = document.createElement("a");
  link.href = `mailto:${address}`;
  link.textContent = address;
  element.replaceWith(link);
}
