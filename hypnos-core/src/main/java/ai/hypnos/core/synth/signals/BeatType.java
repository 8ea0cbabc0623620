package ai.hypnos.core.synth.signals;

/** Kinds of heart beats drawn by the ECG renderer. */
public enum BeatType {
    /** Sinus beat: P wave, narrow QRS, T wave. */
    NORMAL,
    /** Premature atrial contraction: early, abnormal P wave, narrow QRS. */
    PAC,
    /** Premature ventricular contraction: early, no P wave, wide tall QRS, inverted T. */
    PVC,
    /** Conducted beat in atrial fibrillation: no P wave (fibrillatory baseline instead). */
    AF,
    /** Conducted beat in atrial flutter: no P wave (flutter waves instead). */
    FLUTTER
}
