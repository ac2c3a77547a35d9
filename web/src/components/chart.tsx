import { useEffect, useRef } from "preact/hooks";

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  color: string;
}

/**
 * A time-series chart drawn by uPlot, imported when the first chart mounts:
 * the library stays out of the entry bundle (home page budget) and out of
 * every page that has no chart.
 */
export function TimeChart({
  title,
  time,
  series,
  height = 220,
}: {
  title: string;
  time: string[];
  series: ChartSeries[];
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: { destroy(): void; setSize(s: { width: number; height: number }): void } | undefined;
    let cancelled = false;
    const resize = () => plot && box.current && plot.setSize({ width: box.current.clientWidth, height });
    void Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]).then(([{ default: UPlot }]) => {
      if (cancelled || !box.current) return;
      const xs = time.map((t) => Date.parse(t) / 1000);
      plot = new UPlot(
        {
          width: box.current.clientWidth || 600,
          height,
          series: [
            {},
            ...series.map((s) => ({
              label: s.label,
              stroke: s.color,
              width: 2,
              spanGaps: false,
              // A value with no neighbour (one hour of streaming in a week) has no line to draw: a dot shows it.
              points: { show: true, size: 6, fill: s.color, filter: isolated(s.values) },
            })),
          ],
          axes: [{ stroke: "#9aa4b2" }, { stroke: "#9aa4b2" }],
          legend: { show: true },
        },
        [xs, ...series.map((s) => s.values)],
        box.current,
      );
      window.addEventListener("resize", resize);
    });
    return () => {
      cancelled = true;
      window.removeEventListener("resize", resize);
      plot?.destroy();
    };
  }, [time, series, height]);
  return (
    <figure class="panel" style={{ margin: "0 0 1rem" }}>
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={title} />
    </figure>
  );
}

/** Indices of values whose neighbours are both missing (gaps are not spanned, so no line reaches them). */
export function isolated(values: ReadonlyArray<number | null>): number[] {
  const out: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && (values[i - 1] ?? null) === null && (values[i + 1] ?? null) === null) out.push(i);
  });
  return out;
}
