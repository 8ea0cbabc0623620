package ai.hypnos.core.edf;

import java.util.List;

/**
 * One time-stamped annotation list (TAL) of an EDF+ annotation signal:
 * {@code +onset[0x15 duration]0x14[text 0x14]...0x00}.
 *
 * @param onset         seconds relative to the header's start time (may be negative)
 * @param duration      seconds, or {@code NaN} when the TAL has none
 * @param texts         the non-empty annotation texts, UTF-8 decoded and trimmed
 * @param timekeeping   true when the first text is empty ({@code +onset 0x14 0x14}): the form
 *                      of the time-keeping TAL that opens every data record
 */
record Tal(double onset, double duration, List<String> texts, boolean timekeeping) {
}
