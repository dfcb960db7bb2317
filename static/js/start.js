// Inside the page: once the shell is painted, ask for app.js, then its imports 2 per task.
// Chromium's install dialog can be offered before then: kept for the install hint (app.js).
addEventListener('beforeinstallprompt', (event) => { event.preventDefault(); window.thawInstall = event; });
{
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    const base = document.querySelector('meta[name=thaw-static]').content;
    const names = document.querySelector('meta[name=thaw-modules]').content.split(' ');
    const add = (tag, props) => document.head.append(Object.assign(document.createElement(tag), { fetchPriority: 'low', ...props }));
    add('script', { type: 'module', src: `${base}/js/app.js` });
    for (let i = 0; i < names.length; i += 2) {
      setTimeout(() => names.slice(i, i + 2).forEach((name) => add('link', { rel: 'modulepreload', href: `${base}/${name}` })));
    }
  };
  setTimeout(start, 3000); // never later, painted or not (a hidden tab paints nothing)
  try {
    if (self.PerformanceObserver?.supportedEntryTypes?.includes('paint')) {
      new PerformanceObserver(start).observe({ type: 'paint', buffered: true });
    } else start();
  } catch {
    start(); // an observer refused: never stuck on "Opening…"
  }
}
