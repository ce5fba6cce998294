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

// Videos from YouTube or Vimeo load only after a click (two-click embed): until
// then nothing is requested from the video host.
for (const figure of document.querySelectorAll("figure.video[data-video]")) {
  const button = figure.querySelector("[data-video-load]");
  button.hidden = false;
  button.addEventListener("click", () => {
    const frame = document.createElement("iframe");
    frame.src = figure.dataset.video;
    frame.title = figure.dataset.videoTitle;
    frame.allow = "fullscreen; picture-in-picture";
    frame.loading = "eager";
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    figure.replaceChildren(frame);
    frame.focus();
  });
}

// Registration closes when the event starts (or at the end of its deadline's
// day): a page opened later says so at once, not only after the next build.
for (const open of document.querySelectorAll("[data-closes]")) {
  if (Date.now() >= Date.parse(open.dataset.closes)) {
    open.hidden = true;
    open.parentElement.querySelector("[data-closed]").hidden = false;
  }
}
