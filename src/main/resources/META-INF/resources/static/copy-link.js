// Roundtable: a "Copy link" button beside each read-only link field marked data-copy (the cohort page's invitation
// links). Without JavaScript the field is there to select and copy by hand; this only adds the one click.
// Same-origin file, no inline script: the strict CSP holds.
document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('input[data-copy]').forEach((field) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary copy-link';
    button.textContent = 'Copy link';
    const status = document.createElement('span');
    status.className = 'copy-status';
    status.setAttribute('role', 'status');
    const done = () => { status.textContent = 'Copied'; };
    button.addEventListener('click', () => {
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, () => {
          status.textContent = 'Selected: press Ctrl+C (⌘C) to copy';
        });
      } else {
        status.textContent = document.execCommand('copy') ? 'Copied' : 'Selected: press Ctrl+C (⌘C) to copy';
      }
    });
    field.after(button, status);
  });
});
