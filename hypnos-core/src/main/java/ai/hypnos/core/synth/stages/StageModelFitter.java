package ai.hypnos.core.synth.stages;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits a {@link StageModel} to expert hypnograms.
 *
 * <p>Each night is cut into NREM-REM cycles the usual way (Feinberg and Floyd): sleep starts at
 * the first non-wake epoch and ends at the last one; a REM period starts at a REM epoch and
 * continues until 15 minutes pass without REM (periods under 5 minutes count for bouts and
 * transitions but not for the period-length fit); the NREM period of a cycle is everything between
 * the end of the previous REM period (or sleep onset) and the start of the next. From these the
 * fitter estimates period lengths (log-linear in the cycle index), bout lengths per stage
 * (log-normal), bout-to-bout transition matrices and the decay of N3 across cycles.
 *
 * <p>Two nights cannot pin down all of that, so every estimate is shrunk towards a weak prior
 * (pseudo-observations; values from the sleep literature, listed in {@code docs/synthetic-data.md}):
 * a parameter seen many times follows the data, one seen once or never follows the prior.
 */
public final class StageModelFitter {
    /** 15 minutes without REM ends a REM period. */
    static final int REM_GAP_EPOCHS = 30;
    /** REM periods shorter than 5 minutes do not enter the period-length fit. */
    static final int MIN_REM_PERIOD_EPOCHS = 10;

    static final List<String> NREM_STATES = List.of("W", "N1", "N2", "N3");
    static final List<String> REM_STATES = List.of("REM", "W", "N1", "N2");

    // Priors (weights are pseudo-observations).
    private static final double[][] NREM_PRIOR = {
        {0, 0.75, 0.20, 0.05},
        {0.30, 0, 0.65, 0.05},
        {0.25, 0.35, 0, 0.40},
        {0.10, 0.10, 0.80, 0},
    };
    private static final double[][] REM_PRIOR = {
        {0, 0.40, 0.35, 0.25},
        {0.30, 0, 0.60, 0.10},
        {0.60, 0.20, 0, 0.20},
        {0.60, 0.10, 0.30, 0},
    };
    private static final double TRANSITION_PRIOR_WEIGHT = 4;
    private static final double[] NREM_BOUT_PRIOR_MEDIAN = {2, 2, 10, 8};
    private static final double[] NREM_BOUT_PRIOR_SD = {1.0, 0.8, 0.9, 0.8};
    private static final double[] REM_BOUT_PRIOR_MEDIAN = {12, 2, 1.5, 3};
    private static final double[] REM_BOUT_PRIOR_SD = {1.0, 0.8, 0.6, 0.8};
    private static final double BOUT_PRIOR_WEIGHT = 3;
    private static final StageModel.LogLinear NREM_PERIOD_PRIOR = new StageModel.LogLinear(StrictMath.log(80), -0.05, 0.30, 4);
    private static final StageModel.LogLinear REM_PERIOD_PRIOR = new StageModel.LogLinear(StrictMath.log(12), 0.25, 0.45, 4);
    private static final double PERIOD_PRIOR_WEIGHT = 3;
    private static final double N3_DECAY_PRIOR = 0.7;
    private static final double N3_DECAY_PRIOR_WEIGHT = 2;

    private StageModelFitter() {
    }

    /**
     * One expert hypnogram.
     *
     * @param name   where it comes from (kept in the model's {@code sources})
     * @param labels one label per 30-s epoch: 0 W, 1 N1, 2 N2, 3 N3, 4 REM, -1 unscored
     */
    public record Night(String name, int[] labels) {
    }

    /** A NREM or REM period found in a night. */
    record Period(int cycle, boolean rem, int start, int end, boolean complete) {
        int length() {
            return end - start;
        }
    }

    /** Cuts one night into cycles; unscored epochs count as wake. */
    static List<Period> periods(int[] labels) {
        int onset = -1;
        int last = -1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 1 && labels[i] <= 4) {
                if (onset < 0) {
                    onset = i;
                }
                last = i;
            }
        }
        List<Period> out = new ArrayList<>();
        if (onset < 0) {
            return out;
        }
        int end = last + 1;
        int nremStart = onset;
        int cycle = 0;
        int i = onset;
        while (i < end) {
            if (labels[i] != 4) {
                i++;
                continue;
            }
            int remStart = i;
            int remEnd = i + 1;
            int j = i + 1;
            while (j < end && j - remEnd < REM_GAP_EPOCHS) {
                if (labels[j] == 4) {
                    remEnd = j + 1;
                }
                j++;
            }
            if (remStart > nremStart) {
                out.add(new Period(cycle, false, nremStart, remStart, true));
            }
            out.add(new Period(cycle, true, remStart, remEnd, true));
            cycle++;
            nremStart = remEnd;
            i = remEnd;
        }
        if (nremStart < end) {
            out.add(new Period(cycle, false, nremStart, end, false));
        }
        return out;
    }

    /** Fits the model to the given nights. */
    public static StageModel fit(List<Night> nights) {
        List<String> sources = new ArrayList<>();
        List<double[]> nremLengths = new ArrayList<>();
        List<double[]> remLengths = new ArrayList<>();
        double[][] nremCounts = new double[4][4];
        double[][] remCounts = new double[4][4];
        List<List<Double>> nremBoutLogs = emptyLists(4);
        List<List<Double>> remBoutLogs = emptyLists(4);
        double[] n3PerCycle = new double[8];
        double[] nremPerCycle = new double[8];
        int nremBoutCount = 0;
        int remBoutCount = 0;

        for (Night night : nights) {
            sources.add(night.name());
            int[] labels = night.labels();
            for (Period p : periods(labels)) {
                List<int[]> bouts = bouts(labels, p.start(), p.end(), p.rem());
                if (p.rem()) {
                    // isolated REM epochs form REM "periods" of a few epochs; they keep their
                    // bouts but would drag the period length far below the ~20 min of a cycle
                    if (p.length() >= MIN_REM_PERIOD_EPOCHS) {
                        remLengths.add(new double[] {p.cycle(), StrictMath.log(p.length() * 0.5)});
                    }
                    remBoutCount += bouts.size();
                    addBouts(bouts, remCounts, remBoutLogs);
                } else {
                    if (p.complete()) {
                        nremLengths.add(new double[] {p.cycle(), StrictMath.log(p.length() * 0.5)});
                    }
                    nremBoutCount += bouts.size();
                    addBouts(bouts, nremCounts, nremBoutLogs);
                    int c = Math.min(p.cycle(), n3PerCycle.length - 1);
                    for (int e = p.start(); e < p.end(); e++) {
                        nremPerCycle[c]++;
                        if (labels[e] == 3) {
                            n3PerCycle[c]++;
                        }
                    }
                }
            }
        }

        return new StageModel(
                sources,
                30.0,
                logLinear(nremLengths, NREM_PERIOD_PRIOR),
                logLinear(remLengths, REM_PERIOD_PRIOR),
                NREM_STATES,
                transitions(nremCounts, NREM_PRIOR),
                boutFits(nremBoutLogs, NREM_BOUT_PRIOR_MEDIAN, NREM_BOUT_PRIOR_SD),
                n3Decay(n3PerCycle, nremPerCycle),
                REM_STATES,
                transitions(remCounts, REM_PRIOR),
                boutFits(remBoutLogs, REM_BOUT_PRIOR_MEDIAN, REM_BOUT_PRIOR_SD),
                new StageModel.FitCounts(nights.size(), nremLengths.size(), remLengths.size(),
                        nremBoutCount, remBoutCount));
    }

    private static List<List<Double>> emptyLists(int n) {
        List<List<Double>> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new ArrayList<>());
        }
        return l;
    }

    /**
     * Runs of equal state inside [start, end) as {state index, length}. In NREM periods the
     * state index is W0 N1 N2 N3; in REM periods REM0 W1 N1 2 N2 3 (N3 inside a REM period is
     * counted as N2, unscored as W).
     */
    static List<int[]> bouts(int[] labels, int start, int end, boolean rem) {
        List<int[]> out = new ArrayList<>();
        int i = start;
        while (i < end) {
            int s = stateIndex(labels[i], rem);
            int j = i + 1;
            while (j < end && stateIndex(labels[j], rem) == s) {
                j++;
            }
            out.add(new int[] {s, j - i});
            i = j;
        }
        return out;
    }

    private static int stateIndex(int label, boolean rem) {
        if (rem) {
            return switch (label) {
                case 4 -> 0;
                case 1 -> 2;
                case 2, 3 -> 3;
                default -> 1;
            };
        }
        return switch (label) {
            case 1 -> 1;
            case 2 -> 2;
            case 3 -> 3;
            // a REM epoch cannot sit inside a NREM period by construction; unscored counts as W
            default -> 0;
        };
    }

    private static void addBouts(List<int[]> bouts, double[][] counts, List<List<Double>> logs) {
        for (int b = 0; b < bouts.size(); b++) {
            int[] bout = bouts.get(b);
            logs.get(bout[0]).add(StrictMath.log(bout[1]));
            if (b + 1 < bouts.size()) {
                counts[bout[0]][bouts.get(b + 1)[0]]++;
            }
        }
    }

    private static double[][] transitions(double[][] counts, double[][] prior) {
        double[][] p = new double[counts.length][counts.length];
        for (int i = 0; i < counts.length; i++) {
            double total = 0;
            for (int j = 0; j < counts.length; j++) {
                if (i != j) {
                    p[i][j] = counts[i][j] + TRANSITION_PRIOR_WEIGHT * prior[i][j];
                    total += p[i][j];
                }
            }
            for (int j = 0; j < counts.length; j++) {
                p[i][j] = round(p[i][j] / total);
            }
        }
        return p;
    }

    private static List<StageModel.LogNormal> boutFits(List<List<Double>> logs, double[] priorMedian, double[] priorSd) {
        List<StageModel.LogNormal> out = new ArrayList<>();
        for (int s = 0; s < logs.size(); s++) {
            List<Double> x = logs.get(s);
            int n = x.size();
            double mean = 0;
            for (double v : x) {
                mean += v;
            }
            double priorMean = StrictMath.log(priorMedian[s]);
            double w = BOUT_PRIOR_WEIGHT;
            double postMean = (mean + w * priorMean) / (n + w);
            double ss = w * (priorSd[s] * priorSd[s] + (priorMean - postMean) * (priorMean - postMean));
            for (double v : x) {
                ss += (v - postMean) * (v - postMean);
            }
            double postSd = StrictMath.sqrt(ss / (n + w));
            out.add(new StageModel.LogNormal(round(postMean), round(postSd), n));
        }
        return out;
    }

    /** Least squares of log length on cycle index, shrunk towards the prior. */
    private static StageModel.LogLinear logLinear(List<double[]> points, StageModel.LogLinear prior) {
        int n = points.size();
        double w = PERIOD_PRIOR_WEIGHT;
        // Prior pseudo-points on the prior line at cycles 0..maxCycle carry weight w in total.
        double sw = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            double x = Math.min(p[0], prior.maxCycle());
            sw += 1;
            sx += x;
            sy += p[1];
            sxx += x * x;
            sxy += x * p[1];
        }
        int m = prior.maxCycle() + 1;
        for (int k = 0; k < m; k++) {
            double wk = w / m;
            double y = prior.intercept() + prior.slope() * k;
            sw += wk;
            sx += wk * k;
            sy += wk * y;
            sxx += wk * k * k;
            sxy += wk * k * y;
        }
        double denom = sw * sxx - sx * sx;
        double slope = denom > 1e-12 ? (sw * sxy - sx * sy) / denom : prior.slope();
        double intercept = (sy - slope * sx) / sw;
        double ss = w * prior.sd() * prior.sd();
        for (double[] p : points) {
            double r = p[1] - (intercept + slope * Math.min(p[0], prior.maxCycle()));
            ss += r * r;
        }
        double sd = StrictMath.sqrt(ss / (n + w));
        return new StageModel.LogLinear(round(intercept), round(slope), round(sd), prior.maxCycle());
    }

    /** Decay rate of the N3 share across cycles: weighted log-linear fit, shrunk to the prior. */
    private static double n3Decay(double[] n3, double[] nrem) {
        double sw = N3_DECAY_PRIOR_WEIGHT;
        double num = N3_DECAY_PRIOR_WEIGHT * N3_DECAY_PRIOR;
        double base = nrem[0] > 0 ? (n3[0] + 1) / (nrem[0] + 2) : 0;
        for (int k = 1; k < n3.length && base > 0; k++) {
            if (nrem[k] <= 0) {
                continue;
            }
            double share = (n3[k] + 1) / (nrem[k] + 2);
            double rate = -StrictMath.log(share / base) / k;
            double weight = Math.min(1.0, nrem[k] / 120.0);
            num += weight * rate;
            sw += weight;
        }
        return round(Math.max(0, num / sw));
    }

    /** Rounds to 6 decimals so the committed JSON is readable and stable. */
    private static double round(double v) {
        return Math.rint(v * 1e6) / 1e6;
    }
}
