// Roundtable: small additions to pages that work without JavaScript. Same-origin only (strict CSP).
document.addEventListener('DOMContentLoaded', () => {
  // Disable a form's submit button after the first submit (the idempotency key makes a second one harmless anyway).
  document.querySelectorAll('form[data-once]').forEach((form) => {
    form.addEventListener('submit', () => {
      form.querySelectorAll('button[type=submit]').forEach((b) => { b.disabled = true; });
    });
  });
});
