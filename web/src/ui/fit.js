// ui/fit.js: tables that do not fit become cards. Every table in a
// `.table-wrap` of the page is measured after each change of the page and
// of the window: when it is wider than its box (a phone, a long row of
// actions), the box gets the class `as-cards` and style.css shows each row
// as a card, each cell under its column's name (the cell's data-label; one
// is given here from the table's header where a screen set none). So every
// button of a row stays within the screen, without horizontal scrolling.
// Tables that fit stay tables.

/** Gives each cell of table without a data-label the text of its column's header. */
function labelCells(table) {
  const heads = table.tHead ? [...table.tHead.rows[0]?.cells || []].map((th) => th.textContent.trim()) : [];
  if (!heads.length) return;
  for (const body of table.tBodies)
    for (const row of body.rows) {
      let col = 0;
      for (const cell of row.cells) {
        if (!cell.hasAttribute('data-label') && heads[col]) cell.setAttribute('data-label', heads[col]);
        col += cell.colSpan || 1;
      }
    }
}

/** Measures wrap's table as a table, and turns it into cards when it is wider than wrap. */
function fit(wrap) {
  const table = wrap.querySelector('table');
  if (!table || !wrap.clientWidth) return;   // not shown (a closed <details>)
  labelCells(table);
  wrap.classList.remove('as-cards');
  if (table.scrollWidth > wrap.clientWidth + 1) wrap.classList.add('as-cards');
}

/** Keeps the tables under root fitted from now on; returns the function that stops it. */
export function fitTables(root) {
  let queued = false;
  const run = () => {
    queued = false;
    for (const wrap of root.querySelectorAll('.table-wrap')) fit(wrap);
  };
  const later = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(run);
    }
  };
  const observer = new MutationObserver(later);   // childList and text only: our class changes do not wake it
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  window.addEventListener('resize', later);
  root.addEventListener('toggle', later, true);   // a <details> with a table opened
  later();
  return () => {
    observer.disconnect();
    window.removeEventListener('resize', later);
    root.removeEventListener('toggle', later, true);
  };
}
