"""Charts as matplotlib ``Figure`` objects (object API, Agg canvas, never pyplot), and
no Qt. ``kol_desk.charts.render`` builds and renders figures; ``kol_desk.charts.style``
holds the fonts and colours every chart shares. matplotlib is imported only when a
chart is actually drawn: it costs ~150 ms that start-up must not pay."""
