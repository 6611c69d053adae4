// Up/Down (and Home/End) move between the outline's links, as in VS Code's own tree views;
// Tab still walks through them one by one and Enter follows a link.
export function enableArrowKeyNavigation(container: HTMLElement, selector: string): void {
  container.addEventListener('keydown', (event) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
    const links = [...container.querySelectorAll<HTMLElement>(selector)];
    if (links.length === 0) return;
    const at = links.indexOf(document.activeElement as HTMLElement);
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? links.length - 1
          : event.key === 'ArrowDown'
            ? Math.min(at + 1, links.length - 1)
            : Math.max(at - 1, 0);
    links[next]?.focus();
    event.preventDefault();
  });
}
