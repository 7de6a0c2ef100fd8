// The two DOM helpers the demo shop and the console share (plain ES module, no build step).

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** Builds an element; children are nodes or text (never parsed as HTML). */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'class') element.className = value;
    else element.setAttribute(key, value === true ? '' : value);
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return element;
}
