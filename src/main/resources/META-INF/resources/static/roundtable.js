// Roundtable: small additions to pages that work without JavaScript. Same-origin only (strict CSP).
document.addEventListener('DOMContentLoaded', () => {
  // Disable a form's submit button after the first submit (the idempotency key makes a second one harmless anyway).
  document.querySelectorAll('form[data-once]').forEach((form) => {
    form.addEventListener('submit', () => {
      form.querySelectorAll('button[type=submit]').forEach((b) => { b.disabled = true; });
    });
  });
  // The header's menu: a wide screen shows its links in a row (the stylesheet does it where ::details-content is known;
  // elsewhere the menu is opened here). On a phone it stays a menu that opens and closes without this script.
  const menu = document.querySelector('details.site-menu');
  if (menu && window.CSS && !CSS.supports('selector(::details-content)')) {
    const wide = window.matchMedia('(min-width: 48rem)');
    const follow = () => { if (wide.matches) { menu.open = true; } };
    follow();
    wide.addEventListener('change', follow);
  }
});
