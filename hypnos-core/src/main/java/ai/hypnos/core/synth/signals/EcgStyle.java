package ai.hypnos.core.synth.signals;

/**
 * How an ECG is drawn besides its beats.
 *
 * @param rAmplitude   R-wave amplitude, millivolts
 * @param inverted     lead reversed (the whole trace upside down)
 * @param fibrillation amplitude of the fibrillatory baseline (f waves) during AF, millivolts
 * @param flutterHz    atrial flutter wave rate (0: no flutter waves)
 * @param flutterAmplitude flutter (F) wave amplitude, millivolts
 * @param noise        broadband noise RMS, millivolts
 * @param wander       baseline wander amplitude, millivolts
 */
public record EcgStyle(
        double rAmplitude,
        boolean inverted,
        double fibrillation,
        double flutterHz,
        double flutterAmplitude,
        double noise,
        double wander) {
}
