/**
 * Routes clicks on same-origin links through `navigate` instead of loading a new page, as Grafana
 * does for every internal link (plugins render plain anchors and rely on it). Clicks with a
 * modifier key, on links to another origin, with a target or a download attribute are left to
 * the browser. Returns a function that removes the listener.
 */
export function interceptLinkClicks(target: Document, navigate: (path: string) => void): () => void {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    const anchor = (event.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
    if (!anchor || (anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) {
      return;
    }
    const url = new URL(anchor.href, target.location.href);
    if (url.origin !== target.location.origin) {
      return;
    }
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  };
  target.addEventListener('click', onClick);
  return () => target.removeEventListener('click', onClick);
}
