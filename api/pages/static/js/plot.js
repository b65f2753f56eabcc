// Draws every <figure class="plot" data-preview="..."> of a page with uPlot, from the run's preview JSON.
// (The full drawing, live updates and axis labels come with the run pages.)
