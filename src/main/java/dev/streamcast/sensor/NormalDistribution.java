package dev.streamcast.sensor;

/** The standard normal distribution's CDF and quantile, for intervals made before any error was scored. */
final class NormalDistribution {

    private NormalDistribution() {
    }

    /**
     * Phi(x) = (1 + erf(x / sqrt 2)) / 2, erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7):
     * erf(y) = 1 - (a1 t + a2 t^2 + a3 t^3 + a4 t^4 + a5 t^5) exp(-y^2), t = 1 / (1 + p y), y &gt;= 0.
     */
    static double cdf(double x) {
        double y = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * y);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double erf = 1 - poly * Math.exp(-y * y);
        return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }

    /** The x with Phi(x) = p, by bisection on {@link #cdf} (called once per configuration, not per reading). */
    static double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("a probability in (0, 1) expected, got " + p);
        }
        double lo = -40;
        double hi = 40;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (cdf(mid) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }
}
