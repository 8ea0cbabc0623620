package ai.hypnos.eval.probe;

import java.util.Locale;

/**
 * What probe to train, independent of the data: protocols create a fresh {@link Probe} from this
 * for every fold and seed. The default pipeline of DESIGN §8 is {@code standardise → probe}.
 *
 * @param kind        linear (logistic regression) or MLP
 * @param linear      options of the linear probe (used when {@code kind == LINEAR})
 * @param mlp         options of the MLP probe (its seed is replaced per fold/seed by {@link #create})
 * @param standardize z-score features on the training rows first
 */
public record ProbeSpec(Kind kind, LogisticRegression.Options linear, MlpProbe.Options mlp, boolean standardize) {

    /** The two probe families. */
    public enum Kind {
        LINEAR, MLP;

        /** Parses {@code linear} / {@code mlp} (also {@code logistic}). */
        public static Kind parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "linear", "logistic", "lr" -> LINEAR;
                case "mlp" -> MLP;
                default -> throw new IllegalArgumentException("unknown probe '" + s + "' (expected linear or mlp)");
            };
        }
    }

    public ProbeSpec {
        if (kind == null || linear == null || mlp == null) {
            throw new IllegalArgumentException("kind, linear and mlp options are required");
        }
    }

    /** Standardise + logistic regression with this C. */
    public static ProbeSpec linear(double c) {
        return new ProbeSpec(Kind.LINEAR, LogisticRegression.Options.defaults().withC(c), MlpProbe.Options.defaults(), true);
    }

    /** Standardise + MLP probe with these options. */
    public static ProbeSpec mlp(MlpProbe.Options options) {
        return new ProbeSpec(Kind.MLP, LogisticRegression.Options.defaults(), options, true);
    }

    /** The same spec with both probes using this class weighting. */
    public ProbeSpec withWeighting(ClassWeighting w) {
        return new ProbeSpec(kind, linear.withWeighting(w), mlp.withWeighting(w), standardize);
    }

    /** A new probe; {@code seed} seeds the MLP (the linear probe is deterministic). */
    public Probe create(long seed) {
        Probe p = kind == Kind.LINEAR ? new LogisticRegression(linear) : new MlpProbe(mlp.withSeed(seed));
        return standardize ? new StandardizedProbe(p) : p;
    }

    /** Human-readable description for reports. */
    public String describe() {
        return create(mlp.seed()).describe();
    }
}
