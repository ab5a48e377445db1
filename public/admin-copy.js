/* global document, navigator */
// Copy buttons of the admin console: shown only when the clipboard can be used; the field stays selectable without them.
for (const button of document.querySelectorAll('button.admin-copy')) {
  if (!navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', () => {
    const field = document.getElementById(button.dataset.copy);
    if (field)
      navigator.clipboard.writeText(field.value).then(
        () => field.select(),
        () => field.select(),
      );
  });
}
