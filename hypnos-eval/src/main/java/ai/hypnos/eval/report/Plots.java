package ai.hypnos.eval.report;

import ai.hypnos.eval.metrics.ConfusionMatrix;
import ai.hypnos.eval.metrics.RankedScores;
import ai.hypnos.eval.protocol.Predictions;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's figures, drawn with XChart and encoded as PNG bytes (callers write them
 * atomically): confusion-matrix heatmap, true-vs-predicted hypnogram of one subject, few-shot
 * curve (κ against label fraction), ROC curve.
 */
public final class Plots {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Display order of sleep stages from top to bottom of a hypnogram. */
    private static final List<String> HYPNOGRAM_ORDER = List.of("W", "REM", "N1", "N2", "N3");

    private Plots() {
    }

    /** PNG bytes of a chart. */
    public static byte[] png(Chart<?, ?> chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** PNG bytes of charts stacked vertically. */
    public static byte[] pngStacked(List<? extends Chart<?, ?>> charts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(charts, charts.size(), 1, out, BitmapEncoder.BitmapFormat.PNG);
        return out.toByteArray();
    }

    /**
     * Row-normalised confusion matrix (each true class sums to 1) as a heatmap with the
     * fractions printed in the cells; true classes top to bottom, predictions left to right.
     */
    public static HeatMapChart confusionMatrix(ConfusionMatrix cm, List<String> classNames, String title) {
        int k = cm.numClasses();
        double[][] norm = cm.normalizedByTrue();
        HeatMapChart chart = new HeatMapChartBuilder().width(120 + 110 * k).height(90 + 90 * k).title(title).build();
        chart.setXAxisTitle("predicted");
        chart.setYAxisTitle("true");
        List<String> xs = new ArrayList<>(classNames);
        List<String> ys = new ArrayList<>(classNames);
        Collections.reverse(ys); // first class at the top
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                cells.add(new Number[] {p, k - 1 - t, Math.round(norm[t][p] * 1000) / 1000.0});
            }
        }
        chart.addSeries("fraction of true class", xs, ys, cells);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setMin(0.0);
        chart.getStyler().setMax(1.0);
        chart.getStyler().setHeatMapValueDecimalPattern("0.00");
        // A light palette so that the black cell values stay readable on every shade.
        chart.getStyler().setRangeColors(new Color[] {new Color(247, 251, 255), new Color(158, 202, 225), new Color(66, 146, 198)});
        chart.getStyler().setValueFontColor(Color.BLACK);
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    /**
     * True and predicted label sequences of one subject's recording, as two stacked step plots
     * over hours from the recording start; sleep stages are drawn in hypnogram order (W on top).
     */
    public static List<XYChart> hypnogram(Predictions subjectPredictions, double windowSeconds, String title) {
        Predictions p = subjectPredictions;
        Integer[] order = new Integer[p.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(p.index()[a], p.index()[b]));
        List<String> names = p.classNames();
        boolean staging = names.containsAll(HYPNOGRAM_ORDER) && names.size() == HYPNOGRAM_ORDER.size();
        int k = names.size();
        double[] hours = new double[order.length];
        double[] truth = new double[order.length];
        double[] pred = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            int r = order[i];
            hours[i] = p.index()[r] * windowSeconds / 3600.0;
            truth[i] = level(names.get(p.yTrue()[r]), p.yTrue()[r], staging, k);
            pred[i] = level(names.get(p.yPred()[r]), p.yPred()[r], staging, k);
        }
        List<String> axis = staging ? HYPNOGRAM_ORDER : names;
        return List.of(sequenceChart(title + " — scored", hours, truth, axis, staging, new Color(33, 113, 181)),
                sequenceChart(title + " — predicted", hours, pred, axis, staging, new Color(203, 24, 29)));
    }

    private static double level(String name, int label, boolean staging, int k) {
        // Hypnogram order: W highest, then REM, N1, N2, N3 lowest.
        return staging ? (HYPNOGRAM_ORDER.size() - 1 - HYPNOGRAM_ORDER.indexOf(name)) : label;
    }

    private static XYChart sequenceChart(String title, double[] x, double[] y, List<String> axis, boolean staging, Color color) {
        XYChart chart = new XYChartBuilder().width(1000).height(260).title(title).xAxisTitle("hours").yAxisTitle("").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setYAxisMin(-0.5);
        chart.getStyler().setYAxisMax(axis.size() - 0.5);
        int n = axis.size();
        // XChart rejects a tick spacing whose labels repeat, so only whole levels get names and
        // any other candidate tick keeps a distinct numeric label (those spacings are not chosen).
        chart.setCustomYAxisTickLabelsFormatter(v -> {
            double r = Math.rint(v);
            if (Math.abs(v - r) > 1e-6 || r < 0 || r >= n) {
                return String.format(Locale.ROOT, "%.2f", v);
            }
            return staging ? axis.get(n - 1 - (int) r) : axis.get((int) r);
        });
        double[] xs = x.length == 0 ? new double[] {0} : x;
        double[] ys = y.length == 0 ? new double[] {0} : y;
        XYSeries s = chart.addSeries("labels", xs, ys);
        s.setLineColor(color);
        s.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    /**
     * Few-shot curves: metric mean ± standard deviation over seeds against the label fraction
     * (log axis), one series per probe.
     *
     * @param curves series name → rows {@code {fraction, mean, std, seeds}}
     */
    public static XYChart fewShotCurve(Map<String, List<double[]>> curves, String metricName, String title) {
        XYChart chart = new XYChartBuilder().width(700).height(480).title(title)
                .xAxisTitle("fraction of labelled training subjects (log scale)").yAxisTitle(metricName).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setYAxisDecimalPattern("0.000");
        // No custom tick formatter here: XChart 3.8 then places linear ticks on the logarithmic
        // axis, labelling 10 % half-way between 0 and 100 %. Its own log ticks are the decades.
        chart.getStyler().setXAxisDecimalPattern("0.##");
        for (Map.Entry<String, List<double[]>> e : curves.entrySet()) {
            List<double[]> rows = e.getValue();
            double[] f = rows.stream().mapToDouble(r -> r[0]).toArray();
            double[] m = rows.stream().mapToDouble(r -> r[1]).toArray();
            double[] sd = rows.stream().mapToDouble(r -> Double.isFinite(r[2]) ? r[2] : 0).toArray();
            XYSeries s = chart.addSeries(e.getKey(), f, m, sd);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** ROC curve of a binary detector with the chance diagonal. */
    public static XYChart rocCurve(int[] y, double[] score, String title) {
        RankedScores.RocCurve roc = RankedScores.of(y, score).rocCurve();
        XYChart chart = new XYChartBuilder().width(560).height(520).title(title)
                .xAxisTitle("false-positive rate").yAxisTitle("true-positive rate").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setMarkerSize(0);
        double auc = RankedScores.of(y, score).auroc();
        XYSeries s = chart.addSeries(String.format(Locale.ROOT, "ROC (AUROC %.3f)", auc),
                roc.falsePositiveRate(), roc.truePositiveRate());
        s.setMarker(SeriesMarkers.NONE);
        // XChart 3.8 puts ticks at the data values when they are equally spaced (true positive
        // rates are multiples of 1/positives); an extra point on the diagonal breaks the spacing
        // so that the axes get round ticks.
        double off = 0.0123456789;
        XYSeries d = chart.addSeries("chance", new double[] {0, off, 1}, new double[] {0, off, 1});
        d.setMarker(SeriesMarkers.NONE);
        d.setLineColor(Color.GRAY);
        return chart;
    }
}
