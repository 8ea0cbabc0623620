package ai.hypnos.core.synth.signals;

import ai.hypnos.core.synth.EventType;
import ai.hypnos.core.synth.SubjectProfile;
import ai.hypnos.core.synth.SynthEvent;
import ai.hypnos.core.synth.SynthRandom;
import java.util.Arrays;
import java.util.List;

/**
 * The heart beats of a recording: R-peak time, beat type and R amplitude factor of each beat.
 *
 * <p>In sinus rhythm the RR interval follows the heart-rate set point of {@link Tracks#heartRate}
 * (stage, slow variability, arousal and apnoea responses) and is shortened during inspiration
 * (respiratory sinus arrhythmia, read from the breaths). Premature beats come early; a ventricular
 * one is followed by a compensatory pause, an atrial one resets the sinus node. In atrial
 * fibrillation successive RR intervals are drawn independently from a wide distribution
 * ("irregularly irregular").
 */
public final class BeatTrain {
    private double[] time = new double[4096];
    private byte[] type = new byte[4096];
    private double[] amplitude = new double[4096];
    private int count;

    /** An empty train to fill with {@link #add}. */
    public BeatTrain() {
    }

    /** Appends a beat (times must increase). */
    public void add(double t, BeatType kind, double amp) {
        if (count > 0 && t <= time[count - 1]) {
            throw new IllegalArgumentException("beat times must increase: " + t + " after " + time[count - 1]);
        }
        if (count == time.length) {
            time = Arrays.copyOf(time, count * 2);
            type = Arrays.copyOf(type, count * 2);
            amplitude = Arrays.copyOf(amplitude, count * 2);
        }
        time[count] = t;
        type[count] = (byte) kind.ordinal();
        amplitude[count] = amp;
        count++;
    }

    public int count() {
        return count;
    }

    /** R-peak time in seconds. */
    public double time(int i) {
        return time[i];
    }

    public BeatType type(int i) {
        return BeatType.values()[type[i]];
    }

    /** R amplitude factor (1 = the subject's usual R wave). */
    public double amplitude(int i) {
        return amplitude[i];
    }

    /** RR interval before beat {@code i} (NaN for the first beat). */
    public double rrBefore(int i) {
        return i == 0 ? Double.NaN : time[i] - time[i - 1];
    }

    /** All R-peak times. */
    public double[] times() {
        return Arrays.copyOf(time, count);
    }

    /** Beat types as ordinals of {@link BeatType}. */
    public byte[] types() {
        return Arrays.copyOf(type, count);
    }

    /**
     * The beats of a night.
     *
     * @param events receives one {@link EventType#ECTOPIC_BEAT} event per premature beat
     */
    public static BeatTrain night(Tracks tracks, BreathTrain breaths, SubjectProfile.Cardio cardio,
                                  double seconds, SynthRandom rng, List<SynthEvent> events) {
        BeatTrain b = new BeatTrain();
        BreathTrain.Cursor breath = breaths.cursor();
        double t = rng.uniform(0.05, 0.8);
        double compensatory = 0;
        BeatType next = BeatType.NORMAL;
        while (t < seconds) {
            double hr = Tracks.at(tracks.heartRate, t);
            boolean af = Tracks.at(tracks.af, t) > 0.5;
            double u = breath.phase(t);
            double amp = 1 + 0.07 * StrictMath.sin(2 * Math.PI * u);
            BeatType kind = af ? BeatType.AF : next;
            if (kind == BeatType.PVC) {
                amp *= 1.6;
            }
            b.add(t, kind, amp);
            if (kind == BeatType.PAC || kind == BeatType.PVC) {
                events.add(new SynthEvent(EventType.ECTOPIC_BEAT, t, 0, "", kind == BeatType.PVC ? 2 : 1));
            }
            double rr;
            next = BeatType.NORMAL;
            if (af) {
                rr = afInterval(hr, rng);
            } else if (compensatory > 0) {
                rr = compensatory;
                compensatory = 0;
            } else {
                double sinus = 60.0 / hr * (1 - Tracks.at(tracks.rsa, t) * StrictMath.sin(2 * Math.PI * u))
                        * (1 + 0.008 * rng.nextGaussian());
                rr = sinus;
                if (rng.chance(cardio.ectopicPerHour() * sinus / 3600.0)) {
                    double prematurity = rng.uniform(0.55, 0.78);
                    rr = sinus * prematurity;
                    if (rng.chance(cardio.pvcFraction())) {
                        next = BeatType.PVC;
                        compensatory = 2 * sinus - rr;
                    } else {
                        next = BeatType.PAC;
                        compensatory = sinus * rng.uniform(1.0, 1.12);
                    }
                }
            }
            t += Math.max(0.25, rr);
        }
        return b;
    }

    /**
     * One RR interval in atrial fibrillation: the ventricles respond faster than in sinus rhythm
     * and each interval is independent of the last, with a coefficient of variation of about 0.2
     * and a refractory floor.
     */
    public static double afInterval(double sinusHr, SynthRandom rng) {
        double mean = 60.0 / (sinusHr * 1.18);
        double rr = mean * StrictMath.exp(0.24 * rng.nextGaussian() - 0.0288);
        return Math.max(0.32, rr);
    }
}
