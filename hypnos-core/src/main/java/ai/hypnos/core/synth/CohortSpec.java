package ai.hypnos.core.synth;

import java.util.List;

/**
 * What cohort to generate.
 *
 * @param subjects number of subjects (one night each)
 * @param hours    recording length per night, in hours
 * @param seed     random seed: the same spec gives the same files, byte for byte
 * @param sites    sites to draw subjects from, assigned in turn
 * @param faults   whether recordings have faults (missing channels, hum, pops, flat stretches...)
 */
public record CohortSpec(int subjects, double hours, long seed, List<Site> sites, boolean faults) {

    public CohortSpec {
        if (subjects < 1) {
            throw new IllegalArgumentException("a cohort needs at least one subject, got " + subjects);
        }
        if (!(hours > 0) || hours > 48) {
            throw new IllegalArgumentException("night length must be in (0, 48] hours, got " + hours);
        }
        if (sites == null || sites.isEmpty()) {
            throw new IllegalArgumentException("at least one site is needed");
        }
        sites = List.copyOf(sites);
    }

    /** All sites, faults on. */
    public static CohortSpec of(int subjects, double hours, long seed) {
        return new CohortSpec(subjects, hours, seed, List.of(Site.values()), true);
    }
}
