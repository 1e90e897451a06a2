// Building the page from data: every string goes in as a text node, never as HTML.

// An element with properties and children (nodes, or strings as text); null and undefined
// children are left out.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}
