import { useEffect, useRef, useState } from 'react';

/**
 * The current width of an element, followed as it resizes. Starts at `initial` so that the first
 * render has a size even where ResizeObserver is missing.
 */
export function useElementWidth<E extends HTMLElement>(initial = 800) {
  const ref = useRef<E>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    if (element.clientWidth > 0) {
      setWidth(element.clientWidth);
    }
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver((entries) => {
      const measured = entries[0]?.contentRect.width;
      if (measured && measured > 0) {
        setWidth(Math.floor(measured));
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}
