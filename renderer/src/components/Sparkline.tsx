// A tiny trend line; the number beside it is what screen readers get.
import { memo } from 'react';

const WIDTH = 64;
const HEIGHT = 18;

export interface SparklineProps {
  values: readonly number[];
  /**
   * 'zero': the axis starts at 0 and reaches at least `floor` (CPU: 0 % is meaningful).
   * 'range': the axis spans the values seen, at least `minSpan` of the largest (memory: the
   * interesting part is the drift, not the distance from zero).
   */
  scale: 'zero' | 'range';
  floor?: number;
  minSpan?: number;
}

function bounds(values: readonly number[], { scale, floor = 0, minSpan = 0.1 }: SparklineProps): [number, number] {
  const hi = Math.max(...values);
  if (scale === 'zero') return [0, Math.max(hi, floor) || 1];
  const lo = Math.min(...values);
  const span = Math.max(hi - lo, hi * minSpan) || 1;
  const pad = (span - (hi - lo)) / 2;
  return [lo - pad, lo - pad + span];
}

export const Sparkline = memo(function Sparkline(props: SparklineProps) {
  const { values } = props;
  if (values.length < 2) return <svg className="spark" width={WIDTH} height={HEIGHT} aria-hidden="true" />;
  const [lo, hi] = bounds(values, props);
  const step = WIDTH / (values.length - 1);
  const points = values
    .map((v, i) => `${(i * step).toFixed(1)},${(HEIGHT - 1 - ((v - lo) / (hi - lo)) * (HEIGHT - 2)).toFixed(1)}`)
    .join(' ');
  return (
    <svg className="spark" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" focusable="false">
      <polyline className="spark__area" points={`0,${HEIGHT} ${points} ${WIDTH},${HEIGHT}`} />
      <polyline className="spark__line" points={points} />
    </svg>
  );
});
