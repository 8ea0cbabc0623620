package ai.hypnos.train.metrics;

import ai.hypnos.core.io.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loss-curve figure of a run ({@code loss.png}): on top, training loss and validation loss
 * against step; below, validation loss per modality, with the unigram entropy of each modality's
 * tokens as a dashed reference line when given (a model that learned nothing sits on it).
 */
public final class LossCurves {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** One colour per modality, shared by its loss curve and its entropy line (Tableau 10). */
    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)
    };

    private LossCurves() {
    }

    /**
     * Writes the figure (atomically).
     *
     * @param rows       the run's metric rows
     * @param modalities modality names (validation columns {@code val_loss/<name>})
     * @param entropy    unigram entropy per modality (nats), or empty
     */
    public static void write(Path png, List<MetricsLog.Row> rows, List<String> modalities, Map<String, Double> entropy)
            throws IOException {
        XYChart top = chart("Pretraining loss", "loss (nats)");
        series(top, "train", rows, "train", "loss");
        series(top, "validation", rows, "val", "val_loss");
        XYChart bottom = chart("Validation loss per modality (dashed: unigram entropy of its tokens)", "loss (nats)");
        for (int i = 0; i < modalities.size(); i++) {
            String m = modalities.get(i);
            Color color = PALETTE[i % PALETTE.length];
            XYSeries s = series(bottom, m, rows, "val", "val_loss/" + m);
            if (s == null) {
                continue;
            }
            s.setLineColor(color);
            s.setMarkerColor(color);
            Double h = entropy.get(m);
            if (h != null && Double.isFinite(h)) {
                List<Double> x = xs(rows, "val", "val_loss/" + m);
                XYSeries ref = bottom.addSeries(m + " unigram entropy", List.of(x.get(0), x.get(x.size() - 1)), List.of(h, h));
                ref.setLineColor(color);
                ref.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 4f}, 0f));
                ref.setMarker(SeriesMarkers.NONE);
                ref.setShowInLegend(false);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(List.of(top, bottom), 2, 1, out, BitmapEncoder.BitmapFormat.PNG);
        try (AtomicFile f = AtomicFile.create(png)) {
            f.stream().write(out.toByteArray());
            f.commit();
        }
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(900).height(420).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setMarkerSize(4);
        return c;
    }

    private static XYSeries series(XYChart chart, String name, List<MetricsLog.Row> rows, String kind, String key) {
        List<Double> x = xs(rows, kind, key);
        if (x.isEmpty()) {
            return null;
        }
        List<Double> y = new ArrayList<>();
        for (MetricsLog.Row r : rows) {
            Double v = r.kind().equals(kind) ? r.values().get(key) : null;
            if (v != null && Double.isFinite(v)) {
                y.add(v);
            }
        }
        XYSeries s = chart.addSeries(name, x, y);
        if (x.size() > 60) {
            s.setMarker(SeriesMarkers.NONE);
        }
        return s;
    }

    /** Steps of the rows of this kind with a finite value for {@code key}. */
    private static List<Double> xs(List<MetricsLog.Row> rows, String kind, String key) {
        List<Double> x = new ArrayList<>();
        for (MetricsLog.Row r : rows) {
            Double v = r.kind().equals(kind) ? r.values().get(key) : null;
            if (v != null && Double.isFinite(v)) {
                x.add((double) r.step());
            }
        }
        return x;
    }
}
